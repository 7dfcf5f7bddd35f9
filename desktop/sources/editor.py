"""SourceDialog: author(s), year, title, journal or book, publisher, place, URL or document
reference, marking and key."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from db import SourceInput, SourceRecord
from desktop.records.dialog import RecordEditorDialog

if TYPE_CHECKING:
    from db import Store

SaveSource = Callable[[SourceInput, int | None], None]


class SourceDialog(RecordEditorDialog):
    """Edits one source of the library (or a new one); `save(draft, expected_revision)` stores it."""

    def __init__(
        self, store: Store, save: SaveSource, parent: QWidget | None = None, *, source: SourceRecord | None = None
    ) -> None:
        super().__init__(save, source.revision if source else None, parent)
        self.setObjectName("sourceDialog")
        self.setWindowTitle(f"Edit source {source.key}" if source else "Add source")
        self.setMinimumWidth(560)
        self.authors = QLineEdit(self, objectName="authors")
        self.authors.setPlaceholderText("Osland, K.   ·   Pugh, M. & W. P. S. Sidhu   ·   Council of the EU")
        self.year = QLineEdit(self, objectName="year")
        self.year.setMaxLength(16)
        self.title = QLineEdit(self, objectName="title")
        self.container = QLineEdit(self, objectName="container")
        self.container.setPlaceholderText("Journal, or the book a chapter is in")
        self.publisher = QLineEdit(self, objectName="publisher")
        self.place = QLineEdit(self, objectName="place")
        self.reference = QLineEdit(self, objectName="reference")
        self.reference.setPlaceholderText("URL, or vol./no./pages, or a document reference")
        self.marking = QComboBox(self, objectName="marking")
        for marking in store.catalog.markings():
            self.marking.addItem(marking.name, marking.name)
        self.key = QLineEdit(self, objectName="key")
        self.key.setPlaceholderText("left empty: author-year, e.g. osland-2004")
        form = QFormLayout()
        for label, widget in (
            ("&Author(s)", self.authors),
            ("&Year", self.year),
            ("&Title", self.title),
            ("&Journal / in", self.container),
            ("&Publisher", self.publisher),
            ("P&lace", self.place),
            ("&Reference / URL", self.reference),
            ("&Marking", self.marking),
            ("&Key", self.key),
        ):
            form.addRow(label, widget)
        self.lay_out(form)
        if source is not None:
            for widget, value in (
                (self.authors, source.authors),
                (self.year, source.year),
                (self.title, source.title),
                (self.container, source.container),
                (self.publisher, source.publisher),
                (self.place, source.place),
                (self.reference, source.reference),
                (self.key, source.key),
            ):
                widget.setText(value)
            self.marking.setCurrentIndex(max(self.marking.findData(source.marking), 0))

    def draft(self) -> SourceInput:
        return SourceInput(
            authors=self.authors.text(),
            year=self.year.text(),
            title=self.title.text(),
            key=self.key.text().strip(),
            container=self.container.text(),
            publisher=self.publisher.text(),
            place=self.place.text(),
            reference=self.reference.text(),
            marking=self.marking.currentData(),
        )
