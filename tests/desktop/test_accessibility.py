"""Accessibility: every control a Tab reaches has a name, Tab goes in reading order, and the analyst's
loop (select, assess, add a lesson, search, export) works from the keyboard alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.accessibility import unnamed_controls
from desktop.events import StoreEvents
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
    qtbot.waitUntil(window.isActiveWindow)
    window.select_relationship(default_store.quadrangle.find_relationship("UN-EU").id)
    return window


def _tab_stops(window: QWidget) -> list[QWidget]:
    """The widgets Tab visits, in order, starting at the date field, until the chain comes round."""
    start = window.date_control.slider
    stops, current = [start], start.nextInFocusChain()
    while current is not start and len(stops) < 200:
        if current.isVisibleTo(window) and current.isEnabled() and current.focusPolicy() & Qt.FocusPolicy.TabFocus:
            stops.append(current)
        current = current.nextInFocusChain()
    return stops


def test_every_control_tab_reaches_has_a_name(window):
    """Walk the widget tree: no visible, Tab-reachable control without an accessible name or text."""
    assert unnamed_controls(window) == []
    assert window.diagram_view.accessibleDescription().startswith("Organizations and their relationships")
    assert window.comparison_view.accessibleName() == "Comparison table"
    assert window.detail_panel.accessibleName() == "Selected relationship"


def test_tab_goes_in_reading_order_with_one_stop_per_control(window):
    """Date bar, diagram, table tabs, table, detail panel: in that order, none visited twice, none silent."""
    stops = _tab_stops(window)
    assert len(stops) == len(set(stops))
    names = [w.objectName() for w in stops]
    order = ["dateSlider", "dateEdit", "todayButton", "diagramView", "comparisonTable", "detailPanel"]
    positions = [names.index(n) for n in order]
    assert positions == sorted(positions)
    assert window.diagram_view.viewport() not in stops and window.tabs not in stops
    add_lesson = next(w for w in stops if getattr(w, "text", lambda: "")() == "Add lesson")
    assert stops.index(add_lesson) > names.index("comparisonTable")


def test_the_analyst_loop_from_the_keyboard_alone(qtbot, window, monkeypatch, tmp_path):
    """Select with the arrow keys, Enter opens the assessment, Ctrl+Shift+L a lesson, Ctrl+F the search,
    Ctrl+Shift+E the export: no mouse anywhere."""
    view = window.diagram_view
    view.setFocus()
    first = window.selected_relationship_id()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    second = window.selected_relationship_id()
    assert second and second != first
    with qtbot.waitSignal(window.relationship_activated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [second]
    editors = [w for w in QApplication.topLevelWidgets() if w.isVisible() and "Assessment" in type(w).__name__]
    assert editors, "Enter opened no assessment editor"
    for widget in editors:
        widget.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    opened = [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()]
    assert opened, "Ctrl+Shift+L opened no lesson editor"
    for widget in opened:
        widget.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    browser = window.lessons_feature.show_browser()
    qtbot.waitUntil(lambda: browser.search.hasFocus())
    browser.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    target = tmp_path / "loop.png"
    monkeypatch.setattr(window, "ask_export_path", lambda: str(target))
    monkeypatch.setattr(window.files_feature, "show_exported", lambda path: None)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert target.exists()
