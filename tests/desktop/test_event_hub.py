"""The one event hub: a view that fails to refresh is logged and never turns a committed save into a failure."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from db import EventKind
from desktop.assessments.editor import AssessmentEditorDialog
from desktop.assessments.prompts import ScriptedPrompter
from desktop.events import StoreEvents


@pytest.fixture
def relationship(mini_store):
    return mini_store.quadrangle.relationships()[0]


def test_raising_listener_does_not_fail_a_save(qtbot, mini_store, relationship, caplog):
    """With a listener that raises on every change, saving through the editor still saves, shows no
    error, pushes the undo step and discards the draft; the failure is logged and later views still run."""
    events = StoreEvents(mini_store)
    seen: list[tuple[EventKind, tuple[str, ...]]] = []

    def broken_view(_kind, _ids):
        raise RuntimeError("this view cannot refresh")

    def broken_store_listener(_event):
        raise RuntimeError("neither can this one")

    events.listen(broken_view)
    mini_store.subscribe(broken_store_listener)
    events.listen(lambda kind, ids: seen.append((kind, ids)), EventKind.ASSESSMENTS)
    before = mini_store.assessments.history(relationship.id)
    stack = QUndoStack()
    prompter = ScriptedPrompter()
    reported: list[str] = []
    dialog = AssessmentEditorDialog(
        mini_store, events, relationship.id, undo_stack=stack, prompter=prompter, report=reported.append
    )
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.summary_edit.selectAll()
    qtbot.keyClicks(dialog.summary_edit, "Saved despite a broken view.")
    dialog.save_draft_now()
    assert mini_store.drafts.load("assessment", relationship.id) is not None

    with caplog.at_level(logging.ERROR), qtbot.waitSignal(dialog.assessment_saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    version = mini_store.assessments.get(saved.args[0])
    assert version.summary == "Saved despite a broken view."
    assert mini_store.assessments.history(relationship.id) == [*before, version]
    assert dialog.status_label.text() == "" and prompter.asked == [] and reported == []
    assert not dialog.isVisible()
    assert stack.count() == 1 and stack.canUndo()
    assert mini_store.drafts.load("assessment", relationship.id) is None
    assert any(kind is EventKind.ASSESSMENTS and version.id in ids for kind, ids in seen)
    messages = [r.getMessage() for r in caplog.records]
    assert any("view failed to refresh" in m for m in messages)
    assert any("listener failed" in m for m in messages)
    mini_store.unsubscribe(broken_store_listener)


def test_listen_filters_kinds_and_unlisten_stops(qtbot, mini_store):
    """A listener hears only the kinds it asked for, with EventKind values, and nothing once unlistened."""
    events = StoreEvents(mini_store)
    heard: list[EventKind] = []
    slot = events.listen(lambda kind, _ids: heard.append(kind), EventKind.LAYOUT)
    organization = mini_store.quadrangle.organizations()[0]
    mini_store.quadrangle.set_layout({organization.id: (10.0, 20.0)})
    assert heard == [EventKind.LAYOUT] and isinstance(heard[0], EventKind)
    events.unlisten(slot)
    events.unlisten(slot)  # twice is harmless
    mini_store.quadrangle.set_layout({organization.id: (30.0, 40.0)})
    assert heard == [EventKind.LAYOUT]
    events.detach()
