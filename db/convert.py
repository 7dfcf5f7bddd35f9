"""Turning ORM rows into frozen records, with the look-ups they need batched per call."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.records import (
    AssessmentRecord,
    CitationRecord,
    MotiveAssessment,
    OrganizationRecord,
    RelationshipRecord,
    SourceRecord,
    short_authors,
)
from db.vocabulary import Confidence, Motive, Phase


def organization_record(row: models.Organization) -> OrganizationRecord:
    return OrganizationRecord(
        id=row.id, code=row.code, name=row.name, kind=row.kind, security_role_since=row.security_role_since,
        description=row.description, position=row.position, layout_x=row.layout_x, layout_y=row.layout_y,
    )


def relationship_record(row: models.Relationship, organizations: dict[str, OrganizationRecord]) -> RelationshipRecord:
    first, second = sorted(
        (organizations[row.org_a_id], organizations[row.org_b_id]), key=lambda o: (o.position, o.code)
    )
    return RelationshipRecord(id=row.id, organization_ids=(first.id, second.id), codes=(first.code, second.code))


def source_record(row: models.Source) -> SourceRecord:
    return SourceRecord(
        id=row.id, key=row.key, authors=row.authors, year=row.year, title=row.title, container=row.container,
        publisher=row.publisher, place=row.place, reference=row.reference, marking=row.marking,
        revision=row.revision,
    )


def citations_by_owner(session: Session, owner_column, owner_ids: Iterable[str]) -> dict[str, list[CitationRecord]]:
    """Citations of many owners at once, keyed by owner id, in their saved order."""
    ids = list(owner_ids)
    result: dict[str, list[CitationRecord]] = defaultdict(list)
    if not ids:
        return result
    rows = session.execute(
        select(models.Citation, models.Source.authors, models.Source.year)
        .join(models.Source, models.Source.id == models.Citation.source_id)
        .where(owner_column.in_(ids))
        .order_by(models.Citation.position)
    ).all()
    for citation, authors, year in rows:
        owner = getattr(citation, owner_column.key)
        result[owner].append(
            CitationRecord(
                id=citation.id, source_id=citation.source_id, source_short=f"{short_authors(authors)} ({year})",
                locator=citation.locator, quote=citation.quote,
            )
        )
    return result


def assessment_records(session: Session, rows: list[models.AssessmentVersion]) -> list[AssessmentRecord]:
    citations = citations_by_owner(session, models.Citation.assessment_version_id, [r.id for r in rows])
    return [assessment_record(row, citations.get(row.id, ())) for row in rows]


def assessment_record(row: models.AssessmentVersion, citations: Iterable[CitationRecord] = ()) -> AssessmentRecord:
    phases = (Phase(row.phase),) + ((Phase(row.phase_to),) if row.phase_to else ())
    by_motive = {m.motive: m for m in row.motives}
    motives = tuple(
        MotiveAssessment(motive, by_motive[motive.value].weight, by_motive[motive.value].rationale)
        if motive.value in by_motive
        else MotiveAssessment(motive, 0, "")
        for motive in Motive
    )
    return AssessmentRecord(
        id=row.id, relationship_id=row.relationship_id, as_of=row.as_of, recorded_at=row.recorded_at,
        recorded_by=row.recorded_by, phases=phases, confidence=Confidence(row.confidence), summary=row.summary,
        marking=row.marking, motives=motives, citations=tuple(citations), is_reversal=row.is_reversal,
        reversal_rationale=row.reversal_rationale, restored_from_id=row.restored_from_id, origin=row.origin,
    )
