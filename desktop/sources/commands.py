"""Undo commands for the sources library (see desktop/lessons/commands.py for the pattern)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db import SourceChange, SourceImportResult, SourceInput, SourceMergeRecord, SourceRecord
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
    """An import already applied: undo reverts it, redo re-applies it (the same ids, the same merged values)."""

    def __init__(
        self, store: Store, result: SourceImportResult, origin: str, report: ErrorReporter | None = None
    ) -> None:
        merged = f", merge {len(result.merged)}" if result.merged else ""
        super().__init__(store, f"Import {len(result.sources)} source(s){merged} from {origin}", report)
        self.result = result

    def do(self) -> None:
        self.result = self.store.sources.redo_import(self.result)

    def undo_it(self) -> None:
        self.result = self.store.sources.revert_import(self.result)


class MergeSourcesCommand(StoreCommand):
    """Merge a stored duplicate into the kept source (citations move); undo brings the duplicate back."""

    def __init__(self, store: Store, merge: SourceMergeRecord, report: ErrorReporter | None = None) -> None:
        removed = merge.removed.key if merge.removed else "?"
        super().__init__(store, f"Merge source {removed} into {merge.before.key}", report)
        self.merge = merge

    def do(self) -> None:
        assert self.merge.removed is not None
        self.merge = self.store.sources.merge_sources(self.merge.before.id, self.merge.removed.id)

    def undo_it(self) -> None:
        self.store.sources.unmerge_sources(self.merge)
