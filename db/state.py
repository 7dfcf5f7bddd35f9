"""The state of the whole quadrangle as of a date, and the comparison table derived from it.

This is the one function behind the diagram, the tables and every export, so the screen and the
briefing cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models
from db.convert import assessment_records, organization_record, relationship_record
from db.partial_dates import earliest_day, latest_day
from db.records import ComparisonRow, CooperationRecord, QuadrangleState, RelationshipState
from db.vocabulary import OperationStatus


def load_state(session: Session, as_of: date, known_at: datetime | None = None) -> QuadrangleState:
    """Build the QuadrangleState for `as_of`; with `known_at`, only what had been recorded by then."""
    organizations = {
        row.id: organization_record(row)
        for row in session.scalars(select(models.Organization).order_by(models.Organization.position))
    }
    relationships = [
        relationship_record(row, organizations)
        for row in session.scalars(select(models.Relationship).order_by(models.Relationship.position))
    ]
    assessments = {a.relationship_id: a for a in _versions_in_force(session, as_of, known_at)}
    cooperation = _cooperation(session, as_of.year, known_at)
    lessons = _lesson_counts(session, as_of, known_at)
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
            )
        )
    return QuadrangleState(as_of=as_of, organizations=tuple(organizations.values()), relationships=tuple(states))


def _versions_in_force(session: Session, as_of: date, known_at: datetime | None):
    version = models.AssessmentVersion
    ranked = select(
        version.id,
        func.row_number()
        .over(partition_by=version.relationship_id, order_by=(version.as_of.desc(), version.recorded_at.desc()))
        .label("rank"),
    ).where(version.as_of <= as_of)
    if known_at is not None:
        ranked = ranked.where(version.recorded_at <= known_at)
    ranked = ranked.subquery()
    rows = session.scalars(select(version).join(ranked, ranked.c.id == version.id).where(ranked.c.rank == 1)).all()
    return assessment_records(session, list(rows))


def _cooperation(session: Session, year: int, known_at: datetime | None) -> dict[str, list[CooperationRecord]]:
    acronyms: dict[str, list[str]] = defaultdict(list)
    for coop_id, acronym in session.execute(
        select(models.FieldCooperationOperation.field_cooperation_id, models.Operation.acronym).join(
            models.Operation, models.Operation.id == models.FieldCooperationOperation.operation_id
        ).order_by(models.Operation.start.asc().nulls_first(), models.Operation.acronym)  # one order on every engine
    ):
        acronyms[coop_id].append(acronym)
    query = select(models.FieldCooperation).order_by(models.FieldCooperation.position)
    if known_at is not None:
        query = query.where(models.FieldCooperation.created_at <= known_at)
    result: dict[str, list[CooperationRecord]] = defaultdict(list)
    for row in session.scalars(query):
        record = cooperation_record(row, acronyms.get(row.id, ()))
        if record.visible_in(year):
            result[row.relationship_id].append(record)
    return result


def cooperation_record(row: models.FieldCooperation, acronyms) -> CooperationRecord:
    return CooperationRecord(
        id=row.id, relationship_id=row.relationship_id, location=row.location, start_year=row.start_year,
        end_year=row.end_year, status=OperationStatus(row.status), planned_since=row.planned_since,
        operation_acronyms=tuple(acronyms),
    )


def _lesson_counts(session: Session, as_of: date, known_at: datetime | None) -> dict[str, tuple[int, date]]:
    link = models.LessonRelationship
    query = (
        select(link.relationship_id, func.count(), func.max(models.Lesson.recorded_on))
        .join(models.Lesson, models.Lesson.id == link.lesson_id)
        .where(models.Lesson.deleted_at.is_(None), models.Lesson.recorded_on <= as_of)
        .group_by(link.relationship_id)
    )
    if known_at is not None:
        query = query.where(models.Lesson.created_at <= known_at)
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


def comparison_rows(state: QuadrangleState) -> list[ComparisonRow]:
    """The comparison table (the report's Figure 2) as of the state's date."""
    rows = []
    for rel_state in state.relationships:
        rel, assessment = rel_state.relationship, rel_state.assessment
        rows.append(
            ComparisonRow(
                relationship_id=rel.id,
                organizations=rel.codes,
                label=rel.label,
                phases=tuple(p.value for p in assessment.phases) if assessment else (),
                phase_label=assessment.phase_label if assessment else "not assessed",
                motives=tuple(m.name_text for m in assessment.present_motives) if assessment else (),
                cooperation=rel_state.cooperation_labels(state.as_of.year),
                last_assessed=assessment.as_of if assessment else None,
                confidence=assessment.confidence.value if assessment else "",
            )
        )
    return rows
