"""SourceTableModel: one row per source of the library (thousands at most, so held whole)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db import SourceRecord

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
    Column.AUTHORS: "Author(s)", Column.YEAR: "Year", Column.TITLE: "Title", Column.CONTAINER: "Journal / in",
    Column.PUBLISHER: "Publisher", Column.PLACE: "Place", Column.CITED: "Cited", Column.KEY: "Key",
}


class SourceTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[SourceRecord] = []
        self._cited: dict[str, int] = {}

    def set_rows(self, rows: list[SourceRecord], cited: dict[str, int]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cited = dict(cited)
        self.endResetModel()

    def row_of(self, source_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == source_id), -1)

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
            Column.AUTHORS: record.authors, Column.YEAR: record.year, Column.TITLE: record.title,
            Column.CONTAINER: record.container, Column.PUBLISHER: record.publisher, Column.PLACE: record.place,
            Column.KEY: record.key,
        }[column]
