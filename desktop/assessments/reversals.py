"""The Reversals view: every version, across all relationships, that moved a relationship back a phase
or into ending, with its rationale. The report's "no relationship has been reversed" is this list empty.
A reversal above the main window's view ceiling is left out, and a phase it moved from that only a
withheld version gives reads "withheld"."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import EventKind, ReversalRecord
from desktop.assessments.history import recorded_text
from desktop.assessments.style import DIALOG_STYLE
from desktop.literal import literal_role
from desktop.records.table_model import RecordTableModel
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from db import Store
    from desktop.events import StoreEvents

RELATIONSHIP_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ReversalColumn(IntEnum):
    RELATIONSHIP = 0
    AS_OF = 1
    FROM = 2
    TO = 3
    RATIONALE = 4
    RECORDED = 5
    BY = 6


class ReversalTableModel(RecordTableModel):
    headers = ("Relationship", "As of", "Moved from", "Moved to", "Rationale", "Recorded", "By")

    def set_reversals(self, rows: list[ReversalRecord]) -> None:
        self._replace_rows(rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return literal_role(
                role,
                {
                    ReversalColumn.RELATIONSHIP: row.relationship_label,
                    ReversalColumn.AS_OF: row.version.as_of.isoformat(),
                    ReversalColumn.FROM: row.previous_phase_label,
                    ReversalColumn.TO: row.version.phase_label,
                    ReversalColumn.RATIONALE: row.version.reversal_rationale,
                    ReversalColumn.RECORDED: recorded_text(row.version),
                    ReversalColumn.BY: row.version.recorded_by,
                }[ReversalColumn(index.column())],
            )
        if role == RELATIONSHIP_ID_ROLE:
            return row.relationship_id
        return None


class ReversalsDialog(QDialog):
    """Lists `Store.reversals()`, refreshed after every change; double-click asks for that history
    (`history_requested(relationship_id)`)."""

    history_requested = Signal(str)

    def __init__(self, store: Store, events: StoreEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("reversalsDialog")
        self.setWindowTitle("Reversals")
        self.setStyleSheet(DIALOG_STYLE)
        self.ceiling = CeilingLink(self, store, self.reload)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addWidget(self.ceiling.banner)
        title = QLabel("Reversals", self)
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("dialogSubtitle")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.model = ReversalTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("reversalsTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReversalColumn.RATIONALE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self.history_requested.emit(index.data(RELATIONSHIP_ID_ROLE)))
        layout.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.addStretch(1)
        close = QPushButton("Close", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        footer.addWidget(close)
        layout.addLayout(footer)
        events.listen_while_open(self, lambda _kind, _ids: self.reload(), EventKind.ASSESSMENTS)
        self.reload()
        self.ceiling.guard_copies()
        self.resize(900, 420)

    def reload(self) -> None:
        reader = self.ceiling.reader()
        rows = reader.reversals()
        self.model.set_reversals(rows)
        self.ceiling.show_level([r.version.marking for r in rows], reader.scheme)
        self.table.resizeRowsToContents()
        if not rows:
            self.summary_label.setText(
                "No relationship has been reversed: no version moves a relationship back to an earlier phase "
                "or into ending."
            )
        else:
            relationships = len({r.relationship_id for r in rows})
            self.summary_label.setText(
                f"{len(rows)} reversal{'s' if len(rows) != 1 else ''} in {relationships} "
                f"relationship{'s' if relationships != 1 else ''}: versions that moved a relationship back a phase "
                "or into ending. Double-click one to open its history."
            )
        if reader.limit:
            self.summary_label.setText(f"{self.summary_label.text()} Showing material up to {reader.limit}.")
