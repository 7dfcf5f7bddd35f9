"""ComparisonTableModel: one row per relationship, the columns of the report's Figure 2."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from db import ComparisonRow, ReviewStatus, Staleness
from desktop.literal import literal_role
from desktop.records.table_model import RecordTableModel

RELATIONSHIP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    RELATIONSHIP = 0
    PHASE = 1
    MOTIVES = 2
    COOPERATION = 3
    LAST_ASSESSED = 4
    CONFIDENCE = 5
    REVIEW = 6


HEADERS = {
    Column.RELATIONSHIP: "Relationship",
    Column.PHASE: "Phase",
    Column.MOTIVES: "Motives",
    Column.COOPERATION: "Cooperation\non the ground",  # two lines: the column is often the narrowest
    Column.LAST_ASSESSED: "Last assessed",
    Column.CONFIDENCE: "Confidence",
    Column.REVIEW: "Review",
}
PHASE_SORT = {"courtship": 0, "negotiation": 1, "start-up": 2, "maintenance": 3, "ending": 4}


class ComparisonTableModel(RecordTableModel):
    """Read-only rows of ComparisonRow records; `set_rows` replaces them (after a date change)."""

    headers = tuple(HEADERS[column] for column in Column)

    _staleness: dict[str, Staleness] = {}
    _drafts: frozenset[str] = frozenset()

    def set_rows(
        self,
        rows: list[ComparisonRow],
        staleness: dict[str, Staleness] | None = None,
        drafts: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """Show `rows`; `staleness` fills the Review column, `drafts` marks rows with an unsaved draft."""
        self._staleness = dict(staleness or {})
        self._drafts = frozenset(drafts)
        self._replace_rows(rows)

    def review_text(self, row: ComparisonRow) -> str:
        """The Review cell: "current", "due for review", "2 newer items", "never assessed", "· draft"."""
        staleness = self._staleness.get(row.relationship_id)
        parts = [staleness.short_label] if staleness is not None else []
        if row.relationship_id in self._drafts:
            parts.append("draft")
        return " · ".join(parts)

    def review_tooltip(self, row: ComparisonRow) -> str:
        staleness = self._staleness.get(row.relationship_id)
        lines = [staleness.sentence] if staleness is not None else []
        if row.relationship_id in self._drafts:
            lines.append("Draft: an unsaved assessment is waiting in the editor's drafts.")
        return "\n".join(lines)

    def row_record(self, row: int) -> ComparisonRow:
        return self._rows[row]

    def record_id(self, record: ComparisonRow) -> str:
        return record.relationship_id

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == RELATIONSHIP_ID_ROLE:
            return row.relationship_id
        if column == Column.REVIEW:
            return self._review_data(row, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return literal_role(role, self._text(row, column))
        if role == SORT_ROLE:
            if column == Column.PHASE:
                return max((PHASE_SORT[p] for p in row.phases), default=-1) * 10 + len(row.phases)
            if column == Column.LAST_ASSESSED:
                return row.last_assessed.isoformat() if row.last_assessed else ""
            return self._text(row, column)
        return None

    def _review_data(self, row: ComparisonRow, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.review_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.review_tooltip(row) or None
        if role == SORT_ROLE:
            staleness = self._staleness.get(row.relationship_id)
            order = list(ReviewStatus)
            return order.index(staleness.status) if staleness is not None else -1
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.review_tooltip(row) or self.review_text(row)
        return None

    @staticmethod
    def _text(row: ComparisonRow, column: Column) -> str:
        if column == Column.RELATIONSHIP:
            return row.label
        if column == Column.PHASE:
            return row.phase_label
        if column == Column.MOTIVES:
            return "\n".join(m.capitalize() for m in row.motives)
        if column == Column.COOPERATION:
            return "\n".join(row.cooperation)
        if column == Column.LAST_ASSESSED:
            return row.last_assessed.isoformat() if row.last_assessed else "—"
        return row.confidence.capitalize()
