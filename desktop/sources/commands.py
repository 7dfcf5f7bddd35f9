"""Undo commands for the sources library (see desktop/lessons/commands.py for the pattern)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db import SourceChange, SourceImportResult, SourceInput, SourceRecord
from desktop.lessons.commands import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import Store


class AddSourceCommand(StoreCommand):
    def __init__(
        self, store: Store, draft: SourceInput, record: SourceRecord, report: ErrorReporter | None = None
    ) -> None:
        super().__init__(store, f"Add source {record.key}", report)
        self.draft, self.record = draft, record

    def do(self) -> None:
        self.record = self.store.sources.add(SourceInput.from_record(self.record), source_id=self.record.id)

    def undo_it(self) -> None:
        self.store.sources.retract([self.record.id])


class EditSourceCommand(StoreCommand):
    def __init__(self, store: Store, change: SourceChange, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Edit source {change.after.key}", report)
        self.change = change

    def do(self) -> None:
        current = self.store.sources.get(self.change.after.id)
        self.store.sources.update(current.id, SourceInput.from_record(self.change.after), current.revision)

    def undo_it(self) -> None:
        current = self.store.sources.get(self.change.before.id)
        self.store.sources.update(current.id, SourceInput.from_record(self.change.before), current.revision)


class DeleteSourceCommand(StoreCommand):
    def __init__(self, store: Store, record: SourceRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Delete source {record.key}", report)
        self.record = record

    def do(self) -> None:
        self.store.sources.delete(self.record.id)

    def undo_it(self) -> None:
        self.store.sources.restore(self.record.id)


class ImportSourcesCommand(StoreCommand):
    def __init__(
        self, store: Store, result: SourceImportResult, origin: str, report: ErrorReporter | None = None
    ) -> None:
        super().__init__(store, f"Import {len(result.sources)} source(s) from {origin}", report)
        self.result = result

    def do(self) -> None:
        for record in self.result.sources:
            self.store.sources.add(SourceInput.from_record(record), source_id=record.id)

    def undo_it(self) -> None:
        self.store.sources.retract([r.id for r in self.result.sources])
