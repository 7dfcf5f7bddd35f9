"""The lessons browser: every lesson in a lazily loaded table, narrowed by filters and a ranked
full-text search typed as you go (debounced), with the matched words highlighted; it follows the main
window's view ceiling and names the highest marking it shows on its own banner."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import DASH, LessonFilters, LessonKind, LessonRecord
from desktop.lessons.highlight import HighlightDelegate
from desktop.lessons.table_model import LESSON_ROLE, MATCHED_TERMS_ROLE, Column, LessonTableModel
from desktop.literal import isolate
from desktop.qt_build import make_action, named
from desktop.secondary import EmptyState
from desktop.timeline.typed_date import TypedDateEdit
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from db import Store

SEARCH_DELAY_MS = 150
ANY = f"{DASH} any {DASH}"
NO_DATE = QDate(1900, 1, 1)


def _any_combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(ANY, None)
    for label, value in items:
        combo.addItem(label, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMaximumWidth(190)
    combo.view().setMinimumWidth(320)
    return combo


def _date_edit(name: str) -> QDateEdit:
    edit = TypedDateEdit()
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("any date")
    edit.setDate(NO_DATE)
    return edit


class LessonsBrowser(QWidget):
    """A window over LessonTableModel. Emits `edit_requested(lesson_id)`, `add_requested()`,
    `delete_requested(lesson_ids)` and `trash_requested()`; the lessons feature acts on them."""

    edit_requested = Signal(str)
    add_requested = Signal()
    delete_requested = Signal(list)
    trash_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("lessonsBrowser")
        self.setWindowTitle("Lessons learned")
        self._store = store
        self.model = LessonTableModel(store, self)
        self.ceiling = CeilingLink(self, store, self.refresh)
        self._read_limits()
        self.model.rowsInserted.connect(lambda *_: self._show_level())

        self.search = named(QLineEdit(self), "search")
        self.search.setPlaceholderText("Search findings, recommendations and quotes…")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply)

        self.organization = _any_combo("organizationFilter", [])
        self.relationship = _any_combo("relationshipFilter", [])
        self.theme = _any_combo("themeFilter", [])
        self.operation = _any_combo("operationFilter", [])
        self.kind = _any_combo("kindFilter", [(k.label, k.value) for k in LessonKind])
        self.date_from = _date_edit("dateFrom")
        self.date_to = _date_edit("dateTo")
        self.reload_filter_choices()
        for combo in (self.organization, self.relationship, self.theme, self.operation, self.kind):
            combo.currentIndexChanged.connect(lambda _: self.apply())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _: self.apply())
        clear = named(QPushButton("Clear filters", self), "clearFilters")
        clear.clicked.connect(self.clear_filters)

        self.table = named(QTableView(self), "lessonsTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(Column.FINDING, HighlightDelegate(MATCHED_TERMS_ROLE, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.FINDING, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        for column, width in (
            (Column.RELATIONSHIPS, 110),
            (Column.OPERATION, 110),
            (Column.THEMES, 220),
            (Column.KIND, 80),
            (Column.DATE, 90),
            (Column.SOURCE, 150),
        ):
            self.table.setColumnWidth(column, width)
        # `activated` is Enter and the double-click too: connecting `doubleClicked` as well opened two editors.
        self.table.activated.connect(self._edit_index)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._show_detail(current))
        self.empty_state = EmptyState(self.table, self.empty_text)

        self.detail = named(QLabel(self), "detail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMargin(8)
        self.detail.setStyleSheet("QLabel#detail { background: palette(base); border: 1px solid palette(mid); }")

        self.status = named(QLabel(self), "status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        add_button = named(QPushButton("Add lesson…", self), "addLesson")
        add_button.clicked.connect(self.add_requested)
        edit_button = named(QPushButton("Edit…", self), "editLesson")
        edit_button.clicked.connect(lambda: self._edit_index(self.table.currentIndex()))
        delete_button = named(QPushButton("Move to trash", self), "deleteLesson")
        delete_button.clicked.connect(self._delete_selected)
        trash_button = named(QPushButton("Trash…", self), "showTrash")
        trash_button.clicked.connect(self.trash_requested)
        delete_action = make_action("Move to trash", self, shortcut=QKeySequence.StandardKey.Delete)
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete_action.triggered.connect(self._delete_selected)
        self.table.addAction(delete_action)
        find_action = make_action("Find", self, shortcut=QKeySequence.StandardKey.Find)
        find_action.triggered.connect(lambda: self._focus_search())
        self.addAction(find_action)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        for label, widget in (
            ("Organization", self.organization),
            ("Relationship", self.relationship),
            ("Theme", self.theme),
            ("Operation", self.operation),
            ("Kind", self.kind),
            ("From", self.date_from),
            ("to", self.date_to),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(clear)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (add_button, edit_button, delete_button, trash_button):
            buttons.addWidget(button)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.ceiling.banner)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1280, 720)
        self.apply()
        self.ceiling.guard_copies()

    # -- filters -------------------------------------------------------------------------------

    def reload_filter_choices(self) -> None:
        """Refill the filter lists (themes, operations... may have changed), keeping the choices."""
        hidden = self._reader.hidden_theme_keys()  # a theme only withheld lessons carry is not named
        choices = {
            self.organization: [(o.code, o.id) for o in self._store.quadrangle.organizations()],
            self.relationship: [(r.label, r.id) for r in self._store.quadrangle.relationships()],
            self.theme: [(t.name, t.key) for t in self._store.catalog.themes() if t.key not in hidden],
            self.operation: [
                (o.acronym, o.id) for o in sorted(self._store.operations.all(), key=lambda o: o.acronym.lower())
            ],
        }
        for combo, items in choices.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY, None)
            for label, value in items:
                combo.addItem(isolate(label), value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def filters(self) -> LessonFilters:
        def day(edit: QDateEdit) -> date | None:
            value = edit.date()
            return None if value == NO_DATE else date(value.year(), value.month(), value.day())

        return LessonFilters(
            organization_id=self.organization.currentData(),
            relationship_id=self.relationship.currentData(),
            theme_key=self.theme.currentData(),
            operation_id=self.operation.currentData(),
            kind=LessonKind(self.kind.currentData()) if self.kind.currentData() else None,
            date_from=day(self.date_from),
            date_to=day(self.date_to),
        )

    def set_filters(
        self,
        *,
        relationship_id: str | None = None,
        theme_key: str | None = None,
        operation_id: str | None = None,
        text: str | None = None,
    ) -> None:
        """Show the lessons of one relationship / theme / operation (the theme overview's cell click)."""
        widgets = [
            self.organization,
            self.relationship,
            self.theme,
            self.operation,
            self.kind,
            self.date_from,
            self.date_to,
        ]
        for widget in widgets:
            widget.blockSignals(True)
        self.organization.setCurrentIndex(0)
        self.kind.setCurrentIndex(0)
        self.date_from.setDate(NO_DATE)
        self.date_to.setDate(NO_DATE)
        for combo, value in (
            (self.relationship, relationship_id),
            (self.theme, theme_key),
            (self.operation, operation_id),
        ):
            combo.setCurrentIndex(max(combo.findData(value), 0) if value else 0)
        for widget in widgets:
            widget.blockSignals(False)
        if text is not None:
            self.search.blockSignals(True)
            self.search.setText(text)
            self.search.blockSignals(False)
        self.apply()

    def clear_filters(self) -> None:
        self.set_filters(text="")

    def apply(self) -> None:
        """Run the current search and filters now (the debounce timer calls this)."""
        self._search_timer.stop()
        selected = self.current_lesson()
        filters = self.filters()
        text = self.search.text()
        self.model.set_query(text, filters, self._reader)
        total = self._store.lessons.count(self.model.limited_filters(), text)
        shown = "10,000+" if text.strip() and total >= 10_000 else f"{total:,}"
        what = "lesson" if total == 1 else "lessons"
        limit = f" up to {self._reader.limit}" if self._reader.limit else ""
        order = " · best matches first" if self.model.terms else " · newest first"
        self.status.setText(f"{shown} {what}{limit}{order}")
        self._show_level()
        if selected is not None:
            self.select_lesson(selected.id)
        if not self.table.currentIndex().isValid():
            self._show_detail(QModelIndex())

    def empty_text(self) -> str:
        """What the empty table says: no match for the search or filters, or no lesson at all yet."""
        text = self.search.text().strip()
        if self.filters() != LessonFilters() or text:
            searched = f"No lesson matches “{text}”" if text else "No lesson matches these filters"
            return f"{searched}. Try other words, or Clear filters to see every lesson."
        return "No lessons yet. Add the first with Add lesson… (Ctrl+Shift+L)."

    def refresh(self) -> None:
        """Reload after the store changed or the ceiling moved (labels, choices and rows), keeping
        search and selection."""
        self._read_limits()
        self.model.reload_labels()
        self.reload_filter_choices()
        self.apply()

    def _read_limits(self) -> None:
        """The ceiling's reader and the sources' markings, read once per refresh (not per keystroke)."""
        self._reader = self.ceiling.reader()
        self._source_markings = {s.id: s.marking for s in self._store.sources.citable()}

    def _show_level(self) -> None:
        self.ceiling.show_level(self.model.shown_markings(self._source_markings), self._reader.scheme)

    # -- selection -------------------------------------------------------------------------------

    def current_lesson(self) -> LessonRecord | None:
        index = self.table.currentIndex()
        return index.data(LESSON_ROLE) if index.isValid() else None

    def selected_lessons(self) -> list[LessonRecord]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.hit(r).lesson for r in rows]

    def select_lesson(self, lesson_id: str) -> bool:
        row = self.model.row_of(lesson_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        return True

    def _edit_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_requested.emit(index.data(LESSON_ROLE).id)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _delete_selected(self) -> None:
        lessons = self.selected_lessons()
        if lessons:
            self.delete_requested.emit([lesson.id for lesson in lessons])

    def _show_detail(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.detail.setText("Select a lesson to read it in full. Double-click it to edit.")
            return
        lesson: LessonRecord = index.data(LESSON_ROLE)
        parts = [
            f"{lesson.kind.label.upper()} · recorded {lesson.recorded_on.isoformat()} · {lesson.marking}",
            "",
            isolate(lesson.finding),
        ]
        if lesson.recommendation:
            parts += ["", "Recommendation: " + isolate(lesson.recommendation)]
        if lesson.citations:
            parts += [
                "",
                "Sources: " + "; ".join(c.text + (f" — “{c.quote}”" if c.quote else "") for c in lesson.citations),
            ]
        self.detail.setText("\n".join(parts))
