"""Reading lessons into records: the lessons browser's filter conditions and the batched column
selects behind every LessonRecord the lesson service returns."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

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
    """The four selects behind `lesson_records_by_id`, each taking the lesson ids as `ids`."""

    lessons: sa.Select
    relationships: sa.Select
    themes: sa.Select
    citations: sa.Select


@functools.cache
def _record_reads() -> _RecordReads:
    """Built once, from Core table columns, with an expanding `ids` parameter. Executing the same
    statement objects lets SQLAlchemy reuse the compiled SQL and its result metadata as they are:
    a select built afresh from ORM attributes for every page cost several times the SQL itself
    (building, cache-key lookup, adapting the cached metadata to the new column objects)."""
    ids: sa.BindParameter[list[str]] = sa.bindparam("ids", expanding=True)
    lesson = models.Lesson.__table__.c
    link = models.LessonRelationship.__table__.c
    relationship = models.Relationship.__table__.c
    lesson_theme = models.LessonTheme.__table__.c
    theme = models.Theme.__table__.c
    citation = models.Citation.__table__.c
    source = models.Source.__table__.c
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
        relationships=select(link.lesson_id, link.relationship_id)
        .join(models.Relationship.__table__, relationship.id == link.relationship_id)
        .where(link.lesson_id.in_(ids))
        .order_by(relationship.position),
        themes=select(lesson_theme.lesson_id, theme.key)
        .join(models.Theme.__table__, theme.id == lesson_theme.theme_id)
        .where(lesson_theme.lesson_id.in_(ids))
        .order_by(theme.position),
        citations=select(
            citation.id,
            citation.lesson_id,
            citation.source_id,
            citation.locator,
            citation.quote,
            source.authors,
            source.year,
        )
        .join(models.Source.__table__, source.id == citation.source_id)
        .where(citation.lesson_id.in_(ids))
        .order_by(citation.position),
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
    rows: dict[str, sa.Row] = {}
    relationships: dict[str, list[str]] = defaultdict(list)
    themes: dict[str, list[str]] = defaultdict(list)
    citations: dict[str, list[CitationRecord]] = defaultdict(list)
    conn = s.connection()  # Core execution: these column selects need nothing from the ORM layer
    # `.all()` fetches each result in one call (iterating fetches row by row); rows are unpacked
    # by position, in the order of the selects in `_record_reads`.
    for chunk in (ids[i : i + _RECORD_CHUNK] for i in range(0, len(ids), _RECORD_CHUNK)):
        params = {"ids": chunk}
        for row in conn.execute(reads.lessons, params).all():
            rows[row[0]] = row
        for lesson_id, rel_id in conn.execute(reads.relationships, params).all():
            relationships[lesson_id].append(rel_id)
        for lesson_id, key in conn.execute(reads.themes, params).all():
            themes[lesson_id].append(key)
        for citation_id, lesson_id, source_id, locator, quote, authors, year in conn.execute(
            reads.citations, params
        ).all():
            citations[lesson_id].append(
                CitationRecord(
                    id=citation_id,
                    source_id=source_id,
                    source_short=f"{short_authors(authors)} ({year})",
                    locator=locator,
                    quote=quote,
                )
            )
    records = []
    for lesson_id in ids:
        found = rows.get(lesson_id)
        if found is None:
            continue
        (
            _,
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
        ) = found
        records.append(
            LessonRecord(
                id=lesson_id,
                relationship_ids=tuple(relationships.get(lesson_id, ())),
                operation_id=operation_id,
                kind=LessonKind(kind),
                theme_keys=tuple(themes.get(lesson_id, ())),
                finding=finding,
                recommendation=recommendation,
                recorded_on=recorded_on,
                marking=marking,
                citations=tuple(citations.get(lesson_id, ())),
                created_by=created_by,
                revision=revision,
                key=key,
                updated_at=updated_at,
                updated_by=updated_by,
                deleted_at=deleted_at,
            )
        )
    return records
