"""LessonDialog: the lesson editor (finding, recommendation, kind, themes, relationships, operation,
citations with locators, marking, date recorded). It builds a LessonInput; the caller saves it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from db import DASH, CitationInput, LessonInput, LessonKind, LessonRecord, QuadrangleError
from desktop.qt_build import named
from desktop.records.dialog import RecordEditorDialog
from desktop.sources.picker import make_searchable

if TYPE_CHECKING:
    from db import Store

SaveLesson = Callable[[LessonInput, int | None], None]
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def checkable_list(items: list[tuple[str, str]], checked: set[str], name: str, parent: QWidget) -> QListWidget:
    """A list of check boxes, one per (id, label). Made with its dialog as parent so that it takes its
    place in the Tab order where it is created, not after the dialog's buttons."""
    widget = QListWidget(parent)
    widget.setObjectName(name)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    for ident, label in items:
        item = QListWidgetItem(label)
        item.setData(ID_ROLE, ident)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ident in checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def checked_ids(widget: QListWidget) -> tuple[str, ...]:
    return tuple(
        widget.item(i).data(ID_ROLE)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    )


def set_checked(widget: QListWidget, ident: str, checked: bool = True) -> None:
    for i in range(widget.count()):
        if widget.item(i).data(ID_ROLE) == ident:
            widget.item(i).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class LessonDialog(RecordEditorDialog[LessonInput]):
    """Edits one lesson (or a new one, pre-filled with a relationship and/or an operation).

    `save(draft, expected_revision)` is called on Save; a QuadrangleError it raises is shown in the
    dialog, which stays open. After a ConflictError the dialog takes the newer revision, so saving
    again deliberately overwrites the other analyst's version.
    """

    def __init__(
        self,
        store: Store,
        save: SaveLesson,
        parent: QWidget | None = None,
        *,
        lesson: LessonRecord | None = None,
        relationship_id: str | None = None,
        operation_id: str | None = None,
        add_theme: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(save, lesson.revision if lesson else None, parent)
        self.setObjectName("lessonDialog")
        self._store = store
        self._add_theme = add_theme
        self.lesson = lesson
        self.setWindowTitle("Edit lesson" if lesson else "Add lesson")
        self.setMinimumWidth(760)

        self.finding = named(QPlainTextEdit(self), "finding")
        self.finding.setPlaceholderText("What was observed: the challenge met or the success achieved.")
        self.finding.setTabChangesFocus(True)
        self.recommendation = named(QPlainTextEdit(self), "recommendation")
        self.recommendation.setPlaceholderText("What should be done next time (optional).")
        self.recommendation.setTabChangesFocus(True)
        self.finding.setMinimumHeight(90)
        self.recommendation.setMinimumHeight(70)

        self.kind = named(QComboBox(self), "kind")
        for kind in LessonKind:
            self.kind.addItem(kind.label, kind.value)
        self.recorded_on = named(QDateEdit(self), "recordedOn")
        self.recorded_on.setCalendarPopup(True)
        self.recorded_on.setDisplayFormat("yyyy-MM-dd")
        self.recorded_on.setMaximumDate(QDate.currentDate())
        self.marking = named(QComboBox(self), "marking")
        for marking in store.catalog.markings():
            self.marking.addItem(marking.name, marking.name)
        self.operation = named(QComboBox(self), "operation")
        self.operation.addItem(f"{DASH} none {DASH}", None)
        for operation in store.operations.all():
            self.operation.addItem(f"{operation.acronym} ({operation.period_label()})", operation.id)

        relationships = store.quadrangle.relationships()
        self.relationships = checkable_list([(r.id, r.label) for r in relationships], set(), "relationships", self)
        self.themes = checkable_list([(t.key, t.name) for t in store.catalog.themes()], set(), "themes", self)
        for widget in (self.relationships, self.themes):
            widget.setMinimumHeight(140)
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        new_theme = named(QPushButton("New theme…", self), "newTheme")
        new_theme.clicked.connect(self._new_theme)
        new_theme.setEnabled(add_theme is not None)

        self._sources = [(s.id, f"{s.short} {s.title}"[:90]) for s in store.sources.all()]
        self.citations = named(QTableWidget(0, 3, self), "citations")
        self.citations.setHorizontalHeaderLabels(["Source", "Pages", "Quote"])
        header = self.citations.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.citations.verticalHeader().setVisible(False)
        self.citations.setMinimumHeight(96)
        add_citation = named(QPushButton("Add citation", self), "addCitation")
        add_citation.clicked.connect(lambda: self.add_citation_row())
        remove_citation = named(QPushButton("Remove citation", self), "removeCitation")
        remove_citation.clicked.connect(self._remove_citation)

        text_box = QGroupBox("Lesson", self)
        text_form = QFormLayout(text_box)
        text_form.addRow("&Finding", self.finding)
        text_form.addRow("&Recommendation", self.recommendation)
        facts = QHBoxLayout()
        for label, field in (("&Kind", self.kind), ("Recorded &on", self.recorded_on), ("&Marking", self.marking)):
            caption = QLabel(label, self)
            caption.setBuddy(field)
            facts.addWidget(caption)
            facts.addWidget(field)
        facts.addStretch(1)
        text_form.addRow(facts)

        context_box = QGroupBox("Context", self)
        context = QGridLayout(context_box)
        context.addWidget(QLabel("Relationship(s)"), 0, 0)
        context.addWidget(QLabel("Themes"), 0, 1)
        context.addWidget(self.relationships, 1, 0)
        context.addWidget(self.themes, 1, 1)
        context.addWidget(new_theme, 2, 1, Qt.AlignmentFlag.AlignRight)
        operation_row = QHBoxLayout()
        operation_label = QLabel("O&peration", self)
        operation_label.setBuddy(self.operation)
        operation_row.addWidget(operation_label)
        operation_row.addWidget(self.operation, 1)
        context.addLayout(operation_row, 2, 0)

        citations_box = QGroupBox("Citations", self)
        citations_layout = QVBoxLayout(citations_box)
        citations_layout.addWidget(self.citations)
        citation_buttons = QHBoxLayout()
        citation_buttons.addWidget(add_citation)
        citation_buttons.addWidget(remove_citation)
        citation_buttons.addStretch(1)
        citations_layout.addLayout(citation_buttons)

        self.lay_out((text_box, 3), (context_box, 2), (citations_box, 1))

        if lesson is not None:
            self.load(lesson)
        else:
            self.recorded_on.setDate(QDate.currentDate())
            if relationship_id:
                set_checked(self.relationships, relationship_id)
            if operation_id:
                self._select(self.operation, operation_id)

    @staticmethod
    def _select(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def load(self, lesson: LessonRecord) -> None:
        """Show `lesson`'s values in the form."""
        self.finding.setPlainText(lesson.finding)
        self.recommendation.setPlainText(lesson.recommendation)
        self._select(self.kind, lesson.kind.value)
        self.recorded_on.setDate(QDate(lesson.recorded_on.year, lesson.recorded_on.month, lesson.recorded_on.day))
        self._select(self.marking, lesson.marking)
        if lesson.operation_id and self.operation.findData(lesson.operation_id) < 0:
            self.operation.addItem(f"{lesson.operation_id[:8]} (in the trash)", lesson.operation_id)
        self._select(self.operation, lesson.operation_id)
        for i in range(self.relationships.count()):
            self.relationships.item(i).setCheckState(Qt.CheckState.Unchecked)
        for rel_id in lesson.relationship_ids:
            set_checked(self.relationships, rel_id)
        for i in range(self.themes.count()):
            self.themes.item(i).setCheckState(Qt.CheckState.Unchecked)
        for key in lesson.theme_keys:
            set_checked(self.themes, key)
        self.citations.setRowCount(0)
        for citation in lesson.citations:
            self.add_citation_row(citation.source_id, citation.locator, citation.quote)

    def add_citation_row(self, source_id: str | None = None, locator: str = "", quote: str = "") -> None:
        row = self.citations.rowCount()
        self.citations.insertRow(row)
        combo = QComboBox(self.citations)
        combo.setObjectName(f"citationSource{row}")
        for ident, label in self._sources:
            combo.addItem(label, ident)
        if source_id is not None:
            if combo.findData(source_id) < 0:
                combo.addItem("(source in the trash)", source_id)
            self._select(combo, source_id)
        make_searchable(combo)  # type an author, year or title words to filter the list
        self.citations.setCellWidget(row, 0, combo)
        locator_edit = QLineEdit(locator, self.citations)
        locator_edit.setPlaceholderText("e.g. 15-17")
        locator_edit.setMaxLength(100)
        self.citations.setCellWidget(row, 1, locator_edit)
        quote_edit = QLineEdit(quote, self.citations)
        quote_edit.setPlaceholderText("Quoted words (optional, searchable)")
        self.citations.setCellWidget(row, 2, quote_edit)

    def _remove_citation(self) -> None:
        row = self.citations.currentRow()
        if row < 0:
            row = self.citations.rowCount() - 1
        if row >= 0:
            self.citations.removeRow(row)

    def _new_theme(self) -> None:
        name, ok = QInputDialog.getText(self, "New theme", "Name of the new theme:")
        if ok and name.strip() and self._add_theme is not None:
            try:
                key = self._add_theme(name)
            except QuadrangleError as exc:
                self.show_error(str(exc))
                return
            if key:
                self.add_theme_item(key, " ".join(name.split()))

    def add_theme_item(self, key: str, name: str) -> None:
        item = QListWidgetItem(name)
        item.setData(ID_ROLE, key)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.themes.addItem(item)

    def draft(self) -> LessonInput:
        """The lesson as the form now stands."""
        qdate = self.recorded_on.date()
        citations = []
        for row in range(self.citations.rowCount()):
            combo, locator, quote = (self.citations.cellWidget(row, column) for column in range(3))
            if not (isinstance(combo, QComboBox) and isinstance(locator, QLineEdit) and isinstance(quote, QLineEdit)):
                continue  # add_citation_row makes every row of these three
            if combo.currentData() is None:
                continue
            citations.append(CitationInput(combo.currentData(), locator.text(), quote.text()))
        return LessonInput(
            finding=self.finding.toPlainText(),
            recommendation=self.recommendation.toPlainText(),
            kind=LessonKind(self.kind.currentData()),
            recorded_on=date(qdate.year(), qdate.month(), qdate.day()),
            relationship_ids=checked_ids(self.relationships),
            theme_keys=checked_ids(self.themes),
            operation_id=self.operation.currentData(),
            marking=self.marking.currentData(),
            citations=tuple(citations),
        )
