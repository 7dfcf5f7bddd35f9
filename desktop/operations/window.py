"""The operations view: every operation, what it touches (lessons, relationships), and its actions
(add, edit, trash, add a lesson from it, add it to a relationship's field cooperation)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import OperationInput, OperationRecord, QuadrangleError, Store
from desktop.operations.commands import (
    AddOperationCommand,
    AddOperationToCooperationCommand,
    DeleteOperationCommand,
    EditOperationCommand,
)
from desktop.operations.editor import OperationDialog
from desktop.operations.table_model import OPERATION_ROLE, SORT_ROLE, Column, OperationTableModel


class OperationsWindow(QWidget):
    """Operations with their details; edits go on `undo_stack`. `feature` (the LessonsFeature) opens
    the lesson editor and the browser for an operation."""

    def __init__(self, store: Store, undo_stack: QUndoStack, parent: QWidget | None = None, *, feature=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("operationsWindow")
        self.setWindowTitle("Operations")
        self.store = store
        self.undo_stack = undo_stack
        self.feature = feature
        self.dialog: OperationDialog | None = None
        self.model = OperationTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self, objectName="operationsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.PERIOD, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.LOCATION, QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._show_detail(current))

        self.detail = QLabel(self, objectName="operationDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMargin(8)
        self.detail.setStyleSheet("QLabel#operationDetail { background: palette(base); border: 1px solid palette(mid); }")

        buttons = QHBoxLayout()
        for text, name, slot in (
            ("Add operation…", "addOperation", self.add_operation),
            ("Edit…", "editOperation", self.edit_current),
            ("Move to trash", "deleteOperation", self.delete_current),
            ("Add lesson…", "addLessonFromOperation", self.add_lesson),
            ("Show lessons", "showOperationLessons", self.show_lessons),
            ("Add to field cooperation…", "addToCooperation", self.add_to_cooperation),
        ):
            button = QPushButton(text, self, objectName=name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1180, 620)
        self.refresh()

    def refresh(self) -> None:
        current = self.current_operation()
        self.model.set_rows(self.store.operations(), self.store.operation_lesson_counts())
        if current is not None:
            self.select_operation(current.id)
        self._show_detail(self.table.currentIndex())

    def current_operation(self) -> OperationRecord | None:
        index = self.table.currentIndex()
        return index.data(OPERATION_ROLE) if index.isValid() else None

    def select_operation(self, operation_id: str) -> None:
        row = self.model.row_of(operation_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )

    def _show_detail(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.detail.setText("Select an operation to see its lessons and the relationships it touches.")
            return
        record: OperationRecord = index.data(OPERATION_ROLE)
        relationships = ", ".join(r.label for r in self.store.operation_relationships(record.id)) or "none yet"
        lessons = self.store.operation_lesson_counts().get(record.id, 0)
        lines = [
            f"{record.acronym} — {record.name}",
            f"{record.location or 'Location not given'} · {record.period_label()} · {record.status.value}"
            + (f" · mandate: {record.mandate}" if record.mandate else ""),
            f"Lead: {record.lead_code or 'not given'} · involved: {', '.join(record.organization_codes) or 'none'}",
            f"Relationships touched: {relationships} · lessons: {lessons}",
        ]
        if record.notes:
            lines += ["", record.notes]
        self.detail.setText("\n".join(lines))

    # -- actions ---------------------------------------------------------------------------------

    def _report(self, message: str) -> None:
        if self.feature is not None:
            self.feature.inform(message)

    def add_operation(self) -> OperationDialog:
        def save(draft: OperationInput, _revision) -> None:
            record = self.store.add_operation(draft)
            self.undo_stack.push(AddOperationCommand(self.store, draft, record, self._report))
            self.refresh()
            self.select_operation(record.id)

        return self._open(OperationDialog(self.store, save, self))

    def edit_current(self) -> OperationDialog | None:
        record = self.current_operation()
        if record is None:
            return None

        def save(draft: OperationInput, revision) -> None:
            change = self.store.update_operation(record.id, draft, revision)
            self.undo_stack.push(EditOperationCommand(self.store, change, self._report))
            self.refresh()

        return self._open(OperationDialog(self.store, save, self, operation=record))

    def _open(self, dialog: OperationDialog) -> OperationDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def delete_current(self) -> None:
        record = self.current_operation()
        if record is None:
            return
        try:
            self.store.delete_operation(record.id, record.revision)
        except QuadrangleError as exc:
            self._report(str(exc))
            return
        self.undo_stack.push(DeleteOperationCommand(self.store, record, self._report))
        self.refresh()

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
        relationships = self.store.relationships()
        labels = [r.label for r in relationships]
        label, ok = QInputDialog.getItem(self, "Add to field cooperation", f"Add {record.acronym} to:", labels, 0, False)
        return relationships[labels.index(label)].id if ok else None

    def add_to_cooperation(self) -> None:
        record = self.current_operation()
        if record is None:
            return
        relationship_id = self.choose_relationship(record)
        if not relationship_id:
            return
        try:
            entry = self.store.add_operation_to_cooperation(record.id, relationship_id)
        except QuadrangleError as exc:
            self._report(str(exc))
            return
        self.undo_stack.push(AddOperationToCooperationCommand(self.store, record.id, relationship_id, entry, self._report))
        self.refresh()
