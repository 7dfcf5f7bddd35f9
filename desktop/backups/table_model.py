"""BackupsTableModel: the database's backups, newest first, with their dates, sizes and reasons."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

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


class BackupsTableModel(QAbstractTableModel):
    """Read-only rows of BackupRecords; `set_backups` replaces them."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._backups: list[BackupRecord] = []

    def set_backups(self, backups: list[BackupRecord]) -> None:
        self.beginResetModel()
        self._backups = list(backups)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupRecord:
        return self._backups[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._backups)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return HEADERS[Column(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._backups):
            return None
        backup = self._backups[index.row()]
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
