"""Undo commands for assessment edits: each holds the store and plain values, redo() calls the store,
undo() calls the inverse. The first redo() is skipped: the dialog already made the change (so a
refused change never reaches the stack)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from db import AssessmentInput, AssessmentRecord, QuadrangleError, SourceInput, SourceRecord

if TYPE_CHECKING:
    from db import Store

log = logging.getLogger(__name__)

ErrorReporter = Callable[[str], None]


class _StoreCommand(QUndoCommand):
    def __init__(self, store: Store, text: str, on_error: ErrorReporter | None) -> None:
        super().__init__(text)
        self._store = store
        self._on_error = on_error
        self._done = True  # the change was made before the push

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self._apply, "redo")

    def undo(self) -> None:
        self._run(self._revert, "undo")

    def _run(self, action: Callable[[], None], verb: str) -> None:
        try:
            action()
        except QuadrangleError as exc:
            # The stack cannot refuse a step; drop this command so it is not retried, and say why.
            log.warning("%s of %r failed: %s", verb, self.text(), exc)
            self.setObsolete(True)
            if self._on_error is not None:
                self._on_error(f"Could not {verb} {self.text()}: {exc}")

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


class SaveAssessmentCommand(_StoreCommand):
    """Saving a version; undo retracts it, redo records it again (as a new version id)."""

    def __init__(
        self,
        store: Store,
        draft: AssessmentInput,
        saved: AssessmentRecord,
        label: str,
        on_error: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, f"save {label} assessment", on_error)
        self.draft = draft
        self.version_id = saved.id

    def _apply(self) -> None:
        self.version_id = self._store.assessments.save(self.draft).id

    def _revert(self) -> None:
        self._store.assessments.retract(self.version_id)


class RestoreAssessmentCommand(_StoreCommand):
    """Restoring an earlier version (recorded as a new one); undo retracts the new version."""

    def __init__(
        self,
        store: Store,
        restored: AssessmentRecord,
        label: str,
        reversal_rationale: str = "",
        on_error: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, f"restore {label} assessment", on_error)
        self.source_id = restored.restored_from_id
        self.as_of = restored.as_of
        self.reversal_rationale = reversal_rationale
        self.version_id = restored.id

    def _apply(self) -> None:
        self.version_id = self._store.history.restore_version(
            self.source_id, as_of=self.as_of, reversal_rationale=self.reversal_rationale
        ).id

    def _revert(self) -> None:
        self._store.assessments.retract(self.version_id)


class AddSourceCommand(_StoreCommand):
    """Adding a source; undo removes it (refused while cited), redo recreates it with the same id."""

    def __init__(self, store: Store, source: SourceRecord, on_error: ErrorReporter | None = None) -> None:
        super().__init__(store, f"add source {source.short}", on_error)
        self.source = source

    def _apply(self) -> None:
        self._store.sources.add(SourceInput.from_record(self.source), source_id=self.source.id)

    def _revert(self) -> None:
        self._store.sources.retract([self.source.id])
