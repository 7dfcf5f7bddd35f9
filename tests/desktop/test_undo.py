"""The one undo command base (desktop/undo.py): pushing performs, undo and redo call the store, a
refused action is reported once and leaves nothing on the stack."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QUndoStack

from db import AssessmentInput, Confidence, Motive, MotiveAssessment, QuadrangleError
from desktop.assessments.commands import SaveAssessmentCommand
from desktop.lessons.commands import AddThemeCommand
from desktop.organizations.commands import AddOrganizationCommand
from desktop.undo import perform, perform_or_report


def _codes(store) -> set[str]:
    return {o.code for o in store.quadrangle.organizations()}


def test_push_performs_and_undo_redo_call_the_store(qtbot, mini_store):
    """Pushing the command adds the organization; undo removes it; redo adds it again."""
    stack = QUndoStack()
    messages: list[str] = []
    stack.push(AddOrganizationCommand(mini_store, "AU", "African Union", "regional", report=messages.append))
    assert "AU" in _codes(mini_store) and stack.count() == 1
    stack.undo()
    assert "AU" not in _codes(mini_store) and stack.canRedo()
    stack.redo()
    assert "AU" in _codes(mini_store) and stack.count() == 1
    assert messages == []


def test_perform_runs_once_and_undo_redo_follow_the_store(qtbot, mini_store):
    """`perform` saves the version once (not again on push); undo retracts it; redo records it again."""
    relationship = mini_store.quadrangle.relationships()[0]
    before = mini_store.assessments.history(relationship.id)
    draft = AssessmentInput(
        relationship_id=relationship.id,
        as_of=date.today(),
        phases=before[-1].phases,
        confidence=Confidence.HIGH,
        summary="Recorded through the undo stack.",
        motives=tuple(MotiveAssessment(m, 0) for m in Motive),
    )
    stack = QUndoStack()
    command = perform(stack, SaveAssessmentCommand(mini_store, draft, relationship.label))
    after = mini_store.assessments.history(relationship.id)
    assert len(after) == len(before) + 1 and after[-1].id == command.version_id
    assert stack.count() == 1 and stack.undoText() == f"save {relationship.label} assessment"
    stack.undo()
    assert mini_store.assessments.history(relationship.id) == before
    stack.redo()
    redone = mini_store.assessments.history(relationship.id)
    assert len(redone) == len(before) + 1 and redone[-1].id == command.version_id


def test_refused_action_leaves_the_stack_as_it_was_and_is_reported_once(qtbot, mini_store):
    """A taken code: the store refuses, one message, nothing pushed, and the redo step already there survives."""
    stack = QUndoStack()
    perform(stack, AddThemeCommand(mini_store, "Ammunition logistics"))
    stack.undo()
    assert stack.count() == 1 and stack.canRedo()
    messages: list[str] = []
    taken = next(iter(_codes(mini_store)))
    refused = AddOrganizationCommand(mini_store, taken, "A second one", "regional", report=messages.append)
    assert not perform_or_report(stack, refused, messages.append)
    assert len(messages) == 1 and refused.error == messages[0]
    assert stack.count() == 1 and stack.index() == 0 and stack.canRedo()
    with pytest.raises(QuadrangleError):
        perform(stack, AddOrganizationCommand(mini_store, taken, "A third one", "regional"))
    assert stack.count() == 1 and stack.index() == 0


def test_refused_push_leaves_nothing_on_an_empty_stack(qtbot, mini_store):
    """Pushed directly, a refused command is dropped by the stack and reported once."""
    stack = QUndoStack()
    messages: list[str] = []
    taken = next(iter(_codes(mini_store)))
    stack.push(AddOrganizationCommand(mini_store, taken, "Again", "regional", report=messages.append))
    assert stack.count() == 0 and not stack.canUndo()
    assert len(messages) == 1 and messages[0].startswith(f"Could not redo add organization {taken}:")


def test_undo_refused_later_drops_the_step_and_reports_once(qtbot, mini_store):
    """An undo the store refuses (the organization was removed behind the stack's back) is reported
    once and the step leaves the stack instead of being retried."""
    stack = QUndoStack()
    messages: list[str] = []
    command = perform(
        stack, AddOrganizationCommand(mini_store, "AU", "African Union", "regional", report=messages.append)
    )
    mini_store.quadrangle.remove_organization(command.organization_id)  # gone behind the stack's back
    stack.undo()
    assert len(messages) == 1 and messages[0].startswith("Could not undo add organization AU:")
    assert stack.count() == 0
