"""The history of one relationship's assessment: a phase step chart, the versions on a timeline with
who recorded each when, the full text of a version, and restore / compare from there. A version
above the main window's view ceiling is listed as "withheld", with nothing of its content."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import WITHHELD, AssessmentRecord, CitationRecord, EventKind, QuadrangleError
from desktop.assessments.commands import RestoreAssessmentCommand
from desktop.assessments.phase_chart import PhaseStepChart, in_force_steps
from desktop.assessments.prompts import Prompter
from desktop.assessments.style import DIALOG_STYLE, REVERSAL_COLOR
from desktop.literal import literal_role
from desktop.records.table_model import RecordTableModel
from desktop.undo import perform
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from db import MarkingFilter, Store
    from desktop.events import StoreEvents

VERSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class VersionColumn(IntEnum):
    AS_OF = 0
    PHASE = 1
    CONFIDENCE = 2
    RECORDED = 3
    BY = 4
    NOTE = 5


def recorded_text(record: AssessmentRecord) -> str:
    return record.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")


def _cited(citation: CitationRecord) -> str:
    return citation.text + (f" “{citation.quote}”" if citation.quote else "")


def version_details(record: AssessmentRecord, versions_by_id: dict[str, AssessmentRecord]) -> str:
    """The whole version as plain text, for the detail pane."""
    lines = [
        f"As of {record.as_of.isoformat()} · {record.phase_label} · {record.confidence.label} confidence · {record.marking}",
        f"Recorded {recorded_text(record)} by {record.recorded_by}",
    ]
    if record.restored_from_id:
        original = versions_by_id.get(record.restored_from_id)
        lines.append(
            f"Restores the version as of {original.as_of.isoformat()}" if original else "Restores an earlier version"
        )
    if record.is_reversal:
        lines.append(f"REVERSAL: {record.reversal_rationale}")
    lines += ["", "Summary", record.summary or "(none)", "", "Motives"]
    for motive in record.motives:
        lines.append(
            f"  {motive.motive.label}: {motive.weight}" + (f" — {motive.rationale}" if motive.rationale else "")
        )
        if cited := record.motive_citations(motive.motive):
            lines.append(f"  {motive.motive.label}: citations: " + "; ".join(_cited(c) for c in cited))
    lines += ["", "Citations of the whole assessment"]
    lines += [f"  {_cited(c)}" for c in record.whole_citations] or ["  (none)"]
    return "\n".join(lines)


def withheld_details(record: AssessmentRecord, limit: str | None) -> str:
    """What the detail pane says of a version above the ceiling: its date, nothing of its content."""
    return (
        f"As of {record.as_of.isoformat()} · {WITHHELD}\n\nThis version is marked above {limit}: the window shows "
        "material up to that level (View > Show material up to in the main window)."
    )


class AssessmentVersionTableModel(RecordTableModel):
    """Every version of one relationship, oldest first (the timeline order)."""

    headers = ("As of", "Phase", "Confidence", "Recorded", "By", "Note")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._in_force: set[str] = set()
        self._by_id: dict[str, AssessmentRecord] = {}
        self._withheld: set[str] = set()

    def set_versions(self, versions: list[AssessmentRecord], withheld: set[str] | None = None) -> None:
        """Every version, oldest first; those in `withheld` (ids) show their date and "withheld" only."""
        self.beginResetModel()
        self._rows = sorted(versions, key=lambda v: (v.as_of, v.recorded_at))
        self._in_force = {v.id for v in in_force_steps(versions)}
        self._by_id = {v.id: v for v in versions}
        self._withheld = set(withheld or ())
        self.endResetModel()

    def version(self, row: int) -> AssessmentRecord:
        return self._rows[row]

    def is_withheld(self, version_id: str) -> bool:
        return version_id in self._withheld

    def by_id(self) -> dict[str, AssessmentRecord]:
        return dict(self._by_id)

    def _note(self, record: AssessmentRecord) -> str:
        notes = []
        if record.is_reversal:
            notes.append(f"Reversal: {record.reversal_rationale}")
        if record.restored_from_id:
            original = self._by_id.get(record.restored_from_id)
            notes.append(f"Restores version as of {original.as_of.isoformat()}" if original else "Restored")
        if record.id not in self._in_force:
            notes.append("Superseded the same day")
        return "; ".join(notes)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = VersionColumn(index.column())
        if record.id in self._withheld:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                shown = {VersionColumn.AS_OF: record.as_of.isoformat(), VersionColumn.PHASE: WITHHELD}
                return literal_role(role, shown.get(column, ""))
            return record.id if role == VERSION_ID_ROLE else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return literal_role(
                role,
                {
                    VersionColumn.AS_OF: record.as_of.isoformat(),
                    VersionColumn.PHASE: record.phase_label,
                    VersionColumn.CONFIDENCE: record.confidence.label,
                    VersionColumn.RECORDED: recorded_text(record),
                    VersionColumn.BY: record.recorded_by,
                    VersionColumn.NOTE: self._note(record),
                }[column],
            )
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and record.is_reversal
            and column in (VersionColumn.PHASE, VersionColumn.NOTE)
        ):
            return REVERSAL_COLOR
        if role == VERSION_ID_ROLE:
            return record.id
        return None


class HistoryDialog(QDialog):
    """One relationship's versions: chart, table and details; restore a version or compare two.

    Restoring confirms through the prompter (and asks for a rationale when it would be a reversal)
    and pushes a RestoreAssessmentCommand. Emits `compare_requested(before_id, after_id)`,
    `compare_dates_requested(relationship_id)` and `edit_requested(relationship_id)` for the caller
    to open those windows. Refreshes itself after every store change.
    """

    compare_requested = Signal(str, str)
    compare_dates_requested = Signal(str)
    edit_requested = Signal(str)

    def __init__(
        self,
        store: Store,
        events: StoreEvents,
        relationship_id: str,
        *,
        undo_stack: QUndoStack | None = None,
        prompter: Prompter | None = None,
        report: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.report = report  # where failed undo steps are reported (outlives this dialog)
        self.relationship = store.quadrangle.relationship(relationship_id)
        self.undo_stack = undo_stack
        self.prompter = prompter or Prompter()
        self.setObjectName("historyDialog")
        self.setWindowTitle(f"History — {self.relationship.label}")
        self.setStyleSheet(DIALOG_STYLE)
        self.ceiling = CeilingLink(self, store, self.reload)
        self._reader: MarkingFilter = self.ceiling.reader()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addWidget(self.ceiling.banner)
        title = QLabel(f"{self.relationship.label} assessment history", self)
        title.setObjectName("dialogTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(title)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("dialogSubtitle")
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.subtitle)

        self.chart = PhaseStepChart(self)
        self.chart.version_clicked.connect(self.select_version)
        layout.addWidget(self.chart)
        legend = QLabel(
            "● version in force   ◆ reversal   ○ restored version   · superseded the same day   dashed line: today",
            self,
        )
        legend.setObjectName("dialogSubtitle")
        legend.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(legend)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = AssessmentVersionTableModel(self)
        self.table = QTableView(splitter)
        self.table.setObjectName("versionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.details = QPlainTextEdit(splitter)
        self.details.setObjectName("versionDetails")
        self.details.setReadOnly(True)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([690, 290])
        layout.addWidget(splitter, 1)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        buttons = QHBoxLayout()
        self.compare_button = QPushButton("Compare selected", self)
        self.compare_button.setToolTip("Select two versions (Ctrl+click) to compare them side by side.")
        self.compare_button.clicked.connect(self._compare_selected)
        self.compare_dates_button = QPushButton("Compare dates…", self)
        self.compare_dates_button.clicked.connect(lambda: self.compare_dates_requested.emit(self.relationship.id))
        self.restore_button = QPushButton("Restore this version…", self)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        self.edit_button = QPushButton("Edit assessment…", self)
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.relationship.id))
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        for button in (self.compare_button, self.compare_dates_button, self.restore_button, self.edit_button, close):
            button.setAutoDefault(False)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.compare_dates_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        events.listen_while_open(self, lambda _kind, _ids: self.reload(), EventKind.ASSESSMENTS)
        self.reload()
        self.ceiling.guard_copies()
        self.resize(1000, 720)

    # -- data -----------------------------------------------------------------------------------

    def reload(self) -> None:
        selected = self.selected_ids()
        self._reader = reader = self.ceiling.reader()
        everything, withheld = reader.history(self.relationship.id)
        versions = [v for v in everything if v.id not in withheld]  # what the chart, subtitle and details show
        self.model.set_versions(everything, set(withheld))
        self.chart.set_versions(versions)
        markings = [v.marking for v in versions] + self._cited_markings(versions)
        self.ceiling.show_level(markings, reader.scheme)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            cap = 110 if column == VersionColumn.BY else 170
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))
        shown = len(everything)
        hidden = f" ({len(withheld)} withheld above {reader.limit})" if withheld else ""
        if versions:
            current = in_force_steps(versions)[-1]
            self.subtitle.setText(
                f"{shown} version{'s' if shown != 1 else ''}{hidden}; current"
                f"{' at this level' if withheld else ''}: {current.phase_label} as of {current.as_of.isoformat()}."
            )
        elif everything:
            self.subtitle.setText(f"{shown} version{'s' if shown != 1 else ''}{hidden}; every one is withheld.")
        else:
            self.subtitle.setText("No version recorded yet.")
        keep = [vid for vid in selected if self.model.row_of(vid) >= 0]
        if keep:
            self._select_ids(keep)
        elif versions:
            self.select_version(in_force_steps(versions)[-1].id)
        else:
            self._selection_changed()

    def _cited_markings(self, versions: list[AssessmentRecord]) -> list[str]:
        cited = {c.source_id for v in versions for c in v.citations}
        return [s.marking for s in self.store.sources.citable() if s.id in cited]

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.version(row).id for row in rows]

    def select_version(self, version_id: str) -> None:
        self._select_ids([version_id])

    def _select_ids(self, ids: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for vid in ids:
            row = self.model.row_of(vid)
            if row >= 0:
                selection.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(self.model.index(row, 0))

    def _selection_changed(self, *_) -> None:
        ids = self.selected_ids()
        self.chart.set_selected(set(ids))
        withheld = any(self.model.is_withheld(i) for i in ids)  # nothing of it to compare or restore
        self.compare_button.setEnabled(len(ids) == 2 and not withheld)
        self.restore_button.setEnabled(len(ids) == 1 and not self.store.read_only and not withheld)
        if len(ids) == 1 and withheld:
            self.details.setPlainText(withheld_details(self.store.assessments.get(ids[0]), self._reader.limit))
        elif len(ids) == 1:
            record = self._reader.cleaned(self.store.assessments.get(ids[0]))
            self.details.setPlainText(version_details(record, self.model.by_id()))
        elif len(ids) == 2:
            self.details.setPlainText("Two versions selected: Compare selected shows them side by side.")
        else:
            self.details.setPlainText("")

    # -- actions --------------------------------------------------------------------------------

    def _compare_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2 and not any(self.model.is_withheld(i) for i in ids):
            self.compare_requested.emit(ids[0], ids[1])

    def restore_selected(self) -> bool:
        """Restore the selected version as a new one, after confirming; True when restored."""
        ids = self.selected_ids()
        if len(ids) != 1 or self.model.is_withheld(ids[0]):
            return False
        version = self.store.assessments.get(ids[0])
        label = self.relationship.label
        if version.id == in_force_steps(self.store.assessments.history(self.relationship.id))[-1].id:
            self.status_label.setText("This version is already the one in force: there is nothing to restore.")
            return False
        if not self.prompter.confirm(
            self,
            "Restore version?",
            f"Record a new version of the {label} assessment equal to the version as of {version.as_of.isoformat()} "
            f"({version.phase_label}, recorded by {version.recorded_by})? Every earlier version is kept.",
            "Restore",
        ):
            return False
        rationale = ""
        try:
            if self.store.history.would_restore_reverse(version.id):
                answer = self.prompter.ask_text(
                    self,
                    "Reversal rationale",
                    f"Restoring this version moves {label} back to {version.phase_label}: it will be flagged as a "
                    "reversal. Why did the relationship move back?",
                )
                if not answer or not answer.strip():
                    self.status_label.setText("Not restored: a reversal needs a rationale.")
                    return False
                rationale = answer.strip()
            command = perform(
                self.undo_stack, RestoreAssessmentCommand(self.store, version.id, label, rationale, self.report)
            )
        except QuadrangleError as exc:
            self.status_label.setText(str(exc))
            return False
        restored = command.restored
        assert restored is not None
        self.status_label.setText("")
        self.reload()
        self.select_version(restored.id)
        return True
