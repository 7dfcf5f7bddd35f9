"""RecordLibraryWindow: the frame shared by the operations and sources windows: a sortable table of
one kind of record, the record under the cursor, and the add / edit / move-to-trash flow, each step
one command on the shared undo stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QDialog, QTableView, QWidget

from desktop.records.commands import AddRecordCommand, DeleteRecordCommand, EditRecordCommand
from desktop.records.table_model import RECORD_ROLE, SORT_ROLE, LibraryTableModel
from desktop.secondary import EmptyState
from desktop.undo import perform, perform_or_report

if TYPE_CHECKING:
    from db import Store

DialogT = TypeVar("DialogT", bound=QDialog)
Save = Callable[[Any, int | None], None]


class RecordLibraryWindow(QWidget):
    """Subclasses lay the window out around `self.table`, show the current record in `_show_detail`,
    and implement their actions with `_add_with`, `_edit_with` and `_trash_with` (each pushes one of
    the shared record commands, which performs the store call). Messages go to
    `feature.inform` (the LessonsFeature)."""

    def __init__(
        self,
        store: Store,
        undo_stack: QUndoStack,
        parent: QWidget | None,
        *,
        feature,
        model: LibraryTableModel,
        sort_column: int,
        table_name: str,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.store = store
        self.undo_stack = undo_stack
        self.feature = feature
        self.dialog: QDialog | None = None
        self.model = model
        model.setParent(self)  # owned by the window, like the proxy and the table over it
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName(table_name)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._show_detail(current))
        self.editors: dict[str, QDialog] = {}  # record id -> its open editor (one editor per record)
        self.empty_state = EmptyState(self.table, self.empty_text)

    def empty_text(self) -> str:
        """What the window's empty table says (subclasses name their records)."""
        return "Nothing recorded yet. Add the first with the Add… button below."

    def edit_current(self) -> QDialog | None:
        raise NotImplementedError

    def _show_detail(self, index: QModelIndex) -> None:
        raise NotImplementedError

    def current_record(self):
        index = self.table.currentIndex()
        return index.data(RECORD_ROLE) if index.isValid() else None

    def select_record(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )

    def _report(self, message: str) -> None:
        if self.feature is not None:
            self.feature.inform(message)

    def _open(self, dialog: DialogT) -> DialogT:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- the editing flow ------------------------------------------------------------------------

    def _add_with(self, make_dialog: Callable[[Save], DialogT], command: type[AddRecordCommand]) -> DialogT:
        """Open `make_dialog(save)` for a new record; Save performs `command(store, draft, report)`
        (a refusal is raised to the dialog, which shows it), then shows the new record."""

        def save(draft, _revision) -> None:
            added = perform(self.undo_stack, command(self.store, draft, self._report))
            self.refresh()
            self.select_record(added.record.id)

        return self._open(make_dialog(save))

    def _edit_with(
        self, make_dialog: Callable[[Save, Any], DialogT], command: type[EditRecordCommand]
    ) -> DialogT | None:
        """Open `make_dialog(save, record)` for the current record; Save performs
        `command(store, id, draft, revision, report)`."""
        record = self.current_record()
        if record is None:
            return None
        open_editor = self.editors.get(record.id)
        if open_editor is not None:
            open_editor.raise_()
            open_editor.activateWindow()
            return cast(DialogT, open_editor)  # the editors kept for this window are all made by make_dialog

        def save(draft, revision) -> None:
            perform(self.undo_stack, command(self.store, record.id, draft, revision, self._report))
            self.refresh()

        dialog = make_dialog(save, record)
        self.editors[record.id] = dialog
        dialog.finished.connect(lambda *_: self.editors.pop(record.id, None))
        dialog.destroyed.connect(lambda *_: self.editors.pop(record.id, None))
        return self._open(dialog)

    def _trash_with(self, command: type[DeleteRecordCommand]) -> None:
        """Move the current record to the trash with `command(store, record, report)`; a refusal is
        reported once, nothing else happens."""
        record = self.current_record()
        if record is None:
            return
        if perform_or_report(self.undo_stack, command(self.store, record, self._report), self._report):
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError
