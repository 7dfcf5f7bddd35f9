"""Undo commands for operations (see desktop/lessons/commands.py for the pattern)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db import CooperationRecord, OperationChange, OperationInput, OperationRecord
from desktop.lessons.commands import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import Store


class AddOperationCommand(StoreCommand):
    def __init__(
        self, store: Store, draft: OperationInput, record: OperationRecord, report: ErrorReporter | None = None
    ) -> None:
        super().__init__(store, f"Add operation {record.acronym}", report)
        self.draft, self.record = draft, record

    def do(self) -> None:
        self.record = self.store.operations.add(self.draft, operation_id=self.record.id)

    def undo_it(self) -> None:
        self.store.operations.retract(self.record.id)


class EditOperationCommand(StoreCommand):
    def __init__(self, store: Store, change: OperationChange, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Edit operation {change.after.acronym}", report)
        self.change = change

    def do(self) -> None:
        current = self.store.operations.get(self.change.after.id)
        self.change = self.store.operations.update(
            current.id, OperationInput.from_record(self.change.after), current.revision
        )

    def undo_it(self) -> None:
        current = self.store.operations.get(self.change.before.id)
        self.store.operations.update(current.id, OperationInput.from_record(self.change.before), current.revision)


class DeleteOperationCommand(StoreCommand):
    def __init__(self, store: Store, record: OperationRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Delete operation {record.acronym}", report)
        self.record = record

    def do(self) -> None:
        self.store.operations.delete(self.record.id)

    def undo_it(self) -> None:
        self.store.operations.restore(self.record.id)


class AddOperationToCooperationCommand(StoreCommand):
    def __init__(
        self,
        store: Store,
        operation_id: str,
        relationship_id: str,
        entry: CooperationRecord,
        report: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, f"Add {', '.join(entry.operation_acronyms)} to field cooperation", report)
        self.operation_id, self.relationship_id, self.entry = operation_id, relationship_id, entry

    def do(self) -> None:
        self.entry = self.store.operations.add_to_cooperation(self.operation_id, self.relationship_id)

    def undo_it(self) -> None:
        self.store.operations.remove_cooperation(self.entry.id)
