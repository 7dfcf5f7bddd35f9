"""Staleness on screen: the card's marks, the Review column, the status bar, the Preferences' review
interval, the draft marker, operations' confirmation and organizations not drawn before their founding."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt

from db import ReviewStatus
from desktop.comparison.table_model import Column
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.operations.table_model import Column as OperationColumn
from desktop.settings import AppSettings


@pytest.fixture
def window(qtbot, default_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _review_cells(window) -> dict[str, str]:
    model = window.comparison_model
    return {
        model.index(r, Column.RELATIONSHIP).data(): model.index(r, Column.REVIEW).data()
        for r in range(model.rowCount())
    }


def test_today_every_2007_assessment_is_due_for_review(window):
    """On today's date the card, the Review column and the status bar all say "due for review", except
    UN–EU, where EUFOR Tchad/RCA (launched 2008-01-28) is newer than the assessment and says so."""
    cells = _review_cells(window)
    assert cells.pop("UN–EU") == "1 newer item" and set(cells.values()) == {"due for review"}
    assert "5 due for review · 1 with newer evidence" in window.summary_label.text()
    edges = window.scene.edge_items()
    assert sorted(e.review_status for e in edges) == sorted([ReviewStatus.DUE] * 5 + [ReviewStatus.NEWER_EVIDENCE])
    assert "due for review" in next(e for e in edges if e.review_status is ReviewStatus.DUE).card._lines[1]
    due = next(e for e in edges if e.review_status is ReviewStatus.DUE)
    assert "Due for review: assessed as of 2007-12-31" in due.tooltip_text()


def test_the_review_interval_comes_from_preferences(qtbot, window):
    """Setting the interval to 0 ("never") in Preferences removes the age mark everywhere at once."""
    dialog = window.assessments.open_preferences()
    assert dialog.review_spin.value() == 12
    dialog.review_spin.setValue(0)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert window.settings.review_months == 0
    cells = _review_cells(window)  # no age mark; UN–EU's newer evidence stays (it is not about age)
    assert cells.pop("UN–EU") == "1 newer item" and set(cells.values()) == {"current"}
    assert "0 due for review" in window.summary_label.text()


def test_before_its_founding_the_au_is_not_drawn_nor_flagged(window):
    """In 2001 the AU (founded 2002-07-09) has no node, no edges and no rows; in 2003 it is back."""
    window.set_as_of(date(2001, 6, 1))
    codes = {n.organization.code for n in window.scene.node_items()}
    assert codes == {"UN", "NATO", "EU"}
    assert not any("AU" in label for label in _review_cells(window))
    assert "3 organizations · 3 relationships" in window.summary_label.text()
    window.set_as_of(date(2003, 6, 1))
    assert "AU" in {n.organization.code for n in window.scene.node_items()}
    statuses = {e.label: e.review_status for e in window.scene.edge_items()}
    assert statuses["UN–AU"] is ReviewStatus.NEVER_ASSESSED
    assert _review_cells(window)["UN–AU"] == "never assessed"


def test_a_relationship_with_a_draft_is_marked_on_card_and_row(window, default_store):
    """An unsaved assessment draft shows "draft" on the relationship's card and in its table row."""
    rel = default_store.quadrangle.find_relationship("NATO-EU")
    default_store.drafts.save("assessment", rel.id, {"summary": "half-written"})
    window.refresh()
    assert _review_cells(window)["NATO–EU"] == "due for review · draft"
    edge = window.scene.edge_item(rel.id)
    assert edge.card._lines[1].endswith("· draft")
    assert "Draft:" in edge.tooltip_text()


def test_the_operations_window_says_when_an_operation_was_last_confirmed(window):
    """ISAF is not simply "Ongoing" today: it says it was last confirmed in 2007."""
    from desktop.operations.window import OperationsWindow

    operations = OperationsWindow(window.store, window.undo_stack, window)
    model = operations.model
    status = {
        model.index(r, OperationColumn.ACRONYM).data(): model.index(r, OperationColumn.STATUS).data()
        for r in range(model.rowCount())
    }
    assert status["ISAF"] == "Ongoing as of 2007, not confirmed since"
    assert status["UNPROFOR"] == "Ended"
    operations.close()


def test_the_detail_panel_says_an_operation_on_the_ground_was_not_confirmed_since(window):
    """Today UN–NATO's cooperation on the ground reads "…–present" only with its operations' last
    confirmation beside them; on a date within the interval it is plain."""
    relationship = next(r for r in window.state.relationships if r.relationship.label == "UN–NATO")
    window.select_relationship(relationship.relationship.id)
    text = window.detail_panel.cooperation.text()
    assert "KFOR (ongoing as of 2007, not confirmed since)" in text
    assert "present" in text
    window.set_as_of(date(2007, 6, 30))
    assert "not confirmed" not in window.detail_panel.cooperation.text()
