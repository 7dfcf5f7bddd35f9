"""OperationDialog: acronym, full name, location, lead organization, organizations involved, start
and end (or ongoing / planned), mandate reference and notes; when an edit changes the mandate, the
day the new mandate took effect (kept in the operation's mandate history)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from db import DASH, OperationInput, OperationRecord, OperationStatus
from desktop.captions import make_error_line
from desktop.lessons.editor import checkable_list, checked_ids
from desktop.qt_build import named
from desktop.records.dialog import RecordEditorDialog
from desktop.timeline.typed_date import TypedDateEdit, parse_typed_date

if TYPE_CHECKING:
    from db import Store

SaveOperation = Callable[[OperationInput, int | None], None]


class OperationDialog(RecordEditorDialog[OperationInput]):
    """Edits one operation (or a new one); `save(draft, expected_revision)` stores it."""

    def __init__(
        self,
        store: Store,
        save: SaveOperation,
        parent: QWidget | None = None,
        *,
        operation: OperationRecord | None = None,
    ) -> None:
        super().__init__(save, operation.revision if operation else None, parent)
        self.setObjectName("operationDialog")
        self.setWindowTitle(f"Edit operation {operation.acronym}" if operation else "Add operation")
        self.setMinimumWidth(560)
        organizations = store.quadrangle.organizations()

        self.acronym = named(QLineEdit(self), "acronym")
        self.acronym.setMaxLength(60)
        self.name = named(QLineEdit(self), "name")
        self.location = named(QLineEdit(self), "location")
        self.lead = named(QComboBox(self), "lead")
        self.lead.addItem(f"{DASH} none {DASH}", None)
        for org in organizations:
            self.lead.addItem(f"{org.code} — {org.name}", org.code)
        self.organizations = checkable_list([(o.code, o.code) for o in organizations], set(), "organizations", self)
        self.organizations.setFlow(QListWidget.Flow.LeftToRight)
        self.organizations.setMaximumHeight(34)
        self.status = named(QComboBox(self), "status")
        for status in OperationStatus:
            self.status.addItem(status.value.capitalize(), status.value)
        self.start = named(QLineEdit(self), "start")
        self.start.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        self.end = named(QLineEdit(self), "end")
        self.end.setPlaceholderText("empty while ongoing or planned")
        self.mandate = named(QLineEdit(self), "mandate")
        self.mandate.setPlaceholderText("e.g. UNSC resolution 1671")
        self._loaded_mandate: str | None = None  # None for a new operation: it has no history yet
        self.mandate_effective = named(TypedDateEdit(self), "mandateEffective")
        self.mandate_effective.setCalendarPopup(True)
        self.mandate_effective.setDisplayFormat("yyyy-MM-dd")
        self.mandate_effective.setMinimumDate(QDate(1945, 1, 1))
        self.mandate_effective.setDate(QDate.currentDate())
        self.mandate_effective.setToolTip("The day the new mandate took effect (kept in the mandate history).")
        self.mandate_effective.refused.connect(lambda _text, reason: self.show_error(reason))
        self.mandate_effective_label = QLabel("In &effect from", self)
        self.mandate_effective_label.setBuddy(self.mandate_effective)
        self.mandate_correction = named(QCheckBox("Only a &correction of its text", self), "mandateCorrection")
        self.mandate_correction.setToolTip(
            "The mandate did not change (a typo, a fuller reference): nothing is added to its history."
        )
        self.mandate_correction.toggled.connect(lambda on: self.mandate_effective.setEnabled(not on))
        self.mandate_effective_row = QWidget(self)
        effective_row = QHBoxLayout(self.mandate_effective_row)
        effective_row.setContentsMargins(0, 0, 0, 0)
        effective_row.addWidget(self.mandate_effective)
        effective_row.addWidget(self.mandate_correction, 1)
        self.notes = named(QPlainTextEdit(self), "notes")
        self.notes.setTabChangesFocus(True)

        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end)
        dates.addWidget(self.status)
        form = QFormLayout()
        form.addRow("&Acronym", self.acronym)
        form.addRow("Full &name", self.name)
        form.addRow("&Location", self.location)
        form.addRow("Lea&d organization", self.lead)
        form.addRow("Organizations involved", self.organizations)
        form.addRow("Period", dates)
        form.addRow("&Mandate", self.mandate)
        form.addRow(self.mandate_effective_label, self.mandate_effective_row)
        form.addRow("N&otes", self.notes)
        self.lay_out(form)
        self.error.setStyleSheet("")  # the frame's fixed red is unreadable on a dark palette
        make_error_line(self.error)
        self.mandate_effective.refusal_cleared.connect(self.error.hide)
        self.mandate.textChanged.connect(self._show_mandate_effective)
        if operation is not None:
            self.load(operation)
        self._show_mandate_effective()

    def mandate_changed(self) -> bool:
        """Whether the mandate typed differs from the one the edited operation had."""
        return self._loaded_mandate is not None and self.mandate.text().strip() != self._loaded_mandate

    def _show_mandate_effective(self) -> None:
        changed = self.mandate_changed()
        self.mandate_effective_label.setVisible(changed)
        self.mandate_effective_row.setVisible(changed)

    def submit(self) -> None:
        """Refuse to save while the mandate's date is unreadable (the field would keep its old date)."""
        if self.mandate_changed() and not self.mandate_correction.isChecked():
            typed = self.mandate_effective.text().strip()
            if parse_typed_date(typed, self.mandate_effective.locale()) is None:
                self.show_error(f"Cannot read “{typed}” as the day the new mandate took effect: type it as 2008-09-24.")
                self.mandate_effective.setFocus()
                return
            self.mandate_effective.interpretText()  # keyboard tracking is off: what is typed is read now
        super().submit()

    def load(self, operation: OperationRecord) -> None:
        self.acronym.setText(operation.acronym)
        self.name.setText(operation.name)
        self.location.setText(operation.location)
        self.lead.setCurrentIndex(max(self.lead.findData(operation.lead_code), 0))
        for i in range(self.organizations.count()):
            item = self.organizations.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.text() in operation.organization_codes else Qt.CheckState.Unchecked
            )
        self.status.setCurrentIndex(max(self.status.findData(operation.status.value), 0))
        self.start.setText(operation.start or "")
        self.end.setText(operation.end or "")
        self._loaded_mandate = operation.mandate
        end = operation.last_day()
        if end is not None:  # a new mandate of an ended operation took effect before its end
            last = min(end, date.today())
            self.mandate_effective.setDate(QDate(last.year, last.month, last.day))
        self.mandate.setText(operation.mandate)
        self.notes.setPlainText(operation.notes)

    def draft(self) -> OperationInput:
        return OperationInput(
            acronym=self.acronym.text(),
            name=self.name.text(),
            status=OperationStatus(self.status.currentData()),
            location=self.location.text(),
            lead_code=self.lead.currentData(),
            organization_codes=checked_ids(self.organizations),
            start=self.start.text().strip() or None,
            end=self.end.text().strip() or None,
            mandate=self.mandate.text(),
            notes=self.notes.toPlainText(),
            mandate_effective=self._effective_day() if self.mandate_changed() else None,
            mandate_correction=self.mandate_changed() and self.mandate_correction.isChecked(),
        )

    def _effective_day(self) -> date:
        value = self.mandate_effective.date()
        return date(value.year(), value.month(), value.day())
