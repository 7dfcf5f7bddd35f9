"""Painting helpers shared by the diagram's items and the legend: the review badge, the motive bar
and the (cached) edge pens."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from db import Phase, ReviewStatus
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
    """The "newer evidence" mark: a yellow disc, black outline, black "!" (never colour alone)."""
    painter.setPen(QPen(INK, 1.2))
    painter.setBrush(REVIEW_COLOUR)
    painter.drawEllipse(centre, radius, radius)
    painter.setFont(font(int(radius * 1.6), bold=True))
    painter.setPen(INK)
    painter.drawText(
        QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), Qt.AlignmentFlag.AlignCenter, "!"
    )


def draw_never_assessed_badge(painter: QPainter, centre: QPointF, radius: float = 8.0) -> None:
    """The "never assessed" mark: a white disc, dashed black outline, black "?" (its own shape and sign,
    so it is never read as "newer evidence")."""
    pen = QPen(INK, 1.2, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawEllipse(centre, radius, radius)
    painter.setFont(font(int(radius * 1.6), bold=True))
    painter.setPen(INK)
    painter.drawText(
        QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), Qt.AlignmentFlag.AlignCenter, "?"
    )


def draw_due_badge(painter: QPainter, centre: QPointF, radius: float = 8.0) -> None:
    """The "due for review" mark: a yellow square, black outline, black clock hands (old, not overtaken)."""
    painter.setPen(QPen(INK, 1.2))
    painter.setBrush(REVIEW_COLOUR)
    painter.drawRect(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(centre, radius * 0.62, radius * 0.62)
    painter.drawLine(centre, QPointF(centre.x(), centre.y() - radius * 0.45))
    painter.drawLine(centre, QPointF(centre.x() + radius * 0.35, centre.y()))


def draw_status_badge(painter: QPainter, centre: QPointF, status: ReviewStatus, radius: float = 8.0) -> None:
    """The mark of a review status (nothing for a current assessment)."""
    if status is ReviewStatus.NEWER_EVIDENCE:
        draw_review_badge(painter, centre, radius)
    elif status is ReviewStatus.DUE:
        draw_due_badge(painter, centre, radius)
    elif status is ReviewStatus.NEVER_ASSESSED:
        draw_never_assessed_badge(painter, centre, radius)


def draw_motive_bar(painter: QPainter, rect: QRectF, materialist: int, ideational: int, outline: QColor = INK) -> None:
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
    painter.setPen(QPen(outline, 0.8))
    painter.drawRect(rect)


_PEN_CACHE: dict[tuple[tuple[Phase, ...], float, int, int], list[QPen]] = {}
WHITE = QColor("#FFFFFF")


def edge_pens(phases: tuple[Phase, ...], width: float, alpha: int = 255, canvas: QColor = WHITE) -> list[QPen]:
    """Pens drawn one over the other: one phase solid; two phases alternate dashes of both colours;
    no assessment a grey dotted line. `alpha` (0-255) fades them towards the white background.
    Cached: a date change restyles hundreds of edges."""
    key = (phases, width, alpha, canvas.rgba())
    if key not in _PEN_CACHE:
        _PEN_CACHE[key] = _make_edge_pens(phases, width, alpha, canvas)
    return _PEN_CACHE[key]


def _make_edge_pens(phases: tuple[Phase, ...], width: float, alpha: int, canvas: QColor = WHITE) -> list[QPen]:
    back = (canvas.redF(), canvas.greenF(), canvas.blueF())

    def pen(colour: QColor, style=Qt.PenStyle.SolidLine) -> QPen:
        # Fade by mixing with the canvas: an opaque colour paints far faster than alpha.
        keep = alpha / 255
        front = (colour.redF(), colour.greenF(), colour.blueF())
        mixed = QColor.fromRgbF(*(keep * c + (1 - keep) * b for c, b in zip(front, back, strict=True)))
        return QPen(mixed, width, style, Qt.PenCapStyle.FlatCap)

    if not phases:
        return [pen(UNASSESSED_COLOUR, Qt.PenStyle.DotLine)]
    first = pen(phase_colour(phases[0]))
    if len(phases) == 1:
        return [first]
    second = pen(phase_colour(phases[1]), Qt.PenStyle.CustomDashLine)
    second.setDashPattern([3.0, 3.0])
    return [first, second]
