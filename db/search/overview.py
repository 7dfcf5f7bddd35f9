"""The theme overview (themes x relationships, lessons in each cell): its counts kept on SQLite in
`lesson_search_overview` by every lesson writer, and the record built from them (or, on a database
that keeps no counts, from the link tables)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.convert import organization_record, relationship_record
from db.lesson_records import ThemeOverview

OVERVIEW_SELECT = (
    "SELECT t.theme_id, r.relationship_id, count(*) FROM lesson_themes t "
    "JOIN lesson_relationships r ON r.lesson_id = t.lesson_id JOIN lessons l ON l.id = t.lesson_id "
    "WHERE l.deleted_at IS NULL GROUP BY t.theme_id, r.relationship_id "
    "UNION ALL SELECT t.theme_id, '', count(*) FROM lesson_themes t JOIN lessons l ON l.id = t.lesson_id "
    "WHERE l.deleted_at IS NULL GROUP BY t.theme_id"
)
_FILL_OVERVIEW = "INSERT INTO lesson_search_overview (theme_id, relationship_id, lessons) " + OVERVIEW_SELECT


def adjust(session: Session, lesson_ids, sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) these lessons' part of the theme overview's counts, as
    they now stand in the session (a lesson in the trash counts for nothing). Writers call it with
    -1 before changing a lesson's themes, relationships or trash state, and with +1 after."""
    ids = list(lesson_ids)
    if not ids:
        return
    session.flush()
    params = {f"i{n}": lesson_id for n, lesson_id in enumerate(ids)}
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    live = f"JOIN lessons l ON l.id = t.lesson_id WHERE l.deleted_at IS NULL AND t.lesson_id IN ({marks})"
    session.execute(
        sa.text(
            "INSERT INTO lesson_search_overview (theme_id, relationship_id, lessons) SELECT theme_id, relationship_id, delta FROM ("
            f"SELECT t.theme_id AS theme_id, r.relationship_id AS relationship_id, {int(sign)} * count(*) AS delta "
            f"FROM lesson_themes t JOIN lesson_relationships r ON r.lesson_id = t.lesson_id {live} "
            "GROUP BY t.theme_id, r.relationship_id "
            f"UNION ALL SELECT t.theme_id, '', {int(sign)} * count(*) FROM lesson_themes t {live} GROUP BY t.theme_id) WHERE true "
            "ON CONFLICT (theme_id, relationship_id) DO UPDATE SET lessons = lessons + excluded.lessons"
        ),
        params,
    )


def kept_counts(session: Session) -> dict[tuple[str, str], int]:
    """(theme id, relationship id or '') -> lessons, from the kept counts (SQLite)."""
    rows = session.execute(
        sa.text("SELECT theme_id, relationship_id, lessons FROM lesson_search_overview WHERE lessons > 0")
    )
    return {(theme, rel): count for theme, rel, count in rows}


def refill(session: Session) -> None:
    """Recount the kept counts from the lessons (with the index rebuild)."""
    session.execute(sa.text("DELETE FROM lesson_search_overview"))
    session.execute(sa.text(_FILL_OVERVIEW))


def theme_overview(session: Session, kept: dict[tuple[str, str], int] | None) -> ThemeOverview:
    """Themes × relationships with the number of lessons (not in the trash) in each cell, and
    the number of distinct lessons per theme, from the engine's `kept` counts or, without them,
    from the link tables."""
    s = session
    themes = list(s.scalars(select(models.Theme).order_by(models.Theme.position, models.Theme.name)))
    organizations = {o.id: organization_record(o) for o in s.scalars(select(models.Organization))}
    relationships = [
        relationship_record(r, organizations)
        for r in s.scalars(select(models.Relationship).order_by(models.Relationship.position))
    ]
    key_of = {t.id: t.key for t in themes}
    if kept is None:
        kept = counts_by_merge(s)
    counts = {(key_of[t], r): n for (t, r), n in kept.items() if r and t in key_of}
    totals = {key_of[t]: n for (t, r), n in kept.items() if not r and t in key_of}
    return ThemeOverview(
        theme_keys=tuple(t.key for t in themes),
        theme_names=tuple(t.name for t in themes),
        relationship_ids=tuple(r.id for r in relationships),
        relationship_labels=tuple(r.label for r in relationships),
        counts=counts,
        totals=totals,
    )


def counts_by_merge(s: Session) -> dict[tuple[str, str], int]:
    """The overview's counts computed from the link tables (databases without kept counts)."""
    trashed = set(s.scalars(select(models.Lesson.id).where(models.Lesson.deleted_at.is_not(None))))
    rels_of: dict[str, list[str]] = defaultdict(list)
    for lesson_id, rel_id in s.execute(
        select(models.LessonRelationship.lesson_id, models.LessonRelationship.relationship_id)
    ):
        rels_of[lesson_id].append(rel_id)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for lesson_id, theme_id in s.execute(select(models.LessonTheme.lesson_id, models.LessonTheme.theme_id)):
        if lesson_id in trashed:
            continue
        counts[(theme_id, "")] += 1
        for rel_id in rels_of.get(lesson_id, ()):
            counts[(theme_id, rel_id)] += 1
    return counts
