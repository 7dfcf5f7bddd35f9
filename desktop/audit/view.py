"""The audit log view: the store's append-only record of who changed what when, with filters."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import AuditFilter, AuditRecord, MarkingFilter
from desktop.captions import make_caption, make_error_line
from desktop.literal import literal_role
from desktop.records.table_model import RecordTableModel
from desktop.secondary import EmptyState, install_secondary_chrome
from desktop.timeline.date_control import from_qdate
from desktop.timeline.typed_date import TypedDateEdit
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from db import Store
    from desktop.events import StoreEvents
    from desktop.settings import AppSettings

PAGE_SIZE = 200
ANY = "Any"


class AuditColumn(IntEnum):
    WHEN = 0
    WHO = 1
    ACTION = 2
    KIND = 3
    SUMMARY = 4


class AuditLogTableModel(RecordTableModel):
    """Audit entries matching a filter, newest first, fetched from the store a page at a time."""

    headers = ("When", "Who", "Action", "Kind", "What")

    def __init__(self, store: Store, parent=None, ceiling: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self._store = store
        self._filter = AuditFilter()
        self._exhausted = False
        # The main window's view ceiling: what a change did to a lesson, source or assessment marked
        # above it is not shown (the summary quotes its finding, title or phase).
        self._ceiling = ceiling
        self._withheld: set[str] = set()

    def set_filter(self, filters: AuditFilter) -> None:
        self.beginResetModel()
        self._filter = filters
        self._rows = []
        self._withheld = set()
        self._exhausted = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        self.set_filter(self._filter)

    def record(self, row: int) -> AuditRecord:
        return self._rows[row]

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        page = self._store.audit.entries(self._filter, limit=PAGE_SIZE, offset=len(self._rows))
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        if page:
            limit = self._ceiling()
            if limit is not None:
                self._withheld |= MarkingFilter(self._store, limit).withheld_entities(
                    (e.entity_kind, e.entity_id) for e in page
                )
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = AuditColumn(index.column())
            if column == AuditColumn.WHEN:
                return entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            text = {
                AuditColumn.WHO: entry.actor,
                AuditColumn.ACTION: entry.action,
                AuditColumn.KIND: entry.entity_kind,
                AuditColumn.SUMMARY: self._summary(entry),
            }[column]
            return literal_role(role, text)
        return None

    def _summary(self, entry: AuditRecord) -> str:
        if entry.entity_id is not None and entry.entity_id in self._withheld:
            return f"(withheld: this {entry.entity_kind.replace('_', ' ')} is marked above {self._ceiling()})"
        return entry.summary + (f" (from {entry.origin})" if entry.origin else "")


class AuditLogDialog(QDialog):
    """The audit log with filters on who, action, kind, a date range and text in the summary.
    Refreshes after every store change. Open with `open()`.

    Like every secondary window it has an Edit menu with the shared undo and redo, Close, Esc and
    Ctrl+W, and remembers its geometry: `undo_stack` and `settings` default to the main window's
    (`parent`'s) own."""

    def __init__(
        self,
        store: Store,
        events: StoreEvents,
        parent: QWidget | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("auditLogDialog")
        self.setWindowTitle("Audit log")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        title = QLabel("Audit log", self)
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        layout.addWidget(title)
        note = QLabel("Every change to the database: who made it, when, and what it was. The log only grows.", self)
        make_caption(note)
        layout.addWidget(note)

        filters = QHBoxLayout()
        self.actor_combo = self._combo("actorCombo")
        self.action_combo = self._combo("actionCombo")
        self.kind_combo = self._combo("kindCombo")
        self.since_check = QCheckBox("From", self)
        self.since_edit = self._date("sinceDate")
        self.until_check = QCheckBox("to", self)
        self.until_edit = self._date("untilDate")
        self.text_edit = QLineEdit(self)
        self.text_edit.setObjectName("auditSearch")
        self.text_edit.setPlaceholderText("Search the descriptions…")
        self.text_edit.setClearButtonEnabled(True)
        for label, widget in (("Who", self.actor_combo), ("Action", self.action_combo), ("Kind", self.kind_combo)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget)
        filters.addSpacing(8)
        filters.addWidget(self.since_check)
        filters.addWidget(self.since_edit)
        filters.addWidget(self.until_check)
        filters.addWidget(self.until_edit)
        filters.addSpacing(8)
        filters.addWidget(self.text_edit, 1)
        layout.addLayout(filters)

        # Follows the main window's ceiling live; the log shows changes, not material, so no banner.
        self.ceiling = CeilingLink(self, store, lambda: self.refresh())
        self.ceiling.banner.hide()
        self.model = AuditLogTableModel(store, self, lambda: self.ceiling.reader().limit)
        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.empty_state = EmptyState(
            self.table, lambda: "No entry matches these filters. Clear filters to see every change again."
        )
        self.date_problem = QLabel(self)
        self.date_problem.setObjectName("auditDateProblem")
        self.date_problem.setTextFormat(Qt.TextFormat.PlainText)
        make_error_line(self.date_problem)
        self.date_problem.hide()
        layout.addWidget(self.date_problem)

        footer = QHBoxLayout()
        self.count_label = QLabel(self)
        make_caption(self.count_label)
        footer.addWidget(self.count_label, 1)
        reset = QPushButton("Clear filters", self)
        reset.setAutoDefault(False)
        reset.clicked.connect(self.clear_filters)
        footer.addWidget(reset)
        layout.addLayout(footer)
        self.chrome = install_secondary_chrome(
            self,
            "auditLog",
            undo_stack if undo_stack is not None else getattr(parent, "undo_stack", None),
            settings if settings is not None else getattr(parent, "settings", None),
        )
        for button in self.chrome.close_button.buttons():  # Enter in a filter must not close the log
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)

        # Typing in the search box re-queries once the typing pauses, not per keystroke.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filters)
        self.text_edit.textChanged.connect(lambda _: self._debounce.start())
        for combo in (self.actor_combo, self.action_combo, self.kind_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        for check, edit in ((self.since_check, self.since_edit), (self.until_check, self.until_edit)):
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.apply_filters)
        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(self.apply_filters)

        events.listen_while_open(self, lambda _kind, _ids: self.refresh())
        self.refresh()
        self.resize(1100, 640)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _date(self, name: str) -> TypedDateEdit:
        """A filter date that takes a whole date typed or pasted; one it cannot read is said below the table."""
        edit = TypedDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDate(QDate.currentDate())
        edit.refused.connect(lambda _text, reason: self._show_date_problem(reason))
        edit.refusal_cleared.connect(self.date_problem_cleared)
        return edit

    def _show_date_problem(self, reason: str) -> None:
        self.date_problem.setText(reason + " The list is filtered on the date shown in the field.")
        self.date_problem.show()

    def date_problem_cleared(self) -> None:
        if not any(edit.property("refused") for edit in (self.since_edit, self.until_edit)):
            self.date_problem.hide()

    def refresh(self) -> None:
        """Reload the filter menus' values and the entries."""
        facets = self.store.audit.facets()
        for combo, values in (
            (self.actor_combo, facets.actors),
            (self.action_combo, facets.actions),
            (self.kind_combo, facets.entity_kinds),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY, "")
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)
        self.apply_filters()

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            actor=self.actor_combo.currentData() or "",
            action=self.action_combo.currentData() or "",
            entity_kind=self.kind_combo.currentData() or "",
            since=from_qdate(self.since_edit.date()) if self.since_check.isChecked() else None,
            until=from_qdate(self.until_edit.date()) if self.until_check.isChecked() else None,
            text=self.text_edit.text(),
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        shown = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        self.count_label.setText(f"{shown}{more} entr{'y' if shown == 1 else 'ies'} shown, newest first.")

    def clear_filters(self) -> None:
        for combo in (self.actor_combo, self.action_combo, self.kind_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for check in (self.since_check, self.until_check):
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
        self.text_edit.blockSignals(True)
        self.text_edit.clear()
        self.text_edit.blockSignals(False)
        self.apply_filters()
