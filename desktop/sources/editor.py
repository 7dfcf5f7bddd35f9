"""SourceDialog: the full bibliographic record of one source: item type, author(s) (report style;
editors and translators kept), title, container, volume, issue, pages, edition, publisher, place,
date, DOI, ISBN/ISSN, URL and access date, document symbol, language, notes, marking and key; the
creators with their roles in a table beneath."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QBoxLayout, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from db import ItemType, SourceInput, SourceRecord
from desktop.qt_build import named
from desktop.records.dialog import RecordEditorDialog
from desktop.sources.creators import CreatorsTable

if TYPE_CHECKING:
    from db import Store

SaveSource = Callable[[SourceInput, int | None], None]
SHORT_FIELDS = ("volume", "issue", "pages", "edition")


class SourceDialog(RecordEditorDialog):
    """Edits one source of the library (or a new one); `save(draft, expected_revision)` stores it.
    The creators table (roles, institutions as one name) is what is stored when it is filled in or
    edited; otherwise the author line in report style is ("(Eds.)" makes editors), and a source whose
    line and table are both left as they were keeps its stored creators."""

    def __init__(
        self, store: Store, save: SaveSource, parent: QWidget | None = None, *, source: SourceRecord | None = None
    ) -> None:
        super().__init__(save, source.revision if source else None, parent)
        self.source = source
        self.setObjectName("sourceDialog")
        self.setWindowTitle(f"Edit source {source.key}" if source else "Add source")
        self.setMinimumWidth(620)
        self.item_type = named(QComboBox(self), "itemType")
        self.item_type.addItem("(from the fields)", "")
        for item in ItemType:
            self.item_type.addItem(item.label, item.value)
        self.authors = named(QLineEdit(self), "authors")
        self.authors.setPlaceholderText("Osland, K.   ·   Pugh, M. & W. P. S. Sidhu   ·   Council of the EU")
        self.year = named(QLineEdit(self), "year")
        self.year.setMaxLength(16)
        self.date = named(QLineEdit(self), "date")
        self.date.setPlaceholderText("2003-07-28 (or 2003-07)")
        self.date.setMaxLength(40)
        self.title = named(QLineEdit(self), "title")
        self.container = named(QLineEdit(self), "container")
        self.container.setPlaceholderText("Journal, the book a chapter is in, the series or the website")
        row = QWidget(self)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        for name, hint in zip(SHORT_FIELDS, ("volume", "issue", "pages", "edition"), strict=True):
            edit = named(QLineEdit(row), name)
            edit.setPlaceholderText(hint)
            edit.setMaxLength(100)
            setattr(self, name, edit)
            row_layout.addWidget(edit)
        self.publisher = named(QLineEdit(self), "publisher")
        self.place = named(QLineEdit(self), "place")
        self.document_symbol = named(QLineEdit(self), "documentSymbol")
        self.document_symbol.setPlaceholderText("S/RES/1484 (2003), or a report number")
        self.doi = named(QLineEdit(self), "doi")
        self.doi.setPlaceholderText("10.1080/13533310500201894")
        self.isbn = named(QLineEdit(self), "isbn")
        self.issn = named(QLineEdit(self), "issn")
        self.url = named(QLineEdit(self), "url")
        self.accessed = named(QLineEdit(self), "accessed")
        self.accessed.setPlaceholderText("date the URL was visited, 2024-03-01")
        self.language = named(QLineEdit(self), "language")
        self.notes = named(QPlainTextEdit(self), "notes")
        self.notes.setMaximumHeight(60)
        self.marking = named(QComboBox(self), "marking")
        for marking in store.catalog.markings():
            self.marking.addItem(marking.name, marking.name)
        self.key = named(QLineEdit(self), "key")
        self.key.setPlaceholderText("left empty: author-year, e.g. osland-2004")
        form = QFormLayout()
        for label, widget in (
            ("T&ype", self.item_type),
            ("&Author(s)", self.authors),
            ("&Year", self.year),
            ("&Date", self.date),
            ("&Title", self.title),
            ("&Journal / in", self.container),
            ("Vol. / no. / pp. / ed.", row),
            ("&Publisher", self.publisher),
            ("P&lace", self.place),
            ("Document &symbol", self.document_symbol),
            ("DOI", self.doi),
            ("ISBN", self.isbn),
            ("ISSN", self.issn),
            ("&URL", self.url),
            ("Accessed", self.accessed),
            ("Lan&guage", self.language),
            ("&Notes", self.notes),
            ("&Marking", self.marking),
            ("&Key", self.key),
        ):
            form.addRow(label, widget)
        self.lay_out(form)
        self.creators_table = CreatorsTable(self)
        layout = self.layout()
        assert isinstance(layout, QBoxLayout)  # lay_out stacks the form, the error line and the buttons
        layout.insertWidget(1, self.creators_table)
        if source is not None:
            self.creators_table.load(source.creators)
            for name in (
                "authors",
                "year",
                "date",
                "title",
                "container",
                *SHORT_FIELDS,
                "publisher",
                "place",
                "document_symbol",
                "doi",
                "isbn",
                "issn",
                "url",
                "accessed",
                "language",
                "key",
            ):
                getattr(self, name).setText(getattr(source, name))
            self.notes.setPlainText(source.notes)
            self.item_type.setCurrentIndex(max(self.item_type.findData(source.item_type), 0))
            self.marking.setCurrentIndex(max(self.marking.findData(source.marking), 0))

    def draft(self) -> SourceInput:
        authors, creators = self.authors.text(), self.creators_table.creators()
        stored = self.source.creators if self.source is not None else ()
        if creators and creators != stored:
            authors = ""  # the store derives the author line from the creators
        elif self.source is None or authors != self.source.authors:
            creators = ()  # a new or changed author line decides
        values = {name: getattr(self, name).text() for name in (*SHORT_FIELDS, "document_symbol", "doi", "isbn")}
        draft = SourceInput(
            authors=authors,
            year=self.year.text(),
            title=self.title.text(),
            key=self.key.text().strip(),
            container=self.container.text(),
            publisher=self.publisher.text(),
            place=self.place.text(),
            marking=self.marking.currentData(),
            item_type=self.item_type.currentData() or "",
            creators=creators,
            date=self.date.text(),
            issn=self.issn.text(),
            url=self.url.text(),
            accessed=self.accessed.text(),
            language=self.language.text(),
            notes=self.notes.toPlainText(),
            **values,
        )
        return draft
