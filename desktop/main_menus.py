"""The main window's menus (File, Edit, View, Help) and its About box; features add theirs after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop import __version__

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SOURCE_REPORT = (
    "Kristin M. Haugevik, New partners, new possibilities: the evolution of inter-organizational "
    "security cooperation in international peace operations (NUPI, Security in Practice no. 6)"
)


def action(
    text: str,
    parent: QObject,
    slot: Callable[..., object],
    shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    *,
    checkable: bool = False,
) -> QAction:
    """A menu action calling `slot` when triggered (`toggled` for a checkable one)."""
    made = QAction(text, parent)
    if shortcut is not None:
        made.setShortcut(shortcut)
    if checkable:
        made.setCheckable(True)
        made.setChecked(True)
    made.triggered.connect(slot)
    return made


def build_menus(window: MainWindow) -> None:
    """Create the window's menus and actions, kept on the window (`file_menu`, `undo_action`...)."""
    file_menu = window.file_menu = window.menuBar().addMenu("&File")
    window.add_organization_action = action(
        "&Add organization...", window, window.show_add_organization, QKeySequence("Ctrl+Shift+O")
    )
    window.export_action = action("&Export diagram...", window, window.export_diagram, QKeySequence("Ctrl+Shift+E"))
    file_menu.addAction(window.add_organization_action)
    file_menu.addAction(window.export_action)
    file_menu.addSeparator()
    quit_action = action("&Quit", window, window.close, QKeySequence.StandardKey.Quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    file_menu.addAction(quit_action)

    edit_menu = window.edit_menu = window.menuBar().addMenu("&Edit")
    window.undo_action = window.undo_stack.createUndoAction(window, "&Undo")
    window.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    window.redo_action = window.undo_stack.createRedoAction(window, "&Redo")
    window.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)  # every binding: Ctrl+Y and Ctrl+Shift+Z
    edit_menu.addActions([window.undo_action, window.redo_action])
    edit_menu.addSeparator()
    window.copy_action = action("&Copy table", window, window.copy_table, QKeySequence.StandardKey.Copy)
    window.copy_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    edit_menu.addAction(window.copy_action)
    edit_menu.addSeparator()
    window.markings_action = action("&Markings…", window, lambda: show_markings_dialog(window))
    edit_menu.addAction(window.markings_action)

    view_menu = window.view_menu = window.menuBar().addMenu("&View")
    diagram = window.diagram_view
    window.zoom_in_action = action("Zoom &in", window, diagram.zoom_in, QKeySequence.StandardKey.ZoomIn)
    window.zoom_out_action = action("Zoom &out", window, diagram.zoom_out, QKeySequence.StandardKey.ZoomOut)
    window.fit_action = action("&Fit diagram to window", window, diagram.fit_to_window, QKeySequence("Ctrl+0"))
    window.legend_action = action("Show &legend", window, window.scene.set_legend_visible, checkable=True)
    window.reset_layout_action = action("Reset diagram &layout", window, window.reset_layout)
    view_menu.addActions(
        [
            window.zoom_in_action,
            window.zoom_out_action,
            window.fit_action,
            window.legend_action,
            window.reset_layout_action,
        ]
    )
    view_menu.addSeparator()
    window.today_action = action("&Today", window, lambda: window.set_as_of(date.today()), QKeySequence("Ctrl+T"))
    window.previous_year_action = action("&Previous year", window, lambda: window.step_year(-1), QKeySequence("Ctrl+["))
    window.next_year_action = action("&Next year", window, lambda: window.step_year(1), QKeySequence("Ctrl+]"))
    # Ctrl+[ and Ctrl+] need AltGr on Norwegian, German and French keyboards: Alt+arrows need nothing.
    window.previous_year_action.setShortcuts([QKeySequence("Ctrl+["), QKeySequence("Alt+Left")])
    window.next_year_action.setShortcuts([QKeySequence("Ctrl+]"), QKeySequence("Alt+Right")])
    view_menu.addActions([window.today_action, window.previous_year_action, window.next_year_action])
    view_menu.addSeparator()
    view_menu.addMenu(window.markings.menu)  # the view ceiling: every view filtered like an export limit
    view_menu.addAction(action("&Refresh", window, window.refresh, QKeySequence.StandardKey.Refresh))

    help_menu = window.help_menu = window.menuBar().addMenu("&Help")
    about = action("&About Quadrangle", window, window.show_about)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    help_menu.addAction(about)


def show_markings_dialog(window: MainWindow):
    """Edit > Markings…: the marking vocabulary, its caveats and handling statement (window-modal)."""
    from desktop.markings_dialog import MarkingsDialog

    if window.store is None:
        return None
    dialog = window.markings_dialog = MarkingsDialog(window.store, window)
    dialog.open()
    return dialog


def show_about(parent: QWidget) -> None:
    """The About box (window-modal, not blocking)."""
    from PySide6.QtWidgets import QMessageBox  # not with the menus: no first frame shows it

    box = QMessageBox(parent)
    box.setWindowTitle("About Quadrangle")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"Quadrangle {__version__}\n\nAssessments of security cooperation between the UN, NATO, the EU "
        f"and the AU.\n\nDefault dataset after: {SOURCE_REPORT}."
    )
    box.open()
