"""MotiveMatrixTableModel: relationships × the six motives, weights as shaded cells, grouped into
materialist and ideational with a subtotal each, and a totals row (how often each motive recurs)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from db import MOTIVE_ORDER, Motive, MotiveFamily, QuadrangleState, RelationshipState
from desktop.comparison.table_model import RELATIONSHIP_ID_ROLE, SORT_ROLE
from desktop.diagram.style import plain_tooltip

WEIGHT_ROLE = Qt.ItemDataRole.UserRole + 3

# Two sequential, colour-blind-safe ramps (ColorBrewer Blues and Oranges), weight 1..3.
SHADES = {
    MotiveFamily.MATERIALIST: (QColor("#DEEBF7"), QColor("#9ECAE1"), QColor("#3182BD")),
    MotiveFamily.IDEATIONAL: (QColor("#FEE6CE"), QColor("#FDAE6B"), QColor("#D94801")),
}
TOTAL_FILL = QColor("#F2F2F2")
# Every filled cell gets this text colour, whatever the theme: the fills are the same in a light and a
# dark palette (they encode the weight), so the palette's own text colour (light in a dark theme) would
# vanish on them. Near-black reads at 4.5:1 or better on every fill, the strongest included.
ON_FILL = QColor("#111111")


class Column(IntEnum):
    RELATIONSHIP = 0
    SURVIVAL = 1
    COMPETITION = 2
    RESOURCES = 3
    MATERIALIST = 4
    LEGITIMIZATION = 5
    SHARED_VALUES = 6
    LEARNING = 7
    IDEATIONAL = 8


MOTIVE_COLUMNS: dict[Column, Motive] = {
    Column.SURVIVAL: Motive.ORGANIZATIONAL_SURVIVAL,
    Column.COMPETITION: Motive.NEUTRALIZING_COMPETITION,
    Column.RESOURCES: Motive.RESOURCE_DEPENDENCE,
    Column.LEGITIMIZATION: Motive.LEGITIMIZATION,
    Column.SHARED_VALUES: Motive.SHARED_VALUES,
    Column.LEARNING: Motive.ORGANIZATIONAL_LEARNING,
}
FAMILY_COLUMNS = {Column.MATERIALIST: MotiveFamily.MATERIALIST, Column.IDEATIONAL: MotiveFamily.IDEATIONAL}
assert tuple(MOTIVE_COLUMNS.values()) == MOTIVE_ORDER


def header_text(column: Column) -> str:
    if column == Column.RELATIONSHIP:
        return "Relationship"
    if column in FAMILY_COLUMNS:
        return f"Σ {FAMILY_COLUMNS[column].value.capitalize()}"
    return MOTIVE_COLUMNS[column].label.replace(" ", "\n", 1)


class MotiveMatrixTableModel(QAbstractTableModel):
    """One row per relationship (in the state's order) and a last row of totals; read-only.

    Cells hold the motive's weight (0 absent to 3 strong); the totals row gives the sum and in how
    many relationships the motive is present. `set_state` replaces everything after a date change.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[RelationshipState] = []

    def set_state(self, state: QuadrangleState) -> None:
        self.beginResetModel()
        self._rows = list(state.relationships)
        self.endResetModel()

    def is_total_row(self, row: int) -> bool:
        return row == len(self._rows)

    def row_of(self, relationship_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.relationship.id == relationship_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows) + 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return header_text(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in MOTIVE_COLUMNS:
                motive = MOTIVE_COLUMNS[column]
                return plain_tooltip(f"{motive.label} ({motive.family.value} motive)")
            if column in FAMILY_COLUMNS:
                return plain_tooltip(f"Sum of the {FAMILY_COLUMNS[column].value} motives' weights")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_total_row(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def weight(self, row: int, column: Column) -> int | None:
        """A relationship's weight in a motive or family column; None when it is not assessed."""
        assessment = self._rows[row].assessment
        if assessment is None:
            return None
        if column in MOTIVE_COLUMNS:
            return assessment.weight(MOTIVE_COLUMNS[column])
        if column == Column.MATERIALIST:
            return assessment.materialist_weight
        return assessment.ideational_weight

    def total(self, column: Column) -> tuple[int, int]:
        """(sum of weights, number of relationships where present) for a motive or family column."""
        weights = [w for w in (self.weight(r, column) for r in range(len(self._rows))) if w is not None]
        return sum(weights), sum(1 for w in weights if w > 0)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() <= len(self._rows) or not 0 <= index.column() < len(Column):
            return None
        column = Column(index.column())
        if self.is_total_row(index.row()):
            return self._total_data(column, role)
        rel_state = self._rows[index.row()]
        if role == RELATIONSHIP_ID_ROLE:
            return rel_state.relationship.id
        if column == Column.RELATIONSHIP:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return rel_state.relationship.label
            if role == Qt.ItemDataRole.ToolTipRole and rel_state.assessment is None:
                return plain_tooltip("Not assessed by this date")
            return None
        weight = self.weight(index.row(), column)
        if role == WEIGHT_ROLE or role == SORT_ROLE:
            return -1 if weight is None else weight
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if not weight else str(weight)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and weight:
            family = FAMILY_COLUMNS.get(column) or MOTIVE_COLUMNS[column].family
            if column in FAMILY_COLUMNS:
                return TOTAL_FILL
            return SHADES[family][min(weight, 3) - 1]
        if role == Qt.ItemDataRole.ForegroundRole and weight:
            return ON_FILL
        if role == Qt.ItemDataRole.ToolTipRole and column in MOTIVE_COLUMNS and rel_state.assessment is not None:
            motive = MOTIVE_COLUMNS[column]
            rationale = next((m.rationale for m in rel_state.assessment.motives if m.motive == motive), "")
            text = f"{rel_state.relationship.label}: {motive.label}, weight {weight}"
            return plain_tooltip(text + (f"\n{rationale}" if rationale else ""))
        return None

    def _total_data(self, column: Column, role: int):
        if role == Qt.ItemDataRole.BackgroundRole:
            return TOTAL_FILL
        if role == Qt.ItemDataRole.ForegroundRole:
            return ON_FILL
        if role == Qt.ItemDataRole.FontRole:
            bold = QFont()
            bold.setBold(True)
            return bold
        if column == Column.RELATIONSHIP:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return f"Total ({len(self._rows)})"
            return None
        total, present = self.total(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{total} · {present}/{len(self._rows)}" if column in MOTIVE_COLUMNS else str(total)
        if role in (SORT_ROLE, WEIGHT_ROLE):
            return total
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in MOTIVE_COLUMNS:
            return plain_tooltip(
                f"{MOTIVE_COLUMNS[column].label}: total weight {total}, present in {present} of "
                f"{len(self._rows)} relationships"
            )
        return None
