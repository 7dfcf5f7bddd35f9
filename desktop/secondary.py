"""What every secondary window (lessons browser, trash, theme overview, operations, sources) has: an
Edit menu reaching the one undo history, a Close button, Esc / Ctrl+W to close, its geometry
remembered between runs, and an empty state over a table that has no rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMenuBar,
    QVBoxLayout,
    QWidget,
)

from desktop.captions import make_caption

if TYPE_CHECKING:
    from desktop.settings import AppSettings


class SecondaryWindowChrome(QObject):
    """Installed on `window` (a top-level QWidget with a layout) by `install_secondary_chrome`.

    Keeps `undo_action`, `redo_action`, `close_action`, `close_button` and `menu_bar`; saves the
    window's geometry under `name` when it is hidden or closed, and restores it on its first show.
    """

    def __init__(self, window: QWidget, name: str, undo_stack: QUndoStack | None, settings: AppSettings | None) -> None:
        super().__init__(window)
        self.window = window
        self.name = name
        self.settings = settings
        self._restored = False
        self.menu_bar = QMenuBar(window)
        self.menu_bar.setObjectName("secondaryMenuBar")
        edit_menu = self.menu_bar.addMenu("&Edit")
        self.undo_action: QAction | None = None
        self.redo_action: QAction | None = None
        if undo_stack is not None:
            # The same stack's actions in every window: Ctrl+Z here undoes the analyst's last step,
            # made in whichever window.
            self.undo_action = undo_stack.createUndoAction(window, "&Undo")
            self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
            self.redo_action = undo_stack.createRedoAction(window, "&Redo")
            self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)  # Ctrl+Y and Ctrl+Shift+Z
            for made in (self.undo_action, self.redo_action):
                made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                window.addAction(made)
                edit_menu.addAction(made)
            edit_menu.addSeparator()
        self.close_action = QAction("&Close window", window)
        self.close_action.setObjectName("closeWindow")
        shortcuts = [QKeySequence(QKeySequence.StandardKey.Close), QKeySequence("Ctrl+W"), QKeySequence("Esc")]
        self.close_action.setShortcuts(list(dict.fromkeys(s for s in shortcuts if not s.isEmpty())))
        self.close_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.close_action.triggered.connect(window.close)
        window.addAction(self.close_action)
        edit_menu.addAction(self.close_action)

        self.close_button = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, window)
        self.close_button.setObjectName("closeButtons")
        self.close_button.rejected.connect(window.close)
        layout = window.layout()
        if isinstance(layout, QLayout):
            layout.setMenuBar(self.menu_bar)
            if isinstance(layout, QVBoxLayout):
                # Beside the window's own buttons when its layout ends with a row of them.
                last = layout.itemAt(layout.count() - 1) if layout.count() else None
                row = last.layout() if last is not None else None
                if isinstance(row, QHBoxLayout):
                    row.addSpacing(12)
                    row.addWidget(self.close_button)
                else:
                    layout.addWidget(self.close_button)
        window.installEventFilter(self)
        for field in window.findChildren(QLineEdit):
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QLineEdit) and event.type() == QEvent.Type.ShortcutOverride:
            return self._yield_undo(watched, event)
        if watched is self.window and self.settings is not None:
            if event.type() == QEvent.Type.Show and not self._restored:
                self._restored = True
                saved = self.settings.geometry_of(self.name)
                if saved is not None:
                    self.window.restoreGeometry(saved)
            elif event.type() in (QEvent.Type.Hide, QEvent.Type.Close) and self._restored:
                self.settings.set_geometry_of(self.name, self.window.saveGeometry())
        return False

    @staticmethod
    def _yield_undo(field: QLineEdit, event: QEvent) -> bool:
        """A text field with nothing of its own to undo (or redo) lets Ctrl+Z reach the window's undo."""
        if not isinstance(event, QKeyEvent):
            return False
        if event.matches(QKeySequence.StandardKey.Undo) and not field.isUndoAvailable():
            event.ignore()
            return True
        if event.matches(QKeySequence.StandardKey.Redo) and not field.isRedoAvailable():
            event.ignore()
            return True
        return False


def install_secondary_chrome(
    window: QWidget, name: str, undo_stack: QUndoStack | None, settings: AppSettings | None = None
) -> SecondaryWindowChrome:
    """Give `window` the secondary-window parts (see SecondaryWindowChrome); kept as `window.chrome`."""
    chrome = SecondaryWindowChrome(window, name, undo_stack, settings)
    window.setProperty("secondaryWindow", name)
    return chrome


class EmptyState(QObject):
    """A centred note over `view`'s viewport while its model has no rows, saying what to do;
    `text()` is asked each time the model changes (so it can tell "no match" from "nothing yet")."""

    def __init__(self, view: QAbstractItemView, text: Callable[[], str]) -> None:
        super().__init__(view)
        self.view = view
        self._text = text
        self.label = QLabel(view.viewport())
        self.label.setObjectName("emptyState")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setMargin(24)
        make_caption(self.label, QPalette.ColorRole.Base)  # it sits on the view's empty viewport
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.update)
        view.viewport().installEventFilter(self)
        self.update()

    def update(self, *_args: object) -> None:
        empty = self.view.model().rowCount() == 0
        if empty:
            self.label.setText(self._text())
            self.label.resize(self.view.viewport().size())
        self.label.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.label.resize(self.view.viewport().size())
        return False


__all__ = ["EmptyState", "SecondaryWindowChrome", "install_secondary_chrome"]
