"""Help > Check database: the full check's findings in words, and the safe repair (which backs up first)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from db import QuadrangleError

if TYPE_CHECKING:
    from db import Store


class CheckDatabaseDialog(QDialog):
    """Runs `store.safety.check()` when built; "Repair" applies `store.safety.repair()` when a safe repair exists."""

    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Check database")
        self.resize(620, 360)
        self.summary = QLabel(self)
        self.summary.setObjectName("checkSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("checkDetails")
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(self)
        self.repair_button = QPushButton("&Repair", self)
        self.repair_button.setToolTip("Back up, then apply the repairs that cannot lose anything")
        buttons.addButton(self.repair_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.repair_button.clicked.connect(self.repair)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.run_check()

    def run_check(self) -> None:
        try:
            problems = self.store.safety.check()
        except QuadrangleError as exc:
            self.summary.setText(str(exc))
            self.repair_button.setEnabled(False)
            return
        self._show(problems, [])

    def _show(self, problems, done) -> None:
        lines = list(done)
        if problems:
            self.summary.setText(f"{len(problems)} problem(s) found in {self.store.location.display}.")
            lines += [f"• {p.message}" for p in problems]
        else:
            self.summary.setText(f"No problems found in {self.store.location.display}.")
        self.details.setPlainText("\n".join(lines))
        self.repair_button.setEnabled(any(p.repairable for p in problems) and not self.store.read_only)

    def repair(self) -> None:
        try:
            result = self.store.safety.repair()
        except QuadrangleError as exc:
            self.summary.setText(str(exc))
            return
        done = list(result.done)
        if result.backup is not None:
            done.insert(0, f"Backed up to {result.backup.name} first.")
        self._show(list(result.remaining), done)
