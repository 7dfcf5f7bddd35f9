"""The state of the whole quadrangle as of a date, and the comparison table derived from it.

This is the one function behind the diagram, the tables and every export, so the screen and the
briefing cannot disagree.
"""

from __future__ import annotations

import dataclasses
import functools
from bisect import bisect_right, insort
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from db import models
from db.comparison import comparison_rows  # noqa: F401  (re-exported for the store)
from db.convert import assessment_records, organization_record, relationship_record
from db.errors import ValidationError
from db.partial_dates import earliest_day, latest_day
from db.records import AssessmentRecord, CooperationRecord, QuadrangleState, RelationshipState
from db.vocabulary import OperationStatus


@functools.cache
def _fingerprint_statement(model) -> Select:
    """(row count, latest update) of a table: what the caches below compare to see any change, from
    any process. Two scalar subqueries, each answered from the table's updated_at index alone (1 ms
    at 100,000 lessons), where one SELECT with both aggregates scans the table (55 ms)."""
    table = model.__table__
    return select(
        select(func.count()).select_from(table).scalar_subquery(),
        select(func.max(table.c.updated_at)).scalar_subquery(),
    )


@functools.cache
def _quadrangle_reads() -> tuple[Select, Select]:
    """Organizations and relationships in display order, as plain rows (read on every date change)."""
    organizations = models.Organization.__table__
    relationships = models.Relationship.__table__
    return (
        select(organizations).order_by(organizations.c.position),
        select(relationships.c.id, relationships.c.org_a_id, relationships.c.org_b_id).order_by(
            relationships.c.position
        ),
    )


class LessonDateIndex:
    """Per relationship, the sorted dates of its lessons: counting lessons as of any date is then a
    bisection instead of a join over every lesson. Kept per store and brought up to date whenever the
    lessons' fingerprint (row count, latest update) changes, so changes from any process are seen:
    lessons only added since are inserted (a few milliseconds), anything else (an edit, the trash, a
    purge) rebuilds the index (a quarter of a second at 100,000 lessons)."""

    def __init__(self) -> None:
        self._fingerprint: tuple | None = None
        self._dates: dict[str, list[str]] = {}

    def counts(self, session: Session, as_of: date) -> dict[str, tuple[int, date]]:
        fingerprint = tuple(session.connection().execute(_fingerprint_statement(models.Lesson)).one())
        if fingerprint != self._fingerprint:
            if not self._add_new_lessons(session, fingerprint):
                self._dates = _lesson_dates(session)
            self._fingerprint = fingerprint
        day = as_of.isoformat()
        result: dict[str, tuple[int, date]] = {}
        for rel_id, dates in self._dates.items():
            count = bisect_right(dates, day)
            if count:
                result[rel_id] = (count, date.fromisoformat(dates[count - 1]))
        return result

    def _add_new_lessons(self, session: Session, fingerprint: tuple) -> bool:
        """Insert the lessons added since the index was made, when that is all that changed: every
        lesson updated since the last fingerprint was also created since, is live, and they make up
        the whole growth in count. False (nothing touched) when the index must be rebuilt instead."""
        if self._fingerprint is None or self._fingerprint[1] is None:
            return False
        (count_before, latest_before), (count_now, _) = self._fingerprint, fingerprint
        rows = session.connection().execute(_changed_lessons_statement(), {"since": latest_before}).all()
        new = {lesson_id for lesson_id, *_ in rows}
        if len(new) != count_now - count_before or any(
            created_at <= latest_before or deleted_at is not None for _, created_at, deleted_at, _, _ in rows
        ):
            return False
        for _, _, _, recorded_on, rel_id in rows:
            if rel_id is not None:
                insort(self._dates.setdefault(rel_id, []), str(recorded_on)[:10])
        return True


@functools.cache
def _changed_lessons_statement() -> Select:
    """Lessons updated after `since` (ix_lessons_updated_at), one row per relationship they concern."""
    lessons = models.Lesson.__table__
    links = models.LessonRelationship.__table__
    return (
        select(lessons.c.id, lessons.c.created_at, lessons.c.deleted_at, lessons.c.recorded_on, links.c.relationship_id)
        .select_from(lessons.outerjoin(links, links.c.lesson_id == lessons.c.id))
        .where(lessons.c.updated_at > bindparam("since"))
    )


class VersionCache:
    """Assessment records by version id. Versions are append-only and their motives and citations
    never change, so a record read once stays true for every user; a date change then only looks up
    which versions are in force. Citations show their source's author and year, which can be edited:
    the cache is emptied whenever the sources' fingerprint (count, latest update) moves. Bounded:
    cleared when it would hold more than `limit` records."""

    def __init__(self, limit: int = 20_000) -> None:
        self._records: dict[str, AssessmentRecord] = {}
        self._limit = limit
        self._sources_fingerprint: tuple | None = None

    def records(self, session: Session, version_ids: list[str]) -> list[AssessmentRecord]:
        fingerprint = tuple(session.connection().execute(_fingerprint_statement(models.Source)).one())
        if fingerprint != self._sources_fingerprint:
            self._records.clear()
            self._sources_fingerprint = fingerprint
        missing = [i for i in version_ids if i not in self._records]
        if missing:
            if len(self._records) + len(missing) > self._limit:
                self._records.clear()
            self._records.update((r.id, r) for r in assessment_records(session, missing))
        return [self._records[i] for i in version_ids if i in self._records]


# Plain SQL, run without SQLAlchemy's row processing: at 100,000 lessons that processing cost more
# than the query (350 ms against 230 ms). Dates as ISO text, which sorts the same as the dates.
_LESSON_DATES_SQL = (
    "SELECT lr.relationship_id, CAST(l.recorded_on AS TEXT) FROM lesson_relationships lr "
    "JOIN lessons l ON l.id = lr.lesson_id WHERE l.deleted_at IS NULL"
)


def _lesson_dates(session: Session) -> dict[str, list[str]]:
    dates: dict[str, list[str]] = defaultdict(list)
    for rel_id, recorded_on in session.connection().exec_driver_sql(_LESSON_DATES_SQL).fetchall():
        dates[rel_id].append(recorded_on[:10])
    for values in dates.values():
        values.sort()
    return dates


def load_state(
    session: Session,
    as_of: date,
    known_at: datetime | None = None,
    lesson_index: LessonDateIndex | None = None,
    version_cache: VersionCache | None = None,
    max_marking: str | None = None,
) -> QuadrangleState:
    """Build the QuadrangleState for `as_of`; with `known_at`, only what had been recorded by then.

    With `max_marking` (an exact level of the markings table), nothing above it is in the state or
    counted by it: per relationship the newest version on or before the date whose marking is at
    or below the limit (`assessment_withheld` set when the version in force was above it), lesson
    counts and evidence dates of allowed lessons only, and the assessments' citations of sources
    above the limit dropped (counted in `dropped_citations`)."""
    organization_rows, relationship_rows = _quadrangle_reads()
    connection = session.connection()
    organizations = {row.id: organization_record(row) for row in connection.execute(organization_rows).all()}
    relationships = [relationship_record(row, organizations) for row in connection.execute(relationship_rows).all()]
    allowed = _allowed_markings(session, max_marking)
    in_force = {a.relationship_id: a for a in _versions_in_force(session, as_of, known_at, version_cache)}
    withheld: set[str] = set()
    dropped = 0
    if allowed is None:
        assessments = in_force
    else:
        assessments = {
            a.relationship_id: a for a in _versions_in_force(session, as_of, known_at, version_cache, allowed)
        }
        withheld = {rel_id for rel_id, a in in_force.items() if a.marking not in allowed}
        blocked = set(session.scalars(select(models.Source.id).where(models.Source.marking.not_in(allowed))))
        for rel_id, record in list(assessments.items()):
            kept = tuple(c for c in record.citations if c.source_id not in blocked)
            if len(kept) != len(record.citations):
                dropped += len(record.citations) - len(kept)
                assessments[rel_id] = dataclasses.replace(record, citations=kept)
    cooperation = _cooperation(session, as_of, known_at)
    lessons: dict[str, tuple[int, date]]
    if lesson_index is not None and known_at is None and allowed is None:
        lessons = lesson_index.counts(session, as_of)
    else:
        lessons = _lesson_counts(session, as_of, known_at, allowed)
    lesson_markings = _lesson_markings(session, as_of, known_at, allowed)
    milestones = _latest_milestones(session, as_of)
    ongoing = _ongoing_operation_counts(session, as_of, relationships)

    states = []
    for rel in relationships:
        count, newest_lesson = lessons.get(rel.id, (0, None))
        evidence = [d for d in (newest_lesson, milestones.get(rel.id)) if d is not None]
        states.append(
            RelationshipState(
                relationship=rel,
                assessment=assessments.get(rel.id),
                cooperation=tuple(cooperation.get(rel.id, ())),
                lesson_count=count,
                ongoing_operation_count=ongoing.get(rel.id, 0),
                latest_evidence=max(evidence) if evidence else None,
                assessment_withheld=rel.id in withheld,
            )
        )
    return QuadrangleState(
        as_of=as_of,
        organizations=tuple(organizations.values()),
        relationships=tuple(states),
        max_marking=max_marking,
        lesson_markings=lesson_markings,
        dropped_citations=dropped,
    )


def _allowed_markings(session: Session, max_marking: str | None) -> frozenset[str] | None:
    """The marking names at or below `max_marking` (None: no limit). ValidationError for a name the
    markings table does not hold exactly (callers resolve what users type first)."""
    if max_marking is None:
        return None
    ranks: dict[str, int] = {
        name: rank for name, rank in session.execute(select(models.Marking.name, models.Marking.rank))
    }
    if max_marking not in ranks:
        raise ValidationError(f"'{max_marking}' is not a marking of this database.")
    return frozenset(name for name, rank in ranks.items() if rank <= ranks[max_marking])


def _lesson_markings(
    session: Session, as_of: date, known_at: datetime | None, allowed: frozenset[str] | None
) -> tuple[str, ...]:
    """The distinct markings of the live lessons recorded by `as_of` (those the state counts, and the
    rare lesson about no relationship: no join, so a date change stays fast; at worst the banner
    names a level one such lesson carries). One EXISTS per level of the vocabulary, each a seek in
    ix_lessons_marking_dates: a DISTINCT over the lessons read every one recorded by the date."""
    lesson = models.Lesson
    levels = [name for name in session.scalars(select(models.Marking.name)) if allowed is None or name in allowed]
    found = []
    for level in levels:
        query = select(lesson.id).where(
            lesson.marking == level, lesson.deleted_at.is_(None), lesson.recorded_on <= as_of
        )
        if known_at is not None:
            query = query.where(lesson.created_at <= known_at)
        if session.scalar(select(query.exists())):
            found.append(level)
    return tuple(sorted(found))


def _versions_in_force(
    session: Session,
    as_of: date,
    known_at: datetime | None,
    cache: VersionCache | None = None,
    allowed: frozenset[str] | None = None,
):
    # One index seek per relationship (ix_assessment_versions_timeline) rather than ranking the whole
    # history: this is what keeps a date change fast with tens of thousands of versions.
    version = models.AssessmentVersion
    candidate = aliased(version)
    latest = (
        select(candidate.id)
        .where(candidate.relationship_id == models.Relationship.id, candidate.as_of <= as_of)
        .order_by(candidate.as_of.desc(), candidate.recorded_at.desc())
        .limit(1)
    )
    if known_at is not None:
        latest = latest.where(candidate.recorded_at <= known_at)
    if allowed is not None:
        latest = latest.where(candidate.marking.in_(allowed))
    ids = session.scalars(
        select(version.id).join(
            models.Relationship, version.id == latest.correlate(models.Relationship).scalar_subquery()
        )
    ).all()
    return cache.records(session, list(ids)) if cache is not None else assessment_records(session, list(ids))


def _cooperation(session: Session, as_of: date, known_at: datetime | None) -> dict[str, list[CooperationRecord]]:
    """The cooperation rows on the ground by `as_of`. A row dated by year is shown only from the first
    day one of its joint operations (both organizations take part) can have begun, its partial start's
    earliest day: "Macedonia (2003)" does not appear in January 2003, under NATO's Allied Harmony, before
    the joint Concordia (31 March). A row with no dated joint operation goes by its year alone."""
    members: dict[str, set[str]] = defaultdict(set)
    for operation_id, organization_id in session.execute(
        select(models.OperationOrganization.operation_id, models.OperationOrganization.organization_id)
    ):
        members[operation_id].add(organization_id)
    pairs = {
        rel_id: {a, b}
        for rel_id, a, b in session.execute(
            select(models.Relationship.id, models.Relationship.org_a_id, models.Relationship.org_b_id)
        )
    }
    acronyms: dict[str, list[str]] = defaultdict(list)
    starts: dict[str, list[date]] = defaultdict(list)  # the cooperation's dated joint operations
    for coop_id, rel_id, operation_id, acronym, start in session.execute(
        select(
            models.FieldCooperationOperation.field_cooperation_id,
            models.FieldCooperation.relationship_id,
            models.Operation.id,
            models.Operation.acronym,
            models.Operation.start,
        )
        .join(models.Operation, models.Operation.id == models.FieldCooperationOperation.operation_id)
        .join(
            models.FieldCooperation, models.FieldCooperation.id == models.FieldCooperationOperation.field_cooperation_id
        )
        .order_by(models.Operation.start.asc().nulls_first(), models.Operation.acronym)  # one order on every engine
    ):
        acronyms[coop_id].append(acronym)
        if start and pairs.get(rel_id, set()) <= members[operation_id]:
            starts[coop_id].append(earliest_day(start))
    query = select(models.FieldCooperation).order_by(models.FieldCooperation.position)
    if known_at is not None:
        query = query.where(models.FieldCooperation.created_at <= known_at)
    result: dict[str, list[CooperationRecord]] = defaultdict(list)
    for row in session.scalars(query):
        record = cooperation_record(row, acronyms.get(row.id, ()))
        begun = record.start_year is None or not starts[row.id] or min(starts[row.id]) <= as_of
        if record.visible_in(as_of.year) and begun:
            result[row.relationship_id].append(record)
    return result


def cooperation_record(row: models.FieldCooperation, acronyms) -> CooperationRecord:
    return CooperationRecord(
        id=row.id,
        relationship_id=row.relationship_id,
        location=row.location,
        start_year=row.start_year,
        end_year=row.end_year,
        status=OperationStatus(row.status),
        planned_since=row.planned_since,
        operation_acronyms=tuple(acronyms),
    )


def _lesson_counts(
    session: Session, as_of: date, known_at: datetime | None, allowed: frozenset[str] | None = None
) -> dict[str, tuple[int, date]]:
    link = models.LessonRelationship
    query = (
        select(link.relationship_id, func.count(), func.max(models.Lesson.recorded_on))
        .join(models.Lesson, models.Lesson.id == link.lesson_id)
        .where(models.Lesson.deleted_at.is_(None), models.Lesson.recorded_on <= as_of)
        .group_by(link.relationship_id)
    )
    if known_at is not None:
        query = query.where(models.Lesson.created_at <= known_at)
    if allowed is not None:
        query = query.where(models.Lesson.marking.in_(allowed))
    return {rel_id: (count, newest) for rel_id, count, newest in session.execute(query)}


def _latest_milestones(session: Session, as_of: date) -> dict[str, date]:
    latest: dict[str, date] = {}
    for rel_id, when in session.execute(
        select(models.Milestone.relationship_id, models.Milestone.date).where(models.Milestone.deleted_at.is_(None))
    ):
        day = earliest_day(when)
        if day <= as_of and (rel_id not in latest or day > latest[rel_id]):
            latest[rel_id] = day
    return latest


def _ongoing_operation_counts(session: Session, as_of: date, relationships) -> dict[str, int]:
    members: dict[str, set[str]] = defaultdict(set)
    for op_id, org_id in session.execute(
        select(models.OperationOrganization.operation_id, models.OperationOrganization.organization_id)
    ):
        members[op_id].add(org_id)
    active: list[set[str]] = []
    for row in session.scalars(select(models.Operation).where(models.Operation.deleted_at.is_(None))):
        if row.status == OperationStatus.PLANNED.value or not row.start:
            continue
        if earliest_day(row.start) <= as_of and (row.end is None or latest_day(row.end) >= as_of):
            active.append(members.get(row.id, set()))
    counts: dict[str, int] = {}
    for rel in relationships:
        pair = set(rel.organization_ids)
        counts[rel.id] = sum(1 for orgs in active if pair <= orgs)
    return counts
