"""Store reads of the reference material around assessments: themes, markings, sources, operations,
lessons, milestones and field cooperation."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from db import models
from db.convert import citations_by_owner, source_record
from db.records import (
    CooperationRecord,
    LessonRecord,
    MarkingRecord,
    MilestoneRecord,
    OperationRecord,
    SourceRecord,
    ThemeRecord,
)
from db.state import cooperation_record
from db.vocabulary import LessonKind, OperationStatus


class CatalogMixin:
    """Read access to vocabularies and reference records."""

    def themes(self) -> list[ThemeRecord]:
        with self._read() as s:
            return [
                ThemeRecord(id=t.id, key=t.key, name=t.name, position=t.position)
                for t in s.scalars(select(models.Theme).order_by(models.Theme.position, models.Theme.name))
            ]

    def markings(self) -> list[MarkingRecord]:
        """The classification markings, lowest first."""
        with self._read() as s:
            return [MarkingRecord(m.name, m.rank) for m in s.scalars(select(models.Marking).order_by(models.Marking.rank))]

    def sources(self) -> list[SourceRecord]:
        """Every source not in the trash, by authors then year."""
        with self._read() as s:
            rows = s.scalars(
                select(models.Source).where(models.Source.deleted_at.is_(None)).order_by(models.Source.authors, models.Source.year, models.Source.id)
            )
            return [source_record(r) for r in rows]

    def operations(self) -> list[OperationRecord]:
        """Every operation not in the trash, by start date."""
        with self._read() as s:
            codes = {o.id: o.code for o in s.scalars(select(models.Organization))}
            members: dict[str, list[str]] = defaultdict(list)
            for op_id, org_id in s.execute(
                select(models.OperationOrganization.operation_id, models.OperationOrganization.organization_id)
            ):
                members[op_id].append(codes[org_id])
            rows = s.scalars(
                select(models.Operation).where(models.Operation.deleted_at.is_(None)).order_by(models.Operation.start.asc().nulls_first(), models.Operation.acronym)
            )
            return [
                OperationRecord(
                    id=r.id, acronym=r.acronym, name=r.name, location=r.location,
                    lead_code=codes.get(r.lead_org_id) if r.lead_org_id else None,
                    organization_codes=tuple(sorted(members.get(r.id, ()))), start=r.start, end=r.end,
                    status=OperationStatus(r.status), mandate=r.mandate, notes=r.notes, revision=r.revision,
                )
                for r in rows
            ]

    def lessons(self, relationship_id: str | None = None) -> list[LessonRecord]:
        """Lessons not in the trash, optionally only those about one relationship, oldest first."""
        with self._read() as s:
            query = select(models.Lesson).where(models.Lesson.deleted_at.is_(None))
            if relationship_id is not None:
                query = query.join(models.LessonRelationship, models.LessonRelationship.lesson_id == models.Lesson.id).where(
                    models.LessonRelationship.relationship_id == relationship_id
                )
            # The id breaks ties so both engines list same-day lessons in one order.
            rows = list(s.scalars(query.order_by(models.Lesson.recorded_on, models.Lesson.created_at, models.Lesson.id)))
            return self._lesson_records(s, rows)

    def _lesson_records(self, s, rows: list[models.Lesson]) -> list[LessonRecord]:
        ids = [r.id for r in rows]
        relationships: dict[str, list[str]] = defaultdict(list)
        themes: dict[str, list[str]] = defaultdict(list)
        if ids:
            for lesson_id, rel_id in s.execute(
                select(models.LessonRelationship.lesson_id, models.LessonRelationship.relationship_id)
                .join(models.Relationship, models.Relationship.id == models.LessonRelationship.relationship_id)
                .where(models.LessonRelationship.lesson_id.in_(ids))
                .order_by(models.Relationship.position)
            ):
                relationships[lesson_id].append(rel_id)
            for lesson_id, key in s.execute(
                select(models.LessonTheme.lesson_id, models.Theme.key)
                .join(models.Theme, models.Theme.id == models.LessonTheme.theme_id)
                .where(models.LessonTheme.lesson_id.in_(ids))
                .order_by(models.Theme.position)
            ):
                themes[lesson_id].append(key)
        citations = citations_by_owner(s, models.Citation.lesson_id, ids)
        return [
            LessonRecord(
                id=r.id, relationship_ids=tuple(relationships.get(r.id, ())), operation_id=r.operation_id,
                kind=LessonKind(r.kind), theme_keys=tuple(themes.get(r.id, ())), finding=r.finding,
                recommendation=r.recommendation, recorded_on=r.recorded_on, marking=r.marking,
                citations=tuple(citations.get(r.id, ())), created_by=r.created_by, revision=r.revision, key=r.key,
            )
            for r in rows
        ]

    def milestones(self, relationship_id: str | None = None) -> list[MilestoneRecord]:
        """Dated events, oldest first, optionally of one relationship."""
        with self._read() as s:
            query = select(models.Milestone).where(models.Milestone.deleted_at.is_(None))
            if relationship_id is not None:
                query = query.where(models.Milestone.relationship_id == relationship_id)
            rows = list(s.scalars(query.order_by(models.Milestone.date, models.Milestone.id)))
            citations = citations_by_owner(s, models.Citation.milestone_id, [r.id for r in rows])
            return [
                MilestoneRecord(
                    id=r.id, relationship_id=r.relationship_id, date=r.date, kind=r.kind, title=r.title,
                    description=r.description, citations=tuple(citations.get(r.id, ())),
                )
                for r in rows
            ]

    def cooperation(self, relationship_id: str | None = None) -> list[CooperationRecord]:
        """Field cooperation entries (every period, regardless of date), in their saved order."""
        with self._read() as s:
            acronyms: dict[str, list[str]] = defaultdict(list)
            for coop_id, acronym in s.execute(
                select(models.FieldCooperationOperation.field_cooperation_id, models.Operation.acronym).join(
                    models.Operation, models.Operation.id == models.FieldCooperationOperation.operation_id
                ).order_by(models.Operation.start.asc().nulls_first(), models.Operation.acronym)  # one order on every engine
            ):
                acronyms[coop_id].append(acronym)
            query = (
                select(models.FieldCooperation)
                .join(models.Relationship, models.Relationship.id == models.FieldCooperation.relationship_id)
                .order_by(models.Relationship.position, models.FieldCooperation.position)
            )
            if relationship_id is not None:
                query = query.where(models.FieldCooperation.relationship_id == relationship_id)
            return [cooperation_record(r, acronyms.get(r.id, ())) for r in s.scalars(query)]
