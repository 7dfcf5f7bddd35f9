"""Undo commands for operations (see desktop/lessons/commands.py for the pattern)."""

from __future__ import annotations

from db import CooperationRecord, OperationChange, OperationInput, OperationRecord, Store
from desktop.lessons.commands import ErrorReporter, StoreCommand


class AddOperationCommand(StoreCommand):
    def __init__(self, store: Store, draft: OperationInput, record: OperationRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Add operation {record.acronym}", report)
        self.draft, self.record = draft, record

    def do(self) -> None:
        self.record = self.store.add_operation(self.draft, operation_id=self.record.id)

    def undo_it(self) -> None:
        self.store.retract_operation(self.record.id)


class EditOperationCommand(StoreCommand):
    def __init__(self, store: Store, change: OperationChange, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Edit operation {change.after.acronym}", report)
        self.change = change

    def do(self) -> None:
        current = self.store.operation(self.change.after.id)
        self.change = self.store.update_operation(current.id, OperationInput.from_record(self.change.after), current.revision)

    def undo_it(self) -> None:
        current = self.store.operation(self.change.before.id)
        self.store.update_operation(current.id, OperationInput.from_record(self.change.before), current.revision)


class DeleteOperationCommand(StoreCommand):
    def __init__(self, store: Store, record: OperationRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Delete operation {record.acronym}", report)
        self.record = record

    def do(self) -> None:
        self.store.delete_operation(self.record.id)

    def undo_it(self) -> None:
        self.store.restore_operation(self.record.id)


class AddOperationToCooperationCommand(StoreCommand):
    def __init__(self, store: Store, operation_id: str, relationship_id: str, entry: CooperationRecord,
                 report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Add {', '.join(entry.operation_acronyms)} to field cooperation", report)
        self.operation_id, self.relationship_id, self.entry = operation_id, relationship_id, entry

    def do(self) -> None:
        self.entry = self.store.add_operation_to_cooperation(self.operation_id, self.relationship_id)

    def undo_it(self) -> None:
        self.store.remove_cooperation(self.entry.id)
