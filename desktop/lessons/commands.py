"""Undo commands for lessons and themes. The store call of a user action runs before the command is
pushed (so a refusal reaches the user as a message, not a half-pushed command); `redo` after an
undo repeats it, and `undo` calls the inverse store method."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from db import LessonChange, LessonInput, LessonRecord, QuadrangleError, ThemeRecord

if TYPE_CHECKING:
    from db import Store

ErrorReporter = Callable[[str], None]


def _excerpt(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class StoreCommand(QUndoCommand):
    """Base: the first redo is the already-made store call; later failures go to `report`."""

    def __init__(self, store: Store, text: str, report: ErrorReporter | None = None) -> None:
        super().__init__(text)
        self.store = store
        self._report = report or (lambda message: None)
        self._done_once = False

    def redo(self) -> None:
        if not self._done_once:
            self._done_once = True
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_it)

    def _run(self, action) -> None:
        try:
            action()
        except QuadrangleError as exc:
            self.setObsolete(True)
            self._report(f"Could not {self.text().lower()}: {exc}")

    def do(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def undo_it(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class AddLessonCommand(StoreCommand):
    def __init__(
        self, store: Store, draft: LessonInput, record: LessonRecord, report: ErrorReporter | None = None
    ) -> None:
        super().__init__(store, f"Add lesson “{_excerpt(draft.finding)}”", report)
        self.draft = draft
        self.record = record

    def do(self) -> None:
        self.record = self.store.lessons.add(self.draft, lesson_id=self.record.id)

    def undo_it(self) -> None:
        # Later edits were undone first (the stack is ordered); if the content is as added, the
        # revision may have moved (trash, restore, edit and its undo) and the lesson can go.
        current = self.store.lessons.get(self.record.id)
        unchanged = LessonInput.from_record(current) == LessonInput.from_record(self.record)
        self.store.lessons.retract(
            self.record.id, expected_revision=current.revision if unchanged else self.record.revision
        )


class EditLessonCommand(StoreCommand):
    """Undo puts the `before` values back, redo the `after` values, provided nobody changed the
    lesson's content in between (trash and restore bump the revision but change no content)."""

    def __init__(self, store: Store, change: LessonChange, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Edit lesson “{_excerpt(change.after.finding)}”", report)
        self.change = change

    def _revision_if_unchanged(self, expected: LessonRecord) -> int:
        current = self.store.lessons.get(expected.id)
        if LessonInput.from_record(current) == LessonInput.from_record(expected):
            return current.revision
        return expected.revision  # stale on purpose: the store answers with a ConflictError

    def do(self) -> None:
        revision = self._revision_if_unchanged(self.change.before)
        self.change = self.store.lessons.update(
            self.change.before.id, LessonInput.from_record(self.change.after), revision
        )

    def undo_it(self) -> None:
        revision = self._revision_if_unchanged(self.change.after)
        reverted = self.store.lessons.update(
            self.change.before.id, LessonInput.from_record(self.change.before), revision
        )
        self.change = LessonChange(before=reverted.after, after=self.change.after)


class DeleteLessonCommand(StoreCommand):
    def __init__(self, store: Store, record: LessonRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Delete lesson “{_excerpt(record.finding)}”", report)
        self.record = record

    def do(self) -> None:
        self.record = self.store.lessons.delete(self.record.id)

    def undo_it(self) -> None:
        self.record = self.store.lessons.restore(self.record.id)


class RestoreLessonCommand(StoreCommand):
    def __init__(self, store: Store, record: LessonRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Restore lesson “{_excerpt(record.finding)}”", report)
        self.record = record

    def do(self) -> None:
        self.record = self.store.lessons.restore(self.record.id)

    def undo_it(self) -> None:
        self.record = self.store.lessons.delete(self.record.id)


class AddThemeCommand(StoreCommand):
    def __init__(self, store: Store, theme: ThemeRecord, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Add theme “{theme.name}”", report)
        self.theme = theme

    def do(self) -> None:
        self.theme = self.store.catalog.add_theme(self.theme.name, self.theme.key)

    def undo_it(self) -> None:
        self.store.catalog.remove_theme(self.theme.id)
