"""The faster PySide6 module scan (desktop/pyside_feature_scan.py) answers exactly as PySide's own."""

from __future__ import annotations

import json
import sys

import pytest

import db.records
import desktop.main_window
from desktop import pyside_feature_scan


@pytest.fixture
def installed():
    feature = sys.modules["shibokensupport.feature"]
    before = feature._mod_uses_pyside
    assert pyside_feature_scan.install()
    yield feature._mod_uses_pyside
    feature._mod_uses_pyside = before


def test_the_scan_is_replaced_once(installed):
    """Installed, PySide calls the byte search; installing again changes nothing."""
    assert installed.reads_bytes
    assert pyside_feature_scan.install()
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is installed


@pytest.mark.parametrize(
    "module, uses_pyside",
    [(desktop.main_window, True), (pyside_feature_scan, True), (db.records, False), (json, False), (sys, False)],
    ids=["window", "this module (it names PySide6)", "records", "stdlib json", "built-in sys"],
)
def test_the_byte_search_answers_as_pyside_does(installed, module, uses_pyside):
    """Same answer as inspect.getsource + search, for source, standard-library and built-in modules."""
    assert installed(module) is uses_pyside
    assert installed.original(module) is uses_pyside
