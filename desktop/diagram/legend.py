"""LegendItem: the diagram's key to phase colours, line styles, the motive bar and the review mark."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from db import PHASE_ORDER, Phase, ReviewStatus
from desktop.diagram.geometry import (
    EDGE_WIDTH,
    Z_CARD,
)
from desktop.diagram.painting import draw_motive_bar, draw_status_badge, edge_pens
from desktop.diagram.style import (
    font,
    theme_of,
)

# One mark per review status, each its own shape and sign (db/staleness.py says what they mean).
REVIEW_ENTRIES = (
    (ReviewStatus.NEWER_EVIDENCE, "Newer evidence than assessed"),
    (ReviewStatus.DUE, "Due for review (assessment old)"),
    (ReviewStatus.NEVER_ASSESSED, "Never assessed by this date"),
)


class LegendItem(QGraphicsItem):
    """Explains the encoding: phase colours and styles, the motive-mix bar, counts and the review mark."""

    WIDTH = 290.0
    ROW = 21.0

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.setZValue(Z_CARD)

    def set_title(self, title: str) -> None:
        self.title = title
        self.update()

    def _rows(self) -> int:
        return len(PHASE_ORDER) + 2 + 2 + len(REVIEW_ENTRIES)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.WIDTH, 60 + self._rows() * self.ROW + 62)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.boundingRect()
        theme = theme_of(self)
        painter.setPen(QPen(theme.legend_border, 1.0))
        painter.setBrush(theme.legend_fill)
        painter.drawRoundedRect(rect, 6, 6)
        x, y = 14.0, 12.0
        painter.setPen(theme.ink)
        painter.setFont(font(14, bold=True))
        painter.drawText(QRectF(x, y, rect.width() - 2 * x, 20), Qt.AlignmentFlag.AlignLeft, self.title or "Legend")
        y += 28
        painter.setFont(font(11, bold=True))
        painter.setPen(theme.muted_ink)
        painter.drawText(QRectF(x, y, 200, 16), Qt.AlignmentFlag.AlignLeft, "PHASE (line colour and style)")
        y += 20
        sample_width = 46.0
        entries: list[tuple[tuple[Phase, ...], str]] = [((p,), p.label) for p in PHASE_ORDER]
        entries.append(((Phase.START_UP, Phase.MAINTENANCE), "Two phases (in transition)"))
        entries.append(((), "Not assessed by this date"))
        painter.setFont(font(12))
        for phases, text in entries:
            mid = y + self.ROW / 2
            for pen in edge_pens(phases, EDGE_WIDTH, canvas=theme.legend_fill):
                painter.setPen(pen)
                painter.drawLine(QPointF(x, mid), QPointF(x + sample_width, mid))
            painter.setPen(theme.ink)
            painter.drawText(
                QRectF(x + sample_width + 10, y, rect.width() - sample_width - 34, self.ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            y += self.ROW
        y += 8
        painter.setFont(font(11, bold=True))
        painter.setPen(theme.muted_ink)
        painter.drawText(QRectF(x, y, 200, 16), Qt.AlignmentFlag.AlignLeft, "MARKS ON EACH RELATIONSHIP")
        y += 20
        painter.setFont(font(12))
        draw_motive_bar(painter, QRectF(x, y + 6, sample_width, 9), 2, 1, theme.ink)
        painter.setPen(theme.ink)
        painter.drawText(
            QRectF(x + sample_width + 10, y, 180, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "Motive mix: materialist (M)",
        )
        painter.drawText(
            QRectF(x + sample_width + 10, y + 15, 180, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "dark, ideational (I) light",
        )
        y += self.ROW + 16
        painter.drawText(
            QRectF(x, y, rect.width() - 2 * x, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "n lessons recorded · n ongoing operations",
        )
        y += self.ROW
        for status, text in REVIEW_ENTRIES:
            draw_status_badge(painter, QPointF(x + sample_width / 2, y + self.ROW / 2), status)
            painter.setPen(theme.ink)
            painter.setFont(font(12))
            painter.drawText(
                QRectF(x + sample_width + 10, y, rect.width() - sample_width - 24, self.ROW),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            y += self.ROW
