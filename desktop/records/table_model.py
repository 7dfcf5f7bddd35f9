"""RecordTableModel: the shared part of the read-only table models that list frozen records under a
fixed header (comparison rows, sources, operations). Subclasses set `headers` and write `data`."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt


class RecordTableModel(QAbstractTableModel):
    """Holds `_rows` (frozen records, replaced whole by `_replace_rows`) and answers the row and
    header questions every such model answers the same way."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def _replace_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record_id(self, record) -> str:
        """The id a row is found by (`row_of`); records carry it as `id` unless a subclass says otherwise."""
        return record.id

    def row_of(self, record_id: str | None) -> int:
        """The row showing the record with that id, or -1."""
        return next((i for i, r in enumerate(self._rows) if self.record_id(r) == record_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None
