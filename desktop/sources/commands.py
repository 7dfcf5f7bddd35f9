"""Undo commands for the sources library (see desktop/lessons/commands.py for the pattern)."""

from __future__ import annotations

from db import ImportResult, SourceChange, SourceInput, SourceRecord, Store
from desktop.lessons.commands import ErrorReporter, StoreCommand


class AddSourceCommand(StoreCommand):
    def __init__(self, store: Store, draft: SourceInput, record: SourceRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Add source {record.key}", report)
        self.draft, self.record = draft, record

    def do(self) -> None:
        self.record = self.store.add_source(SourceInput.from_record(self.record), source_id=self.record.id)

    def undo_it(self) -> None:
        self.store.retract_sources([self.record.id])


class EditSourceCommand(StoreCommand):
    def __init__(self, store: Store, change: SourceChange, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Edit source {change.after.key}", report)
        self.change = change

    def do(self) -> None:
        current = self.store.source(self.change.after.id)
        self.store.update_source(current.id, SourceInput.from_record(self.change.after), current.revision)

    def undo_it(self) -> None:
        current = self.store.source(self.change.before.id)
        self.store.update_source(current.id, SourceInput.from_record(self.change.before), current.revision)


class DeleteSourceCommand(StoreCommand):
    def __init__(self, store: Store, record: SourceRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Delete source {record.key}", report)
        self.record = record

    def do(self) -> None:
        self.store.delete_source(self.record.id)

    def undo_it(self) -> None:
        self.store.restore_source(self.record.id)


class ImportSourcesCommand(StoreCommand):
    def __init__(self, store: Store, result: ImportResult, origin: str, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Import {len(result.sources)} source(s) from {origin}", report)
        self.result = result

    def do(self) -> None:
        for record in self.result.sources:
            self.store.add_source(SourceInput.from_record(record), source_id=record.id)

    def undo_it(self) -> None:
        self.store.retract_sources([r.id for r in self.result.sources])
