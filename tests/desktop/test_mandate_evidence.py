"""A changed mandate as newer evidence on screen: the detail panel lists it and the card's tooltip names it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import QSettings

from db import OperationInput, ReviewStatus
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


@pytest.fixture
def window(qtbot, default_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _change_mandate(store, acronym: str, mandate: str, day: date) -> None:
    operation = next(op for op in store.operations.all() if op.acronym == acronym)
    draft = dataclasses.replace(OperationInput.from_record(operation), mandate=mandate, mandate_effective=day)
    store.operations.update(operation.id, draft, operation.revision)


def test_a_mandate_change_after_the_assessment_is_explained_in_the_panel_and_the_card(window):
    """KFOR's mandate changed on 2008-06-15: in July 2008 UN–NATO shows newer evidence, the detail panel
    says "mandate of KFOR changed on 2008-06-15" and so does the card's tooltip; in May nothing is flagged."""
    store = window.store
    _change_mandate(store, "KFOR", "UNSC 1244, reconfigured", date(2008, 6, 15))
    un_nato = next(r for r in store.quadrangle.relationships() if r.label == "UN–NATO")
    window.set_as_of(date(2008, 7, 1))
    window.select_relationship(un_nato.id)
    panel = window.detail_panel
    assert not panel.review.isHidden()
    assert panel.review.text().endswith("the newest: mandate of KFOR changed on 2008-06-15.")
    edge = next(e for e in window.scene.edge_items() if e.state.relationship.id == un_nato.id)
    assert edge.review_status is ReviewStatus.NEWER_EVIDENCE
    assert "mandate of KFOR changed on 2008-06-15" in edge.tooltip_text()
    window.set_as_of(date(2008, 5, 1))
    assert panel.review.isHidden()


def test_several_newer_items_are_listed_one_per_line(window):
    """With ISAF's and KFOR's mandates both changed in 2008, the panel lists each, newest first."""
    store = window.store
    _change_mandate(store, "KFOR", "UNSC 1244, reconfigured", date(2008, 6, 15))
    _change_mandate(store, "ISAF", "UNSC 1386 and 1510, extended", date(2008, 3, 1))
    un_nato = next(r for r in store.quadrangle.relationships() if r.label == "UN–NATO")
    window.set_as_of(date(2008, 7, 1))
    window.select_relationship(un_nato.id)
    lines = window.detail_panel.review.text().replace("\u2068", "").replace("\u2069", "").splitlines()
    assert lines[1:] == ["• mandate of KFOR changed on 2008-06-15", "• mandate of ISAF changed on 2008-03-01"]
