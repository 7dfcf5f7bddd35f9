"""The assessment feature inside the main window: menus, shortcuts, activation, undo texts, preferences."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from db import default_actor
from desktop.assessments.prompts import ScriptedPrompter
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


@pytest.fixture
def window(qtbot, mini_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(mini_store, settings, StoreEvents(mini_store))
    qtbot.addWidget(window)
    window.show()
    window.assessments.prompter = ScriptedPrompter()
    return window


def _texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_menus_hold_the_assessment_actions(window):
    """Edit, View and File menus offer the feature's actions with their shortcuts."""
    assert "&Edit assessment…" in _texts(window.edit_menu)
    assert {"&History…", "&Compare…", "Re&versals", "&Audit log"} <= set(_texts(window.view_menu))
    assert _texts(window.file_menu)[-2:] == ["&Preferences…", "&Quit"]
    controller = window.assessments
    assert controller.edit_action.shortcut().toString() == "Ctrl+E"
    assert controller.history_action.shortcut().toString() == "Ctrl+H"
    assert controller.preferences_action.shortcut().toString() == "Ctrl+,"


def test_activating_a_relationship_opens_its_editor_and_undo_names_the_save(qtbot, window, mini_store):
    """Double-clicking the table opens the editor; after Save, Edit > Undo reads "Undo save UN–EU assessment"."""
    view = window.comparison_view
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    rel = mini_store.quadrangle.relationships()[0]
    editor = window.assessments.editors[rel.id]
    assert editor.isVisible()
    editor.summary_edit.selectAll()
    qtbot.keyClicks(editor.summary_edit, "From the main window")
    with qtbot.waitSignal(editor.assessment_saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert window.undo_action.text() == "&Undo save UN–EU assessment"
    window.undo_action.trigger()
    assert [v.summary for v in mini_store.assessments.history(rel.id)] == ["early", "late"]
    assert window.redo_action.text() == "&Redo save UN–EU assessment"
    window.redo_action.trigger()
    assert mini_store.assessments.history(rel.id)[-1].summary == "From the main window"


def test_actions_use_the_selected_relationship(qtbot, window, mini_store):
    """Without a selection the actions explain what to do; with one, History opens for it."""
    window.comparison_view.clearSelection()
    window.comparison_view.setCurrentIndex(window.comparison_view.model().index(-1, -1))
    window.assessments.history_action.trigger()
    assert window.statusBar().currentMessage() == "Select a relationship in the table or diagram first."
    window.comparison_view.selectRow(0)
    window.assessments.history_action.trigger()
    rel = mini_store.quadrangle.relationships()[0]
    assert window.assessments.histories[rel.id].isVisible()
    window.assessments.reversals_action.trigger()
    assert window.assessments.reversals_dialog.isVisible()
    window.assessments.audit_action.trigger()
    assert window.assessments.audit_dialog.model.rowCount() >= 1


def test_preferences_set_the_analyst_name(qtbot, window, mini_store):
    """The name typed in Preferences is saved in the settings and used as the author of new versions."""
    dialog = window.assessments.open_preferences()
    qtbot.keyClicks(dialog.analyst_edit, "  Kristin   Haugevik ")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert window.settings.analyst_name == "Kristin Haugevik" and mini_store.actor == "Kristin Haugevik"
    dialog = window.assessments.open_preferences()
    dialog.analyst_edit.clear()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert mini_store.actor == default_actor()


def test_an_undo_the_store_refuses_is_reported_and_dropped(qtbot, window, mini_store):
    """Undoing a save that a later restore depends on is refused: the status bar says why, the step is dropped."""
    rel = mini_store.quadrangle.relationships()[0]
    editor = window.assessments.open_editor(rel.id)
    editor.summary_edit.selectAll()
    qtbot.keyClicks(editor.summary_edit, "to be restored")
    with qtbot.waitSignal(editor.assessment_saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    mini_store.history.restore_version(saved.args[0])  # made outside this window's undo stack
    window.undo_action.trigger()
    assert window.statusBar().currentMessage() == (
        "Could not undo save UN–EU assessment: A later version restores this one: it cannot be retracted."
    )
    assert window.undo_stack.count() == 0
    assert saved.args[0] in [v.id for v in mini_store.assessments.history(rel.id)]


def test_history_opens_compare_and_editor(qtbot, window, mini_store):
    """From the history window, Compare selected and Edit assessment open the right windows."""
    rel = mini_store.quadrangle.relationships()[0]
    first, second = mini_store.assessments.history(rel.id)
    history = window.assessments.open_history(rel.id)
    history.compare_requested.emit(first.id, second.id)
    compare = window.assessments.last_dialog
    assert compare.before_combo.currentData() == first.id and compare.after_combo.currentData() == second.id
    assert compare.model.diff.field("phase").changed
    qtbot.mouseClick(history.compare_dates_button, Qt.MouseButton.LeftButton)
    assert window.assessments.last_dialog.dates_radio.isChecked()
    qtbot.mouseClick(history.edit_button, Qt.MouseButton.LeftButton)
    assert window.assessments.editors[rel.id].isVisible()


def test_no_two_actions_share_a_shortcut(window):
    """Every shortcut in the window reaches exactly one action (an ambiguous one fires neither)."""
    from PySide6.QtGui import QAction

    shortcuts = [a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), sorted(s for s in shortcuts if shortcuts.count(s) > 1)
    assert window.assessments.edit_action.shortcut().toString() == "Ctrl+E"
