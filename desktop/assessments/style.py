"""Shared look of the assessment dialogs: a light stylesheet and the inline problem label."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

CHANGED_BACKGROUND = QColor("#fff4d6")
CHANGED_MARK = QColor("#b26a00")
REVERSAL_COLOR = QColor("#c0392b")
ACCENT = QColor("#2f6db5")

DIALOG_STYLE = """
QLabel#dialogTitle { font-size: 16pt; font-weight: 600; }
QLabel#dialogSubtitle { color: #555; }
QLabel#familyTag { color: #7a7a7a; font-size: 8pt; }
QLabel[problem="true"] { color: #b3261e; }
QFrame#draftBanner { background: #fff4d6; border: 1px solid #e8c66a; border-radius: 4px; }
QGroupBox { font-weight: 600; margin-top: 10px; }
QGroupBox::title { subcontrol-origin: margin; left: 6px; padding: 0 3px; }
QGroupBox#reversalBox { border: 1px solid #c0392b; border-radius: 4px; }
*[invalid="true"] { border: 1px solid #b3261e; border-radius: 2px; }
QLabel#statusLabel { color: #b3261e; }
"""


def problem_label(parent: QWidget) -> QLabel:
    """A hidden red plain-text label that shows one field's problem."""
    label = QLabel(parent)
    label.setProperty("problem", True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label
