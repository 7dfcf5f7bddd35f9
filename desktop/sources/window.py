"""The sources library window: a filterable table, the selected source's "cited by" list, and
import (BibTeX, RIS) and export (BibTeX)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db import QuadrangleError, SourceRecord
from desktop.records.window import RecordLibraryWindow
from desktop.sources.commands import AddSourceCommand, DeleteSourceCommand, EditSourceCommand, ImportSourcesCommand
from desktop.sources.editor import SourceDialog
from desktop.sources.table_model import SOURCE_ROLE, Column, SourceTableModel
from desktop.undo import perform

if TYPE_CHECKING:
    from db import Store

MAX_IMPORT_BYTES = 5_000_000
OWNER_ROLE = Qt.ItemDataRole.UserRole + 1


class SourcesWindow(RecordLibraryWindow):
    """The library; edits go on `undo_stack`. `choose_import_file` / `choose_export_file` are the
    file prompts (tests replace them)."""

    export_limit: str | None = None  # the highest marking the BibTeX being exported may include

    def __init__(self, store: Store, undo_stack: QUndoStack, parent: QWidget | None = None, *, feature=None) -> None:
        super().__init__(
            store,
            undo_stack,
            parent,
            feature=feature,
            model=SourceTableModel(),
            sort_column=Column.AUTHORS,
            table_name="sourcesTable",
        )
        self.setObjectName("sourcesWindow")
        self.setWindowTitle("Sources library")
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self, objectName="sourceFilter")
        self.filter.setPlaceholderText("Filter by author, title, year, publisher…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (Column.AUTHORS, 200),
            (Column.YEAR, 50),
            (Column.CONTAINER, 170),
            (Column.PUBLISHER, 150),
            (Column.PLACE, 90),
            (Column.CITED, 55),
            (Column.KEY, 150),
        ):
            self.table.setColumnWidth(column, width)

        self.detail = QLabel(self, objectName="sourceDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.cited_by = QListWidget(self, objectName="citedBy")
        cited_caption = QLabel("Cited by", self)
        cited_caption.setStyleSheet("font-weight: bold;")
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail)
        lower_layout.addWidget(cited_caption)
        lower_layout.addWidget(self.cited_by)

        self.status = QLabel(self, objectName="sourcesStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for text, name, slot in (
            ("Add source…", "addSource", self.add_source),
            ("Edit…", "editSource", self.edit_current),
            ("Move to trash", "deleteSource", self.delete_current),
            ("Import BibTeX / RIS…", "importSources", self.import_file),
            ("Export BibTeX…", "exportSources", self.export_file),
        ):
            button = QPushButton(text, self, objectName=name)
            button.clicked.connect(slot)
            buttons.addWidget(button)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        # Tab follows the window from the top: the filter above the table comes first.
        QWidget.setTabOrder(self.filter, self.table)
        QWidget.setTabOrder(self.table, self.cited_by)
        self.resize(1200, 680)
        self.refresh()

    def refresh(self) -> None:
        current = self.current_source()
        sources = self.store.sources.all()
        self.model.set_rows(sources, self.store.sources.citation_counts())
        self.status.setText(f"{len(sources)} sources")
        if current is not None:
            self.select_source(current.id)
        self._show_detail(self.table.currentIndex())

    def current_source(self) -> SourceRecord | None:
        return self.current_record()

    def select_source(self, source_id: str) -> None:
        self.select_record(source_id)

    def _show_detail(self, index: QModelIndex) -> None:
        self.cited_by.clear()
        if not index.isValid():
            self.detail.setText("Select a source to see where it is cited.")
            return
        record: SourceRecord = index.data(SOURCE_ROLE)
        parts = [f"{record.authors} ({record.year}). {record.title}."]
        if record.container:
            parts.append(f"In: {record.container}.")
        where = ", ".join(p for p in (record.place, record.publisher) if p)
        if where:
            parts.append(where + ".")
        if record.reference:
            parts.append(record.reference)
        self.detail.setText(" ".join(parts) + f"   [{record.key} · {record.marking}]")
        cited = self.store.sources.cited_by(record.id)
        for entry in cited:
            text = (
                entry.label
                + (f"  (p. {entry.locator})" if entry.locator else "")
                + ("  [in the trash]" if entry.in_trash else "")
            )
            item = QListWidgetItem(text)
            item.setData(OWNER_ROLE, (entry.owner_kind, entry.owner_id))
            self.cited_by.addItem(item)
        if not cited:
            self.cited_by.addItem("Not cited anywhere yet.")

    # -- actions ---------------------------------------------------------------------------------

    def add_source(self) -> SourceDialog:
        return self._add_with(lambda save: SourceDialog(self.store, save, self), AddSourceCommand)

    def edit_current(self) -> SourceDialog | None:
        return self._edit_with(
            lambda save, record: SourceDialog(self.store, save, self, source=record),
            EditSourceCommand,
        )

    def delete_current(self) -> None:
        self._trash_with(DeleteSourceCommand)

    def choose_import_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import references", "", "References (*.bib *.ris *.txt);;All files (*)"
        )
        return Path(name) if name else None

    def choose_export_file(self) -> Path | None:
        """Ask the highest marking to include (into `export_limit`), then the file; replaceable in tests."""
        from PySide6.QtWidgets import QInputDialog

        levels = ["Everything", *self.store.catalog.marking_scheme().levels]
        title = "Export the library as BibTeX"
        chosen, ok = QInputDialog.getItem(self, title, "Highest marking to include:", levels, 0, False)
        if not ok:
            return None
        self.export_limit = None if chosen == "Everything" else chosen
        name, _ = QFileDialog.getSaveFileName(self, title, "sources.bib", "BibTeX (*.bib)")
        return Path(name) if name else None

    def import_file(self, path: Path | None = None) -> None:
        """Import a .bib or .ris file (by its content: RIS starts with a TY tag) in one undoable step."""
        path = path or self.choose_import_file()
        if path is None:
            return
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:
                self._report(f"{path.name} is larger than {MAX_IMPORT_BYTES // 1_000_000} MB; nothing was imported.")
                return
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self._report(f"Cannot read {path.name}: {exc}. Nothing was imported.")
            return
        is_ris = text.lstrip().startswith("TY  -") or path.suffix.lower() == ".ris"
        command = ImportSourcesCommand(self.store, text, path.name, ris=is_ris, report=self._report)
        try:
            perform(self.undo_stack, command)
        except QuadrangleError as exc:
            self._report(f"{path.name}: {exc}")
            return
        result = command.result
        assert result is not None
        self.refresh()
        summary = f"Imported {len(result.sources)} source(s) from {path.name}."
        if result.notes:
            summary += "\n" + "\n".join(result.notes[:10]) + ("\n…" if len(result.notes) > 10 else "")
        self._report(summary)

    def export_file(self, path: Path | None = None) -> None:
        """The library up to the chosen marking as BibTeX, marked (desktop.marked_exports)."""
        from desktop.marked_exports import sources_export

        self.export_limit = None
        path = path or self.choose_export_file()
        if path is None:
            return
        try:
            result = sources_export(self.store, max_marking=self.export_limit)
            path.write_text(result.text, encoding="utf-8")
        except QuadrangleError as exc:
            self._report(str(exc))
            return
        except OSError as exc:
            self._report(f"Cannot write {path}: {exc}")
            return
        note = f"; {result.note}" if result.note else ""
        self._report(f"Exported {len(result.view.sources)} sources to {path.name} ({result.marking}{note}).")
