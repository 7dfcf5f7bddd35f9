"""Help for the analyst: the user guide (F1), the keyboard shortcuts list, and Ctrl+F going to the
current window's search, plugged into the main window by `install_help(window)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

if TYPE_CHECKING:
    from desktop.help.shortcuts import ShortcutsDialog
    from desktop.help.window import HelpWindow
    from desktop.main_window import MainWindow


def search_field(window: QWidget) -> QLineEdit | None:
    """The window's search field: the first visible line edit named like a search or a filter."""
    for edit in window.findChildren(QLineEdit):
        name = edit.objectName().lower()
        if ("search" in name or "filter" in name) and edit.isVisibleTo(window) and edit.window() is window:
            return edit
    return None


class HelpFeature:
    """The Help menu's guide and shortcuts, and Edit > Find (application-wide Ctrl+F)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.help_window: HelpWindow | None = None
        self.guide_action = QAction("&User guide", window)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        # F1 opens the guide from every window, not only the main one.
        self.guide_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.guide_action.triggered.connect(self.show_guide)
        self.shortcuts_action = QAction("&Keyboard shortcuts", window)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.find_action = QAction("&Find", window)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: self.focus_search(self.window))
        # About stays first in the Help menu (the platform moves it on macOS anyway).
        window.help_menu.addSeparator()
        window.help_menu.addActions([self.guide_action, self.shortcuts_action])
        window.edit_menu.addSeparator()
        window.edit_menu.addAction(self.find_action)
        # Every other window gets Ctrl+F too, unless it has its own Find (the lessons browser): an
        # application-wide shortcut would be ambiguous there and do nothing. Added when a window first
        # takes the focus (a signal, so no event filter sits on every event of the application).
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusWindowChanged.connect(self._window_focused)

    def _window_focused(self, _focus_window) -> None:
        widget = QApplication.activeWindow()
        if widget is None or widget is self.window or widget.property("quadrangleFind"):
            return
        widget.setProperty("quadrangleFind", True)
        find = QKeySequence(QKeySequence.StandardKey.Find)
        has_own = any(find in a.shortcuts() for a in widget.findChildren(QAction)) or any(
            s.key() == find for s in widget.findChildren(QShortcut)
        )
        if not has_own:
            QShortcut(find, widget, lambda w=widget: self.focus_search(w))

    def show_guide(self) -> HelpWindow:
        """Open (or raise) the user guide window; returns it so tests can drive it."""
        from desktop.help.window import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self.window)
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()
        return self.help_window

    def show_shortcuts(self) -> ShortcutsDialog:
        from desktop.help.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self.window.menuBar(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def focus_search(self, target: QWidget | None) -> QLineEdit | None:
        """Put the cursor in `target`'s search field; the main window's search is the lessons browser's."""
        target = target or self.window
        edit = search_field(target)
        if edit is None and target is self.window and hasattr(self.window, "lessons_feature"):
            browser = self.window.lessons_feature.show_browser()
            edit = search_field(browser)
        if edit is not None:
            edit.window().activateWindow()
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            edit.selectAll()
        return edit


def install_help(window: MainWindow) -> HelpFeature:
    feature = HelpFeature(window)
    setattr(window, "help_feature", feature)  # noqa: B010 - a feature's handle on the window, as the others
    return feature
