"""AddOrganizationDialog: code, name and kind of a new organization; the window turns it into an
undoable AddOrganizationCommand."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
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

# The dialog's submit callback returns "" on success or the store's one-line error to show.
Submit = Callable[[dict], str]


class AddOrganizationDialog(QDialog):
    """Asks for a new organization; on Add calls `submit(values)` and closes only if it succeeded.

    `values` has code, name, kind, security_role_since (None when not given) and description.
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
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("descriptionEdit")
        self.description.setFixedHeight(70)
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color: #A00000; }")
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Code:", self.code)
        form.addRow("&Name:", self.name)
        form.addRow("&Kind:", self.kind)
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
        }

    def _update_button(self) -> None:
        self.add_button.setEnabled(bool(self.code.text().strip() and self.name.text().strip()))

    def accept(self) -> None:
        values = self.values()
        message = self._submit(values)
        if message:
            self.error.setText(message)
            self.error.show()
            return
        self.organization_added.emit(values["code"])
        super().accept()
