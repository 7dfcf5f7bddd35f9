"""Undo commands for operations: the shared record commands (desktop/records/commands.py) for
operations, and adding an operation to a relationship's field cooperation."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from db import OperationInput
from desktop.records.commands import AddRecordCommand, DeleteRecordCommand, EditRecordCommand
from desktop.records.kinds import OPERATIONS
from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import CooperationRecord, Store


class AddOperationCommand(AddRecordCommand):
    kind = OPERATIONS


class EditOperationCommand(EditRecordCommand):
    """An edit of an operation. When it changed the mandate, its undo withdraws the mandate-history
    entry it added (rather than recording the old mandate as a new change) and its redo brings the same
    entry back, in effect from the same day; a correction of the mandate's text stays one both ways."""

    kind = OPERATIONS

    def do(self) -> None:
        if self.change is None:
            super().do()
            return
        added = self.change.mandate_change
        draft = dataclasses.replace(
            OperationInput.from_record(self.change.after),
            mandate_effective=added.effective_on if added is not None else None,
            mandate_correction=added is None,  # a mandate edited without an entry was a correction
        )
        current = self.store.operations.get(self.change.after.id)
        self.change = self.store.operations.update(
            current.id, draft, current.revision, mandate_change_id=added.id if added is not None else None
        )

    def undo_it(self) -> None:
        added = self.change.mandate_change
        current = self.store.operations.get(self.change.before.id)
        self.store.operations.update(
            current.id,
            dataclasses.replace(OperationInput.from_record(self.change.before), mandate_correction=added is None),
            current.revision,
            withdraw_mandate_change_id=added.id if added is not None else None,
        )


class DeleteOperationCommand(DeleteRecordCommand):
    kind = OPERATIONS


class AddOperationToCooperationCommand(StoreCommand):
    """Listing an operation as field cooperation of a relationship; undo removes the entry."""

    def __init__(
        self, store: Store, operation_id: str, relationship_id: str, report: ErrorReporter | None = None
    ) -> None:
        super().__init__(store, "Add to field cooperation", report)
        self.operation_id, self.relationship_id = operation_id, relationship_id
        self.entry: CooperationRecord | None = None

    def do(self) -> None:
        self.entry = self.store.operations.add_to_cooperation(self.operation_id, self.relationship_id)
        self.setText(f"Add {', '.join(self.entry.operation_acronyms)} to field cooperation")

    def undo_it(self) -> None:
        if self.entry is not None:
            self.store.operations.remove_cooperation(self.entry.id)
