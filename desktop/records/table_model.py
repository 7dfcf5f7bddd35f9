"""RecordTableModel: the shared part of the read-only table models that list frozen records under a
fixed header (comparison rows, sources, operations). Subclasses set `headers` and write `data`."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.literal import literal_role


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


RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3


class LibraryTableModel(RecordTableModel):
    """The table of a record library window (operations, sources): one row per record, held whole
    (hundreds to thousands), with a count per record in `count_column` (lessons, citations).

    Subclasses set `headers` and `count_column` and write `_text(record, column)`; `_sort_key`
    sorts by the lower-cased text unless overridden. Roles: RECORD_ID_ROLE, RECORD_ROLE, SORT_ROLE.
    """

    count_column: int = -1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._counts: dict[str, int] = {}

    def set_rows(self, rows, counts: dict[str, int]) -> None:
        self._counts = dict(counts)
        self._replace_rows(rows)

    def count(self, record) -> int:
        return self._counts.get(record.id, 0)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.count_column:
                return str(self.count(record))
            return literal_role(role, self._text(record, column))
        if role == SORT_ROLE:
            return self.count(record) if column == self.count_column else self._sort_key(record, column)
        if role == RECORD_ID_ROLE:
            return record.id
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.count_column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, record, column: int) -> str:
        raise NotImplementedError

    def _sort_key(self, record, column: int):
        return self._text(record, column).lower()
