"""Citations per motive in the assessment editor, driven through its widgets: adding one to "resource
dependence", saving, reopening, drafts, undo, the history pane and the version comparison."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from db import Motive, SourceInput
from desktop.assessments.compare import CHANGED_ROLE, FIELD_KEY_ROLE, CompareDialog
from desktop.assessments.editor import AssessmentEditorDialog
from desktop.assessments.history import version_details
from desktop.events import StoreEvents

RESOURCES = Motive.RESOURCE_DEPENDENCE


@pytest.fixture
def relationship(mini_store):
    return mini_store.quadrangle.relationships()[0]


@pytest.fixture
def haugevik(mini_store):
    return mini_store.sources.add(SourceInput(authors="Haugevik, K. M.", year="2007", title="New partners"))


def _editor(qtbot, store, relationship, **kwargs) -> AssessmentEditorDialog:
    dialog = AssessmentEditorDialog(store, StoreEvents(store), relationship.id, **kwargs)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _cite_on_resources(qtbot, dialog, words: str, page: str) -> None:
    """Unfold the motive's citations, pick the source by typing in the picker, give the page, add."""
    widget = dialog.citations.motives[RESOURCES]
    if not widget.toggle.isChecked():
        _click(qtbot, widget.toggle)
    panel = dialog.motive_citations(RESOURCES)
    assert panel.isVisible()
    line = panel.source_combo.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, words)
    line.editingFinished.emit()  # leaving the field chooses the one matching source
    qtbot.keyClicks(panel.locator_edit, page)
    _click(qtbot, panel.add_citation_button)


def _shown_rows(panel) -> list[tuple[str, str]]:
    model = panel.citation_model
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def test_a_citation_added_to_resource_dependence_is_saved_and_shown_again(qtbot, mini_store, relationship, haugevik):
    """Cite Haugevik p. 12 under "resource dependence", save, reopen: it is listed there, not under the whole assessment."""
    dialog = _editor(qtbot, mini_store, relationship)
    whole_before = _shown_rows(dialog.citations_box)
    _cite_on_resources(qtbot, dialog, "haugevik 2007", "12")
    with qtbot.waitSignal(dialog.assessment_saved) as saved:
        _click(qtbot, dialog.save_button)
    record = mini_store.assessments.get(saved.args[0])
    assert [(c.source_id, c.locator) for c in record.motive_citations(RESOURCES)] == [(haugevik.id, "12")]
    assert [c.source_id for c in record.whole_citations] == [c.source_id for c in record.citations if not c.motive]
    reopened = _editor(qtbot, mini_store, relationship)
    reopened.show()
    assert _shown_rows(reopened.motive_citations(RESOURCES)) == [("Haugevik (2007)", "12")]
    assert reopened.motive_citations(RESOURCES).isVisible()  # unfolded: the motive has citations
    assert reopened.citations.motives[RESOURCES].toggle.text() == "Citations for resource dependence (1)"
    assert _shown_rows(reopened.citations_box) == whole_before
    assert _shown_rows(reopened.motive_citations(Motive.SHARED_VALUES)) == []


def test_removing_a_motive_citation_leaves_the_new_version_without_it(qtbot, mini_store, relationship, haugevik):
    """Remove citation in a motive's panel drops it from the next version."""
    dialog = _editor(qtbot, mini_store, relationship)
    _cite_on_resources(qtbot, dialog, "haugevik", "3")
    with qtbot.waitSignal(dialog.assessment_saved):
        _click(qtbot, dialog.save_button)
    dialog = _editor(qtbot, mini_store, relationship)
    panel = dialog.motive_citations(RESOURCES)
    panel.citations_view.selectRow(0)
    _click(qtbot, panel.remove_citation_button)
    with qtbot.waitSignal(dialog.assessment_saved) as saved:
        _click(qtbot, dialog.save_button)
    assert mini_store.assessments.get(saved.args[0]).motive_citations(RESOURCES) == ()


def test_a_draft_keeps_the_motive_citations(qtbot, mini_store, relationship, haugevik):
    """Closing without saving keeps the motive citation in the draft; the next editor restores it there."""
    dialog = _editor(qtbot, mini_store, relationship)
    _cite_on_resources(qtbot, dialog, "haugevik", "7")
    _click(qtbot, dialog.close_button)
    draft = mini_store.drafts.load("assessment", relationship.id)
    assert draft.payload["motive_citations"][RESOURCES.value] == [[haugevik.id, "7", ""]]
    reopened = _editor(qtbot, mini_store, relationship)
    assert _shown_rows(reopened.motive_citations(RESOURCES)) == [("Haugevik (2007)", "7")]
    assert reopened.draft_banner.isVisibleTo(reopened)


def test_an_old_draft_without_motive_citations_still_opens(qtbot, mini_store, relationship):
    """A draft written before motives had citations restores its whole-assessment citations and no motive ones."""
    dialog = _editor(qtbot, mini_store, relationship)
    payload = dialog.form_payload()
    del payload["motive_citations"]
    payload["summary"] = "from an older draft"
    mini_store.drafts.save("assessment", relationship.id, payload)
    reopened = _editor(qtbot, mini_store, relationship)
    assert reopened.summary_edit.toPlainText() == "from an older draft"
    assert all(not _shown_rows(reopened.motive_citations(m)) for m in Motive)


def test_undo_and_redo_of_a_save_keep_the_motive_citations(qtbot, mini_store, relationship, haugevik):
    """Undo retracts the version with its motive citations; redo records them again under the motive."""
    stack = QUndoStack()
    dialog = _editor(qtbot, mini_store, relationship, undo_stack=stack)
    _cite_on_resources(qtbot, dialog, "haugevik", "5")
    with qtbot.waitSignal(dialog.assessment_saved):
        _click(qtbot, dialog.save_button)

    def cited():
        latest = mini_store.assessments.history(relationship.id)[-1]
        return [(c.source_id, c.locator) for c in latest.motive_citations(RESOURCES)]

    assert cited() == [(haugevik.id, "5")]
    stack.undo()
    assert cited() == []
    stack.redo()
    assert cited() == [(haugevik.id, "5")]


def test_new_source_from_a_motive_panel_is_chosen_there(qtbot, mini_store, relationship):
    """New source… in a motive's panel selects the new source in that panel, for citing at once."""
    dialog = _editor(qtbot, mini_store, relationship, undo_stack=QUndoStack())
    _click(qtbot, dialog.citations.motives[RESOURCES].toggle)
    panel = dialog.motive_citations(RESOURCES)
    _click(qtbot, panel.new_source_button)
    sources = dialog.source_dialog
    qtbot.keyClicks(sources.authors, "Tardy, T.")
    qtbot.keyClicks(sources.year, "2009")
    qtbot.keyClicks(sources.title, "The European Union and the United Nations")
    _click(qtbot, sources.save_button)
    added = next(s for s in mini_store.sources.all() if s.key == "tardy-2009")
    assert panel.source_combo.currentData() == added.id


def test_the_history_pane_and_the_comparison_show_motive_citations(qtbot, mini_store, relationship, haugevik):
    """The version's details list the citation under its motive and the comparison highlights that motive's citations."""
    before = mini_store.assessments.history(relationship.id)[-1]
    dialog = _editor(qtbot, mini_store, relationship)
    _cite_on_resources(qtbot, dialog, "haugevik", "12")
    with qtbot.waitSignal(dialog.assessment_saved) as saved:
        _click(qtbot, dialog.save_button)
    after = mini_store.assessments.get(saved.args[0])
    details = version_details(after, {})
    assert "  Resource dependence: citations: Haugevik (2007: 12)" in details.splitlines()
    compare = CompareDialog(mini_store, StoreEvents(mini_store), relationship.id)
    qtbot.addWidget(compare)
    compare.open()
    compare.before_combo.setCurrentIndex(compare.before_combo.findData(before.id))
    compare.after_combo.setCurrentIndex(compare.after_combo.findData(after.id))
    model = compare.table.model()
    changed = {
        model.index(r, 0).data(FIELD_KEY_ROLE): (model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(model.rowCount())
        if model.index(r, 0).data(CHANGED_ROLE)
    }
    assert changed["resource_dependence.citations"] == ("", "Haugevik (2007: 12)")
    assert "citations" not in changed
