"""The assessment editor driven through its widgets: saving, validation, reversals, drafts, undo."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut, QUndoStack

from db import AssessmentInput, Confidence, Motive, MotiveAssessment, Phase
from desktop.assessments.editor import AssessmentEditorDialog
from desktop.assessments.prompts import ScriptedPrompter
from desktop.events import StoreEvents
from desktop.literal import literal_tooltip


@pytest.fixture
def relationship(mini_store):
    return mini_store.quadrangle.relationships()[0]


def _editor(qtbot, store, relationship, **kwargs) -> AssessmentEditorDialog:
    dialog = AssessmentEditorDialog(store, StoreEvents(store), relationship.id, **kwargs)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def _replace_text(qtbot, widget, text: str) -> None:
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_fill_and_save_records_a_new_version(qtbot, mini_store, relationship):
    """Typing a summary, a motive with its rationale and a citation, then Save, adds a version with them."""
    before = mini_store.assessments.history(relationship.id)
    dialog = _editor(qtbot, mini_store, relationship)
    assert dialog.summary_edit.toPlainText() == "late"  # prefilled from the current version
    _replace_text(qtbot, dialog.summary_edit, "Weekly coordination now routine.")
    _replace_text(qtbot, dialog.weight_spins[Motive.SHARED_VALUES], "2")
    qtbot.keyClicks(dialog.rationale_edits[Motive.SHARED_VALUES], "Common commitment to the UN Charter.")
    qtbot.keyClicks(dialog.locator_edit, "12-14")  # keyClicks takes ASCII only
    qtbot.keyClicks(dialog.quote_edit, "a <b>quote</b>")
    _click(qtbot, dialog.add_citation_button)
    with qtbot.waitSignal(dialog.assessment_saved) as saved:
        _click(qtbot, dialog.save_button)
    history = mini_store.assessments.history(relationship.id)
    assert history[:2] == before
    new = mini_store.assessments.get(saved.args[0])
    assert new == history[-1] and new.as_of == date.today() and new.recorded_by == "tester"
    assert new.summary == "Weekly coordination now routine." and new.phases == (Phase.MAINTENANCE,)
    assert new.weight(Motive.SHARED_VALUES) == 2 and new.weight(Motive.LEGITIMIZATION) == 2
    assert [(c.locator, c.quote) for c in new.citations] == [("49", ""), ("12-14", "a <b>quote</b>")]
    assert not dialog.isVisible() and mini_store.drafts.load("assessment", relationship.id) is None


def test_validation_is_immediate_and_specific(qtbot, mini_store, relationship):
    """A weighted motive without rationale shows its message beside it and disables Save until fixed."""
    dialog = _editor(qtbot, mini_store, relationship)
    assert dialog.save_button.isEnabled()
    _replace_text(qtbot, dialog.weight_spins[Motive.ORGANIZATIONAL_LEARNING], "3")
    label = dialog.findChild(type(dialog.status_label), "problem_organizational_learning")
    assert label.isVisible() and label.text() == "Organizational learning is weighted 3: give its rationale."
    assert not dialog.save_button.isEnabled()
    assert dialog.status_label.text() == "1 problem to fix before saving."
    qtbot.keyClicks(dialog.rationale_edits[Motive.ORGANIZATIONAL_LEARNING], "Lessons from Artemis.")
    assert not label.isVisible() and dialog.save_button.isEnabled()
    assert dialog.date_edit.maximumDate().toPython() == date.today()


def test_transition_to_next_phase(qtbot, mini_store, relationship):
    """Choosing start-up with "in transition" saves the two adjacent phases (a reversal from maintenance)."""
    prompter = ScriptedPrompter(confirms=[True])
    dialog = _editor(qtbot, mini_store, relationship, prompter=prompter)
    dialog.phase_combo.setCurrentIndex(dialog.phase_combo.findData("start-up"))
    _click(qtbot, dialog.transition_check)
    assert dialog.transition_check.text() == "In transition to maintenance"
    qtbot.keyClicks(dialog.reversal_edit, "Partly suspended")
    with qtbot.waitSignal(dialog.assessment_saved) as saved:
        _click(qtbot, dialog.save_button)
    assert mini_store.assessments.get(saved.args[0]).phases == (Phase.START_UP, Phase.MAINTENANCE)


def test_reversal_needs_rationale_and_confirmation_then_is_listed_once(qtbot, mini_store, relationship):
    """Moving back a phase blocks Save until a rationale is typed, asks to confirm, and is listed once."""
    prompter = ScriptedPrompter(confirms=[False, True])
    dialog = _editor(qtbot, mini_store, relationship, prompter=prompter)
    dialog.phase_combo.setCurrentIndex(dialog.phase_combo.findData("negotiation"))
    assert dialog.reversal_box.isVisible() and not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.reversal_edit, "Talks restarted after the crisis.")
    assert dialog.save_button.isEnabled()
    _click(qtbot, dialog.save_button)  # answered "no": nothing is saved
    assert len(mini_store.assessments.history(relationship.id)) == 2 and dialog.isVisible()
    with qtbot.waitSignal(dialog.assessment_saved):
        _click(qtbot, dialog.save_button)
    reversals = mini_store.history.reversals()
    assert len(reversals) == 1
    assert reversals[0].version.reversal_rationale == "Talks restarted after the crisis."
    assert "flagged as a reversal" in prompter.asked[0]


def test_draft_survives_a_window_closed_without_saving(qtbot, mini_store, relationship):
    """Typed text is autosaved; a new editor for the same relationship restores it."""
    dialog = _editor(qtbot, mini_store, relationship)
    with qtbot.waitSignal(dialog.draft_saved, timeout=5000):
        _replace_text(qtbot, dialog.summary_edit, "Half-written thought")
    dialog.close()
    assert mini_store.drafts.load("assessment", relationship.id).payload["summary"] == "Half-written thought"
    again = _editor(qtbot, mini_store, relationship)
    assert again.summary_edit.toPlainText() == "Half-written thought"
    assert again.draft_banner.isVisible() and "Restored your unsaved changes" in again.draft_label.text()
    with qtbot.waitSignal(again.assessment_saved):
        _click(qtbot, again.save_button)
    assert mini_store.drafts.load("assessment", relationship.id) is None


def test_closing_flushes_a_pending_draft(qtbot, mini_store, relationship):
    """Closing before the autosave delay still keeps what was typed."""
    dialog = _editor(qtbot, mini_store, relationship)
    _replace_text(qtbot, dialog.summary_edit, "typed just now")
    assert dialog.has_pending_draft
    _click(qtbot, dialog.close_button)
    assert mini_store.drafts.load("assessment", relationship.id).payload["summary"] == "typed just now"


def test_unchanged_form_leaves_no_draft(qtbot, mini_store, relationship):
    """Typing then undoing the typing leaves no draft behind."""
    dialog = _editor(qtbot, mini_store, relationship)
    qtbot.keyClicks(dialog.summary_edit, "x")
    dialog.save_draft_now()
    assert mini_store.drafts.load("assessment", relationship.id) is not None
    qtbot.keyClick(dialog.summary_edit, Qt.Key.Key_Backspace)
    dialog.save_draft_now()
    assert mini_store.drafts.load("assessment", relationship.id) is None


def test_discard_removes_the_draft(qtbot, mini_store, relationship):
    """Discard changes asks first, then removes the draft and closes."""
    prompter = ScriptedPrompter(confirms=[True])
    dialog = _editor(qtbot, mini_store, relationship, prompter=prompter)
    qtbot.keyClicks(dialog.summary_edit, " more")
    dialog.save_draft_now()
    _click(qtbot, dialog.discard_button)
    assert mini_store.drafts.load("assessment", relationship.id) is None and not dialog.isVisible()
    assert prompter.asked == ["Discard your unsaved changes to this assessment?"]


def test_undo_and_redo_follow_the_store(qtbot, mini_store, relationship):
    """Two saves, then undo, undo, redo: the store's history follows each step; menu text names the edit."""
    stack = QUndoStack()
    for text in ("first", "second"):
        dialog = _editor(qtbot, mini_store, relationship, undo_stack=stack)
        _replace_text(qtbot, dialog.summary_edit, text)
        with qtbot.waitSignal(dialog.assessment_saved):
            _click(qtbot, dialog.save_button)

    def summaries():
        return [v.summary for v in mini_store.assessments.history(relationship.id)]

    assert summaries() == ["early", "late", "first", "second"]
    assert stack.undoText() == "save UN–EU assessment"
    assert stack.createUndoAction(stack, "&Undo").text() == "&Undo save UN–EU assessment"
    stack.undo()
    assert summaries() == ["early", "late", "first"]
    stack.undo()
    assert summaries() == ["early", "late"]
    stack.redo()
    assert summaries() == ["early", "late", "first"]
    stack.redo()
    assert summaries() == ["early", "late", "first", "second"]
    stack.undo()
    assert summaries() == ["early", "late", "first"]


def test_new_source_from_the_editor_is_citable_and_undoable(qtbot, mini_store, relationship):
    """New source… adds a source through its dialog, selects it for citing, and undo removes it."""
    stack = QUndoStack()
    dialog = _editor(qtbot, mini_store, relationship, undo_stack=stack)
    _click(qtbot, dialog.new_source_button)
    sources = dialog.source_dialog
    qtbot.keyClicks(sources.authors, "Haugevik, K. M.")
    qtbot.keyClicks(sources.year, "2007")
    _click(qtbot, sources.save_button)
    assert sources.error.text() == "Give the source its title." and sources.isVisible()
    qtbot.keyClicks(sources.title, "New partners, new possibilities")
    _click(qtbot, sources.save_button)
    assert not sources.isVisible()
    added = next(s for s in mini_store.sources.all() if s.key == "haugevik-2007")
    assert dialog.source_combo.currentData() == added.id
    assert stack.undoText() == "add source Haugevik (2007)"
    stack.undo()
    assert added.id not in [s.id for s in mini_store.sources.all()]
    stack.redo()
    assert added.id in [s.id for s in mini_store.sources.all()]


def test_citation_model_passes_the_model_tester(qtmodeltester, qtbot, mini_store, relationship):
    """The editor's citation model follows Qt's model contract."""
    dialog = _editor(qtbot, mini_store, relationship)
    qtmodeltester.check(dialog.citation_model)


CRASH_WORKER = Path(__file__).with_name("editor_crash_worker.py")


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    """The worker's next line of stdout, or "" when it says nothing within `timeout` seconds."""
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline().strip() if ready else ""


def test_draft_survives_a_crash(qtbot, mini_db_path):
    """A session SIGKILLed with its editor open, after the autosave, loses nothing: the next editor
    restores the typed rationale and says it did."""
    from db import Store

    process = subprocess.Popen(
        [sys.executable, str(CRASH_WORKER), str(mini_db_path), "typed before the crash"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        line = _read_line(process, timeout=60)
        assert line == "draft-saved", process.stderr.read() if process.poll() is not None else line
        assert process.poll() is None  # still running, editor open
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    with Store.open(mini_db_path, actor="tester") as restarted:
        relationship = restarted.quadrangle.relationships()[0]
        draft = restarted.drafts.load("assessment", relationship.id)
        assert draft is not None
        again = _editor(qtbot, restarted, relationship)
        assert again.rationale_edits[Motive.SHARED_VALUES].toPlainText() == "typed before the crash"
        assert again.draft_banner.isVisible() and "Restored your unsaved changes" in again.draft_label.text()
        again._settled = again.close()  # nothing typed here: closing writes no draft


def test_keyboard_adds_citations_and_saves(qtbot, mini_store, relationship):
    """Enter in the page field adds the citation (it does not save); the Ctrl+S shortcut saves."""
    dialog = _editor(qtbot, mini_store, relationship)
    qtbot.keyClicks(dialog.locator_edit, "7")
    qtbot.keyClick(dialog.locator_edit, Qt.Key.Key_Return)
    assert dialog.citation_model.rowCount() == 2 and dialog.isVisible()
    assert len(mini_store.assessments.history(relationship.id)) == 2
    # The offscreen platform gives pytest-qt no active window, so the shortcut is triggered directly.
    save = next(s for s in dialog.findChildren(QShortcut) if s.key().toString() == "Ctrl+S")
    with qtbot.waitSignal(dialog.assessment_saved) as saved:
        save.activated.emit()
    assert [c.locator for c in mini_store.assessments.get(saved.args[0]).citations] == ["49", "7"]


def test_the_source_list_shows_every_citable_source_and_follows_the_store(qtbot, default_store):
    """Each citable source is listed once, in the store's order, a long title shortened with the whole
    title as its tooltip; after a source is trashed and another added, a reload drops the one, lists
    the other and keeps the source the analyst had picked."""
    from db import SourceInput

    dialog = _editor(qtbot, default_store, default_store.quadrangle.relationships()[0])
    combo = dialog.source_combo

    def listed() -> list[str]:
        return [combo.itemData(i) for i in range(combo.count())]

    sources = default_store.sources.citable()
    assert listed() == [s.id for s in sources] and len(sources) > 20
    long = next(s for s in sources if len(s.title) > 60)
    row = combo.findData(long.id)
    assert combo.itemText(row) == f"{long.short} — {long.title[:57]}…"
    assert combo.itemData(row, Qt.ItemDataRole.ToolTipRole) == literal_tooltip(long.title)
    short = next(s for s in sources if len(s.title) <= 60)
    assert combo.itemText(combo.findData(short.id)) == f"{short.short} — {short.title}"

    picked, trashed = sources[5], sources[0]
    combo.setCurrentIndex(combo.findData(picked.id))
    default_store.sources.delete(trashed.id)
    added = default_store.sources.add(SourceInput(authors="Haugevik, K. M.", year="2007", title="New partners"))
    dialog.citations.reload_sources()
    assert listed() == [s.id for s in default_store.sources.citable()]
    assert trashed.id not in listed() and listed().count(added.id) == 1
    assert combo.currentData() == picked.id


def test_reversal_check_follows_versions_saved_meanwhile(qtbot, mini_store, relationship):
    """A start-up draft becomes a reversal as soon as someone records maintenance for a later date."""
    dialog = _editor(qtbot, mini_store, relationship)
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-2))
    dialog.phase_combo.setCurrentIndex(dialog.phase_combo.findData("start-up"))
    assert dialog.reversal_box.isVisible()  # maintenance since 2007 is in force
    mini_store.assessments.retract(mini_store.assessments.history(relationship.id)[-1].id)
    assert not dialog.reversal_box.isVisible() and dialog.save_button.isEnabled()
    mini_store.assessments.save(
        AssessmentInput(
            relationship_id=relationship.id,
            as_of=date(2020, 1, 1),
            phases=(Phase.MAINTENANCE,),
            confidence=Confidence.HIGH,
            summary="",
            motives=tuple(MotiveAssessment(m, 0) for m in Motive),
        )
    )
    assert dialog.reversal_box.isVisible() and not dialog.save_button.isEnabled()


def test_read_only_database_disables_saving(qtbot, mini_db_path):
    """On a database opened read-only the editor says so, Save stays disabled and no draft is attempted."""
    from db import Store

    with Store.open(mini_db_path, read_only=True) as store:
        relationship = store.quadrangle.relationships()[0]
        dialog = _editor(qtbot, store, relationship)
        qtbot.keyClicks(dialog.summary_edit, " more")
        dialog.save_draft_now()
        assert not dialog.save_button.isEnabled() and "read-only" in dialog.draft_label.text()
        assert dialog.status_label.text() == ""
        dialog.close()
