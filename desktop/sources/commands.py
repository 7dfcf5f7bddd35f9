"""Undo commands for the sources library: the shared record commands (desktop/records/commands.py)
for sources, and re-adding an import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.records.commands import AddRecordCommand, DeleteRecordCommand, EditRecordCommand
from desktop.records.kinds import SOURCES
from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import ImportAction, SourceImportPreview, SourceImportResult, SourceMergeRecord, SourceRecord, Store


class AddSourceCommand(AddRecordCommand):
    """Adding a source, from the sources window or the assessment editor's "New source"."""

    kind = SOURCES


class EditSourceCommand(EditRecordCommand):
    kind = SOURCES


class DeleteSourceCommand(DeleteRecordCommand):
    kind = SOURCES


class ImportSourcesCommand(StoreCommand):
    """Importing a previewed reference file as the analyst chose per entry; undo reverts the import,
    redo re-applies it (the same ids, the same merged values). An import that adds and merges nothing
    makes the command obsolete (no empty undo step)."""

    def __init__(
        self,
        store: Store,
        preview: SourceImportPreview,
        choices: dict[int, ImportAction],
        origin: str,
        report: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, f"Import sources from {origin}", report)
        self.preview, self.choices, self.origin = preview, choices, origin
        self.result: SourceImportResult | None = None

    def do(self) -> None:
        if self.result is not None:
            self.result = self.store.references.redo_import(self.result)
            return
        self.result = self.store.references.apply_import(self.preview, self.choices)
        merged = f", merge {len(self.result.merged)}" if self.result.merged else ""
        self.setText(f"Import {len(self.result.sources)} source(s){merged} from {self.origin}")
        if not (self.result.sources or self.result.merged):
            self.setObsolete(True)

    def undo_it(self) -> None:
        if self.result is not None:
            self.result = self.store.references.revert_import(self.result)


class MergeSourcesCommand(StoreCommand):
    """Merging a stored duplicate into the kept source (its citations move there); undo brings the
    duplicate back with its citations, redo merges again."""

    def __init__(self, store: Store, keep: SourceRecord, duplicate: SourceRecord, report: ErrorReporter | None = None):
        super().__init__(store, f"Merge source {duplicate.key} into {keep.key}", report)
        self.keep_id, self.duplicate_id = keep.id, duplicate.id
        self.merge: SourceMergeRecord | None = None

    def do(self) -> None:
        self.merge = self.store.references.merge_sources(self.keep_id, self.duplicate_id)

    def undo_it(self) -> None:
        if self.merge is not None:
            self.store.references.unmerge_sources(self.merge)
