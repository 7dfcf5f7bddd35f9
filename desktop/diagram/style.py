"""The diagram's visual encoding: colour-blind-safe phase colours (Okabe–Ito), line styles and fonts.

Shared by the scene, its legend and anything else (briefing, tables) that shows a phase's colour.
Fonts use pixel sizes so text keeps its size relative to the drawing on any paint device (a PDF
writer at 1200 dpi included).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from db import Phase
from desktop.literal import TOOLTIP_LIMIT, literal_html

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PHASE_COLOURS: dict[Phase, QColor] = {
    Phase.COURTSHIP: QColor("#56B4E9"),  # sky blue
    Phase.NEGOTIATION: QColor("#E69F00"),  # orange
    Phase.START_UP: QColor("#009E73"),  # bluish green
    Phase.MAINTENANCE: QColor("#0072B2"),  # blue
    Phase.ENDING: QColor("#D55E00"),  # vermillion
}
UNASSESSED_COLOUR = QColor("#9A9A9A")
REVIEW_COLOUR = QColor("#F0E442")  # Okabe–Ito yellow, always drawn with a black outline and "!"
MATERIALIST_COLOUR = QColor("#3B3B3B")
IDEATIONAL_COLOUR = QColor("#BDBDBD")
INK = QColor("#1F1F1F")
MUTED_INK = QColor("#5A5A5A")
CARD_FILL = QColor("#FFFFFF")
NODE_FILL = QColor("#F3F1EC")
SELECTION_HALO = QColor(31, 31, 31, 80)
FONT_FAMILY = "DejaVu Sans"


def phase_colour(phase: Phase | None) -> QColor:
    """The colour of a phase (grey when there is no assessment)."""
    return QColor(PHASE_COLOURS[phase]) if phase is not None else QColor(UNASSESSED_COLOUR)


def font(pixel_size: int, *, bold: bool = False) -> QFont:
    """A font sized in scene units, so it scales with the drawing on screen, in PNG, SVG and PDF."""
    result = QFont(FONT_FAMILY)
    result.setPixelSize(pixel_size)
    result.setBold(bold)
    result.setStyleHint(QFont.StyleHint.SansSerif)
    return result


def plain_tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally: Qt guesses rich text in tooltips, so escape it."""
    if len(text) > TOOLTIP_LIMIT:
        text = text[:TOOLTIP_LIMIT] + "…"
    return "<p style='white-space:pre'>" + literal_html(text) + "</p>"
