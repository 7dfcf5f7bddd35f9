"""The catalog service: the vocabularies (themes, markings) and what dates a relationship (milestones,
field cooperation)."""

from __future__ import annotations

import re
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy import func, select

from db import models
from db.convert import citations_by_owner
from db.database import Service
from db.errors import NotFoundError, ValidationError
from db.events import EventKind
from db.history_records import MilestoneRecord
from db.lesson_records import MarkingRecord, ThemeRecord
from db.records import CooperationRecord
from db.search.query import normalise
from db.state import cooperation_record

MAX_THEME_NAME = 200


class CatalogService(Service):
    """The vocabularies and reference records."""

    def themes(self) -> list[ThemeRecord]:
        with self._read() as s:
            return [
                ThemeRecord(id=t.id, key=t.key, name=t.name, position=t.position)
                for t in s.scalars(select(models.Theme).order_by(models.Theme.position, models.Theme.name))
            ]

    def markings(self) -> list[MarkingRecord]:
        """The classification markings, lowest first."""
        with self._read() as s:
            return [
                MarkingRecord(m.name, m.rank) for m in s.scalars(select(models.Marking).order_by(models.Marking.rank))
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
                    id=r.id,
                    relationship_id=r.relationship_id,
                    date=r.date,
                    kind=r.kind,
                    title=r.title,
                    description=r.description,
                    citations=tuple(citations.get(r.id, ())),
                )
                for r in rows
            ]

    def cooperation(self, relationship_id: str | None = None) -> list[CooperationRecord]:
        """Field cooperation entries (every period, regardless of date), in their saved order."""
        with self._read() as s:
            acronyms: dict[str, list[str]] = defaultdict(list)
            for coop_id, acronym in s.execute(
                select(models.FieldCooperationOperation.field_cooperation_id, models.Operation.acronym)
                .join(models.Operation, models.Operation.id == models.FieldCooperationOperation.operation_id)
                .order_by(
                    models.Operation.start.asc().nulls_first(), models.Operation.acronym
                )  # one order on every engine
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

    # -- themes ----------------------------------------------------------------------------------

    def add_theme(self, name: str, key: str | None = None) -> ThemeRecord:
        """Add a theme to the vocabulary (after the existing ones). The key is derived from the name
        when not given. Returns it (`remove_theme` undoes it). Emits THEMES. Raises ValidationError."""
        name = " ".join(name.split())
        if not name:
            raise ValidationError("Give the theme a name.")
        if len(name) > MAX_THEME_NAME:
            raise ValidationError(f"A theme name is at most {MAX_THEME_NAME} characters.")
        key = key or (re.sub(r"[^a-z0-9]+", "_", normalise(name)).strip("_")[:60] or "theme")
        with self._write() as s:
            if s.scalar(
                select(models.Theme.id).where(
                    sa.or_(models.Theme.key == key, func.lower(models.Theme.name) == name.lower())
                )
            ):
                raise ValidationError(f"A theme named '{name}' already exists.")
            position = (s.scalar(select(func.max(models.Theme.position))) or 0) + 1
            row = models.Theme(key=key, name=name, position=position)
            s.add(row)
            s.flush()
            self._audit(s, "add", "theme", row.id, f"Added theme {name}")
            record = ThemeRecord(id=row.id, key=row.key, name=row.name, position=row.position)
        self._emit(EventKind.THEMES, record.id)
        return record

    def remove_theme(self, theme_id: str) -> None:
        """Remove a theme no lesson uses (undo of `add_theme`). Emits THEMES. Raises ValidationError."""
        with self._write() as s:
            row = s.get(models.Theme, theme_id)
            if row is None:
                raise NotFoundError("That theme no longer exists.")
            if s.scalar(select(models.LessonTheme.lesson_id).where(models.LessonTheme.theme_id == theme_id).limit(1)):
                raise ValidationError(f"Lessons use the theme '{row.name}': it cannot be removed.")
            s.delete(row)
            self._audit(s, "remove", "theme", theme_id, f"Removed theme {row.name}")
        self._emit(EventKind.THEMES, theme_id)
