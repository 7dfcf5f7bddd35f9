"""AddOrganizationDialog: code, name, kind and founding date of a new organization; the window turns
it into an undoable AddOrganizationCommand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from db import OrganizationKind
from desktop.captions import make_caption, make_error_line
from desktop.timeline.typed_date import TypedDateEdit, parse_typed_date

NOT_KNOWN = "Not known"
FIRST_FOUNDING = QDate(1800, 1, 2)  # the day before it is the field's "not known"

# The dialog's submit callback returns "" on success or the store's one-line error to show.
Submit = Callable[[dict], str]


class AddOrganizationDialog(QDialog):
    """Asks for a new organization; on Add calls `submit(values)` and closes only if it succeeded.

    `values` has code, name, kind, security_role_since and founded (None when not given) and
    description. A founding date is typed (ISO or the locale's) or picked; one that cannot be read is
    said in the dialog and nothing is added.
    Emits `organization_added(code)` after a successful submit.
    """

    organization_added = Signal(str)

    def __init__(self, submit: Submit, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add organization")
        self._submit = submit
        self.code = QLineEdit(self)
        self.code.setObjectName("codeEdit")
        self.code.setPlaceholderText("e.g. OSCE")
        self.code.setMaxLength(16)
        self.code.setValidator(QRegularExpressionValidator(r"[A-Za-z][A-Za-z0-9]{0,15}", self.code))
        self.name = QLineEdit(self)
        self.name.setObjectName("nameEdit")
        self.name.setPlaceholderText("e.g. Organization for Security and Co-operation in Europe")
        self.name.setMaxLength(200)
        self.kind = QComboBox(self)
        self.kind.setObjectName("kindCombo")
        for kind in OrganizationKind:
            self.kind.addItem(kind.value.capitalize(), kind.value)
        self.kind.setCurrentIndex(self.kind.findData(OrganizationKind.REGIONAL.value))
        self.since = QSpinBox(self)
        self.since.setObjectName("sinceSpin")
        self.since.setRange(1900, 2100)
        self.since.setSpecialValueText("unknown")
        self.since.setMinimum(1899)
        self.since.setValue(1899)
        self.founded = TypedDateEdit(self)
        self.founded.setObjectName("foundedEdit")
        self.founded.setCalendarPopup(True)
        self.founded.setDisplayFormat("yyyy-MM-dd")
        self.founded.setSpecialValueText(NOT_KNOWN)
        self.founded.setDateRange(FIRST_FOUNDING.addDays(-1), QDate.currentDate())
        self.founded.setDate(self.founded.minimumDate())
        self.founded.setToolTip("The day it was founded: it is not drawn before it. Leave “Not known” if unsure.")
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("descriptionEdit")
        self.description.setFixedHeight(70)
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        make_error_line(self.error)
        self.error.hide()
        self.founded.refused.connect(lambda _text, reason: self._show_error(reason))
        self.founded.refusal_cleared.connect(self.error.hide)

        form = QFormLayout()
        form.addRow("&Code:", self.code)
        form.addRow("&Name:", self.name)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Founded on:", self.founded)
        form.addRow("&Security role since:", self.since)
        form.addRow("&Description:", self.description)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = self.buttons.addButton("&Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("addButton")
        self.add_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        note = QLabel("The new organization gets a relationship with every other one.", self)
        note.setWordWrap(True)
        make_caption(note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.code.textChanged.connect(self._update_button)
        self.name.textChanged.connect(self._update_button)
        self._update_button()

    def values(self) -> dict:
        since = self.since.value()
        return {
            "code": self.code.text().strip().upper(),
            "name": self.name.text().strip(),
            "kind": self.kind.currentData(),
            "security_role_since": None if since == self.since.minimum() else since,
            "description": self.description.toPlainText().strip(),
            "founded": self.founded_day(),
        }

    def founded_day(self) -> date | None:
        """The founding day shown, None for "Not known"."""
        value = self.founded.date()
        if value <= self.founded.minimumDate():
            return None
        return date(value.year(), value.month(), value.day())

    def _founded_problem(self) -> str:
        """Why the founding date typed cannot be used ("" when it can); reads what was typed."""
        typed = self.founded.text().strip()
        if typed == NOT_KNOWN or not typed:
            return ""
        if self.founded.property("refused"):
            return self.founded.toolTip()
        day = parse_typed_date(typed, self.founded.locale())
        if day is None:
            return f"Cannot read “{typed}” as a founding date: type it as 1975-08-01, or leave it “Not known”."
        if day > date.today():
            return f"A founding date of {day.isoformat()} is after today: give the day it was founded."
        self.founded.interpretText()  # keyboard tracking is off: what is typed is read now
        return ""

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _update_button(self) -> None:
        self.add_button.setEnabled(bool(self.code.text().strip() and self.name.text().strip()))

    def accept(self) -> None:
        problem = self._founded_problem()
        if problem:
            self._show_error(problem)
            self.founded.setFocus()
            return
        values = self.values()
        message = self._submit(values)
        if message:
            self._show_error(message)
            return
        self.organization_added.emit(values["code"])
        super().accept()
