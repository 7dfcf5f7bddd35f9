"""The state of the whole quadrangle as of a date, and the comparison table derived from it.

This is the one function behind the diagram, the tables and every export, so the screen and the
briefing cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from db import models
from db.convert import citations_by_owner, organization_record, relationship_record
from db.partial_dates import earliest_day, latest_day
from db.records import (
    AssessmentRecord,
    ComparisonRow,
    CooperationRecord,
    MotiveAssessment,
    QuadrangleState,
    RelationshipState,
)
from db.vocabulary import Confidence, Motive, OperationStatus, Phase


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


def _versions_in_force(session: Session, as_of: date, known_at: datetime | None) -> list[AssessmentRecord]:
    # Plain column rows rather than ORM instances: with 435 relationships, building ORM objects for
    # the versions and their 2,600 motive rows cost ~300 ms per date change; tuples cost ~30 ms.
    version, motive = models.AssessmentVersion, models.AssessmentMotive
    ranked = select(
        version.id,
        func.row_number()
        .over(partition_by=version.relationship_id, order_by=(version.as_of.desc(), version.recorded_at.desc()))
        .label("rank"),
    ).where(version.as_of <= as_of)
    if known_at is not None:
        ranked = ranked.where(version.recorded_at <= known_at)
    in_force = select(ranked.subquery()).where(literal_column("rank") == 1).subquery()
    rows = session.execute(select(version.__table__).join(in_force, in_force.c.id == version.id)).all()
    weights: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for version_id, name, weight, rationale in session.execute(
        select(motive.version_id, motive.motive, motive.weight, motive.rationale).join(
            in_force, in_force.c.id == motive.version_id
        )
    ):
        weights[version_id][name] = (weight, rationale)
    citations = citations_by_owner(session, models.Citation.assessment_version_id, [r.id for r in rows])
    records = []
    for row in rows:
        by_motive = weights.get(row.id, {})
        records.append(
            AssessmentRecord(
                id=row.id, relationship_id=row.relationship_id, as_of=row.as_of, recorded_at=row.recorded_at,
                recorded_by=row.recorded_by,
                phases=(Phase(row.phase),) + ((Phase(row.phase_to),) if row.phase_to else ()),
                confidence=Confidence(row.confidence), summary=row.summary, marking=row.marking,
                motives=tuple(MotiveAssessment(m, *by_motive.get(m.value, (0, ""))) for m in Motive),
                citations=tuple(citations.get(row.id, ())), is_reversal=row.is_reversal,
                reversal_rationale=row.reversal_rationale, restored_from_id=row.restored_from_id, origin=row.origin,
            )
        )
    return records


def _cooperation(session: Session, year: int, known_at: datetime | None) -> dict[str, list[CooperationRecord]]:
    acronyms: dict[str, list[str]] = defaultdict(list)
    for coop_id, acronym in session.execute(
        select(models.FieldCooperationOperation.field_cooperation_id, models.Operation.acronym).join(
            models.Operation, models.Operation.id == models.FieldCooperationOperation.operation_id
        )
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
