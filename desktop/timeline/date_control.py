"""DateControl: a slider over the span of the history plus a date field and "Today", choosing the
date the diagram, the table and the matrix show."""

from __future__ import annotations

import datetime
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from desktop.captions import make_error_line
from desktop.timeline.typed_date import TypedDateEdit


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DateControl(QWidget):
    """Emits `date_changed(date)` when the user picks a date; `set_date` changes it silently.

    Slider moves are coalesced (one change per pass of the event loop), so dragging the slider over
    a large quadrangle redraws at most once per mouse move.
    """

    date_changed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._first = date(1990, 1, 1)
        self._last = date.today()
        self._date = self._last
        self.label = QLabel("As of", self)
        self.start_label = QLabel(self)
        self.start_label.setTextFormat(Qt.TextFormat.PlainText)
        self.end_label = QLabel(self)
        self.end_label.setTextFormat(Qt.TextFormat.PlainText)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("dateSlider")
        self.slider.setAccessibleName("Date shown")
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setSingleStep(30)
        self.slider.setPageStep(365)
        self.slider.setTickInterval(365)
        self.slider.setMinimumWidth(240)
        self.date_edit = TypedDateEdit(self)
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setAccessibleName("Date shown")
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.today_button = QPushButton("Today", self)
        self.today_button.setObjectName("todayButton")
        self.today_button.setToolTip("Show the quadrangle as it is today")
        self.label.setBuddy(self.date_edit)
        self.problem = QLabel(self)
        self.problem.setObjectName("dateProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        make_error_line(self.problem)
        self.problem.hide()
        self.date_edit.refused.connect(self._refused)
        self.date_edit.refusal_cleared.connect(self.problem.hide)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.label)
        layout.addWidget(self.date_edit)
        layout.addWidget(self.problem)
        layout.addSpacing(8)
        layout.addWidget(self.start_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.end_label)
        layout.addWidget(self.today_button)

        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._emit_slider_date)
        self.slider.valueChanged.connect(self._slider_moved)
        self.date_edit.dateChanged.connect(self._edited)
        self.today_button.clicked.connect(lambda: self._choose(date.today()))
        self.set_span(self._first, self._last)

    def date(self) -> datetime.date:
        return self._date

    def set_span(self, first: datetime.date, last: datetime.date) -> None:
        """The slider runs from `first` to `last` (normally the first assessment to today)."""
        self._first, self._last = min(first, last), max(first, last)
        blockers = (self.slider.blockSignals(True), self.date_edit.blockSignals(True))
        self.slider.setRange(0, (self._last - self._first).days)
        self.date_edit.setDateRange(to_qdate(self._first), to_qdate(max(self._last, date.today())))
        self.slider.blockSignals(blockers[0])
        self.date_edit.blockSignals(blockers[1])
        self.start_label.setText(str(self._first.year))
        self.end_label.setText(str(self._last.year) if self._last != date.today() else "today")
        self.set_date(self._date)

    def set_date(self, value: datetime.date) -> None:
        """Show `value` without emitting `date_changed`."""
        self._date = value
        blockers = (self.slider.blockSignals(True), self.date_edit.blockSignals(True))
        self.slider.setValue(max(0, min(self.slider.maximum(), (value - self._first).days)))
        self.date_edit.setDate(to_qdate(value))
        self.slider.blockSignals(blockers[0])
        self.date_edit.blockSignals(blockers[1])

    def _choose(self, value: datetime.date) -> None:
        if value != self._date:
            self._clear_problem()
            self.set_date(value)
            self.date_changed.emit(value)

    def _slider_moved(self, value: int) -> None:
        preview = self._first + timedelta(days=value)
        blocker = self.date_edit.blockSignals(True)
        self.date_edit.setDate(to_qdate(preview))
        self.date_edit.blockSignals(blocker)
        self._pending.start()

    def _emit_slider_date(self) -> None:
        self._choose(self._first + timedelta(days=self.slider.value()))

    def _edited(self, value: QDate) -> None:
        self._choose(from_qdate(value))

    def _refused(self, _text: str, reason: str) -> None:
        self.problem.setText(reason)
        self.problem.setToolTip("")
        self.problem.show()

    def _clear_problem(self) -> None:
        self.problem.hide()
        self.date_edit.clear_refusal()
