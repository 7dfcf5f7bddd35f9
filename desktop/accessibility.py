"""Names, descriptions and the Tab order of the main window, for screen readers and the keyboard:
the date bar, then the diagram, the tables and the detail panel, in reading order.

Applied once the features have added their panels and buttons (`describe_main_window`), so it sees
every control; `unnamed_controls` is what the tests walk to keep it true."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

NAMES = {
    "diagramView": (
        "Quadrangle diagram",
        "Organizations and their relationships on the date shown. Arrow keys or Tab move between "
        "relationships, Enter opens the selected one's assessment.",
    ),
    "viewTabs": ("Tables", "The comparison table and the motive matrix."),
    "comparisonTable": (
        "Comparison table",
        "One row per relationship: phase, motives, cooperation, last assessment, confidence and review status.",
    ),
    "motiveMatrix": ("Motive matrix", "The weight of each motive for each relationship."),
    "detailPanel": ("Selected relationship", "The assessment, milestones, cooperation and lessons of the selection."),
    "detailMilestones": ("Milestones", "Dated milestones of the selected relationship."),
    "detailLessons": ("Lessons", "Lessons recorded for the selected relationship."),
    "todayButton": ("Today", "Show the quadrangle as it stands today."),
    "dateSlider": ("Date shown", "Drag or use the arrow keys to move through the history."),
    "dateEdit": ("Date shown", "Type a date (YYYY-MM-DD) to show the quadrangle as it stood then."),
}


def describe_main_window(window: MainWindow) -> None:
    """Give the main window's controls their names and descriptions, and put Tab in reading order."""
    for widget in window.findChildren(QWidget):
        named = NAMES.get(widget.objectName())
        if named is not None:
            if not widget.accessibleName():
                widget.setAccessibleName(named[0])
            if not widget.accessibleDescription():
                widget.setAccessibleDescription(named[1])
    for button in window.detail_panel.findChildren(QAbstractButton):
        if not button.accessibleName():
            button.setAccessibleName(button.text().replace("&", ""))
    window.tabs.tabBar().setAccessibleName("Choose a table")
    # One Tab stop per control: the diagram's viewport and the tab widget around its tab bar would
    # each be a second, silent stop (the view and the tab bar take the keys). A focus policy passes on
    # to the focus proxy, so the view's and the tab bar's own are set again after.
    window.diagram_view.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
    window.diagram_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    window.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
    order = [
        window.date_control.slider,
        window.date_control.date_edit,
        *window.date_control.findChildren(QAbstractButton),
        window.diagram_view,
        window.tabs.tabBar(),
        window.comparison_view,
        window.matrix_view,
        *_tab_stops(window.detail_panel),
    ]
    for first, second in zip(order, order[1:], strict=False):
        QWidget.setTabOrder(first, second)


def _tab_stops(root: QWidget) -> list[QWidget]:
    """`root`'s own Tab stops in their present order, found by walking its focus chain."""
    stops: list[QWidget] = []
    current = root.nextInFocusChain()
    for _ in range(5000):  # the chain is a ring through the whole window: stop when it comes round
        if current is None or current is root:
            break
        if root.isAncestorOf(current) and current.focusPolicy() & Qt.FocusPolicy.TabFocus and current not in stops:
            stops.append(current)
        current = current.nextInFocusChain()
    return [root, *stops] if root.focusPolicy() & Qt.FocusPolicy.TabFocus else stops


def unnamed_controls(window: QWidget) -> list[str]:
    """The visible controls a Tab can reach that a screen reader could not name."""
    missing = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.objectName().startswith("qt_") or type(widget) is QWidget:
            continue  # Qt's own parts (a spin box's line edit) are named through their owner
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing
