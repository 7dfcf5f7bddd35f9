"""Database rows as exchange entries: the one translation used both to write a file and to compare a
file's entries with what this database holds, so the two sides are always built the same way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.convert import SOURCE_DETAIL_COLUMNS
from db.errors import ValidationError
from db.exchange.format import normalized
from db.references.model import creators_from_json

# The bibliographic fields a source entry carries besides its display strings, item type and creators
# (exchange format 2): the source record's own detail columns, the same list.
SOURCE_RECORD_FIELDS = SOURCE_DETAIL_COLUMNS

# The kinds' models share no typed base that declares `id`, `revision` or `deleted_at` (not every kind
# has the last two): the exchange code reads their rows by the field names each kind's entry lists.
MODELS: dict[str, type[Any]] = {
    "themes": models.Theme,
    "organizations": models.Organization,
    "relationships": models.Relationship,
    "sources": models.Source,
    "operations": models.Operation,
    "assessment_versions": models.AssessmentVersion,
    "milestones": models.Milestone,
    "field_cooperation": models.FieldCooperation,
    "lessons": models.Lesson,
}


def _stamps(row) -> dict:
    return {
        "created_at": row.created_at,
        "created_by": row.created_by,
        "updated_at": row.updated_at,
        "updated_by": row.updated_by,
    }


def _citations(s: Session, column, owner_ids: list[str]) -> dict[str, list[dict]]:
    result: dict[str, list[dict]] = defaultdict(list)
    if not owner_ids:
        return result
    for c in s.scalars(
        select(models.Citation).where(column.in_(owner_ids)).order_by(models.Citation.position, models.Citation.id)
    ):
        citation = {
            "id": c.id,
            "source_id": c.source_id,
            "locator": c.locator,
            "quote": c.quote,
            "position": c.position,
        }
        if c.motive is not None:  # a motive's own citation (see format.CitationEntry)
            citation["motive"] = c.motive
        result[getattr(c, column.key)].append(citation)
    return result


def _mandate_changes(s: Session, operation_ids: list[str]) -> dict[str, list[dict]]:
    """Each operation's mandate history, oldest change first (only operations that have one)."""
    result: dict[str, list[dict]] = defaultdict(list)
    table = models.OperationMandateChange
    for start in range(0, len(operation_ids), 5000):  # under SQLite's limit on bound parameters
        chunk = operation_ids[start : start + 5000]
        for c in s.scalars(
            select(table).where(table.operation_id.in_(chunk)).order_by(table.effective_on, table.recorded_at, table.id)
        ):
            result[c.operation_id].append(
                {
                    "id": c.id,
                    "effective_on": c.effective_on,
                    "old_mandate": c.old_mandate,
                    "new_mandate": c.new_mandate,
                    "recorded_by": c.recorded_by,
                    "recorded_at": c.recorded_at,
                }
            )
    return result


def _links(s: Session, owner_column, target_column, owner_ids: list[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    if owner_ids:
        for owner, target in s.execute(select(owner_column, target_column).where(owner_column.in_(owner_ids))):
            result[owner].append(target)
    return {k: sorted(v) for k, v in result.items()}


def raw_entries(s: Session, kind: str, rows: list) -> dict[str, dict]:
    """Entries (as Python values) for rows of one kind, their links and citations loaded in batches."""
    ids = [r.id for r in rows] if kind != "markings" else []
    if kind == "markings":
        return {r.name: {"rank": r.rank} for r in rows}
    if kind == "themes":
        return {r.id: {"key": r.key, "name": r.name, "position": r.position} for r in rows}
    if kind == "organizations":
        return {
            r.id: {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "security_role_since": r.security_role_since,
                "founded": r.founded,
                "description": r.description,
                "position": r.position,
                "created_at": r.created_at,
                "created_by": r.created_by,
            }
            for r in rows
        }
    if kind == "relationships":
        return {
            r.id: {"org_a_id": r.org_a_id, "org_b_id": r.org_b_id, "position": r.position, "created_at": r.created_at}
            for r in rows
        }
    if kind == "sources":
        return {
            r.id: {
                "key": r.key,
                "authors": r.authors,
                "year": r.year,
                "title": r.title,
                "container": r.container,
                "publisher": r.publisher,
                "place": r.place,
                "reference": r.reference,
                "marking": r.marking,
                "item_type": r.item_type,
                "creators": [c.as_dict() for c in creators_from_json(r.creators)],
                **{name: getattr(r, name) for name in SOURCE_RECORD_FIELDS},
                **_stamps(r),
            }
            for r in rows
        }
    if kind == "operations":
        members = _links(
            s, models.OperationOrganization.operation_id, models.OperationOrganization.organization_id, ids
        )
        histories = _mandate_changes(s, ids)
        return {
            r.id: {
                "acronym": r.acronym,
                "name": r.name,
                "location": r.location,
                "lead_org_id": r.lead_org_id,
                "start": r.start,
                "end": r.end,
                "status": r.status,
                "mandate": r.mandate,
                "notes": r.notes,
                "organization_ids": members.get(r.id, []),
                **_stamps(r),
                **({"mandate_changes": histories[r.id]} if r.id in histories else {}),
            }
            for r in rows
        }
    if kind == "assessment_versions":
        citations = _citations(s, models.Citation.assessment_version_id, ids)
        return {
            r.id: {
                "relationship_id": r.relationship_id,
                "as_of": r.as_of,
                "recorded_at": r.recorded_at,
                "recorded_by": r.recorded_by,
                "phase": r.phase,
                "phase_to": r.phase_to,
                "confidence": r.confidence,
                "summary": r.summary,
                "marking": r.marking,
                "is_reversal": r.is_reversal,
                "reversal_rationale": r.reversal_rationale,
                "restored_from_id": r.restored_from_id,
                "origin": r.origin,
                "motives": [
                    {"motive": m.motive, "position": m.position, "weight": m.weight, "rationale": m.rationale}
                    for m in sorted(r.motives, key=lambda m: (m.position, m.motive))
                ],
                "citations": citations.get(r.id, []),
            }
            for r in rows
        }
    if kind == "milestones":
        citations = _citations(s, models.Citation.milestone_id, ids)
        return {
            r.id: {
                "relationship_id": r.relationship_id,
                "date": r.date,
                "kind": r.kind,
                "title": r.title,
                "description": r.description,
                "citations": citations.get(r.id, []),
                **_stamps(r),
            }
            for r in rows
        }
    if kind == "field_cooperation":
        ops = _links(
            s, models.FieldCooperationOperation.field_cooperation_id, models.FieldCooperationOperation.operation_id, ids
        )
        return {
            r.id: {
                "relationship_id": r.relationship_id,
                "location": r.location,
                "start_year": r.start_year,
                "end_year": r.end_year,
                "status": r.status,
                "planned_since": r.planned_since,
                "position": r.position,
                "note": r.note,
                "created_at": r.created_at,
                "operation_ids": ops.get(r.id, []),
            }
            for r in rows
        }
    if kind == "lessons":
        rels = _links(s, models.LessonRelationship.lesson_id, models.LessonRelationship.relationship_id, ids)
        themes = _links(s, models.LessonTheme.lesson_id, models.LessonTheme.theme_id, ids)
        citations = _citations(s, models.Citation.lesson_id, ids)
        return {
            r.id: {
                "key": r.key,
                "operation_id": r.operation_id,
                "kind": r.kind,
                "finding": r.finding,
                "recommendation": r.recommendation,
                "recorded_on": r.recorded_on,
                "marking": r.marking,
                "relationship_ids": rels.get(r.id, []),
                "theme_ids": themes.get(r.id, []),
                "citations": citations.get(r.id, []),
                **_stamps(r),
            }
            for r in rows
        }
    raise ValueError(f"unknown kind {kind}")


class EntryError(ValidationError):
    """A record of this database does not fit the exchange format (so it cannot be exported)."""


def entries(s: Session, kind: str, rows: list) -> dict[str, dict]:
    """Entries for rows of one kind, normalized exactly as a file carries them (JSON-ready values).
    Raises EntryError naming the first record that does not fit the format."""
    result = {}
    for key, value in raw_entries(s, kind, rows).items():
        try:
            result[key] = normalized(kind, value)
        except PydanticValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise EntryError(
                f"The {kind.rstrip('s').replace('_', ' ')} {key} cannot be exchanged: {where}: "
                f"{first['msg'].removeprefix('Value error, ')}; correct it and export again."
            ) from None
    return result


def rows_by_id(s: Session, kind: str, ids: Iterable[str]) -> dict[str, Any]:
    """The rows of one kind with the given ids (trashed ones included), chunked to stay under SQL limits."""
    wanted = list(ids)
    found: dict[str, Any] = {}
    if kind == "markings":
        for marking in s.scalars(select(models.Marking)):
            if marking.name in set(wanted):
                found[marking.name] = marking
        return found
    model = MODELS[kind]
    for start in range(0, len(wanted), 500):
        for row in s.scalars(select(model).where(model.id.in_(wanted[start : start + 500]))):
            found[row.id] = row
    return found
