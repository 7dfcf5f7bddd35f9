"""SourceTableModel: one row per source of the library (thousands at most, so held whole)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from db import SourceRecord
from desktop.records.table_model import RecordTableModel

SOURCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(IntEnum):
    AUTHORS = 0
    YEAR = 1
    TITLE = 2
    CONTAINER = 3
    PUBLISHER = 4
    PLACE = 5
    CITED = 6
    KEY = 7


HEADERS = {
    Column.AUTHORS: "Author(s)",
    Column.YEAR: "Year",
    Column.TITLE: "Title",
    Column.CONTAINER: "Journal / in",
    Column.PUBLISHER: "Publisher",
    Column.PLACE: "Place",
    Column.CITED: "Cited",
    Column.KEY: "Key",
}


class SourceTableModel(RecordTableModel):
    headers = tuple(HEADERS[column] for column in Column)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cited: dict[str, int] = {}

    def set_rows(self, rows: list[SourceRecord], cited: dict[str, int]) -> None:
        self._cited = dict(cited)
        self._replace_rows(rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(record, column)
        if role == SORT_ROLE:
            return self._cited.get(record.id, 0) if column == Column.CITED else self._text(record, column).lower()
        if role == SOURCE_ID_ROLE:
            return record.id
        if role == SOURCE_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.CITED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, record: SourceRecord, column: Column) -> str:
        if column == Column.CITED:
            return str(self._cited.get(record.id, 0))
        return {
            Column.AUTHORS: record.authors,
            Column.YEAR: record.year,
            Column.TITLE: record.title,
            Column.CONTAINER: record.container,
            Column.PUBLISHER: record.publisher,
            Column.PLACE: record.place,
            Column.KEY: record.key,
        }[column]
