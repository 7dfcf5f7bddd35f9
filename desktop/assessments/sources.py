"""A small dialog to add a source that citations can point to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from db import QuadrangleError, SourceInput, SourceRecord

if TYPE_CHECKING:
    from db import Store


class NewSourceDialog(QDialog):
    """Adds a source through `add(draft)` on OK (the editor's undoable AddSourceCommand) and emits
    `source_added(SourceRecord)`. A refused source keeps the dialog open with the store's message.
    Open with `open()`."""

    source_added = Signal(object)

    def __init__(self, store: Store, add: Callable[[SourceInput], SourceRecord], parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self._add = add
        self.setWindowTitle("New source")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.authors_edit = QLineEdit(self)
        self.authors_edit.setObjectName("authorsEdit")
        self.authors_edit.setPlaceholderText("Surname, I. & I. Surname, or an organization")
        self.year_edit = QLineEdit(self)
        self.year_edit.setObjectName("yearEdit")
        self.year_edit.setPlaceholderText("2005")
        self.year_edit.setMaxLength(16)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleEdit")
        self.container_edit = QLineEdit(self)
        self.container_edit.setPlaceholderText("Journal or book it appeared in (optional)")
        self.publisher_edit = QLineEdit(self)
        self.publisher_edit.setPlaceholderText("Optional")
        self.marking_combo = QComboBox(self)
        for marking in store.catalog.markings():
            self.marking_combo.addItem(marking.name, marking.name)
        form.addRow("Author(s)", self.authors_edit)
        form.addRow("Year", self.year_edit)
        form.addRow("Title", self.title_edit)
        form.addRow("Published in", self.container_edit)
        form.addRow("Publisher", self.publisher_edit)
        form.addRow("Marking", self.marking_combo)
        layout.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add source")
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())

    def add(self) -> None:
        try:
            record: SourceRecord = self._add(
                SourceInput(
                    authors=self.authors_edit.text(),
                    year=self.year_edit.text(),
                    title=self.title_edit.text(),
                    container=self.container_edit.text(),
                    publisher=self.publisher_edit.text(),
                    marking=self.marking_combo.currentData(),
                )
            )
        except QuadrangleError as exc:
            self.error_label.setText(str(exc))
            return
        self.source_added.emit(record)
        self.accept()
