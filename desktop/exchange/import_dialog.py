"""File > Import exchange file...: a preview grouped by kind, a side-by-side view of every item edited on
both sides (Theirs / Mine / Keep both), then one call to `Store.import_exchange`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import ExchangeChoice, ItemStatus, QuadrangleError
from desktop.exchange.summary_model import ExchangeSummaryTableModel

PREVIEW_PAGE, CONFLICT_PAGE, DONE_PAGE = 0, 1, 2
CHOICE_LABELS = {ExchangeChoice.THEIRS: "theirs", ExchangeChoice.MINE: "mine", ExchangeChoice.BOTH: "keep both"}


def _plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat[:limit] + ("…" if len(flat) > limit else "")


if TYPE_CHECKING:
    from db import ExchangePreview, Store


class ImportExchangeDialog(QDialog):
    """Previews `path` against the store (nothing is written until Import), collects a choice for each
    conflict, imports in one call and emits `imported(ImportResult)`. A file that fails its checks shows
    its one-line reason and cannot be imported."""

    imported = Signal(object)

    def __init__(self, store: Store, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.path = Path(path)
        self.preview: ExchangePreview | None = None
        self.choices: dict[str, ExchangeChoice] = {}
        self.setWindowTitle(f"Import exchange file — {self.path.name}")
        self.setObjectName("importExchangeDialog")

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_preview_page())
        self.pages.addWidget(self._build_conflict_page())
        self.pages.addWidget(self._build_done_page())

        self.back_button = QPushButton("< Back", self)
        self.next_button = QPushButton("Next: conflicts >", self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setObjectName("importButton")
        self.close_button = QPushButton("Cancel", self)
        self.back_button.clicked.connect(lambda: self._show(PREVIEW_PAGE))
        self.next_button.clicked.connect(lambda: self._show(CONFLICT_PAGE))
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        for button in (self.back_button, self.next_button, self.import_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.resize(900, 620)
        self._load()

    # -- pages ---------------------------------------------------------------------------------

    def _build_preview_page(self) -> QWidget:
        page = QWidget(self)
        self.header_label = _plain_label("", page)
        self.header_label.setObjectName("manifestLabel")
        self.summary_model = ExchangeSummaryTableModel(page)
        self.summary_view = QTableView(page)
        self.summary_view.setObjectName("summaryTable")
        self.summary_view.setModel(self.summary_model)
        self.summary_view.verticalHeader().setVisible(False)
        self.summary_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.summary_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary_view.horizontalHeader().setStretchLastSection(True)
        self.summary_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.details = QTreeWidget(page)
        self.details.setObjectName("previewDetails")
        self.details.setHeaderLabels(["Item", "In the file", "What the import does"])
        self.details.header().setStretchLastSection(False)
        self.details.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.details.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.details.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.details_label = _plain_label("Items, grouped by kind:", page)
        self.status_label = _plain_label("", page)
        self.status_label.setObjectName("previewStatus")
        layout = QVBoxLayout(page)
        layout.addWidget(self.header_label)
        layout.addWidget(self.summary_view, 2)
        layout.addWidget(self.details_label)
        layout.addWidget(self.details, 3)
        layout.addWidget(self.status_label)
        return page

    def _build_conflict_page(self) -> QWidget:
        page = QWidget(self)
        intro = _plain_label(
            "These items were edited both in the file and here since the two databases last agreed. "
            "For each, keep theirs, keep mine, or (for lessons and sources) keep both: yours stays and "
            "theirs is added as a copy.",
            page,
        )
        self.conflict_list = QListWidget(page)
        self.conflict_list.setObjectName("conflictList")
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conflict_list.currentRowChanged.connect(self._show_conflict)
        self.field_table = QTableWidget(0, 3, page)
        self.field_table.setObjectName("fieldTable")
        self.field_table.setHorizontalHeaderLabels(["Field", "Theirs (in the file)", "Mine (here)"])
        self.field_table.verticalHeader().setVisible(False)
        self.field_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.field_table.setWordWrap(True)
        header = self.field_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.conflict_note = QLabel("", page)
        self.conflict_note.setTextFormat(Qt.TextFormat.PlainText)
        self.theirs_radio = QRadioButton("Theirs", page)
        self.mine_radio = QRadioButton("Mine", page)
        self.both_radio = QRadioButton("Keep both", page)
        self.choice_group = QButtonGroup(page)
        for button, choice in (
            (self.theirs_radio, ExchangeChoice.THEIRS),
            (self.mine_radio, ExchangeChoice.MINE),
            (self.both_radio, ExchangeChoice.BOTH),
        ):
            self.choice_group.addButton(button)
            button.toggled.connect(lambda on, c=choice: self._choice_toggled(on, c))
        radios = QHBoxLayout()
        radios.addWidget(_plain_label("Keep:", page))
        radios.addWidget(self.theirs_radio)
        radios.addWidget(self.mine_radio)
        radios.addWidget(self.both_radio)
        radios.addStretch()
        right = QWidget(page)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.conflict_note)
        right_layout.addWidget(self.field_table, 1)
        right_layout.addLayout(radios)
        splitter = QSplitter(page)
        splitter.addWidget(self.conflict_list)
        splitter.addWidget(right)
        splitter.setSizes([280, 600])
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget(self)
        self.result_label = _plain_label("", page)
        self.result_label.setObjectName("resultLabel")
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_label)
        layout.addStretch()
        return page

    # -- behaviour -----------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            self.preview = self.store.exchange.preview(self.path)
        except QuadrangleError as exc:
            self.header_label.setText(f"This file cannot be imported.\n\n{exc}")
            for widget in (self.summary_view, self.details, self.details_label):
                widget.hide()
            self.status_label.setText("Nothing was written.")
            self._show(PREVIEW_PAGE)
            return
        m = self.preview.manifest
        withheld = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in m.withheld)
        self.header_label.setText(
            f"Exported by {m.exported_by} on {m.exported_at:%Y-%m-%d %H:%M} UTC with Quadrangle {m.app_version}."
            + (f"\nThe sender left out {withheld} (above their chosen marking)." if withheld else "")
        )
        self.summary_model.set_summaries(self.preview.kinds)
        self._fill_details(self.preview)
        for item in self.preview.conflicts:
            entry = QListWidgetItem(self._conflict_text(item), self.conflict_list)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
        conflicts = len(self.preview.conflicts)
        if not self.preview.changes:
            self.status_label.setText("Everything in this file is already here: importing changes nothing.")
        elif conflicts:
            self.status_label.setText(
                f"{conflicts} item(s) were edited on both sides: choose for each on the next page."
            )
        else:
            self.status_label.setText(
                f"{self.preview.changes} item(s) will be added or updated. A backup is taken first."
            )
        self._show(PREVIEW_PAGE)

    def _fill_details(self, preview: ExchangePreview) -> None:
        self.details.clear()
        for summary in preview.kinds:
            if not summary.items:
                continue
            group = QTreeWidgetItem(
                self.details,
                [
                    f"{summary.label} ({len(summary.items)})",
                    f"{summary.new} new, {summary.identical} identical, {summary.different} different",
                    "",
                ],
            )
            for item in summary.items:
                what = item.action.value + (f": {item.note}" if item.note else "")
                QTreeWidgetItem(group, [_one_line(item.label), item.status.value, what])
            group.setExpanded(any(i.status != ItemStatus.IDENTICAL for i in summary.items))

    def _conflict_text(self, item) -> str:
        choice = self.choices.get(item.id)
        return f"{item.kind.replace('_', ' ').rstrip('s').capitalize()}: {_one_line(item.label, 60)}" + (
            f"  [{CHOICE_LABELS[choice]}]" if choice else "  [choose]"
        )

    def _show(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        usable = self.preview is not None
        conflicts = self._conflict_count() > 0
        self.back_button.setVisible(page == CONFLICT_PAGE)
        self.next_button.setVisible(page == PREVIEW_PAGE and conflicts)
        self.import_button.setVisible(page != DONE_PAGE and usable and (page == CONFLICT_PAGE or not conflicts))
        self.import_button.setEnabled(usable and len(self.choices) == self._conflict_count())
        self.close_button.setText("Close" if page == DONE_PAGE or not usable else "Cancel")
        if page == CONFLICT_PAGE and self.conflict_list.currentRow() < 0 and self.conflict_list.count():
            self.conflict_list.setCurrentRow(0)

    def _conflict_count(self) -> int:
        return len(self.preview.conflicts) if self.preview is not None else 0

    def current_conflict(self):
        row = self.conflict_list.currentRow()
        return self.preview.conflicts[row] if self.preview and 0 <= row < len(self.preview.conflicts) else None

    def _show_conflict(self, row: int) -> None:
        item = self.current_conflict()
        if item is None:
            return
        self.conflict_note.setText(item.note[:1].upper() + item.note[1:] + ".")
        self.field_table.setRowCount(len(item.differences))
        for r, diff in enumerate(item.differences):
            for c, text in enumerate((diff.label, diff.theirs, diff.mine)):
                self.field_table.setItem(r, c, QTableWidgetItem(text))
        self.field_table.resizeRowsToContents()
        self.both_radio.setEnabled(item.can_keep_both)
        self.choice_group.setExclusive(False)
        for button in (self.theirs_radio, self.mine_radio, self.both_radio):
            button.blockSignals(True)
            button.setChecked(False)
            button.blockSignals(False)
        self.choice_group.setExclusive(True)
        choice = self.choices.get(item.id)
        if choice is not None:
            button = {
                ExchangeChoice.THEIRS: self.theirs_radio,
                ExchangeChoice.MINE: self.mine_radio,
                ExchangeChoice.BOTH: self.both_radio,
            }[choice]
            button.blockSignals(True)
            button.setChecked(True)
            button.blockSignals(False)

    def _choice_toggled(self, on: bool, choice: ExchangeChoice) -> None:
        if on:
            self.choose(choice)

    def choose(self, choice: ExchangeChoice) -> None:
        """Record the choice for the conflict shown and move on to the next one still open."""
        item = self.current_conflict()
        if item is None:
            return
        self.choices[item.id] = ExchangeChoice(choice)
        row = self.conflict_list.currentRow()
        self.conflict_list.item(row).setText(self._conflict_text(item))
        self.import_button.setEnabled(len(self.choices) == self._conflict_count())

    def run_import(self) -> None:
        try:
            result = self.store.exchange.import_file(self.path, self.choices)
        except QuadrangleError as exc:
            self.result_label.setText(f"Nothing was imported.\n\n{exc}")
            self._show(DONE_PAGE)
            return
        if result.changed:
            self.result_label.setText(
                f"Imported {result.file_name} from {result.exported_by}: {result.counts_line}.\n\n"
                f"Backup taken first: {result.backup_path}"
            )
        else:
            self.result_label.setText("Everything in this file was already here: nothing was written.")
        self._show(DONE_PAGE)
        self.imported.emit(result)
