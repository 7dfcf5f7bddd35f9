"""The sources service: the library's create and edit (optimistic locking), trash and restore,
"cited by", imports of BibTeX, RIS and CSL-JSON through a preview (duplicates found before anything
is written; one transaction after a backup; undoable), merging stored duplicates, and exports."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import delete, func, select

from db import models
from db.convert import SOURCE_COLUMNS, organization_record, relationship_record, source_record
from db.database import Database, Service
from db.errors import NotFoundError, ValidationError
from db.events import EventKind
from db.lesson_records import (
    CitedByRecord,
    SourceChange,
    SourceInput,
    SourceRecord,
)
from db.names import split_authors
from db.references.columns import source_columns
from db.references.model import CreatorRole
from db.references.record import complete
from db.search.query import normalise
from db.services.audit import with_changes
from db.services.catalog import markings_at_or_below, withheld_source_ids
from db.services.safety import SafetyService
from db.services.shared import bump_revision, set_trashed
from db.types import new_id, utc_now
from db.validation import MAX_KEY, validate_source


def derive_key(draft: SourceInput) -> str:
    """ "Osland, K." 2004 -> "osland-2004"; "Council of the EU" -> "council-of-the-eu-2002"."""
    names = split_authors(draft.authors) or [draft.publisher or draft.title]
    first = names[0].split(",")[0]
    stem = re.sub(r"[^a-z0-9]+", "-", normalise(first)).strip("-")[:60] or "source"
    if len(names) == 2:
        second = re.sub(r"[^a-z0-9]+", "-", normalise(names[1].split(",")[0].split()[-1])).strip("-")
        stem = f"{stem}-{second}"
    elif len(names) > 2:
        stem = f"{stem}-et-al"
    year = re.sub(r"[^0-9a-z]", "", draft.year.lower()) or "nd"
    return f"{stem}-{year}"


# The fields an edit can change, in the editor's order, labelled as the audit log shows them.
SOURCE_FIELD_LABELS = (
    ("key", "key"),
    ("item_type", "type"),
    ("authors", "authors"),
    ("year", "year"),
    ("date", "date"),
    ("title", "title"),
    ("container", "in"),
    ("publisher", "publisher"),
    ("place", "place"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("pages", "pages"),
    ("edition", "edition"),
    ("document_symbol", "document symbol"),
    ("doi", "DOI"),
    ("isbn", "ISBN"),
    ("issn", "ISSN"),
    ("url", "URL"),
    ("accessed", "accessed"),
    ("language", "language"),
    ("reference", "reference"),
    ("marking", "marking"),
    ("notes", "notes"),
)


def _creators_text(record: SourceRecord) -> str:
    return "; ".join(
        (c.literal or ", ".join(part for part in (c.family, c.given) if part))
        + ("" if c.role is CreatorRole.AUTHOR else f" ({c.role.value})")
        for c in record.creators
    )


def source_fields(before: SourceRecord, after: SourceRecord) -> list[tuple[str, object, object]]:
    """The (label, before, after) of each field of a source an edit can change, for the audit log (the
    creators only when they changed beyond what the authors line shows)."""
    fields: list[tuple[str, object, object]] = [
        (label, getattr(before, name), getattr(after, name)) for name, label in SOURCE_FIELD_LABELS
    ]
    if before.authors == after.authors:
        fields.insert(3, ("creators", _creators_text(before), _creators_text(after)))
    return fields


class SourceService(Service):
    """The sources library. Imports take a verified backup first, through the safety service."""

    def __init__(self, database: Database, safety: SafetyService) -> None:
        super().__init__(database)
        self._safety = safety
        self._markings: set[str] = set()  # the markings, read once per bulk import

    def all(self, *, in_trash: bool = False) -> list[SourceRecord]:
        """Every source not in the trash (or, with `in_trash`, those in it), by authors then year."""
        with self._read() as s:
            rows = s.scalars(
                select(models.Source)
                .where(models.Source.deleted_at.is_not(None) if in_trash else models.Source.deleted_at.is_(None))
                .order_by(models.Source.authors, models.Source.year, models.Source.id)
            )
            return [source_record(r) for r in rows]

    def get(self, source_id: str) -> SourceRecord:
        with self._read() as s:
            row = s.get(models.Source, source_id)
            if row is None:
                raise NotFoundError("That source no longer exists.")
            return source_record(row)

    def ids_above(self, max_marking: str) -> frozenset[str]:
        """The ids of the sources (live or in the trash) marked above `max_marking`, in one query:
        the sources a marking limit withholds. One read transaction."""
        with self._read() as s:
            return withheld_source_ids(s, max_marking)

    def citable(self) -> list[SourceRecord]:
        """Every source not in the trash, by authors then year, read with a plain Core query: the
        editor fills its source list with this, and ORM objects for thousands of sources would cost
        hundreds of milliseconds at every opening. One read transaction."""
        table = models.Source.__table__
        columns = [table.c[name] for name in SOURCE_COLUMNS]
        query = select(*columns).where(table.c.deleted_at.is_(None)).order_by(table.c.authors, table.c.year, table.c.id)
        with self._read() as s:
            return [source_record(row) for row in s.execute(query)]

    def citation_counts(self, *, max_marking: str | None = None) -> dict[str, int]:
        """How many citations each source has (by source id); with `max_marking`, only the citations
        of lessons and assessment versions at or below that exact level (and of milestones) to sources
        at or below it."""
        query = select(models.Citation.source_id, func.count()).group_by(models.Citation.source_id)
        if max_marking is not None:
            allowed = markings_at_or_below(max_marking)
            lesson, version = models.Lesson, models.AssessmentVersion
            query = (
                query.join(models.Source, models.Source.id == models.Citation.source_id)
                .where(models.Source.marking.in_(allowed))
                .outerjoin(lesson, lesson.id == models.Citation.lesson_id)
                .outerjoin(version, version.id == models.Citation.assessment_version_id)
                .where(
                    sa.or_(models.Citation.lesson_id.is_(None), lesson.marking.in_(allowed)),
                    sa.or_(models.Citation.assessment_version_id.is_(None), version.marking.in_(allowed)),
                )
            )
        with self._read() as s:
            return dict(s.execute(query).all())

    def cited_by(self, source_id: str) -> list[CitedByRecord]:
        """Every assessment version, lesson and milestone that cites the source, newest first per kind."""
        with self._read() as s:
            organizations = {o.id: organization_record(o) for o in s.scalars(select(models.Organization))}
            labels = {r.id: relationship_record(r, organizations).label for r in s.scalars(select(models.Relationship))}
            result: list[CitedByRecord] = []
            for citation, version in s.execute(
                select(models.Citation, models.AssessmentVersion)
                .join(models.AssessmentVersion, models.AssessmentVersion.id == models.Citation.assessment_version_id)
                .where(models.Citation.source_id == source_id)
                .order_by(models.AssessmentVersion.as_of.desc())
            ):
                result.append(
                    CitedByRecord(
                        "assessment",
                        version.id,
                        f"{labels.get(version.relationship_id, '?')} assessment as of {version.as_of.isoformat()}",
                        citation.locator,
                    )
                )
            for citation, lesson in s.execute(
                select(models.Citation, models.Lesson)
                .join(models.Lesson, models.Lesson.id == models.Citation.lesson_id)
                .where(models.Citation.source_id == source_id)
                .order_by(models.Lesson.recorded_on.desc())
            ):
                text = " ".join(lesson.finding.split())
                result.append(
                    CitedByRecord(
                        "lesson",
                        lesson.id,
                        f"Lesson: {text[:80]}{'…' if len(text) > 80 else ''}",
                        citation.locator,
                        in_trash=lesson.deleted_at is not None,
                    )
                )
            for citation, milestone in s.execute(
                select(models.Citation, models.Milestone)
                .join(models.Milestone, models.Milestone.id == models.Citation.milestone_id)
                .where(models.Citation.source_id == source_id)
                .order_by(models.Milestone.date.desc())
            ):
                result.append(
                    CitedByRecord(
                        "milestone",
                        milestone.id,
                        f"{labels.get(milestone.relationship_id, '?')} milestone {milestone.date}: {milestone.title}",
                        citation.locator,
                        in_trash=milestone.deleted_at is not None,
                    )
                )
            return result

    def add(self, draft: SourceInput, *, source_id: str | None = None) -> SourceRecord:
        """Add a source (key derived from author and year when empty, made unique). `source_id` lets
        a redo recreate the very same source. One write transaction, audited. Returns it
        (`retract([id])` undoes it). Emits SOURCES. Raises ValidationError."""
        validate_source(draft)
        with self._write() as s:
            if draft.key.strip() and s.scalar(select(models.Source.id).where(models.Source.key == draft.key.strip())):
                raise ValidationError(
                    f"The key '{draft.key.strip()}' is already used by another source: choose another."
                )
            row = self._insert_source(s, draft, source_id)
            self._audit(s, "add", "source", row.id, f"Added source {row.key}")
            record = source_record(row)
        self._emit(EventKind.SOURCES, record.id)
        return record

    def _insert_source(
        self, s, draft: SourceInput, source_id: str | None = None, taken: set[str] | None = None
    ) -> models.Source:
        """Add one row (not flushed when `taken`, the keys already used, is given: a bulk import
        keeps that set itself instead of querying the table for every entry)."""
        known = self._markings if taken is not None else None
        if (draft.marking not in known) if known is not None else s.get(models.Marking, draft.marking) is None:
            raise ValidationError(f"Unknown marking '{draft.marking}': choose one from the list.")
        columns = source_columns(draft)
        wanted = columns["key"] or derive_key(complete(draft))
        columns["key"] = self._unique_source_key(s, wanted) if taken is None else free_key(wanted, taken)
        now = utc_now()
        row = models.Source(
            id=source_id or new_id(),
            **columns,
            created_at=now,
            updated_at=now,
            created_by=self.actor,
            updated_by=self.actor,
            revision=1,
        )
        s.add(row)
        if taken is None:
            s.flush()
        else:
            taken.add(row.key)
        return row

    def _unique_source_key(self, s, key: str) -> str:
        prefix = key[: MAX_KEY - 3]
        return free_key(key, set(s.scalars(select(models.Source.key).where(models.Source.key.like(f"{prefix}%")))))

    def update(self, source_id: str, draft: SourceInput, expected_revision: int) -> SourceChange:
        """Save an edited source if nobody saved it since `expected_revision`. Audited; bumps the
        revision. Returns before/after. Emits SOURCES. Raises ConflictError, NotFoundError, ValidationError."""
        validate_source(draft)
        with self._write() as s:
            row = s.get(models.Source, source_id)
            if row is None:
                raise NotFoundError("That source no longer exists.")
            before = source_record(row)
            key = draft.key.strip() or row.key
            if s.scalar(select(models.Source.id).where(models.Source.key == key, models.Source.id != source_id)):
                raise ValidationError(f"The key '{key}' is already used by another source: choose another.")
            if s.get(models.Marking, draft.marking) is None:
                raise ValidationError(f"Unknown marking '{draft.marking}': choose one from the list.")
            columns = source_columns(draft)
            columns["key"] = key
            bump_revision(s, models.Source, row, expected_revision, actor=self.actor, record_of=record_of, **columns)
            s.flush()
            s.refresh(row)
            after = source_record(row)
            self._audit(
                s, "edit", "source", source_id, with_changes(f"Edited source {key}", source_fields(before, after))
            )
        self._emit(EventKind.SOURCES, source_id)
        return SourceChange(before=before, after=after)

    def delete(self, source_id: str, expected_revision: int | None = None) -> SourceRecord:
        """Move a source to the trash; citations keep it (it is only hidden from the pickers)."""
        return self._set_trashed(source_id, True, expected_revision)

    def restore(self, source_id: str, expected_revision: int | None = None) -> SourceRecord:
        """Take a source out of the trash (undo of `delete`)."""
        return self._set_trashed(source_id, False, expected_revision)

    def _set_trashed(self, source_id: str, trashed: bool, expected_revision: int | None) -> SourceRecord:
        with self._write() as s:
            row, record = set_trashed(
                s,
                models.Source,
                source_id,
                trashed,
                expected_revision,
                actor=self.actor,
                noun="source",
                record_of=record_of,
            )
            self._audit(
                s,
                "delete" if trashed else "restore",
                "source",
                source_id,
                f"{'Moved source to the trash' if trashed else 'Restored source'} {row.key}",
            )
        self._emit(EventKind.SOURCES, source_id)
        return record

    def retract(self, source_ids: list[str]) -> None:
        """Remove sources nothing cites (undo of an add or an import). Refused, removing none, when
        any of them is cited. One transaction, audited. Emits SOURCES."""
        with self._write() as s:
            self._retract(s, source_ids)
            self._audit(s, "retract", "source", None, f"Removed {len(source_ids)} source(s) (undo)")
        self._emit(EventKind.SOURCES, *source_ids)

    def _retract(self, s, source_ids: list[str]) -> None:
        if s.scalar(select(models.Citation.id).where(models.Citation.source_id.in_(source_ids)).limit(1)):
            raise ValidationError("Some of these sources are cited since: remove the citations first.")
        s.execute(delete(models.Source).where(models.Source.id.in_(source_ids)))


def free_key(key: str, taken: set[str]) -> str:
    """`key` (shortened to leave room for a suffix) or, when taken, the same with b, c... or -2, -3..."""
    key = key[: MAX_KEY - 3]
    if key not in taken:
        return key
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        if f"{key}{suffix}" not in taken:
            return f"{key}{suffix}"
    number = 2
    while f"{key}-{number}" in taken:
        number += 1
    return f"{key}-{number}"


def display_name(origin: str) -> str:
    from pathlib import Path

    return Path(origin).name or "The file"


def record_of(s, row: models.Source) -> SourceRecord:
    return source_record(row)
