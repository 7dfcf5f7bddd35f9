"""The diagram's visual encoding: colour-blind-safe phase colours (Okabe–Ito), line styles and fonts.

Shared by the scene, its legend and anything else (briefing, tables) that shows a phase's colour.
Fonts use pixel sizes so text keeps its size relative to the drawing on any paint device (a PDF
writer at 1200 dpi included).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette

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


@dataclass(frozen=True)
class DiagramTheme:
    """The colours of everything drawn around the phase colours: canvas, ink, fills, halos. The phase
    colours and the review marks (black on yellow or white) are the same in every theme."""

    name: str
    canvas: QColor
    ink: QColor
    muted_ink: QColor
    card_fill: QColor
    node_fill: QColor
    legend_fill: QColor
    legend_border: QColor
    selection_halo: QColor
    hover_halo: QColor


LIGHT_THEME = DiagramTheme(
    "light",
    canvas=QColor("#FFFFFF"),
    ink=INK,
    muted_ink=MUTED_INK,
    card_fill=CARD_FILL,
    node_fill=NODE_FILL,
    legend_fill=QColor("#FBFBFA"),
    legend_border=QColor("#C8C8C8"),
    selection_halo=SELECTION_HALO,
    hover_halo=QColor(31, 31, 31, 40),
)
DARK_THEME = DiagramTheme(
    "dark",
    canvas=QColor("#1E1F22"),
    ink=QColor("#ECECEC"),
    muted_ink=QColor("#B4B4B4"),  # 8.6:1 on the card fill
    card_fill=QColor("#2B2D31"),
    node_fill=QColor("#3A3935"),
    legend_fill=QColor("#26282B"),
    legend_border=QColor("#5A5A5A"),
    selection_halo=QColor(236, 236, 236, 90),
    hover_halo=QColor(236, 236, 236, 45),
)


def theme_for(palette: QPalette) -> DiagramTheme:
    """The diagram theme matching a widget palette: dark when its window colour is dark."""
    return DARK_THEME if palette.color(QPalette.ColorRole.Window).lightness() < 128 else LIGHT_THEME


def theme_of(item) -> DiagramTheme:
    """The theme of the scene an item is in (light outside any scene, as in every export)."""
    scene = item.scene()
    return getattr(scene, "theme", LIGHT_THEME) if scene is not None else LIGHT_THEME


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
