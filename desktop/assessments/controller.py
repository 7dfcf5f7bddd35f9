"""Wires the assessment feature into the main window: menu actions, shortcuts and open dialogs."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from desktop.assessments.prompts import Prompter
from desktop.qt_build import make_action

# The dialogs are imported when first opened: installing the menus must not delay the first paint.
if TYPE_CHECKING:
    from desktop.assessments.compare import CompareDialog
    from desktop.assessments.editor import AssessmentEditorDialog
    from desktop.assessments.history import HistoryDialog
    from desktop.assessments.preferences import PreferencesDialog
    from desktop.assessments.reversals import ReversalsDialog
    from desktop.audit.view import AuditLogDialog

NO_SELECTION = "Select a relationship in the table or diagram first."
DialogT = TypeVar("DialogT", bound=QDialog)


class AssessmentsController(QObject):
    """Owns the feature's actions and keeps one editor / history window per relationship.

    `prompter` answers every confirmation of the windows it opens (tests replace it).
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.prompter = Prompter()
        self.editors: dict[str, AssessmentEditorDialog] = {}
        self.histories: dict[str, HistoryDialog] = {}
        self.reversals_dialog: ReversalsDialog | None = None
        self.audit_dialog: AuditLogDialog | None = None
        self.last_dialog: QDialog | None = None

        self.preferences_action = make_action(
            "&Preferences…", window, shortcut=QKeySequence("Ctrl+,"), triggered=self.open_preferences
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        quit_action = next((a for a in window.file_menu.actions() if a.menuRole() == QAction.MenuRole.QuitRole), None)
        if quit_action is not None:
            window.file_menu.insertAction(quit_action, self.preferences_action)
            window.file_menu.insertSeparator(quit_action)
        else:
            window.file_menu.addAction(self.preferences_action)

        self.edit_action = make_action(
            "&Edit assessment…",
            window,
            shortcut=QKeySequence("Ctrl+E"),
            triggered=lambda: self._with_selection(self.open_editor),
        )
        window.edit_menu.addSeparator()
        window.edit_menu.addAction(self.edit_action)

        self.history_action = make_action(
            "&History…",
            window,
            shortcut=QKeySequence("Ctrl+H"),
            triggered=lambda: self._with_selection(self.open_history),
        )
        self.compare_action = make_action(
            "&Compare…", window, triggered=lambda: self._with_selection(self.open_compare)
        )
        self.reversals_action = make_action("Re&versals", window, triggered=self.open_reversals)
        self.audit_action = make_action("&Audit log", window, triggered=self.open_audit_log)
        window.view_menu.addSeparator()
        for action in (self.history_action, self.compare_action, self.reversals_action, self.audit_action):
            window.view_menu.addAction(action)

        window.relationship_activated.connect(self.open_editor)

    def report(self, message: str) -> None:
        """Tell the analyst about a failed undo/redo step (the step was dropped from the stack)."""
        self.window.statusBar().showMessage(message, 10000)

    def _with_selection(self, opener) -> None:
        relationship_id = self.window.selected_relationship_id()
        if relationship_id is None:
            self.window.statusBar().showMessage(NO_SELECTION, 5000)
            return
        opener(relationship_id)

    def _show(self, dialog: DialogT, *, modal: bool = False) -> DialogT:
        # Editing dialogs are window-modal (open()); views stay modeless beside the main window.
        self.last_dialog = dialog
        if modal:
            dialog.open()
        else:
            dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_editor(self, relationship_id: str) -> AssessmentEditorDialog:
        from desktop.assessments.editor import AssessmentEditorDialog

        editor = self.editors.get(relationship_id)
        if editor is None or not editor.isVisible():
            editor = AssessmentEditorDialog(
                self.window.store,
                self.window.events,
                relationship_id,
                undo_stack=self.window.undo_stack,
                prompter=self.prompter,
                report=self.report,
                parent=self.window,
            )
            editor.finished.connect(lambda _: self.editors.pop(relationship_id, None))
            editor.finished.connect(lambda _: editor.deleteLater())
            self.editors[relationship_id] = editor
        return self._show(editor, modal=True)

    def open_history(self, relationship_id: str) -> HistoryDialog:
        from desktop.assessments.history import HistoryDialog

        history = self.histories.get(relationship_id)
        if history is None or not history.isVisible():
            history = HistoryDialog(
                self.window.store,
                self.window.events,
                relationship_id,
                undo_stack=self.window.undo_stack,
                prompter=self.prompter,
                report=self.report,
                parent=self.window,
            )
            history.compare_requested.connect(
                lambda before, after, rid=relationship_id: self.open_compare(rid).compare_versions(before, after)
            )
            history.compare_dates_requested.connect(self._open_compare_dates)
            history.edit_requested.connect(self.open_editor)
            history.finished.connect(lambda _: self.histories.pop(relationship_id, None))
            history.finished.connect(lambda _: history.deleteLater())
            self.histories[relationship_id] = history
        return self._show(history)

    def _open_compare_dates(self, relationship_id: str) -> None:
        dialog = self.open_compare(relationship_id)
        dialog.dates_radio.setChecked(True)

    def open_compare(self, relationship_id: str) -> CompareDialog:
        from desktop.assessments.compare import CompareDialog

        dialog = CompareDialog(self.window.store, self.window.events, relationship_id, parent=self.window)
        dialog.finished.connect(lambda _: dialog.deleteLater())
        return self._show(dialog)

    def open_reversals(self) -> ReversalsDialog:
        from desktop.assessments.reversals import ReversalsDialog

        if self.reversals_dialog is None or not self.reversals_dialog.isVisible():
            self.reversals_dialog = ReversalsDialog(self.window.store, self.window.events, parent=self.window)
            self.reversals_dialog.history_requested.connect(self.open_history)
        return self._show(self.reversals_dialog)

    def open_audit_log(self) -> AuditLogDialog:
        from desktop.audit.view import AuditLogDialog

        if self.audit_dialog is None or not self.audit_dialog.isVisible():
            self.audit_dialog = AuditLogDialog(self.window.store, self.window.events, parent=self.window)
        return self._show(self.audit_dialog)

    def open_preferences(self) -> PreferencesDialog:
        from desktop.assessments.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.window.store, self.window.settings, parent=self.window)
        dialog.accepted.connect(self.window.refresh)  # a new review interval changes every mark
        dialog.finished.connect(lambda _: dialog.deleteLater())
        return self._show(dialog, modal=True)
