"""A small step chart of a relationship's phase over time, painted with QPainter."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from db import PHASE_ORDER, AssessmentRecord, Phase
from desktop.assessments.style import ACCENT, REVERSAL_COLOR

LEFT, RIGHT, TOP, BOTTOM = 104, 18, 12, 28
HIT_RADIUS = 9


def phase_level(record: AssessmentRecord) -> float:
    """Courtship is 0, ending 4; a relationship in transition sits halfway between its two phases."""
    return sum(p.order for p in record.phases) / len(record.phases)


def in_force_steps(versions: list[AssessmentRecord]) -> list[AssessmentRecord]:
    """The versions that were in force, one per date described (the last recorded wins), by date."""
    by_day: dict[date, AssessmentRecord] = {}
    for version in sorted(versions, key=lambda v: (v.as_of, v.recorded_at)):
        by_day[version.as_of] = version
    return [by_day[d] for d in sorted(by_day)]


class PhaseStepChart(QWidget):
    """Phase (y) over the dates the versions describe (x), up to today; emits `version_clicked(id)`.

    Reversals are red diamonds, restored versions are drawn as rings, superseded same-day versions
    as small grey dots; the selected versions are outlined.
    """

    version_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phaseStepChart")
        self._versions: list[AssessmentRecord] = []
        self._selected: set[str] = set()
        self._today = today or date.today()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(190)
        self.setAccessibleName("Phase over time")

    def sizeHint(self) -> QSize:
        return QSize(640, 200)

    def set_versions(self, versions: list[AssessmentRecord]) -> None:
        self._versions = list(versions)
        self._update_tooltip()
        self.update()

    def set_selected(self, version_ids: set[str]) -> None:
        self._selected = set(version_ids)
        self.update()

    def _update_tooltip(self) -> None:
        steps = in_force_steps(self._versions)
        self.setToolTip("\n".join(f"{v.as_of.isoformat()}: {v.phase_label}" for v in steps))

    # -- geometry -------------------------------------------------------------------------------

    def _plot(self) -> QRectF:
        return QRectF(LEFT, TOP, max(10, self.width() - LEFT - RIGHT), max(10, self.height() - TOP - BOTTOM))

    def _range(self) -> tuple[int, int]:
        first = min(v.as_of for v in self._versions).toordinal()
        last = max(max(v.as_of for v in self._versions), self._today).toordinal()
        span = max(last - first, 365)
        return first - span // 40, first + span + span // 40

    def _x(self, day: date, plot: QRectF, lo: int, hi: int) -> float:
        return plot.left() + (day.toordinal() - lo) / (hi - lo) * plot.width()

    @staticmethod
    def _y(level: float, plot: QRectF) -> float:
        rows = len(PHASE_ORDER)
        return plot.bottom() - (level + 0.5) / rows * plot.height()

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        plot = self._plot()
        self._paint_bands(painter, plot)
        if not self._versions:
            painter.setPen(QColor("#777777"))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No version recorded yet.")
            painter.end()
            return
        lo, hi = self._range()
        self._paint_years(painter, plot, lo, hi)
        self._paint_steps(painter, plot, lo, hi)
        self._paint_points(painter, plot)
        painter.end()

    def _paint_bands(self, painter: QPainter, plot: QRectF) -> None:
        rows = len(PHASE_ORDER)
        height = plot.height() / rows
        label_font = QFont(self.font())
        label_font.setPointSizeF(max(7.0, label_font.pointSizeF() * 0.9))
        painter.setFont(label_font)
        for phase in PHASE_ORDER:
            top = plot.bottom() - (phase.order + 1) * height
            band = QRectF(plot.left(), top, plot.width(), height)
            if phase == Phase.ENDING:
                color = QColor("#fbeaea")
            else:
                color = QColor("#f6f7f9") if phase.order % 2 == 0 else QColor("#ffffff")
            painter.fillRect(band, color)
            painter.setPen(QColor("#444444"))
            painter.drawText(
                QRectF(4, top, LEFT - 12, height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                phase.label,
            )
        painter.setPen(QPen(QColor("#c9ccd1"), 1))
        painter.drawRect(plot)

    def _paint_years(self, painter: QPainter, plot: QRectF, lo: int, hi: int) -> None:
        first, last = date.fromordinal(lo).year, date.fromordinal(hi).year
        years = last - first + 1
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if years / s <= max(2, plot.width() // 70))
        painter.setPen(QColor("#666666"))
        for year in range(first - first % step, last + 1, step):
            day = date(year, 1, 1)
            if not lo <= day.toordinal() <= hi:
                continue
            x = self._x(day, plot, lo, hi)
            painter.setPen(QPen(QColor("#e3e5e8"), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(QColor("#555555"))
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 4, 60, BOTTOM - 6), Qt.AlignmentFlag.AlignHCenter, str(year)
            )
        today_x = self._x(self._today, plot, lo, hi)
        painter.setPen(QPen(QColor("#9aa3ad"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(today_x, plot.top()), QPointF(today_x, plot.bottom()))

    def _paint_steps(self, painter: QPainter, plot: QRectF, lo: int, hi: int) -> None:
        steps = in_force_steps(self._versions)
        path = QPainterPath()
        for i, version in enumerate(steps):
            x = self._x(version.as_of, plot, lo, hi)
            y = self._y(phase_level(version), plot)
            if i == 0:
                path.moveTo(x, y)
            else:
                path.lineTo(x, path.currentPosition().y())
                path.lineTo(x, y)
        path.lineTo(self._x(self._today, plot, lo, hi), path.currentPosition().y())
        painter.setPen(QPen(ACCENT, 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _positions(self) -> list[tuple[QPointF, AssessmentRecord]]:
        """Where each version is drawn at the current size, oldest first."""
        if not self._versions:
            return []
        plot = self._plot()
        lo, hi = self._range()
        return [
            (QPointF(self._x(v.as_of, plot, lo, hi), self._y(phase_level(v), plot)), v)
            for v in sorted(self._versions, key=lambda v: (v.as_of, v.recorded_at))
        ]

    def _paint_points(self, painter: QPainter, plot: QRectF) -> None:
        in_force = {v.id for v in in_force_steps(self._versions)}
        for center, version in self._positions():
            selected = version.id in self._selected
            radius = 5.5 if version.id in in_force else 3.5
            if version.id not in in_force:
                painter.setPen(QPen(QColor("#8a8f96"), 1))
                painter.setBrush(QColor("#c7cbd0"))
                painter.drawEllipse(center, radius, radius)
            elif version.is_reversal:
                painter.setPen(QPen(REVERSAL_COLOR.darker(130), 1))
                painter.setBrush(REVERSAL_COLOR)
                r = radius + 1.5
                painter.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(center.x(), center.y() - r),
                            QPointF(center.x() + r, center.y()),
                            QPointF(center.x(), center.y() + r),
                            QPointF(center.x() - r, center.y()),
                        ]
                    )
                )
            elif version.restored_from_id:
                painter.setPen(QPen(ACCENT, 2.2))
                painter.setBrush(QColor("#ffffff"))
                painter.drawEllipse(center, radius, radius)
            else:
                painter.setPen(QPen(QColor("#ffffff"), 1.5))
                painter.setBrush(ACCENT)
                painter.drawEllipse(center, radius, radius)
            if selected:
                painter.setPen(QPen(QColor("#f0a020"), 2.2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(center, radius + 4, radius + 4)

    # -- interaction ----------------------------------------------------------------------------

    def version_at(self, point: QPointF) -> str | None:
        """The id of the version drawn nearest `point` (within a few pixels), or None."""
        best = None
        for center, version in self._positions():
            distance = (center - point).manhattanLength()
            if distance <= HIT_RADIUS * 1.5 and (best is None or distance < best[0]):
                best = (distance, version.id)
        return best[1] if best else None

    def point_of(self, version_id: str) -> QPointF | None:
        return next((center for center, v in self._positions() if v.id == version_id), None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        version_id = self.version_at(event.position())
        if version_id is not None:
            self.version_clicked.emit(version_id)
        super().mousePressEvent(event)
