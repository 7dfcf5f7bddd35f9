"""The quadrangle service: organizations, relationships, the diagram layout and the state as of a date."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import func, select

from db import models
from db.convert import organization_record, relationship_record
from db.database import Service
from db.errors import NotFoundError, ValidationError
from db.events import EventKind
from db.records import ComparisonRow, OrganizationRecord, QuadrangleState, RelationshipRecord
from db.snapshot import current_fingerprint
from db.state import comparison_rows, load_state
from db.types import utc_now
from db.vocabulary import OrganizationKind

_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,15}$")


class QuadrangleService(Service):
    """Organizations, relationships, the diagram layout and the state as of a date."""

    def organizations(self) -> list[OrganizationRecord]:
        """All organizations in display order (the order they were added)."""
        with self._read() as s:
            return [
                organization_record(o)
                for o in s.scalars(select(models.Organization).order_by(models.Organization.position))
            ]

    def relationships(self) -> list[RelationshipRecord]:
        """Every relationship, in display order (the dataset's order, then as added)."""
        with self._read() as s:
            return self._relationship_records(s)

    def _relationship_records(self, s) -> list[RelationshipRecord]:
        orgs = {o.id: organization_record(o) for o in s.scalars(select(models.Organization))}
        rows = s.scalars(select(models.Relationship).order_by(models.Relationship.position))
        return [relationship_record(r, orgs) for r in rows]

    def relationship(self, relationship_id: str) -> RelationshipRecord:
        """One relationship; NotFoundError if there is none with that id."""
        with self._read() as s:
            for record in self._relationship_records(s):
                if record.id == relationship_id:
                    return record
        raise NotFoundError(f"No relationship with id {relationship_id}.")

    def find_relationship(self, text: str) -> RelationshipRecord:
        """The relationship named like "UN-EU", "EU–UN" or "un/eu"; ValidationError if none matches."""
        codes = {c.upper() for c in re.split(r"[-–/ ,|]+", text.strip()) if c}
        for record in self.relationships():
            if set(record.codes) == codes:
                return record
        raise ValidationError(f"No relationship '{text}': name two organizations, e.g. UN-EU.")

    def state_as_of(
        self, as_of: date | None = None, *, known_at: datetime | None = None, max_marking: str | None = None
    ) -> QuadrangleState:
        """The whole quadrangle on `as_of` (default today): for each relationship the version in force
        (latest `as_of` not after the date, latest recorded among equals), its cooperation on the
        ground, lesson and ongoing-operation counts. With `known_at`, only what was recorded by then.
        With `max_marking` (an exact level: resolve typed text with `catalog.marking_scheme()` first),
        nothing above that level is shown or counted (see `db.state.load_state`). One read transaction."""
        day = as_of or date.today()
        with self._read() as s:
            unfiltered = known_at is None and max_marking is None  # the snapshot holds the unfiltered state
            if unfiltered and self._trusted is not None and self._trusted[1].as_of == day:
                if self._trusted_is_current(s):
                    return self._trusted[1]
            return load_state(s, day, known_at, self._db.lesson_index, self._db.version_cache, max_marking)

    # The start-up snapshot's state and the fingerprint it was checked against (Store.adopt_startup_snapshot).
    _trusted: tuple[tuple[str, ...], QuadrangleState] | None = None

    def trust_state(self, state: QuadrangleState, fingerprint: tuple[str, ...]) -> None:
        """Answer `state_as_of(state.as_of)` with `state` for as long as the database's fingerprint
        stays `fingerprint` (db/snapshot.py): the window attaches without recomputing the state it
        already shows, and the lesson-date index is built on the first other date (issue 22)."""
        self._trusted = (tuple(fingerprint), state)

    def trusted_state_is_current(self) -> bool:
        """True while the state given to `trust_state` still describes the database."""
        if self._trusted is None or self._trusted[1].as_of != date.today():
            return False
        with self._read() as s:
            return self._trusted_is_current(s)

    def _trusted_is_current(self, session) -> bool:
        if self._trusted is not None and current_fingerprint(session) != self._trusted[0]:
            self._trusted = None
        return self._trusted is not None

    def comparison_table(self, as_of: date | None = None, *, max_marking: str | None = None) -> list[ComparisonRow]:
        """The comparison table (the report's Figure 2) as of `as_of`, from `state_as_of`."""
        return comparison_rows(self.state_as_of(as_of, max_marking=max_marking))

    def history_span(self) -> tuple[date, date] | None:
        """Earliest and latest `as_of` of any assessment version, or None when there is none."""
        with self._read() as s:
            first, last = s.execute(
                select(func.min(models.AssessmentVersion.as_of), func.max(models.AssessmentVersion.as_of))
            ).one()
        return (first, last) if first else None

    def add_organization(
        self,
        code: str,
        name: str,
        kind: str,
        *,
        security_role_since: int | None = None,
        description: str = "",
        founded: date | None = None,
    ) -> OrganizationRecord:
        """Add an organization and its relationships with every other one, in one transaction.
        `founded` (None: not known) is the day before which it is not drawn.

        Returns the new record (its id undoes it through `remove_organization`). Emits
        ORGANIZATIONS. ValidationError for a malformed or taken code, an empty name, a bad kind, a
        founding date after today.
        """
        code = code.strip().upper()
        name = name.strip()
        if not _CODE.match(code):
            raise ValidationError(
                "An organization code is 1–16 capital letters or digits, starting with a letter (e.g. OSCE)."
            )
        if not name:
            raise ValidationError("Give the organization's full name.")
        if len(name) > 200:
            raise ValidationError("An organization's name is at most 200 characters.")
        try:
            kind = OrganizationKind(kind).value
        except ValueError:
            raise ValidationError("An organization's kind is 'global' or 'regional'.") from None
        if founded is not None and founded > date.today():
            raise ValidationError(
                f"A founding date of {founded.isoformat()} is after today: give the day it was founded, or none."
            )
        with self._write() as s:
            if s.scalar(select(models.Organization).where(models.Organization.code == code)):
                raise ValidationError(f"There is already an organization with the code {code}.")
            position = (s.scalar(select(func.max(models.Organization.position))) or 0) + 1
            now = utc_now()
            row = models.Organization(
                code=code,
                name=name,
                kind=kind,
                security_role_since=security_role_since,
                description=description,
                founded=founded,
                position=position,
                created_at=now,
                updated_at=now,
                created_by=self.actor,
                updated_by=self.actor,
            )
            s.add(row)
            s.flush()
            next_position = (s.scalar(select(func.max(models.Relationship.position))) or 0) + 1
            others = s.scalars(
                select(models.Organization)
                .where(models.Organization.id != row.id)
                .order_by(models.Organization.position)
            )
            for offset, other in enumerate(others):
                a, b = sorted((row.id, other.id))
                s.add(models.Relationship(org_a_id=a, org_b_id=b, position=next_position + offset, created_at=now))
            founded_note = f", founded {founded.isoformat()}" if founded else ""
            self._audit(s, "add", "organization", row.id, f"Added organization {code} ({name}){founded_note}")
            record = organization_record(row)
        self._emit(EventKind.ORGANIZATIONS, record.id)
        return record

    def remove_organization(self, organization_id: str) -> None:
        """Remove an organization added by mistake, with its relationships; only while nothing
        (assessment, lesson, cooperation, milestone, operation) refers to it. Emits ORGANIZATIONS."""
        with self._write() as s:
            row = s.get(models.Organization, organization_id)
            if row is None:
                raise NotFoundError(f"No organization with id {organization_id}.")
            rel_ids = list(
                s.scalars(
                    select(models.Relationship.id).where(
                        (models.Relationship.org_a_id == organization_id)
                        | (models.Relationship.org_b_id == organization_id)
                    )
                )
            )
            used = any(
                s.scalar(select(func.count()).select_from(table).where(column.in_(rel_ids)))
                for table, column in (
                    (models.AssessmentVersion, models.AssessmentVersion.relationship_id),
                    (models.LessonRelationship, models.LessonRelationship.relationship_id),
                    (models.FieldCooperation, models.FieldCooperation.relationship_id),
                    (models.Milestone, models.Milestone.relationship_id),
                )
            ) or s.scalar(
                select(func.count())
                .select_from(models.OperationOrganization)
                .where(models.OperationOrganization.organization_id == organization_id)
            )
            if used:
                raise ValidationError(f"{row.code} is referred to by assessments or lessons and cannot be removed.")
            for rel_id in rel_ids:
                s.delete(s.get(models.Relationship, rel_id))
            s.flush()
            s.delete(row)
            self._audit(s, "remove", "organization", organization_id, f"Removed organization {row.code}")
        self._emit(EventKind.ORGANIZATIONS, organization_id)

    def set_layout(self, positions: dict[str, tuple[float, float] | None]) -> dict[str, tuple[float, float] | None]:
        """Save diagram positions of organizations (None = automatic). Returns the previous positions,
        which undo the change when passed back. Emits LAYOUT."""
        previous: dict[str, tuple[float, float] | None] = {}
        with self._write() as s:
            for org_id, position in positions.items():
                row = s.get(models.Organization, org_id)
                if row is None:
                    raise NotFoundError(f"No organization with id {org_id}.")
                previous[org_id] = (row.layout_x, row.layout_y) if row.layout_x is not None else None
                row.layout_x, row.layout_y = position if position is not None else (None, None)
                self._audit(s, "move", "organization", org_id, f"Moved {row.code} in the diagram")
        self._emit(EventKind.LAYOUT, *positions)
        return previous
