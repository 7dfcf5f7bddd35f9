"""The sources library window: a filterable table, the selected source's full record and "cited by"
list (an entry opens the citing lesson or assessment), imports of BibTeX, RIS and CSL-JSON through
the preview (also by dropping files on the window), exports, and merging stored duplicates. It shows
only the sources, and the citing items, that the main window's view ceiling allows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QUndoStack
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

from db import (
    FIELD_LABELS,
    REFERENCE_FILE_SUFFIXES,
    ImportAction,
    QuadrangleError,
    SourceImportPreview,
    SourceRecord,
    check_target,
    export_format_of,
    write_file,
)
from desktop.qt_build import named
from desktop.records.window import RecordLibraryWindow
from desktop.sources.commands import (
    AddSourceCommand,
    DeleteSourceCommand,
    EditSourceCommand,
    ImportSourcesCommand,
    MergeSourcesCommand,
)
from desktop.sources.editor import SourceDialog
from desktop.sources.table_model import SOURCE_ROLE, Column, SourceTableModel
from desktop.undo import perform
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from db import Store
    from desktop.sources.import_dialog import ImportPreviewDialog

MAX_IMPORT_BYTES = 5_000_000
OWNER_ROLE = Qt.ItemDataRole.UserRole + 1


class SourcesWindow(RecordLibraryWindow):
    """The library; edits go on `undo_stack`. `choose_import_file` / `choose_export_file` are the
    file prompts, `ask_import_choices(preview)` the import preview and `confirm_merge(text)` the merge
    question (tests replace them). `owner_opened(kind, id)` is emitted when a "cited by" entry is
    opened (after the lesson editor or the assessment history has been asked to show it)."""

    owner_opened = Signal(str, str)

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
        self.ceiling = CeilingLink(self, store, self.refresh)
        self._reader = self.ceiling.reader()
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = named(QLineEdit(self), "sourceFilter")
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

        self.detail = named(QLabel(self), "sourceDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.cited_by = named(QListWidget(self), "citedBy")
        cited_caption = QLabel("Cited by", self)
        cited_caption.setStyleSheet("font-weight: bold;")
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail)
        lower_layout.addWidget(cited_caption)
        lower_layout.addWidget(self.cited_by)

        self.status = named(QLabel(self), "sourcesStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for text, name, slot in (
            ("Add source…", "addSource", self.add_source),
            ("Edit…", "editSource", self.edit_current),
            ("Move to trash", "deleteSource", self.delete_current),
            ("Merge duplicate…", "mergeDuplicate", self.merge_current_duplicate),
            ("Import BibTeX / RIS / CSL-JSON…", "importSources", self.import_file),
            ("Export…", "exportSources", self.export_file),
        ):
            button = named(QPushButton(text, self), name)
            button.clicked.connect(slot)
            buttons.addWidget(button)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ceiling.banner)
        layout.addWidget(self.filter)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        # Tab follows the window from the top: the filter above the table comes first.
        QWidget.setTabOrder(self.filter, self.table)
        QWidget.setTabOrder(self.table, self.cited_by)
        self.cited_by.itemActivated.connect(self._open_cited)
        self.setAcceptDrops(True)
        self.table.setAcceptDrops(True)
        self.filter.setToolTip("Drop .bib, .ris or .json files on this window to import them.")
        self.last_import_dialog: ImportPreviewDialog | None = None  # the latest preview, for tests
        self.resize(1200, 680)
        self.refresh()
        self.ceiling.guard_copies()

    def refresh(self) -> None:
        current = self.current_source()
        self._reader = reader = self.ceiling.reader()
        sources = reader.kept(self.store.sources.all())
        self.model.set_rows(sources, reader.citation_counts())
        count = f"{len(sources)} source{'s' if len(sources) != 1 else ''}"
        self.status.setText(count + (f" up to {reader.limit}" if reader.limit else ""))
        self.ceiling.show_level([s.marking for s in sources], reader.scheme)
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
        self.detail.setText(describe_source(record))
        cited = self._reader.cited_by(record.id)
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
            self,
            "Import references",
            "",
            "References (*.bib *.ris *.json *.txt);;BibTeX (*.bib);;RIS (*.ris);;CSL-JSON (*.json);;All files (*)",
        )
        return Path(name) if name else None

    def choose_export_file(self) -> Path | None:
        """Ask the highest marking to include (into `export_limit`), then the file (its extension picks
        BibTeX, RIS or CSL-JSON); replaceable in tests."""
        from PySide6.QtWidgets import QInputDialog

        levels = ["Everything", *self.store.catalog.marking_scheme().levels]
        title = "Export the library"
        start = levels.index(self.ceiling.ceiling) if self.ceiling.ceiling in levels else 0  # from the ceiling
        chosen, ok = QInputDialog.getItem(self, title, "Highest marking to include:", levels, start, False)
        if not ok:
            return None
        self.export_limit = None if chosen == "Everything" else chosen
        name, _ = QFileDialog.getSaveFileName(
            self, title, "sources.bib", "BibTeX (*.bib);;RIS (*.ris);;CSL-JSON (*.json)"
        )
        return Path(name) if name else None

    def ask_import_choices(self, preview: SourceImportPreview) -> dict[int, ImportAction] | None:
        """The analyst's choice per entry from the preview dialog, or None when cancelled."""
        from PySide6.QtWidgets import QDialog

        from desktop.sources.import_dialog import ImportPreviewDialog

        dialog = ImportPreviewDialog(preview, self)
        self.last_import_dialog = dialog
        return dialog.choices() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def confirm_merge(self, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, "Merge duplicate sources", text)
        return answer == QMessageBox.StandardButton.Yes

    def import_file(self, path: Path | None = None) -> None:
        """Preview a .bib, .ris or .json file, ask what to do with each entry, and import it in one
        undoable step (nothing is written when the preview is cancelled)."""
        path = path or self.choose_import_file()
        if path is None:
            return
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:
                self._report(f"{path.name} is larger than {MAX_IMPORT_BYTES // 1_000_000} MB; nothing was imported.")
                return
            data = path.read_bytes()
        except OSError as exc:
            self._report(f"Cannot read {path.name}: {exc.strerror or exc}. Nothing was imported.")
            return
        try:
            preview = self.store.references.preview_import(data, origin=path.name)
        except QuadrangleError as exc:
            self._report(f"{path.name}: {exc}")
            return
        choices = self.ask_import_choices(preview)
        if choices is None:
            self._report(f"Import of {path.name} cancelled: nothing was written.")
            return
        command = ImportSourcesCommand(self.store, preview, choices, path.name, self._report)
        try:
            perform(self.undo_stack, command)
        except QuadrangleError as exc:
            self._report(f"{path.name}: {exc}")
            return
        result = command.result
        assert result is not None  # set by a performed import
        self.refresh()
        summary = (
            f"Imported {len(result.sources)} source(s) from {path.name}"
            f", merged {len(result.merged)}, skipped {result.skipped}."
        )
        if result.notes:
            summary += "\n" + "\n".join(result.notes[:10]) + ("\n…" if len(result.notes) > 10 else "")
        self._report(summary)

    def export_file(self, path: Path | None = None, *, replace: bool = False) -> None:
        """The library up to the chosen marking (`export_limit`) as BibTeX, RIS or CSL-JSON (by the
        file's extension), marked (desktop.marked_exports), through the safe writer: an existing file is
        replaced only when the file dialog asked (or `replace`), never the database or one of its files."""
        from desktop.marked_exports import sources_export

        confirmed = path is None or replace
        if path is not None:
            self.export_limit = None
        path = path or self.choose_export_file()
        if path is None:
            return
        try:
            location = self.store.location
            protect = (location.file,) if location.is_sqlite else ()
            check_target(path, protect=protect, overwrite=confirmed)  # "the database" before "not .db"
            result = sources_export(self.store, export_format_of(path.name), max_marking=self.export_limit)
            write_file(path, result.text, protect=protect, overwrite=confirmed)
        except QuadrangleError as exc:
            self._report(str(exc))
            return
        note = f"; {result.note}" if result.note else ""
        self._report(f"Exported {len(result.view.sources)} sources to {path.name} ({result.marking}{note}).")

    # -- drag and drop ---------------------------------------------------------------------------

    @staticmethod
    def _dropped_files(event) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        return [p for p in paths if p.suffix.lower() in REFERENCE_FILE_SUFFIXES]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._dropped_files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        for path in files:
            self.import_file(path)

    # -- cited by and duplicates ------------------------------------------------------------------

    def _open_cited(self, item: QListWidgetItem) -> None:
        owner = item.data(OWNER_ROLE)
        if owner:
            self.open_owner(*owner)

    def open_owner(self, kind: str, owner_id: str) -> None:
        """Open what cites the source: a lesson in its editor, an assessment in its relationship's
        history (through the main window's assessments), then emit `owner_opened`."""
        try:
            if kind == "lesson" and self.feature is not None and hasattr(self.feature, "edit_lesson"):
                self.feature.edit_lesson(owner_id)
            elif kind == "assessment":
                window = getattr(self.feature, "parent_widget", None) if self.feature is not None else None
                controller = getattr(window, "assessments", None)
                if controller is not None:
                    controller.open_history(self.store.assessments.get(owner_id).relationship_id)
        except QuadrangleError as exc:
            self._report(str(exc))
            return
        self.owner_opened.emit(kind, owner_id)

    def merge_current_duplicate(self) -> None:
        """Merge the selected source with its stored duplicate (the older key kept), after asking."""
        current = self.current_source()
        if current is None:
            self._report("Select a source to merge with its duplicate.")
            return
        pair = next(
            ((keep, dup) for keep, dup, _ in self.store.references.duplicates() if current.id in (keep.id, dup.id)),
            None,
        )
        if pair is None:
            self._report(f"No other source in the library is the same work as {current.key}.")
            return
        keep, duplicate = pair
        question = (
            f"Merge {duplicate.key} into {keep.key}? Its citations move to {keep.key}, the fields "
            f"{keep.key} lacks are filled from it, and {duplicate.key} is removed (Undo brings it back)."
        )
        if not self.confirm_merge(question):
            return
        command = MergeSourcesCommand(self.store, keep, duplicate, self._report)
        try:
            perform(self.undo_stack, command)
        except QuadrangleError as exc:
            self._report(str(exc))
            return
        merge = command.merge
        assert merge is not None  # set by a performed merge
        self.refresh()
        self.select_source(keep.id)
        self._report(f"Merged {duplicate.key} into {keep.key}: filled {', '.join(merge.filled) or 'nothing'}.")


def describe_source(record: SourceRecord) -> str:
    """The full record as plain lines for the detail pane."""
    lines = [f"{record.authors} ({record.year}). {record.title}."]
    people = [c for c in record.creators if c.role != "author"]
    if people:
        lines.append("; ".join(f"{c.role}: {c.natural_name}" for c in people))
    fields = []
    for name in (
        "container",
        "volume",
        "issue",
        "pages",
        "edition",
        "publisher",
        "place",
        "date",
        "document_symbol",
        "doi",
        "isbn",
        "issn",
        "url",
        "accessed",
        "language",
        "notes",
    ):
        value = getattr(record, name)
        if value:
            fields.append(f"{FIELD_LABELS[name]}: {value}")
    if fields:
        lines.append(" · ".join(fields))
    lines.append(f"[{record.key} · {record.item_type.replace('-', ' ')} · {record.marking}]")
    return "\n".join(lines)
