"""OperationTableModel: one row per operation (a few hundred at most, so held whole)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from db import DASH, OperationRecord
from desktop.records.table_model import RecordTableModel

OPERATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OPERATION_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(IntEnum):
    ACRONYM = 0
    NAME = 1
    LOCATION = 2
    LEAD = 3
    ORGANIZATIONS = 4
    PERIOD = 5
    STATUS = 6
    LESSONS = 7


HEADERS = {
    Column.ACRONYM: "Acronym",
    Column.NAME: "Name",
    Column.LOCATION: "Location",
    Column.LEAD: "Lead",
    Column.ORGANIZATIONS: "Organizations",
    Column.PERIOD: "Period",
    Column.STATUS: "Status",
    Column.LESSONS: "Lessons",
}


class OperationTableModel(RecordTableModel):
    headers = tuple(HEADERS[column] for column in Column)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lessons: dict[str, int] = {}

    def set_rows(self, rows: list[OperationRecord], lesson_counts: dict[str, int]) -> None:
        self._lessons = dict(lesson_counts)
        self._replace_rows(rows)

    def record(self, row: int) -> OperationRecord:
        return self._rows[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(record, column)
        if role == SORT_ROLE:
            if column == Column.LESSONS:
                return self._lessons.get(record.id, 0)
            if column == Column.PERIOD:
                return record.start or "9999"
            return self._text(record, column).lower()
        if role == OPERATION_ID_ROLE:
            return record.id
        if role == OPERATION_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.LESSONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, record: OperationRecord, column: Column) -> str:
        if column == Column.ACRONYM:
            return record.acronym
        if column == Column.NAME:
            return record.name
        if column == Column.LOCATION:
            return record.location
        if column == Column.LEAD:
            return record.lead_code or DASH
        if column == Column.ORGANIZATIONS:
            return ", ".join(record.organization_codes)
        if column == Column.PERIOD:
            return record.period_label()
        if column == Column.STATUS:
            return record.status.value.capitalize()
        return str(self._lessons.get(record.id, 0))
