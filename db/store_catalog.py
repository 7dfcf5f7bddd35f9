"""Store reads of the vocabularies and of what dates a relationship: themes, markings, milestones and
field cooperation. (Lessons, operations and sources have their own mixins.)"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from db import models
from db.convert import citations_by_owner
from db.history_records import MilestoneRecord
from db.lesson_records import MarkingRecord, ThemeRecord
from db.records import CooperationRecord
from db.state import cooperation_record


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
