"""Reading lessons into records: the lessons browser's filter conditions and the batched column
selects behind every LessonRecord the lesson service returns."""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.lesson_records import LessonFilters, LessonRecord
from db.records import CitationRecord, short_authors
from db.services.catalog import markings_at_or_below
from db.vocabulary import LessonKind

# Lesson ids per IN list: well under any database's limit on bound parameters.
_RECORD_CHUNK = 500


@dataclass(frozen=True)
class _RecordReads:
    """The selects behind every LessonRecord. The first four take the lesson ids as `ids`; the
    last three read every lesson's links in lesson order (recorded on, then id: the browser's
    index covers it, where adding the creation time made each select read every lesson's row),
    joined to the lessons so that the browser's conditions can be added."""

    lessons: sa.Select
    relationships: sa.Select
    themes: sa.Select
    citations: sa.Select
    relationships_in_order: sa.Select
    themes_in_order: sa.Select
    citations_in_order: sa.Select


@functools.cache
def _record_reads() -> _RecordReads:
    """Built once, from Core table columns, with an expanding `ids` parameter. Executing the same
    statement objects lets SQLAlchemy reuse the compiled SQL and its result metadata as they are:
    a select built afresh from ORM attributes for every page cost several times the SQL itself
    (building, cache-key lookup, adapting the cached metadata to the new column objects)."""
    ids: sa.BindParameter[list[str]] = sa.bindparam("ids", expanding=True)
    lessons = models.Lesson.__table__
    lesson = lessons.c
    links = models.LessonRelationship.__table__
    relationships = models.Relationship.__table__
    lesson_themes = models.LessonTheme.__table__
    themes = models.Theme.__table__
    citations = models.Citation.__table__
    sources = models.Source.__table__
    in_order = (lesson.recorded_on, lesson.id)

    # Each link select, from the tables given: its columns (the lesson id first but for citations),
    # its tables, its lesson id, its order within a lesson.
    def relationship_links(links, relationships):
        return (
            (links.c.lesson_id, links.c.relationship_id),
            links.join(relationships, relationships.c.id == links.c.relationship_id),
            links.c.lesson_id,
            relationships.c.position,
        )

    def theme_links(lesson_themes, themes):
        return (
            (lesson_themes.c.lesson_id, themes.c.key),
            lesson_themes.join(themes, themes.c.id == lesson_themes.c.theme_id),
            lesson_themes.c.lesson_id,
            themes.c.position,
        )

    def citation_links(citations, sources):
        return (
            (
                citations.c.id,
                citations.c.lesson_id,
                citations.c.source_id,
                citations.c.locator,
                citations.c.quote,
                sources.c.authors,
                sources.c.year,
            ),
            citations.join(sources, sources.c.id == citations.c.source_id),
            citations.c.lesson_id,
            citations.c.position,
        )

    def for_ids(columns, tables, lesson_id, position) -> sa.Select:
        return select(*columns).select_from(tables).where(lesson_id.in_(ids)).order_by(position)

    def in_order_of_lessons(columns, tables, lesson_id, position) -> sa.Select:
        joined = tables.join(lessons, lesson.id == lesson_id)
        return select(*columns).select_from(joined).order_by(*in_order, position)

    return _RecordReads(
        lessons=select(
            lesson.id,
            lesson.operation_id,
            lesson.kind,
            lesson.finding,
            lesson.recommendation,
            lesson.recorded_on,
            lesson.marking,
            lesson.created_by,
            lesson.revision,
            lesson.key,
            lesson.updated_at,
            lesson.updated_by,
            lesson.deleted_at,
        ).where(lesson.id.in_(ids)),
        relationships=for_ids(*relationship_links(links, relationships)),
        themes=for_ids(*theme_links(lesson_themes, themes)),
        citations=for_ids(*citation_links(citations, sources)),
        # Aliased, so that the filters' subqueries on these tables (a relationship, an organization,
        # a theme) correlate with the lesson only, as they do in the browser's select.
        relationships_in_order=in_order_of_lessons(*relationship_links(links.alias(), relationships.alias())),
        themes_in_order=in_order_of_lessons(*theme_links(lesson_themes.alias(), themes.alias())),
        citations_in_order=in_order_of_lessons(*citation_links(citations.alias(), sources.alias())),
    )


def lesson_conditions(filters: LessonFilters) -> list[sa.ColumnElement[bool]]:
    lesson = models.Lesson
    link = models.LessonRelationship
    conditions: list[sa.ColumnElement[bool]] = [
        lesson.deleted_at.is_not(None) if filters.in_trash else lesson.deleted_at.is_(None)
    ]
    if filters.relationship_id:
        conditions.append(
            select(link.lesson_id)
            .where(link.lesson_id == lesson.id, link.relationship_id == filters.relationship_id)
            .exists()
        )
    if filters.organization_id:
        rel = models.Relationship
        conditions.append(
            select(link.lesson_id)
            .join(rel, rel.id == link.relationship_id)
            .where(
                link.lesson_id == lesson.id,
                sa.or_(rel.org_a_id == filters.organization_id, rel.org_b_id == filters.organization_id),
            )
            .exists()
        )
    if filters.theme_key:
        conditions.append(
            select(models.LessonTheme.lesson_id)
            .join(models.Theme, models.Theme.id == models.LessonTheme.theme_id)
            .where(models.LessonTheme.lesson_id == lesson.id, models.Theme.key == filters.theme_key)
            .exists()
        )
    if filters.operation_id:
        conditions.append(lesson.operation_id == filters.operation_id)
    if filters.kind is not None:
        conditions.append(lesson.kind == LessonKind(filters.kind).value)
    if filters.date_from is not None:
        conditions.append(lesson.recorded_on >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(lesson.recorded_on <= filters.date_to)
    if filters.max_marking is not None:
        conditions.append(lesson.marking.in_(markings_at_or_below(filters.max_marking)))
    return conditions


def lesson_records(s: Session, rows: list[models.Lesson]) -> list[LessonRecord]:
    """Records of these ORM rows, in their order."""
    return lesson_records_by_id(s, [r.id for r in rows])


def lesson_records_by_id(s: Session, ids: list[str]) -> list[LessonRecord]:
    """Records of these lessons, in the order given, read with plain column selects (no ORM
    objects: hydrating a page of 200 is the browser's most frequent cost)."""
    reads = _record_reads()
    conn = s.connection()  # Core execution: these column selects need nothing from the ORM layer
    rows: dict[str, sa.Row] = {}
    builder = _RecordBuilder()
    # `.all()` fetches each result in one call (iterating fetches row by row).
    for chunk in (ids[i : i + _RECORD_CHUNK] for i in range(0, len(ids), _RECORD_CHUNK)):
        params = {"ids": chunk}
        for row in conn.execute(reads.lessons, params).all():
            rows[row[0]] = row
        builder.add_links(
            conn.execute(reads.relationships, params).all(),
            conn.execute(reads.themes, params).all(),
            conn.execute(reads.citations, params).all(),
        )
    return builder.records([rows[i] for i in ids if i in rows])


def lesson_record_chunks(
    s: Session, conditions: list[sa.ColumnElement[bool]], size: int
) -> Iterator[list[LessonRecord]]:
    """Records of every lesson meeting `conditions`, oldest first (date recorded, then id: the
    lessons browser's order reversed), `size` at a time, for exports that read them all.

    Four selects in all, each streamed (the driver fetches rows as they are taken, so about a
    chunk of rows is held at once): the lessons, and their relationships, themes and citations
    each sorted in the same lesson order, so a chunk's links are the next rows of each. No ORM
    objects, no paging by offset (which sorted the whole table again for every page) and no lists
    of ids bound per chunk (binding and looking up 500 ids at a time cost more than the rows)."""
    reads = _record_reads()
    lesson = models.Lesson.__table__.c
    conn = s.connection()

    def following(links: sa.Select, lesson_column: int) -> _Following:
        return _Following(conn.execute(links.where(*conditions)).partitions(size), lesson_column)

    relationships = following(reads.relationships_in_order, 0)
    themes = following(reads.themes_in_order, 0)
    citations = following(reads.citations_in_order, 1)
    lessons = select(*reads.lessons.selected_columns).where(*conditions)
    builder = _RecordBuilder()
    for rows in conn.execute(lessons.order_by(lesson.recorded_on, lesson.id)).partitions(size):
        ids = {row[0] for row in rows}
        builder.add_links(relationships.take(ids), themes.take(ids), citations.take(ids))
        yield builder.records(rows)


class _Following:
    """The rows of a link select sorted in lesson order, taken a chunk of lessons at a time."""

    def __init__(self, partitions: Iterator[Sequence[sa.Row]], lesson_column: int) -> None:
        self._rows = itertools.chain.from_iterable(partitions)
        self._column = lesson_column
        self._next = next(self._rows, None)

    def take(self, lesson_ids: set[str]) -> list[sa.Row]:
        """The next rows while they belong to these lessons: the sort order puts every link of a
        chunk's lessons before any of the next chunk's."""
        taken = []
        row, column = self._next, self._column
        while row is not None and row[column] in lesson_ids:
            taken.append(row)
            row = next(self._rows, None)
        self._next = row
        return taken


class _RecordBuilder:
    """Turns lesson rows and their links into records. Values repeated across lessons (markings,
    authors, dates and times, relationship and source ids, the tuples of relationships and themes,
    a source's short citation) are shared rather than held once per lesson: the 100,000 lessons of
    the large benchmark database would otherwise carry over a million copies."""

    def __init__(self) -> None:
        self._shared: dict[Any, Any] = {}  # each value is its own key: any hashable read value
        self._short: dict[tuple[str, object], str] = {}
        self._relationships: dict[str, list[str]] = defaultdict(list)
        self._themes: dict[str, list[str]] = defaultdict(list)
        self._citations: dict[str, list[CitationRecord]] = defaultdict(list)

    def add_links(self, relationships: Sequence[sa.Row], themes: Sequence[sa.Row], citations: Sequence[sa.Row]) -> None:
        """Rows of the `_record_reads()` link selects, each unpacked by position."""
        shared = self._shared.setdefault  # called as shared(value, value): the copy kept, or this one
        for lesson_id, rel_id in relationships:
            self._relationships[lesson_id].append(shared(rel_id, rel_id))
        for lesson_id, key in themes:
            self._themes[lesson_id].append(shared(key, key))
        for citation_id, lesson_id, source_id, locator, quote, authors, year in citations:
            short = self._short.get((authors, year))
            if short is None:
                short = self._short[(authors, year)] = f"{short_authors(authors)} ({year})"
            self._citations[lesson_id].append(
                CitationRecord(
                    id=citation_id,
                    source_id=shared(source_id, source_id),
                    source_short=short,
                    locator=shared(locator, locator),
                    quote=quote,
                )
            )

    def records(self, rows: Sequence[sa.Row]) -> list[LessonRecord]:
        """The records of these `_record_reads().lessons` rows, in their order, with the links
        added so far (which are then let go)."""
        shared = self._shared.setdefault
        relationships, themes, citations = self._relationships, self._themes, self._citations
        self._relationships, self._themes, self._citations = defaultdict(list), defaultdict(list), defaultdict(list)
        records = []
        for (
            lesson_id,
            operation_id,
            kind,
            finding,
            recommendation,
            recorded_on,
            marking,
            created_by,
            revision,
            key,
            updated_at,
            updated_by,
            deleted_at,
        ) in rows:
            linked = tuple(relationships.get(lesson_id, ()))
            keys = tuple(themes.get(lesson_id, ()))
            records.append(
                LessonRecord(
                    id=lesson_id,
                    relationship_ids=shared(linked, linked),
                    operation_id=shared(operation_id, operation_id),
                    kind=_KINDS[kind],
                    theme_keys=shared(keys, keys),
                    finding=finding,
                    recommendation=recommendation,
                    recorded_on=shared(recorded_on, recorded_on),
                    marking=shared(marking, marking),
                    citations=tuple(citations.get(lesson_id, ())),
                    created_by=shared(created_by, created_by),
                    revision=revision,
                    key=key,
                    updated_at=shared(updated_at, updated_at),
                    updated_by=shared(updated_by, updated_by),
                    deleted_at=shared(deleted_at, deleted_at),
                )
            )
        return records


# Lesson kinds by stored value: looked up once per lesson read.
_KINDS = {kind.value: kind for kind in LessonKind}
