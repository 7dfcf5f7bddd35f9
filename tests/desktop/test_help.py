"""Help driven through the keys: F1 opens the guide (contents, search), the shortcuts list is complete,
Ctrl+F goes to the current window's search, and time travel works without AltGr."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from desktop.events import StoreEvents
from desktop.help.shortcuts import menu_shortcuts
from desktop.help.window import guide_headings, guide_text
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


@pytest.fixture
def window(qtbot, default_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def test_f1_opens_the_guide_with_contents_and_search(qtbot, window):
    """F1 shows the guide shipped in resources/; a heading in the contents scrolls to it; search finds words."""
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.help_feature.help_window
    assert guide is not None and guide.isVisible()
    titles = [guide.contents.item(i).data(Qt.ItemDataRole.UserRole) for i in range(guide.contents.count())]
    assert "Is it still true?" in titles and "Files" in titles and "Time travel" in titles
    assert titles == [t for _level, t in guide_headings(guide_text())]
    guide.contents.setCurrentRow(titles.index("Working with Word and Excel"))
    assert guide.browser.textCursor().block().text() == "Working with Word and Excel"
    assert guide.browser.verticalScrollBar().value() > 0
    qtbot.keyClicks(guide.search_edit, "AltGr")
    assert guide.browser.textCursor().selectedText() == "AltGr"
    assert guide.match_label.text().endswith("matches") or guide.match_label.text() == "1 match"
    guide.search_edit.clear()
    qtbot.keyClicks(guide.search_edit, "zzzznothing")
    assert guide.match_label.text() == "No match for “zzzznothing”"
    qtbot.waitUntil(guide.isActiveWindow)
    qtbot.keyClick(guide.search_edit, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_the_shortcut_list_names_every_menu_shortcut(qtbot, window):
    """Help > Keyboard shortcuts lists each action's keys, the guide's F1 and both time-travel keys included."""
    dialog = window.help_feature.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = {(dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text()) for r in range(dialog.table.rowCount())}
    expected = []
    for top in window.menuBar().actions():
        menu = top.menu()
        stack = [menu] if isinstance(menu, QMenu) else []
        while stack:
            current = stack.pop()
            for action in current.actions():
                if isinstance(action.menu(), QMenu):
                    stack.append(action.menu())
                elif any(not k.isEmpty() for k in action.shortcuts()):
                    expected.append(action)
    assert len(menu_shortcuts(window.menuBar())) == len(expected) > 20
    actions = {name for name, _keys in rows}
    assert {"User guide", "Keyboard shortcuts", "Find", "Previous year", "Undo"} <= actions
    keys = dict(rows)
    assert keys["Previous year"] == "Ctrl+[, Alt+Left"
    assert keys["User guide"] == QKeySequence(QKeySequence.StandardKey.HelpContents).toString()


def test_ctrl_f_goes_to_the_current_windows_search(qtbot, window):
    """Ctrl+F in the main window opens the lessons browser's search; in the guide it goes to the guide's."""
    window.help_feature.find_action.trigger()
    browser = window.lessons_feature.show_browser()
    qtbot.waitUntil(lambda: browser.search.hasFocus() or QApplication.focusWidget() is browser.search)
    guide = window.help_feature.show_guide()
    edit = window.help_feature.focus_search(guide)
    assert edit is guide.search_edit


def test_time_travel_needs_no_altgr(qtbot, window):
    """Alt+Left and Alt+Right step a year back and forth, as Ctrl+[ and Ctrl+] do."""
    window.set_as_of(date(2005, 6, 1))
    window.diagram_view.setFocus()
    qtbot.keyClick(window.diagram_view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.as_of == date(2004, 6, 1)
    qtbot.keyClick(window.diagram_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.as_of == date(2005, 6, 1)


def test_ctrl_f_in_a_secondary_window_goes_to_its_own_search(qtbot, window):
    """Ctrl+F in the sources window puts the cursor in its filter; the lessons browser keeps its own Find."""
    sources = window.lessons_feature.show_sources()
    sources.activateWindow()
    qtbot.waitUntil(sources.isActiveWindow)
    sources.table.setFocus()
    assert not sources.filter.hasFocus()
    qtbot.keyClick(sources.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert sources.filter.hasFocus()
    browser = window.lessons_feature.show_browser()
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow)
    browser.table.setFocus()
    assert not browser.search.hasFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert browser.search.hasFocus()
