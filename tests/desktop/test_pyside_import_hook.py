"""PySide6's feature import hook is taken out at start-up (desktop/pyside_import_hook.py), which is only
right while no module of Quadrangle uses `from __feature__ import ...`."""

from __future__ import annotations

import ast
import builtins
import importlib
from pathlib import Path

import PySide6.QtCore  # noqa: F401 - installs the hook this module is about
import pytest

from desktop import pyside_import_hook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hooked():
    """PySide's hook in place, as right after `import PySide6`; put back as it was afterwards."""
    before = builtins.__import__
    builtins.__import__ = builtins.__feature_import__
    yield
    builtins.__import__ = before


def test_imports_go_past_the_feature_hook_once_it_is_taken_out(hooked):
    """Afterwards imports use PySide's own lazy import underneath; a second call changes nothing."""
    assert pyside_import_hook.uninstall()
    assert builtins.__import__ is builtins.__orig_import__
    assert pyside_import_hook.uninstall()
    assert builtins.__import__ is builtins.__orig_import__


def test_modules_and_qt_classes_still_import_without_the_hook(hooked):
    """Plain modules, PySide modules and their lazily created classes import as before."""
    assert pyside_import_hook.uninstall()
    from PySide6.QtWidgets import QWizard  # a class nothing has created yet in most runs

    assert QWizard.__name__ == "QWizard"
    assert importlib.import_module("json.decoder").__name__ == "json.decoder"
    exec("from PySide6.QtCore import *", {})  # PySide's star import (all its classes) still works


def test_an_import_wrapped_by_someone_else_is_left_alone(hooked):
    """A debugger or tool that wraps imports after PySide keeps its wrapper (start-up is only slower)."""
    original = builtins.__import__

    def wrapper(*args, **kwargs):
        return original(*args, **kwargs)

    builtins.__import__ = wrapper
    assert not pyside_import_hook.uninstall()
    assert builtins.__import__ is wrapper


def test_no_module_switches_pyside_features():
    """The hook only serves `from __feature__ import ...`: no module of the project may use it."""
    offenders = []
    for folder in ("db", "desktop", "tests", "tools"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                if any(name.split(".")[0] == "__feature__" for name in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
