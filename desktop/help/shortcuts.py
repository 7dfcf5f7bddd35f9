"""The keyboard shortcuts list (Help > Keyboard shortcuts): every menu action's keys, read from the
menus themselves so the list cannot drift from what the keys do, plus the keys views handle."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Keys handled by views rather than menu actions.
VIEW_KEYS = (
    ("Diagram", "Next / previous relationship", "Arrow keys, Tab, Shift+Tab"),
    ("Diagram, tables", "Open the selected relationship's assessment", "Enter"),
    ("Secondary windows", "Close the window", "Esc, Ctrl+W"),
)


@dataclass(frozen=True)
class Shortcut:
    menu: str
    action: str
    keys: str


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".… ")


def menu_shortcuts(menu_bar: QMenuBar) -> list[Shortcut]:
    """Every action with a shortcut in `menu_bar`'s menus and submenus, in menu order."""
    found: list[Shortcut] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{path} > {_plain(submenu.title())}")
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
            if keys:
                found.append(Shortcut(path, _plain(action.text()), ", ".join(keys)))

    for action in menu_bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(menu.title()))
    return found


def all_shortcuts(menu_bar: QMenuBar) -> list[Shortcut]:
    return menu_shortcuts(menu_bar) + [Shortcut(where, what, keys) for where, what, keys in VIEW_KEYS]


class ShortcutsDialog(QDialog):
    """A read-only table of every shortcut: menu, action, keys."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.shortcuts = all_shortcuts(menu_bar)
        self.table = QTableWidget(len(self.shortcuts), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, shortcut in enumerate(self.shortcuts):
            for column, text in enumerate((shortcut.menu, shortcut.action, shortcut.keys)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.reject)
        self.resize(620, 560)


__all__ = ["ShortcutsDialog", "Shortcut", "all_shortcuts", "menu_shortcuts"]
