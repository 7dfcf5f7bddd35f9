"""Undo commands for lessons and themes (desktop/undo.py: pushing performs the action, `undo` calls
the inverse store method)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db import LessonChange, LessonInput
from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import LessonRecord, Store, ThemeRecord


def _excerpt(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class AddLessonCommand(StoreCommand):
    """Adding a lesson; undo retracts it, redo re-adds it with the same id."""

    def __init__(self, store: Store, draft: LessonInput, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Add lesson “{_excerpt(draft.finding)}”", report)
        self.draft = draft
        self.record: LessonRecord | None = None

    def do(self) -> None:
        self.record = self.store.lessons.add(self.draft, lesson_id=self.record.id if self.record else None)

    def undo_it(self) -> None:
        assert self.record is not None
        # Later edits were undone first (the stack is ordered); if the content is as added, the
        # revision may have moved (trash, restore, edit and its undo) and the lesson can go.
        current = self.store.lessons.get(self.record.id)
        unchanged = LessonInput.from_record(current) == LessonInput.from_record(self.record)
        self.store.lessons.retract(
            self.record.id, expected_revision=current.revision if unchanged else self.record.revision
        )


class EditLessonCommand(StoreCommand):
    """Saving a lesson over the revision the editor showed. Undo puts the `before` values back, redo
    the `after` values, provided nobody changed the lesson's content in between (trash and restore
    bump the revision but change no content)."""

    def __init__(
        self,
        store: Store,
        lesson_id: str,
        draft: LessonInput,
        revision: int,
        report: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, f"Edit lesson “{_excerpt(draft.finding)}”", report)
        self.lesson_id, self.draft, self.revision = lesson_id, draft, revision
        self.change: LessonChange | None = None

    def _revision_if_unchanged(self, expected: LessonRecord) -> int:
        current = self.store.lessons.get(expected.id)
        if LessonInput.from_record(current) == LessonInput.from_record(expected):
            return current.revision
        return expected.revision  # stale on purpose: the store answers with a ConflictError

    def do(self) -> None:
        if self.change is None:
            self.change = self.store.lessons.update(self.lesson_id, self.draft, self.revision)
            self.setText(f"Edit lesson “{_excerpt(self.change.after.finding)}”")
            return
        revision = self._revision_if_unchanged(self.change.before)
        self.change = self.store.lessons.update(
            self.change.before.id, LessonInput.from_record(self.change.after), revision
        )

    def undo_it(self) -> None:
        assert self.change is not None
        revision = self._revision_if_unchanged(self.change.after)
        reverted = self.store.lessons.update(
            self.change.before.id, LessonInput.from_record(self.change.before), revision
        )
        self.change = LessonChange(before=reverted.after, after=self.change.after)


class DeleteLessonCommand(StoreCommand):
    """Moving a lesson to the trash; undo restores it."""

    def __init__(self, store: Store, lesson_id: str, report: ErrorReporter | None = None) -> None:
        super().__init__(store, "Delete lesson", report)
        self.lesson_id = lesson_id

    def do(self) -> None:
        record = self.store.lessons.delete(self.lesson_id)
        self.setText(f"Delete lesson “{_excerpt(record.finding)}”")

    def undo_it(self) -> None:
        self.store.lessons.restore(self.lesson_id)


class RestoreLessonCommand(StoreCommand):
    """Taking a lesson out of the trash; undo moves it back."""

    def __init__(self, store: Store, lesson_id: str, report: ErrorReporter | None = None) -> None:
        super().__init__(store, "Restore lesson", report)
        self.lesson_id = lesson_id

    def do(self) -> None:
        record = self.store.lessons.restore(self.lesson_id)
        self.setText(f"Restore lesson “{_excerpt(record.finding)}”")

    def undo_it(self) -> None:
        self.store.lessons.delete(self.lesson_id)


class AddThemeCommand(StoreCommand):
    """Adding a theme; undo removes it, redo adds it again under the same key."""

    def __init__(self, store: Store, name: str, report: ErrorReporter | None = None) -> None:
        super().__init__(store, f"Add theme “{name}”", report)
        self.name = name
        self.theme: ThemeRecord | None = None

    def do(self) -> None:
        self.theme = self.store.catalog.add_theme(self.name, self.theme.key if self.theme else None)

    def undo_it(self) -> None:
        if self.theme is not None:
            self.store.catalog.remove_theme(self.theme.id)
