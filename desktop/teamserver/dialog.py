"""The dialog that chooses the team database opened at start: a postgresql:// URL, or nothing for the
file on this computer. Passwords are never kept: they belong in ~/.pgpass or PGPASSWORD."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from db import DatabaseOpenError, locate, without_password
from desktop.captions import make_error_line
from desktop.settings import AppSettings

PLACEHOLDER = "postgresql://analyst@team-db/quadrangle"
EXPLANATION = (
    "Quadrangle opens this shared database when it starts (unless --db or QUADRANGLE_DATABASE_URL names "
    "another). Leave it empty to use the database file on this computer.\n\n"
    "Passwords are not kept here: put yours in ~/.pgpass (host:port:database:user:password, readable by "
    "you only) or in the PGPASSWORD variable."
)


class TeamDatabaseDialog(QDialog):
    """Edits `AppSettings.database_url`; on Save the URL is stored without any password it held.
    `outcome` is the one-line result to show in the status bar after it was accepted."""

    def __init__(self, settings: AppSettings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team database")
        self._settings = settings
        self.outcome = ""
        self.url = QLineEdit(settings.database_url, self)
        self.url.setObjectName("teamDatabaseUrl")
        self.url.setPlaceholderText(PLACEHOLDER)
        self.url.setMinimumWidth(420)
        explanation = QLabel(EXPLANATION, self)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        explanation.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("teamDatabaseError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        make_error_line(self.error)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Server URL", self.url)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        """Check the URL names a PostgreSQL database, keep it without its password, and close."""
        text = self.url.text().strip()
        if text:
            try:
                location = locate(text)
            except DatabaseOpenError as exc:
                self._show_error(str(exc))
                return
            if location.is_sqlite:
                self._show_error(
                    "Give a postgresql:// URL, e.g. " + PLACEHOLDER + " (or leave it empty for this computer's file)."
                )
                return
        kept = without_password(text)
        self._settings.database_url = kept
        self._settings.sync()
        if not kept:
            self.outcome = "Quadrangle will open this computer's database file next time it starts."
        else:
            dropped = " The password was not kept: put it in ~/.pgpass." if kept != text else ""
            self.outcome = f"Quadrangle will open {kept} next time it starts.{dropped}"
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
