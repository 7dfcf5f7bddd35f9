"""Painting helpers shared by the diagram's items and the legend: the review badge, the motive bar
and the (cached) edge pens."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from db import Phase
from desktop.diagram.style import (
    IDEATIONAL_COLOUR,
    INK,
    MATERIALIST_COLOUR,
    REVIEW_COLOUR,
    UNASSESSED_COLOUR,
    font,
    phase_colour,
)


def draw_review_badge(painter: QPainter, centre: QPointF, radius: float = 8.0) -> None:
    """The "needs review" mark: a yellow disc, black outline, black "!" (never colour alone)."""
    painter.setPen(QPen(INK, 1.2))
    painter.setBrush(REVIEW_COLOUR)
    painter.drawEllipse(centre, radius, radius)
    painter.setFont(font(int(radius * 1.6), bold=True))
    painter.setPen(INK)
    painter.drawText(
        QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), Qt.AlignmentFlag.AlignCenter, "!"
    )


def draw_motive_bar(painter: QPainter, rect: QRectF, materialist: int, ideational: int) -> None:
    """The motive mix: dark share materialist, light share ideational, outlined."""
    total = materialist + ideational
    painter.setPen(Qt.PenStyle.NoPen)
    if total:
        split = rect.width() * materialist / total
        painter.setBrush(MATERIALIST_COLOUR)
        painter.drawRect(QRectF(rect.left(), rect.top(), split, rect.height()))
        painter.setBrush(IDEATIONAL_COLOUR)
        painter.drawRect(QRectF(rect.left() + split, rect.top(), rect.width() - split, rect.height()))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(INK, 0.8))
    painter.drawRect(rect)


_PEN_CACHE: dict[tuple[tuple[Phase, ...], float, int], list[QPen]] = {}


def edge_pens(phases: tuple[Phase, ...], width: float, alpha: int = 255) -> list[QPen]:
    """Pens drawn one over the other: one phase solid; two phases alternate dashes of both colours;
    no assessment a grey dotted line. `alpha` (0-255) fades them towards the white background.
    Cached: a date change restyles hundreds of edges."""
    key = (phases, width, alpha)
    if key not in _PEN_CACHE:
        _PEN_CACHE[key] = _make_edge_pens(phases, width, alpha)
    return _PEN_CACHE[key]


def _make_edge_pens(phases: tuple[Phase, ...], width: float, alpha: int) -> list[QPen]:
    def pen(colour: QColor, style=Qt.PenStyle.SolidLine) -> QPen:
        # Fade by mixing with the white background: an opaque colour paints far faster than alpha.
        keep = alpha / 255
        mixed = QColor.fromRgbF(*(keep * c + (1 - keep) for c in (colour.redF(), colour.greenF(), colour.blueF())))
        return QPen(mixed, width, style, Qt.PenCapStyle.FlatCap)

    if not phases:
        return [pen(UNASSESSED_COLOUR, Qt.PenStyle.DotLine)]
    first = pen(phase_colour(phases[0]))
    if len(phases) == 1:
        return [first]
    second = pen(phase_colour(phases[1]), Qt.PenStyle.CustomDashLine)
    second.setDashPattern([3.0, 3.0])
    return [first, second]
