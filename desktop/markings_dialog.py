"""Edit > Markings…: the organisation's marking vocabulary (lowest first), with the caveats and the
handling statement printed after the level on every banner ("NATO SECRET//REL TO NATO/EU")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from db import QuadrangleError

if TYPE_CHECKING:
    from db import Store


class MarkingsDialog(QDialog):
    """One level per line, lowest first. Saving calls `store.catalog.set_markings`, which refuses to
    remove or rename a level in use (the message says what uses it) so no item changes marking."""

    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Markings")
        scheme = store.catalog.marking_scheme()
        intro = QLabel(
            "The markings of this database, lowest first, one per line. A marking in use can be moved, "
            "not removed or renamed. Caveats and the handling statement follow the level on every banner.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.levels_edit = QPlainTextEdit("\n".join(scheme.levels), self)
        self.levels_edit.setObjectName("markingLevels")
        self.caveats_edit = QLineEdit(scheme.caveats, self)
        self.caveats_edit.setPlaceholderText("e.g. NOFORN (optional)")
        self.handling_edit = QLineEdit(scheme.handling, self)
        self.handling_edit.setPlaceholderText("e.g. REL TO NATO/EU (optional)")
        self.message = QLabel(self)
        self.message.setObjectName("markingsMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Levels (lowest first):", self.levels_edit)
        form.addRow("Caveats:", self.caveats_edit)
        form.addRow("Handling statement:", self.handling_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not store.read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def levels(self) -> list[str]:
        return [line.strip() for line in self.levels_edit.toPlainText().splitlines() if line.strip()]

    def save(self) -> bool:
        """Save the vocabulary; on refusal the reason is shown and the dialog stays open."""
        try:
            self.store.catalog.set_markings(
                self.levels(), caveats=self.caveats_edit.text(), handling=self.handling_edit.text()
            )
        except QuadrangleError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True
