"""History, comparison, restore and reversals views, driven through their widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoStack

from db import AssessmentInput, Confidence, Motive, MotiveAssessment, Phase
from desktop.assessments.compare import CHANGED_ROLE, FIELD_KEY_ROLE, CompareDialog
from desktop.assessments.history import HistoryDialog
from desktop.assessments.prompts import ScriptedPrompter
from desktop.assessments.reversals import ReversalsDialog
from desktop.events import StoreEvents


@pytest.fixture
def relationship(mini_store):
    return mini_store.quadrangle.relationships()[0]


def _history(qtbot, store, relationship, **kwargs) -> HistoryDialog:
    dialog = HistoryDialog(store, StoreEvents(store), relationship.id, **kwargs)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _click_row(qtbot, table, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def _shown_changes(dialog: CompareDialog) -> dict[str, tuple[str, str]]:
    model = dialog.table.model()
    return {
        model.index(row, 0).data(FIELD_KEY_ROLE): (model.index(row, 1).data(), model.index(row, 2).data())
        for row in range(model.rowCount())
        if model.index(row, 0).data(CHANGED_ROLE)
    }


def test_history_lists_versions_and_selects_from_the_chart(qtbot, mini_store, relationship):
    """The history shows both versions with their author; clicking a chart point selects that version."""
    dialog = _history(qtbot, mini_store, relationship)
    versions = mini_store.assessments.history(relationship.id)
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 1).data() == "Start-up" and dialog.model.index(1, 4).data() == "Test"
    assert dialog.selected_ids() == [versions[-1].id]  # the version in force is selected first
    point = dialog.chart.point_of(versions[0].id)
    qtbot.mouseClick(dialog.chart, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert dialog.selected_ids() == [versions[0].id]
    assert dialog.details.toPlainText().startswith("As of 2003-06-30 · Start-up")
    assert dialog.restore_button.isEnabled() and not dialog.compare_button.isEnabled()


def test_restore_adds_a_version_and_undo_redo_follow(qtbot, mini_store, relationship):
    """Restoring the start-up version (a reversal, so with a rationale) adds a version; undo/redo follow."""
    stack = QUndoStack()
    prompter = ScriptedPrompter(confirms=[True], texts=["Back to start-up after the crisis"])
    dialog = _history(qtbot, mini_store, relationship, undo_stack=stack, prompter=prompter)
    first, second = mini_store.assessments.history(relationship.id)
    _click_row(qtbot, dialog.table, 0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    history = mini_store.assessments.history(relationship.id)
    assert len(history) == 3 and history[:2] == [first, second]
    restored = history[-1]
    assert restored.restored_from_id == first.id and restored.phases == first.phases and restored.is_reversal
    assert dialog.model.rowCount() == 3 and dialog.selected_ids() == [restored.id]
    assert stack.undoText() == "restore UN–EU assessment"
    stack.undo()
    assert mini_store.assessments.history(relationship.id) == [first, second]
    assert dialog.model.rowCount() == 2  # the view follows the store
    stack.redo()
    again = mini_store.assessments.history(relationship.id)
    assert len(again) == 3 and again[-1].restored_from_id == first.id


def test_restore_as_reversal_refused_without_rationale(qtbot, mini_store, relationship):
    """An empty rationale for a restore that moves back records nothing and says why."""
    prompter = ScriptedPrompter(confirms=[True], texts=["  "])
    dialog = _history(qtbot, mini_store, relationship, prompter=prompter)
    _click_row(qtbot, dialog.table, 0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert len(mini_store.assessments.history(relationship.id)) == 2
    assert dialog.status_label.text() == "Not restored: a reversal needs a rationale."


def test_compare_selected_versions_emits_both_ids(qtbot, mini_store, relationship):
    """Selecting two rows enables Compare selected, which asks for exactly those two versions."""
    dialog = _history(qtbot, mini_store, relationship)
    _click_row(qtbot, dialog.table, 0)
    _click_row(qtbot, dialog.table, 1, Qt.KeyboardModifier.ControlModifier)
    assert dialog.compare_button.isEnabled()
    with qtbot.waitSignal(dialog.compare_requested) as requested:
        qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    assert requested.args == [v.id for v in mini_store.assessments.history(relationship.id)]


def test_compare_two_versions_highlights_the_differences(qtbot, mini_store, relationship):
    """The 2003 and 2007 versions differ in phase, confidence, two weights and citations, shown side by side."""
    first, second = mini_store.assessments.history(relationship.id)
    dialog = CompareDialog(mini_store, StoreEvents(mini_store), relationship.id)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.before_combo.setCurrentIndex(dialog.before_combo.findData(first.id))
    dialog.after_combo.setCurrentIndex(dialog.after_combo.findData(second.id))
    changes = _shown_changes(dialog)
    assert changes["phase"] == ("Start-up", "Maintenance")
    assert changes["confidence"] == ("Low", "High")
    assert changes["legitimization.weight"] == ("0", "2")
    assert changes["citations"] == ("", "Tardy (2005: 49)")
    assert "marking" not in changes and "organizational_survival.weight" not in changes
    assert dialog.table.model().headerData(1, Qt.Orientation.Horizontal) == "Before: Version as of 2003-06-30"
    total = dialog.table.model().rowCount()
    qtbot.mouseClick(dialog.changed_only_check, Qt.MouseButton.LeftButton)
    assert dialog.table.model().rowCount() == len(changes) < total
    assert "Phase" in dialog.summary_label.text()


def test_compare_dates_shows_the_states_in_force(qtbot, mini_store, relationship):
    """Comparing 2000 with 2005 shows no assessment yet against the start-up version."""
    dialog = CompareDialog(mini_store, StoreEvents(mini_store), relationship.id)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.mouseClick(dialog.dates_radio, Qt.MouseButton.LeftButton)
    assert dialog.pickers.currentIndex() == 1
    dialog.before_date.setDate(QDate(2000, 1, 1))
    dialog.after_date.setDate(QDate(2005, 1, 1))
    assert _shown_changes(dialog)["phase"] == ("—", "Start-up")
    dialog.compare_dates(date(2004, 1, 1), date(2006, 1, 1))
    assert _shown_changes(dialog) == {}
    assert dialog.summary_label.text().startswith("The two sides agree")


def test_compare_shows_user_text_as_plain_text(qtbot, mini_store, relationship):
    """Markup typed in a summary is shown literally, never interpreted."""
    saved = mini_store.assessments.save(
        AssessmentInput(
            relationship_id=relationship.id,
            as_of=date(2010, 1, 1),
            phases=(Phase.MAINTENANCE,),
            confidence=Confidence.HIGH,
            summary='<img src="/etc/passwd"><b>bold</b>',
            motives=tuple(MotiveAssessment(m, 0) for m in Motive),
        )
    )
    dialog = CompareDialog(mini_store, StoreEvents(mini_store), relationship.id)
    qtbot.addWidget(dialog)
    dialog.compare_versions(mini_store.assessments.history(relationship.id)[1].id, saved.id)
    assert _shown_changes(dialog)["summary"][1] == '<img src="/etc/passwd"><b>bold</b>'


def test_reversals_view_lists_each_reversal_once_and_follows_the_store(qtbot, mini_store, relationship):
    """The Reversals view starts empty, and shows a new reversal exactly once as soon as it is saved."""
    dialog = ReversalsDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() == 0 and dialog.summary_label.text().startswith("No relationship has been reversed")
    mini_store.assessments.save(
        AssessmentInput(
            relationship_id=relationship.id,
            as_of=date(2009, 1, 1),
            phases=(Phase.ENDING,),
            confidence=Confidence.MODERATE,
            summary="",
            motives=tuple(MotiveAssessment(m, 0) for m in Motive),
            reversal_rationale="Mandate lapsed",
        )
    )
    assert dialog.model.rowCount() == 1
    assert [dialog.model.index(0, c).data() for c in range(5)] == [
        "UN–EU",
        "2009-01-01",
        "Maintenance",
        "Ending",
        "Mandate lapsed",
    ]
    with qtbot.waitSignal(dialog.history_requested) as requested:
        rect = dialog.table.visualRect(dialog.model.index(0, 0))
        qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert requested.args == [relationship.id]


def test_history_models_pass_the_model_tester(qtmodeltester, qtbot, mini_store, relationship):
    """The version, diff and reversal models follow Qt's model contract."""
    history = _history(qtbot, mini_store, relationship)
    qtmodeltester.check(history.model)
    compare = CompareDialog(mini_store, StoreEvents(mini_store), relationship.id)
    qtbot.addWidget(compare)
    qtmodeltester.check(compare.model)
    reversals = ReversalsDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(reversals)
    qtmodeltester.check(reversals.model)


def test_restoring_the_version_in_force_is_refused(qtbot, mini_store, relationship):
    """Restoring the current version would only duplicate it: nothing is recorded, and the dialog says so."""
    prompter = ScriptedPrompter(confirms=[True])
    dialog = _history(qtbot, mini_store, relationship, prompter=prompter)
    _click_row(qtbot, dialog.table, 1)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert len(mini_store.assessments.history(relationship.id)) == 2 and prompter.asked == []
    assert dialog.status_label.text().startswith("This version is already the one in force")


def test_compare_follows_new_versions(qtbot, mini_store, relationship):
    """A version saved while Compare is open joins both lists, and the current picks stay."""
    first, second = mini_store.assessments.history(relationship.id)
    dialog = CompareDialog(mini_store, StoreEvents(mini_store), relationship.id)
    qtbot.addWidget(dialog)
    dialog.compare_versions(first.id, second.id)
    restored = mini_store.history.restore_version(second.id)
    assert dialog.after_combo.count() == 3 and dialog.after_combo.findData(restored.id) == 2
    assert (dialog.before_combo.currentData(), dialog.after_combo.currentData()) == (first.id, second.id)
