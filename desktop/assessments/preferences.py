"""The Preferences dialog: the analyst name new versions and log entries are attributed to, and the
review interval after which an assessment is shown as due for review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import default_actor
from desktop.settings import AppSettings

if TYPE_CHECKING:
    from db import Store


class PreferencesDialog(QDialog):
    """Sets `AppSettings.analyst_name` and the open store's actor on OK (empty means the OS user), and
    `AppSettings.review_months`; `review_interval_changed` callers refresh their views after `apply`."""

    def __init__(self, store: Store, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.analyst_edit = QLineEdit(self)
        self.analyst_edit.setObjectName("analystEdit")
        self.analyst_edit.setMaxLength(200)
        self.analyst_edit.setPlaceholderText(default_actor())
        self.analyst_edit.setText(settings.analyst_name)
        form.addRow("Analyst name", self.analyst_edit)
        self.review_spin = QSpinBox(self)
        self.review_spin.setObjectName("reviewIntervalSpin")
        self.review_spin.setRange(0, 600)
        self.review_spin.setSuffix(" months")
        self.review_spin.setSpecialValueText("never")
        self.review_spin.setValue(settings.review_months)
        self.review_spin.setAccessibleName("Review interval")
        self.review_spin.setAccessibleDescription(
            "An assessment older than this on the date shown is marked due for review; 0 turns the mark off."
        )
        self.analyst_edit.setAccessibleName("Analyst name")
        form.addRow("Review interval", self.review_spin)
        layout.addLayout(form)
        note = QLabel(
            "Versions you save and every change you make are recorded under this name. "
            f"Leave it empty to use your system user name ({default_actor()}).",
            self,
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(440, self.sizeHint().height())

    def apply(self) -> None:
        name = " ".join(self.analyst_edit.text().split())
        self.settings.analyst_name = name
        self.settings.review_months = self.review_spin.value()
        self.settings.sync()
        self.store.actor = name or default_actor()
        self.accept()
