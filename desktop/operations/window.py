"""The operations view: every operation, what it touches (lessons, relationships), and its actions
(add, edit, trash, add a lesson from it, add it to a relationship's field cooperation). Its lesson
counts and confirmations count only the lessons the main window's view ceiling shows."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db import DEFAULT_REVIEW_MONTHS, MandateChangeRecord, OperationRecord, operation_confirmation
from desktop.literal import isolate
from desktop.operations.commands import (
    AddOperationCommand,
    AddOperationToCooperationCommand,
    DeleteOperationCommand,
    EditOperationCommand,
)
from desktop.operations.editor import OperationDialog
from desktop.operations.table_model import OPERATION_ROLE, Column, OperationTableModel
from desktop.qt_build import named
from desktop.records.window import RecordLibraryWindow
from desktop.undo import perform_or_report
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from db import Store


def confirmations(operations, latest_lessons, window: QWidget) -> dict[str, str]:
    """Each operation's honest status today: "Ongoing as of 2007, not confirmed since" once its last
    confirmation (start, newest lesson) is older than the review interval of the main window's settings."""
    settings = getattr(window.parent(), "settings", None)
    months = getattr(settings, "review_months", DEFAULT_REVIEW_MONTHS)
    today = date.today()
    return {op.id: operation_confirmation(op, today, latest_lessons.get(op.id), months) for op in operations}


class OperationsWindow(RecordLibraryWindow):
    """Operations with their details; edits go on `undo_stack`. `feature` (the LessonsFeature) opens
    the lesson editor and the browser for an operation."""

    def __init__(self, store: Store, undo_stack: QUndoStack, parent: QWidget | None = None, *, feature=None) -> None:
        super().__init__(
            store,
            undo_stack,
            parent,
            feature=feature,
            model=OperationTableModel(),
            sort_column=Column.PERIOD,
            table_name="operationsTable",
        )
        self.setObjectName("operationsWindow")
        self.setWindowTitle("Operations")
        self.ceiling = CeilingLink(self, store, self.refresh)
        self._lesson_counts: dict[str, int] = {}
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.LOCATION, QHeaderView.ResizeMode.Interactive)

        self.detail = named(QLabel(self), "operationDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMargin(8)
        self.detail.setStyleSheet(
            "QLabel#operationDetail { background: palette(base); border: 1px solid palette(mid); }"
        )

        buttons = QHBoxLayout()
        for text, name, slot in (
            ("Add operation…", "addOperation", self.add_operation),
            ("Edit…", "editOperation", self.edit_current),
            ("Move to trash", "deleteOperation", self.delete_current),
            ("Add lesson…", "addLessonFromOperation", self.add_lesson),
            ("Show lessons", "showOperationLessons", self.show_lessons),
            ("Add to field cooperation…", "addToCooperation", self.add_to_cooperation),
        ):
            button = named(QPushButton(text, self), name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ceiling.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1180, 620)
        self.refresh()
        self.ceiling.guard_copies()

    def empty_text(self) -> str:
        return "No operations yet. Add the first with Add operation… below."

    def refresh(self) -> None:
        current = self.current_operation()
        operations = self.store.operations.all()
        reader = self.ceiling.reader()
        if isinstance(self.model, OperationTableModel):
            self.model.set_confirmations(confirmations(operations, reader.latest_lesson_days(), self))
        self._lesson_counts = reader.lesson_counts_by_operation()
        self.model.set_rows(operations, self._lesson_counts)
        self.ceiling.show_level(reader.operation_lesson_markings(self.ceiling.known_lesson_markings()), reader.scheme)
        if current is not None:
            self.select_operation(current.id)
        self._show_detail(self.table.currentIndex())

    def current_operation(self) -> OperationRecord | None:
        return self.current_record()

    def select_operation(self, operation_id: str) -> None:
        self.select_record(operation_id)

    def _show_detail(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.detail.setText("Select an operation to see its lessons and the relationships it touches.")
            return
        record: OperationRecord = index.data(OPERATION_ROLE)
        relationships = ", ".join(r.label for r in self.store.operations.relationships(record.id)) or "none yet"
        lessons = self._lesson_counts.get(record.id, 0)
        lines = [
            f"{isolate(record.acronym)} — {isolate(record.name)}",
            f"{isolate(record.location) or 'Location not given'} · {record.period_label()} · {record.status.value}"
            + (f" · mandate: {isolate(record.mandate)}" if record.mandate else ""),
            f"Lead: {record.lead_code or 'not given'} · involved: {', '.join(record.organization_codes) or 'none'}",
            f"Relationships touched: {relationships} · lessons: {lessons}",
        ]
        if record.mandate_history:
            lines += ["", "Mandate history (in effect from):"]
            lines += [mandate_change_line(change) for change in record.mandate_history]
        if record.notes:
            lines += ["", isolate(record.notes)]
        self.detail.setText("\n".join(lines))

    # -- actions ---------------------------------------------------------------------------------

    def add_operation(self) -> OperationDialog:
        return self._add_with(lambda save: OperationDialog(self.store, save, self), AddOperationCommand)

    def edit_current(self) -> OperationDialog | None:
        return self._edit_with(
            lambda save, record: OperationDialog(self.store, save, self, operation=record),
            EditOperationCommand,
        )

    def delete_current(self) -> None:
        self._trash_with(DeleteOperationCommand)

    def add_lesson(self) -> None:
        record = self.current_operation()
        if record is not None and self.feature is not None:
            self.feature.add_lesson(operation_id=record.id)

    def show_lessons(self) -> None:
        record = self.current_operation()
        if record is not None and self.feature is not None:
            self.feature.show_operation_lessons(record.id)

    def choose_relationship(self, record: OperationRecord) -> str | None:
        """Ask which relationship's field cooperation to add the operation to (replaceable in tests)."""
        relationships = self.store.quadrangle.relationships()
        labels = [r.label for r in relationships]
        label, ok = QInputDialog.getItem(
            self, "Add to field cooperation", f"Add {record.acronym} to:", labels, 0, False
        )
        return relationships[labels.index(label)].id if ok else None

    def add_to_cooperation(self) -> None:
        record = self.current_operation()
        if record is None:
            return
        relationship_id = self.choose_relationship(record)
        if not relationship_id:
            return
        command = AddOperationToCooperationCommand(self.store, record.id, relationship_id, self._report)
        if perform_or_report(self.undo_stack, command, self._report):
            self.refresh()


def mandate_change_line(change: MandateChangeRecord) -> str:
    """ "  2008-06-15: “UNSC 1244” → “UNSC 1244, reconfigured” — recorded by Kristin", each text isolated."""
    old = f"“{isolate(change.old_mandate)}”" if change.old_mandate else "(none)"
    new = f"“{isolate(change.new_mandate)}”" if change.new_mandate else "(none)"
    return f"  {change.effective_on.isoformat()}: {old} → {new} — recorded by {isolate(change.recorded_by)}"
