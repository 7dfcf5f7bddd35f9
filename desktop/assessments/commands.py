"""Undo commands for assessment edits (desktop/undo.py: pushing performs, redo() calls the store,
undo() the inverse). Each holds the store and plain values."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import AssessmentInput, AssessmentRecord, Store


class SaveAssessmentCommand(StoreCommand):
    """Saving a version; undo retracts it, redo records it again (as a new version id)."""

    def __init__(self, store: Store, draft: AssessmentInput, label: str, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"save {label} assessment", report)
        self.draft = draft
        self.saved: AssessmentRecord | None = None

    @property
    def version_id(self) -> str | None:
        return self.saved.id if self.saved is not None else None

    def do(self) -> None:
        self.saved = self.store.assessments.save(self.draft)

    def undo_it(self) -> None:
        if self.saved is not None:
            self.store.assessments.retract(self.saved.id)


class RestoreAssessmentCommand(StoreCommand):
    """Restoring an earlier version (recorded as a new one); undo retracts the new version, redo
    restores it again on the same date."""

    def __init__(
        self,
        store: Store,
        version_id: str,
        label: str,
        reversal_rationale: str = "",
        report: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, f"restore {label} assessment", report)
        self.source_id = version_id
        self.reversal_rationale = reversal_rationale
        self.as_of: date | None = None  # the first restore picks the date; a redo keeps it
        self.restored: AssessmentRecord | None = None

    def do(self) -> None:
        self.restored = self.store.history.restore_version(
            self.source_id, as_of=self.as_of, reversal_rationale=self.reversal_rationale
        )
        self.as_of = self.restored.as_of

    def undo_it(self) -> None:
        if self.restored is not None:
            self.store.assessments.retract(self.restored.id)
