"""Undo commands for the sources library: the shared record commands (desktop/records/commands.py)
for sources, and re-adding an import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db import SourceInput
from desktop.records.commands import AddRecordCommand, DeleteRecordCommand, EditRecordCommand
from desktop.records.kinds import SOURCES
from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import SourceImportResult, Store


class AddSourceCommand(AddRecordCommand):
    """Adding a source, from the sources window or the assessment editor's "New source"."""

    kind = SOURCES


class EditSourceCommand(EditRecordCommand):
    kind = SOURCES


class DeleteSourceCommand(DeleteRecordCommand):
    kind = SOURCES


class ImportSourcesCommand(StoreCommand):
    """Importing the sources of a RIS or BibTeX text; undo removes them, redo re-adds them with the
    same ids. An import that adds nothing makes the command obsolete (no empty undo step)."""

    def __init__(self, store: Store, text: str, origin: str, *, ris: bool, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Import sources from {origin}", report)
        self.source_text, self.origin, self.ris = text, origin, ris
        self.result: SourceImportResult | None = None

    def do(self) -> None:
        if self.result is None:
            importer = self.store.sources.import_ris if self.ris else self.store.sources.import_bibtex
            self.result = importer(self.source_text, origin=self.origin)
            self.setText(f"Import {len(self.result.sources)} source(s) from {self.origin}")
            if not self.result.sources:
                self.setObsolete(True)
            return
        for record in self.result.sources:
            self.store.sources.add(SourceInput.from_record(record), source_id=record.id)

    def undo_it(self) -> None:
        if self.result is not None:
            self.store.sources.retract([r.id for r in self.result.sources])
