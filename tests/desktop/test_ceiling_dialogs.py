"""The dialogs that write or show marked material start at, or obey, the main window's view ceiling:
the briefing's and the exchange export's "Highest marking to include", and the milestone box's sources."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QWidget

from db import Store, models
from db.types import new_id
from desktop.briefing.dialog import BriefingDialog
from desktop.detail.milestone import show_milestone
from desktop.exchange.export_dialog import ExportExchangeDialog
from tests.markings_helpers import add_marked_material


def _window_with_ceiling(qtbot, ceiling: str | None) -> QWidget:
    window = QWidget()
    window.markings = SimpleNamespace(ceiling=ceiling)  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    return window


@pytest.fixture
def marked(mini_db_path):
    store = Store.open(mini_db_path, actor="tester")
    ids = add_marked_material(store)
    yield store, ids
    store.close()


def test_the_briefing_dialog_starts_at_the_ceiling_and_offers_only_raising_the_marking(qtbot, marked, tmp_path):
    """Under a RESTRICTED ceiling the briefing's limit is RESTRICTED (so it holds what the screen shows),
    and the overall marking is computed unless raised to a level of the vocabulary."""
    store, _ = marked
    window = _window_with_ceiling(qtbot, "RESTRICTED")
    dialog = BriefingDialog(store, as_of=date(2008, 6, 30), folder=str(tmp_path), parent=window)  # window owns it
    assert dialog.max_marking.currentText() == "RESTRICTED"
    assert dialog.options().max_marking == "RESTRICTED" and dialog.options().marking is None
    dialog.marking_choice.setCurrentIndex(dialog.marking_choice.findData("SECRET"))
    assert dialog.options().marking == "SECRET"
    dialog.max_marking.setCurrentIndex(0)
    assert dialog.max_marking.currentText() == "Everything" and dialog.options().max_marking is None


def test_the_exchange_export_starts_at_the_ceiling(qtbot, marked, tmp_path):
    store, _ = marked
    window = _window_with_ceiling(qtbot, "CONFIDENTIAL")
    dialog = ExportExchangeDialog(store, folder=str(tmp_path), parent=window)  # window owns it
    assert dialog.marking_combo.currentData() == "CONFIDENTIAL"


def test_the_milestone_box_leaves_out_a_source_above_the_ceiling_and_says_so(qtbot, marked):
    """A milestone citing the SECRET source lists it with no ceiling, and under UNCLASSIFIED leaves it
    out with a count instead (the box used to name it at any ceiling)."""
    store, ids = marked
    milestone = store.catalog.milestones(ids["relationship"])[0]
    with store.database.write() as s:
        s.add(models.Citation(id=new_id(), source_id=ids["source"], locator="9", milestone_id=milestone.id))
    window = _window_with_ceiling(qtbot, None)
    box = show_milestone(window, store, ids["relationship"], milestone.id)
    assert box is not None and "Secretauthor" in box.text()
    box.close()
    box = show_milestone(window, store, ids["relationship"], milestone.id, "UNCLASSIFIED")
    assert box is not None
    assert "Secretauthor" not in box.text() and "1 source above UNCLASSIFIED left out." in box.text()
    box.close()
