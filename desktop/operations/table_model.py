"""OperationTableModel: one row per operation (a few hundred at most, so held whole)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db import DASH, OperationRecord

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
    Column.ACRONYM: "Acronym", Column.NAME: "Name", Column.LOCATION: "Location", Column.LEAD: "Lead",
    Column.ORGANIZATIONS: "Organizations", Column.PERIOD: "Period", Column.STATUS: "Status", Column.LESSONS: "Lessons",
}


class OperationTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[OperationRecord] = []
        self._lessons: dict[str, int] = {}

    def set_rows(self, rows: list[OperationRecord], lesson_counts: dict[str, int]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._lessons = dict(lesson_counts)
        self.endResetModel()

    def record(self, row: int) -> OperationRecord:
        return self._rows[row]

    def row_of(self, operation_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == operation_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return HEADERS[Column(section)]
        return None

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
