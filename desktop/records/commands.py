"""The undo commands every record library shares (add, edit, move to the trash), for any RecordKind
(desktop/undo.py: pushing performs the action)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import Store
    from desktop.records.kinds import RecordKind


class RecordCommand(StoreCommand):
    """Subclasses set `kind` (a RecordKind)."""

    kind: ClassVar[RecordKind]

    def _service(self) -> Any:
        return self.kind.service(self.store)


class AddRecordCommand(RecordCommand):
    """Adding a record; undo removes it again (refused while something refers to it), redo re-adds it
    with the same id. `text_format` names the step from the new record (`{label}`, and `{short}` for
    records that have one)."""

    def __init__(self, store: Store, draft: Any, report: ErrorReporter | None = None, *, text_format: str = "") -> None:
        super().__init__(store, f"Add {self.kind.noun}", report)
        self.draft = draft
        self.text_format = text_format or f"Add {self.kind.noun} {{label}}"
        self.record: Any = None

    def do(self) -> None:
        if self.record is None:
            self.record = self._service().add(self.draft)
            short = getattr(self.record, "short", "")
            self.setText(self.text_format.format(label=self.kind.label(self.record), short=short))
        else:
            self.record = self._service().add(self.kind.to_input(self.record), **{self.kind.id_keyword: self.record.id})

    def undo_it(self) -> None:
        if self.record is not None:
            self.kind.retract(self.store, self.record.id)


class EditRecordCommand(RecordCommand):
    """Saving new values over the revision the editor showed; undo puts the old values back, redo the
    new ones (each over the record's current revision)."""

    def __init__(
        self, store: Store, record_id: str, draft: Any, revision: int | None, report: ErrorReporter | None = None
    ) -> None:
        super().__init__(store, f"Edit {self.kind.noun}", report)
        self.record_id, self.draft, self.revision = record_id, draft, revision
        self.change: Any = None

    def do(self) -> None:
        if self.change is None:
            self.change = self._service().update(self.record_id, self.draft, self.revision)
            self.setText(f"Edit {self.kind.noun} {self.kind.label(self.change.after)}")
            return
        current = self._service().get(self.change.after.id)
        self.change = self._service().update(current.id, self.kind.to_input(self.change.after), current.revision)

    def undo_it(self) -> None:
        current = self._service().get(self.change.before.id)
        self._service().update(current.id, self.kind.to_input(self.change.before), current.revision)


class DeleteRecordCommand(RecordCommand):
    """Moving a record to the trash (refused when it changed since it was shown); undo restores it."""

    def __init__(self, store: Store, record: Any, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Delete {self.kind.noun} {self.kind.label(record)}", report)
        self.record = record
        self._expected_revision: int | None = record.revision  # only the first time: later it has moved

    def do(self) -> None:
        self._service().delete(self.record.id, self._expected_revision)
        self._expected_revision = None

    def undo_it(self) -> None:
        self._service().restore(self.record.id)
