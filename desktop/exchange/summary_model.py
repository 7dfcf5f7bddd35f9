"""The import preview's table: one row per kind of record with its counts (new, identical, different)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from db import ExchangeKindSummary, ItemAction


class SummaryColumn(IntEnum):
    KIND = 0
    NEW = 1
    IDENTICAL = 2
    DIFFERENT = 3
    OUTCOME = 4


HEADERS = {
    SummaryColumn.KIND: "Kind",
    SummaryColumn.NEW: "New",
    SummaryColumn.IDENTICAL: "Identical",
    SummaryColumn.DIFFERENT: "Different",
    SummaryColumn.OUTCOME: "What the import does",
}
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def outcome_text(summary: ExchangeKindSummary) -> str:
    counts: dict[ItemAction, int] = {}
    for item in summary.items:
        counts[item.action] = counts.get(item.action, 0) + 1
    parts = []
    for action, text in (
        (ItemAction.INSERT, "{} added"),
        (ItemAction.TAKE_THEIRS, "{} updated from theirs"),
        (ItemAction.KEEP_MINE, "{} kept as here"),
        (ItemAction.CONFLICT, "{} to choose"),
    ):
        if counts.get(action):
            parts.append(text.format(counts[action]))
    return ", ".join(parts) or "nothing to do"


class ExchangeSummaryTableModel(QAbstractTableModel):
    """Rows are the kinds present in the file; numbers align right; `KIND_ROLE` gives the kind key."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ExchangeKindSummary] = []

    def set_summaries(self, summaries) -> None:
        self.beginResetModel()
        self._rows = [s for s in summaries if s.items]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(SummaryColumn)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        column = SummaryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                SummaryColumn.KIND: summary.label,
                SummaryColumn.NEW: str(summary.new),
                SummaryColumn.IDENTICAL: str(summary.identical),
                SummaryColumn.DIFFERENT: str(summary.different),
                SummaryColumn.OUTCOME: outcome_text(summary),
            }[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            SummaryColumn.NEW,
            SummaryColumn.IDENTICAL,
            SummaryColumn.DIFFERENT,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KIND_ROLE:
            return summary.kind
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(SummaryColumn)
        ):
            return HEADERS[SummaryColumn(section)]
        return None
