"""The lessons feature wired into a main window: menus, the browser, editor, trash and theme
overview, the operations view and the sources library, with every edit on the window's undo stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from db import EventKind, LessonInput, QuadrangleError
from desktop.lessons.commands import (
    AddLessonCommand,
    AddThemeCommand,
    DeleteLessonCommand,
    EditLessonCommand,
    RestoreLessonCommand,
)
from desktop.qt_build import make_action
from desktop.secondary import install_secondary_chrome
from desktop.undo import perform, perform_or_report

if TYPE_CHECKING:
    from db import Store
    from desktop.events import StoreEvents
    from desktop.lessons.browser import LessonsBrowser
    from desktop.lessons.editor import LessonDialog
    from desktop.lessons.theme_overview import ThemeOverviewWidget
    from desktop.lessons.trash import LessonTrashWidget
    from desktop.operations.window import OperationsWindow
    from desktop.settings import AppSettings
    from desktop.sources.window import SourcesWindow

WidgetT = TypeVar("WidgetT", bound=QWidget)

REFRESHING_KINDS = (
    EventKind.LESSONS,
    EventKind.THEMES,
    EventKind.OPERATIONS,
    EventKind.SOURCES,
    EventKind.COOPERATION,
    EventKind.ORGANIZATIONS,
)


class LessonsFeature(QObject):
    """Owns the lessons, operations and sources windows of one main window (created on first use).

    `confirm(question) -> bool` and `inform(message)` are the prompts; tests replace them.
    """

    actions: dict[str, QAction]  # the menu actions, set by install_lessons

    def __init__(
        self,
        store: Store,
        events: StoreEvents,
        undo_stack: QUndoStack,
        parent: QWidget,
        *,
        selected_relationship: Callable[[], str | None] = lambda: None,
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store = store
        self.undo_stack = undo_stack
        self.parent_widget = parent
        self.selected_relationship = selected_relationship
        self._browser: LessonsBrowser | None = None
        self._overview: ThemeOverviewWidget | None = None
        self._trash: LessonTrashWidget | None = None
        self._operations: OperationsWindow | None = None
        self._sources: SourcesWindow | None = None
        self.dialogs: list[QWidget] = []
        self.editors: dict[str, LessonDialog] = {}  # lesson id -> its open editor
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.refresh_windows)
        events.listen(self._store_changed, *REFRESHING_KINDS)

    # -- prompts (replaceable) -------------------------------------------------------------------

    def confirm(self, question: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Quadrangle",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self.parent_widget,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box.exec() == QMessageBox.StandardButton.Yes

    def inform(self, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "Quadrangle", message, QMessageBox.StandardButton.Ok, self.parent_widget
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    # -- windows -------------------------------------------------------------------------------

    def browser(self) -> LessonsBrowser:
        if self._browser is None:
            from desktop.lessons.browser import LessonsBrowser  # its style and delegates: on first use

            self._browser = LessonsBrowser(self.store, self.parent_widget)
            self._browser.add_requested.connect(
                lambda: self.add_lesson(relationship_id=self._browser.filters().relationship_id)
            )
            self._browser.edit_requested.connect(self.edit_lesson)
            self._browser.delete_requested.connect(self.delete_lessons)
            self._browser.trash_requested.connect(self.show_trash)
            self._chrome(self._browser, "lessonsBrowser")
        return self._browser

    def show_browser(self) -> LessonsBrowser:
        return self._raise(self.browser())

    def theme_overview(self) -> ThemeOverviewWidget:
        if self._overview is None:
            from desktop.lessons.theme_overview import ThemeOverviewWidget

            self._overview = ThemeOverviewWidget(self.store, self.parent_widget)
            self._overview.cell_activated.connect(self.show_cell)
            self._chrome(self._overview, "themeOverview")
        return self._overview

    def show_theme_overview(self) -> ThemeOverviewWidget:
        return self._raise(self.theme_overview())

    def show_cell(self, theme_key: str, relationship_id: str) -> None:
        """The theme overview's click: the browser filtered to that theme (and relationship)."""
        browser = self.show_browser()
        browser.set_filters(theme_key=theme_key, relationship_id=relationship_id or None, text="")

    def show_operation_lessons(self, operation_id: str) -> None:
        self.show_browser().set_filters(operation_id=operation_id, text="")

    def trash(self) -> LessonTrashWidget:
        if self._trash is None:
            from desktop.lessons.trash import LessonTrashWidget

            self._trash = LessonTrashWidget(self.store, self.parent_widget)
            self._trash.restore_requested.connect(self.restore_lessons)
            self._trash.purge_requested.connect(self.purge_lessons)
            self._chrome(self._trash, "lessonTrash")
        return self._trash

    def show_trash(self) -> LessonTrashWidget:
        return self._raise(self.trash())

    def operations_window(self) -> OperationsWindow:
        if self._operations is None:
            from desktop.operations.window import OperationsWindow

            self._operations = OperationsWindow(self.store, self.undo_stack, self.parent_widget, feature=self)
            self._chrome(self._operations, "operations")
        return self._operations

    def show_operations(self) -> OperationsWindow:
        return self._raise(self.operations_window())

    def sources_window(self) -> SourcesWindow:
        if self._sources is None:
            from desktop.sources.window import SourcesWindow

            self._sources = SourcesWindow(self.store, self.undo_stack, self.parent_widget, feature=self)
            self._chrome(self._sources, "sources")
        return self._sources

    def show_sources(self) -> SourcesWindow:
        return self._raise(self.sources_window())

    def _chrome(self, window: QWidget, name: str) -> None:
        window.chrome = install_secondary_chrome(window, name, self.undo_stack, self.settings)  # type: ignore[attr-defined]

    @staticmethod
    def _raise(widget: WidgetT) -> WidgetT:
        widget.show()
        widget.raise_()
        widget.activateWindow()
        return widget

    def _store_changed(self, _kind: EventKind, _ids: tuple[str, ...] = ()) -> None:
        self._refresh_timer.start()

    def refresh_windows(self) -> None:
        """Reload every open window of the feature from the store."""
        for widget in (self._browser, self._overview, self._trash, self._operations, self._sources):
            if widget is not None:
                widget.refresh()

    # -- lesson actions ----------------------------------------------------------------------------

    def add_lesson(self, relationship_id: str | None = None, operation_id: str | None = None) -> LessonDialog:
        """Open the editor for a new lesson, pre-filled with the relationship and/or operation."""
        if relationship_id is None and operation_id is None:
            relationship_id = self.selected_relationship()

        def save(draft: LessonInput, _revision) -> None:
            record = perform(self.undo_stack, AddLessonCommand(self.store, draft, self.inform)).record
            assert record is not None  # performed
            self._select_in_browser(record.id)

        from desktop.lessons.editor import LessonDialog  # loaded with the first editor, not at start-up

        return self._open_dialog(
            LessonDialog(
                self.store,
                save,
                self._dialog_parent(),
                relationship_id=relationship_id,
                operation_id=operation_id,
                add_theme=self.add_theme,
            )
        )

    def edit_lesson(self, lesson_id: str) -> LessonDialog | None:
        """Open the editor of `lesson_id`, or raise the one already open (one editor per lesson, so
        two editors of one lesson never make the analyst's second save conflict with the first)."""
        open_editor = self.editors.get(lesson_id)
        if open_editor is not None:
            return self._raise(open_editor)
        try:
            lesson = self.store.lessons.get(lesson_id)
        except QuadrangleError as exc:
            self.inform(str(exc))
            return None

        def save(draft: LessonInput, revision: int | None) -> None:
            assert revision is not None  # the dialog of an existing lesson always holds its revision
            perform(self.undo_stack, EditLessonCommand(self.store, lesson_id, draft, revision, self.inform))

        from desktop.lessons.editor import LessonDialog

        editor = LessonDialog(self.store, save, self._dialog_parent(), lesson=lesson, add_theme=self.add_theme)
        self.editors[lesson_id] = editor
        editor.destroyed.connect(lambda *_: self.editors.pop(lesson_id, None))
        editor.finished.connect(lambda *_: self.editors.pop(lesson_id, None))
        return self._open_dialog(editor)

    def add_theme(self, name: str) -> str:
        theme = perform(self.undo_stack, AddThemeCommand(self.store, name, self.inform)).theme
        assert theme is not None  # performed
        return theme.key

    def delete_lessons(self, lesson_ids: list[str]) -> None:
        """Move lessons to the trash (one undo step for the lot)."""
        if len(lesson_ids) > 1:
            self.undo_stack.beginMacro(f"Delete {len(lesson_ids)} lessons")
        try:
            for lesson_id in lesson_ids:
                perform_or_report(self.undo_stack, DeleteLessonCommand(self.store, lesson_id, self.inform), self.inform)
        finally:
            if len(lesson_ids) > 1:
                self.undo_stack.endMacro()

    def restore_lessons(self, lesson_ids: list[str]) -> None:
        for lesson_id in lesson_ids:
            perform_or_report(self.undo_stack, RestoreLessonCommand(self.store, lesson_id, self.inform), self.inform)

    def purge_lessons(self, lesson_ids: list[str]) -> None:
        """Destroy trashed lessons after an explicit confirmation; this cannot be undone."""
        count = len(lesson_ids)
        if not self.confirm(f"Delete {count} lesson{'s' if count != 1 else ''} for good? This cannot be undone."):
            return
        for lesson_id in lesson_ids:
            try:
                self.store.lessons.purge(lesson_id)
            except QuadrangleError as exc:
                self.inform(str(exc))
        # Undo steps that still name a destroyed lesson report "no longer exists" and drop out of
        # the stack (StoreCommand marks them obsolete); the rest of the window's history is kept.

    def _dialog_parent(self) -> QWidget:
        return self._browser if self._browser is not None and self._browser.isVisible() else self.parent_widget

    def _open_dialog(self, dialog: LessonDialog) -> LessonDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.dialogs.remove(dialog) if dialog in self.dialogs else None)
        dialog.open()
        return dialog

    def _select_in_browser(self, lesson_id: str) -> None:
        if self._browser is not None:
            self._browser.refresh()
            self._browser.select_lesson(lesson_id)


def install_lessons(window) -> LessonsFeature:
    """Add the Lessons menu (browser Ctrl+L, operations, sources, theme overview, trash, "Add
    lesson...") to a main window with `store`, `undo_stack` and `selected_relationship_id()`."""
    feature = LessonsFeature(
        window.store,
        window.events,
        window.undo_stack,
        window,
        selected_relationship=getattr(window, "selected_relationship_id", lambda: None),
        settings=getattr(window, "settings", None),
    )
    window.lessons_feature = feature
    menu = window.menuBar().addMenu("&Lessons")
    help_menu = getattr(window, "help_menu", None)
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    actions = {
        "browser": make_action(
            "Lessons &browser", window, shortcut=QKeySequence("Ctrl+L"), triggered=feature.show_browser
        ),
        "add": make_action(
            "&Add lesson…", window, shortcut=QKeySequence("Ctrl+Shift+L"), triggered=lambda: feature.add_lesson()
        ),
        "overview": make_action("&Theme overview", window, triggered=feature.show_theme_overview),
        "operations": make_action("&Operations", window, triggered=feature.show_operations),
        "sources": make_action("&Sources library", window, triggered=feature.show_sources),
        "trash": make_action("T&rash", window, triggered=feature.show_trash),
    }
    for name, action in actions.items():
        action.setObjectName(f"lessons_{name}")
    menu.addAction(actions["add"])
    menu.addSeparator()
    for name in ("browser", "overview", "operations", "sources", "trash"):
        menu.addAction(actions[name])
    view_menu = getattr(window, "view_menu", None)
    if view_menu is not None:
        view_menu.addSeparator()
        for name in ("browser", "overview", "operations", "sources", "trash"):
            view_menu.addAction(actions[name])
    panel = getattr(window, "detail_panel", None)
    if panel is not None and hasattr(panel, "add_action"):
        panel.add_action(actions["add"])
    if panel is not None and hasattr(panel, "lesson_activated"):
        panel.lesson_activated.connect(feature.edit_lesson)
    feature.actions = actions
    return feature


__all__ = ["LessonsFeature", "install_lessons"]
