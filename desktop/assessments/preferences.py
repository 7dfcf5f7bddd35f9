"""The Preferences dialog: the analyst name new versions and log entries are attributed to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from db import default_actor
from desktop.settings import AppSettings

if TYPE_CHECKING:
    from db import Store


class PreferencesDialog(QDialog):
    """Sets `AppSettings.analyst_name` and the open store's actor on OK (empty means the OS user)."""

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
        self.settings.sync()
        self.store.actor = name or default_actor()
        self.accept()
