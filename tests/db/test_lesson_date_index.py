"""Lesson counts on the diagram stay right as lessons come and go: the window's cached lesson-date index
(added lessons inserted, anything else rebuilt) agrees with counting in SQL after every kind of change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import db.state
from db import LessonInput, LessonKind

DAYS = (date(2003, 6, 1), date(2005, 6, 1), date(2008, 1, 10), date.today())


def _counts(store, day: date, *, from_sql: bool = False) -> dict[str, tuple[int, date | None]]:
    # `known_at` sends the state through the plain SQL count instead of the cached index.
    known_at = datetime.now(UTC) + timedelta(days=1) if from_sql else None
    state = store.quadrangle.state_as_of(day, known_at=known_at)
    return {r.relationship.id: (r.lesson_count, r.latest_evidence) for r in state.relationships}


def _assert_index_agrees(store) -> None:
    for day in DAYS:
        assert _counts(store, day) == _counts(store, day, from_sql=True), day


def _draft(store, recorded_on: date, relationships: int = 1) -> LessonInput:
    return LessonInput(
        finding="Liaison officers arrived late.",
        kind=LessonKind.CHALLENGE,
        recorded_on=recorded_on,
        relationship_ids=tuple(r.id for r in store.quadrangle.relationships()[:relationships]),
        theme_keys=(store.catalog.themes()[0].key,),
    )


def test_added_lessons_are_counted_without_rebuilding_the_index(default_store, monkeypatch):
    """Adding lessons (one of them on two relationships) updates the counts of every date, and the
    index takes them in without reading every lesson again."""
    _assert_index_agrees(default_store)
    rebuilds = []
    real = db.state._lesson_dates
    monkeypatch.setattr(db.state, "_lesson_dates", lambda session: rebuilds.append(1) or real(session))
    before = _counts(default_store, date(2005, 6, 1))
    default_store.lessons.add(_draft(default_store, date(2004, 3, 1), relationships=2))
    default_store.lessons.add(_draft(default_store, date(2007, 9, 9)))
    after = _counts(default_store, date(2005, 6, 1))
    first, second = (r.id for r in default_store.quadrangle.relationships()[:2])
    assert after[first][0] == before[first][0] + 1 and after[second][0] == before[second][0] + 1
    _assert_index_agrees(default_store)
    assert rebuilds == []


def test_edits_trash_and_purge_are_counted_too(default_store):
    """An edited date, a lesson in the trash, a purged one, then another addition: still in agreement."""
    _assert_index_agrees(default_store)
    lesson = default_store.lessons.add(_draft(default_store, date(2004, 3, 1)))
    _assert_index_agrees(default_store)
    changed = default_store.lessons.update(lesson.id, _draft(default_store, date(2006, 1, 1), relationships=3), 1)
    _assert_index_agrees(default_store)
    default_store.lessons.delete(lesson.id, changed.after.revision)  # to the trash
    _assert_index_agrees(default_store)
    default_store.lessons.purge(lesson.id)
    _assert_index_agrees(default_store)
    default_store.lessons.add(_draft(default_store, date(2002, 2, 2)))
    _assert_index_agrees(default_store)
