"""The import preview: every entry of a BibTeX, RIS or CSL-JSON file with what it is (new, a duplicate
of a stored source, conflicting with one) and a choice per entry (add, merge, skip) or for all
duplicates at once. Nothing is written until Import is pressed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import ImportAction, ImportStatus, SourceImportPreview
from desktop.qt_build import named
from desktop.sources.picker import plain_tooltip

ACTION_LABELS = {ImportAction.ADD: "Add", ImportAction.MERGE: "Merge", ImportAction.SKIP: "Skip"}
STATUS_LABELS = {ImportStatus.NEW: "New", ImportStatus.DUPLICATE: "Duplicate", ImportStatus.CONFLICT: "Conflict"}


class ImportPreviewDialog(QDialog):
    """Shows `preview`; on Import emits `import_chosen(dict[int, ImportAction])` and accepts. Open
    with `open()`; the choices are read from `choices()`."""

    import_chosen = Signal(object)

    def __init__(self, preview: SourceImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle(f"Import sources from {preview.origin.rsplit('/', 1)[-1]}")
        self.summary = QLabel(preview.summary() + ". Nothing is written until you press Import.", self)
        self.summary.setObjectName("importSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)

        self.table = QTableWidget(len(preview.entries), 4, self)
        self.table.setObjectName("importEntries")
        self.table.setHorizontalHeaderLabels(["Entry", "Status", "Matches / differences", "Action"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 90)
        self.table.setColumnWidth(3, 100)
        self.action_boxes: list[QComboBox] = []
        for row, entry in enumerate(preview.entries):
            label = QTableWidgetItem(entry.label)
            label.setToolTip(plain_tooltip(entry.label))
            status = QTableWidgetItem(STATUS_LABELS[entry.status])
            detail = "" if entry.status == ImportStatus.NEW else entry.describe()
            where = QTableWidgetItem(detail)
            where.setToolTip(plain_tooltip(_conflicts_text(entry) or detail))
            for column, item in enumerate((label, status, where)):
                self.table.setItem(row, column, item)
            box = QComboBox(self.table)
            box.setObjectName(f"importAction{row}")
            for action in ImportAction:
                if entry.allowed(action):
                    box.addItem(ACTION_LABELS[action], action)
            box.setCurrentIndex(box.findData(entry.default_action))
            box.currentIndexChanged.connect(self._update_counts)
            self.table.setCellWidget(row, 3, box)
            self.action_boxes.append(box)

        all_row = QHBoxLayout()
        all_row.addWidget(QLabel("For every duplicate or conflict:", self))
        self.all_action = named(QComboBox(self), "allDuplicatesAction")
        for action in (ImportAction.SKIP, ImportAction.MERGE, ImportAction.ADD):
            self.all_action.addItem(ACTION_LABELS[action], action)
        self.apply_all_button = named(QPushButton("Apply to all", self), "applyToAll")
        self.apply_all_button.setAutoDefault(False)
        self.apply_all_button.clicked.connect(self.apply_to_all)
        all_row.addWidget(self.all_action)
        all_row.addWidget(self.apply_all_button)
        all_row.addStretch(1)

        self.problems = QListWidget(self)
        self.problems.setObjectName("importProblems")
        for problem in preview.problems:
            self.problems.addItem(problem)
        self.problems.setVisible(bool(preview.problems))
        self.problems.setMaximumHeight(90)
        problems_caption = QLabel(f"{len(preview.problems)} part(s) of the file could not be read:", self)
        problems_caption.setVisible(bool(preview.problems))

        self.counts = named(QLabel(self), "importCounts")
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(all_row)
        layout.addWidget(problems_caption)
        layout.addWidget(self.problems)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.resize(980, 520)
        self._update_counts()

    def set_action(self, index: int, action: ImportAction) -> None:
        box = self.action_boxes[index]
        position = box.findData(action)
        if position < 0 and action == ImportAction.MERGE:
            position = box.findData(ImportAction.SKIP)  # a repeat within the file has nothing to merge into
        box.setCurrentIndex(position)

    def apply_to_all(self) -> None:
        """Set every duplicate and conflict to the action chosen beside the button."""
        action = self.all_action.currentData()
        for entry in self.preview.entries:
            if entry.status != ImportStatus.NEW:
                self.set_action(entry.index, action)

    def choices(self) -> dict[int, ImportAction]:
        return {row: box.currentData() for row, box in enumerate(self.action_boxes)}

    def _update_counts(self) -> None:
        chosen = list(self.choices().values())
        self.counts.setText(
            f"Will add {chosen.count(ImportAction.ADD)}, merge {chosen.count(ImportAction.MERGE)}, "
            f"skip {chosen.count(ImportAction.SKIP)}."
        )
        self.import_button.setEnabled(any(a != ImportAction.SKIP for a in chosen))

    def _accept(self) -> None:
        self.import_chosen.emit(self.choices())
        self.accept()


def _conflicts_text(entry) -> str:
    return "\n".join(f"{c.field}: library “{c.library}”, file “{c.file}”" for c in entry.conflicts)


ApplyImport = Callable[[SourceImportPreview, dict[int, ImportAction]], None]
