"""The main window's status bar: the state summary as a widget, and the date shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow


def install_status_summary(window: QMainWindow) -> tuple[QLabel, QLabel]:
    """Add the summary label (stretching) and the permanent "As of" label to `window`'s status bar.

    The summary is a widget, not a message: a menu's status tip or a temporary message covers it
    for a moment and it comes back, where a message would be wiped by the first hover."""
    summary = QLabel(window)
    summary.setObjectName("statusSummary")
    summary.setTextFormat(Qt.TextFormat.PlainText)
    window.statusBar().addWidget(summary, 1)
    as_of = QLabel(window)
    window.statusBar().addPermanentWidget(as_of)
    return summary, as_of
