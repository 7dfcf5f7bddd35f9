"""BackupsTableModel: the database's backups, newest first, with their dates, sizes and reasons."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.records.table_model import RecordTableModel

if TYPE_CHECKING:  # the store machinery loads after the first paint
    from db import BackupRecord

BACKUP_PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    TAKEN = 0
    SIZE = 1
    REASON = 2


HEADERS = {Column.TAKEN: "Taken", Column.SIZE: "Size", Column.REASON: "Why"}


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupsTableModel(RecordTableModel):
    """Read-only rows of BackupRecords; `set_backups` replaces them."""

    headers = tuple(HEADERS[column] for column in Column)

    def set_backups(self, backups: list[BackupRecord]) -> None:
        self._replace_rows(backups)

    def backup_at(self, row: int) -> BackupRecord:
        return self._rows[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        backup = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.TAKEN:
                return backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if column == Column.SIZE:
                return format_size(backup.size)
            return backup.reason
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == BACKUP_PATH_ROLE:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
