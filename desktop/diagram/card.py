"""EdgeCardItem: the small card on an edge with its phase, counts and motive mix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from desktop.diagram.geometry import (
    Z_CARD,
)
from desktop.diagram.painting import draw_motive_bar, draw_status_badge
from desktop.diagram.style import font, theme_of
from desktop.diagram.texts import card_phase_text, counts_text

if TYPE_CHECKING:
    from desktop.diagram.edge import EdgeItem


class EdgeCardItem(QGraphicsItem):
    """The text card of an edge: pair, phase, motive-mix bar, counts and the "needs review" mark.

    Clicking it selects its edge; it is a separate top-level item so every card sits above every line.
    """

    PADDING = 7.0

    def __init__(self, edge: EdgeItem) -> None:
        super().__init__()
        self.edge = edge
        self.setZValue(Z_CARD)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._rect = QRectF()
        self._lines: tuple[str, str, str] = ("", "", "")
        self.stale = True

    def refresh(self) -> None:
        """Lay the card out for its edge's current state (skipped while the card is hidden)."""
        state = self.edge.state
        phase = card_phase_text(state, self.edge.staleness, self.edge.draft_pending)
        self.set_texts(state.relationship.label, phase, counts_text(state))
        self.stale = False

    def show_card(self, visible: bool) -> None:
        if visible and self.stale:
            self.refresh()
        if visible != self.isVisible():
            self.setVisible(visible)

    def tooltip_text(self) -> str:
        return self.edge.tooltip_text()

    def set_texts(self, title: str, phase: str, counts: str) -> None:
        self.prepareGeometryChange()
        self._lines = (title, phase, counts)
        widths = [
            QFontMetricsF(font(13, bold=True)).horizontalAdvance(title) + 20,
            QFontMetricsF(font(12)).horizontalAdvance(phase),
            QFontMetricsF(font(11)).horizontalAdvance(counts),
            110.0,
        ]
        width = max(widths) + 2 * self.PADDING + 6
        height = 4 * 16 + 2 * self.PADDING - 4
        self._rect = QRectF(-width / 2, -height / 2, width, height)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -9, 9, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, 5, 5)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        edge, state = self.edge, self.edge.state
        theme = theme_of(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = edge.isSelected()
        painter.setPen(QPen(theme.ink, 2.4 if selected else 1.0))
        painter.setBrush(theme.card_fill)
        painter.drawRoundedRect(self._rect, 5, 5)
        # Phase stripe on the left: one colour, or the two colours of a relationship in transition.
        colours = edge.colours
        stripe = QRectF(self._rect.left() + 3, self._rect.top() + 4, 5, self._rect.height() - 8)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, colour in enumerate(colours):
            part = stripe.height() / len(colours)
            painter.setBrush(colour)
            painter.drawRect(QRectF(stripe.left(), stripe.top() + i * part, stripe.width(), part))
        left = self._rect.left() + self.PADDING + 6
        top = self._rect.top() + self.PADDING - 2
        width = self._rect.width() - 2 * self.PADDING - 6
        title, phase, counts = self._lines
        painter.setPen(theme.ink)
        painter.setFont(font(13, bold=True))
        painter.drawText(
            QRectF(left, top, width, 17), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
        painter.setFont(font(12))
        painter.drawText(
            QRectF(left, top + 16, width, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, phase
        )
        assessment = state.assessment
        bar = QRectF(left, top + 35, 64, 8)
        if assessment is not None:
            draw_motive_bar(painter, bar, assessment.materialist_weight, assessment.ideational_weight, theme.ink)
            painter.setFont(font(10))
            painter.setPen(theme.muted_ink)
            painter.drawText(
                QRectF(bar.right() + 5, top + 31, width - bar.width() - 5, 15),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"M {assessment.materialist_weight} · I {assessment.ideational_weight}",
            )
        painter.setPen(theme.muted_ink)
        painter.setFont(font(11))
        painter.drawText(
            QRectF(left, top + 47, width, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, counts
        )
        draw_status_badge(painter, QPointF(self._rect.right() - 2, self._rect.top() + 2), edge.review_status)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.edge.select_only()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        self.edge.activate()

    def hoverEnterEvent(self, event) -> None:
        self.edge.set_hovered(True)

    def hoverLeaveEvent(self, event) -> None:
        self.edge.set_hovered(False)
