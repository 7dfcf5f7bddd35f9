"""Test helpers for exchange tests: offline edits written straight into a store's database (standing in
for the editing methods other features provide), and snapshots to prove what changed and what did not."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from sqlalchemy import select

from db import models
from db.exchange.format import KINDS, content_of
from db.exchange.writer import ExportSelection, collect
from db.types import new_id, utc_now


def edit_lesson(store, lesson_id: str, **fields) -> None:
    """Edit a lesson in place as an analyst would: new values, revision bumped, stamped with the actor."""
    with store.database.write() as s:
        row = s.get(models.Lesson, lesson_id)
        for name, value in fields.items():
            setattr(row, name, value)
        row.revision += 1
        row.updated_at = utc_now()
        row.updated_by = store.actor


def trash_lesson(store, lesson_id: str) -> None:
    with store.database.write() as s:
        row = s.get(models.Lesson, lesson_id)
        row.deleted_at = utc_now()
        row.revision += 1


def add_lesson(
    store,
    relationship_id: str,
    finding: str,
    *,
    marking: str = "UNCLASSIFIED",
    recommendation: str = "",
    theme_ids=None,
    source_id: str | None = None,
) -> str:
    """A new lesson about one relationship, written as the store's analyst; returns its id. Without
    `theme_ids` it gets the first theme: the store (and so an import) refuses a lesson with no theme."""
    now = utc_now()
    lesson_id = new_id()
    with store.database.write() as s:
        if theme_ids is None:
            theme_ids = [s.scalars(select(models.Theme.id).order_by(models.Theme.position)).first()]
        s.add(
            models.Lesson(
                id=lesson_id,
                kind="challenge",
                finding=finding,
                recommendation=recommendation,
                recorded_on=date(2024, 5, 1),
                marking=marking,
                created_at=now,
                updated_at=now,
                created_by=store.actor,
                updated_by=store.actor,
            )
        )
        s.flush()
        s.add(models.LessonRelationship(lesson_id=lesson_id, relationship_id=relationship_id))
        for theme_id in theme_ids:
            s.add(models.LessonTheme(lesson_id=lesson_id, theme_id=theme_id))
        if source_id:
            s.add(models.Citation(source_id=source_id, locator="12", lesson_id=lesson_id))
    return lesson_id


def content(store) -> dict:
    """Everything an exchange carries from this database (all relationships, every marking)."""
    with store.database.read() as s:
        return collect(s, ExportSelection()).payload


def content_without_stamps(store) -> dict:
    """The exchanged content with in-place items' bookkeeping stamps left out: two analysts who typed
    the same words at different times hold the same content (whose stamp wins is not a loss of work)."""
    return {kind: {i: content_of(kind, e) for i, e in entries.items()} for kind, entries in content(store).items()}


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of an SQLite file, to prove that nothing at all was written."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, connection.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        connection.close()


__all__ = ["KINDS", "add_lesson", "content", "content_without_stamps", "edit_lesson", "snapshot", "trash_lesson"]
