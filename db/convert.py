"""Turning ORM rows into frozen records, with the look-ups they need batched per call."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date
from typing import Protocol

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from db import models
from db.lesson_records import SourceRecord
from db.records import (
    AssessmentRecord,
    CitationRecord,
    MotiveAssessment,
    OrganizationRecord,
    RelationshipRecord,
    short_authors,
)
from db.references.legacy import creators_from_authors
from db.references.model import DETAIL_FIELDS, creators_from_json
from db.vocabulary import Confidence, Motive, Phase


class OrganizationRow(Protocol):
    """What an organization record is built from: an ORM row or a Core row of the same columns."""

    @property
    def id(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def security_role_since(self) -> int | None: ...
    @property
    def description(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def layout_x(self) -> float | None: ...
    @property
    def layout_y(self) -> float | None: ...
    @property
    def founded(self) -> date | None: ...


class RelationshipRow(Protocol):
    """What a relationship record is built from: an ORM row or a Core row of the same columns."""

    @property
    def id(self) -> str: ...
    @property
    def org_a_id(self) -> str: ...
    @property
    def org_b_id(self) -> str: ...


def organization_record(row: OrganizationRow) -> OrganizationRecord:
    return OrganizationRecord(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=row.kind,
        security_role_since=row.security_role_since,
        description=row.description,
        position=row.position,
        layout_x=row.layout_x,
        layout_y=row.layout_y,
        founded=row.founded,
    )


def relationship_record(row: RelationshipRow, organizations: dict[str, OrganizationRecord]) -> RelationshipRecord:
    first, second = sorted(
        (organizations[row.org_a_id], organizations[row.org_b_id]), key=lambda o: (o.position, o.code)
    )
    return RelationshipRecord(id=row.id, organization_ids=(first.id, second.id), codes=(first.code, second.code))


def source_record(row) -> SourceRecord:
    """The record of a Source row (or of a Core row with the same columns). A row written without
    creators (an older exchange file, a bulk insert) gets them read from its author string."""
    creators = creators_from_json(row.creators)
    if not creators and row.authors:
        creators = creators_from_authors(row.authors)
    return SourceRecord(
        id=row.id,
        key=row.key,
        authors=row.authors,
        year=row.year,
        title=row.title,
        container=row.container,
        publisher=row.publisher,
        place=row.place,
        reference=row.reference,
        marking=row.marking,
        revision=row.revision,
        item_type=row.item_type,
        creators=creators,
        **{name: getattr(row, name) for name in SOURCE_DETAIL_COLUMNS},
    )


# The record's detail columns: its full-record fields besides the display strings it also keeps
# (container, publisher, place), in the record's display order.
SOURCE_DETAIL_COLUMNS = tuple(name for name in DETAIL_FIELDS if name not in ("container", "publisher", "place"))
SOURCE_COLUMNS = (
    "id",
    "key",
    "authors",
    "year",
    "title",
    "container",
    "publisher",
    "place",
    "reference",
    "marking",
    "revision",
    "item_type",
    "creators",
    *SOURCE_DETAIL_COLUMNS,
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
                id=citation.id,
                source_id=citation.source_id,
                source_short=f"{short_authors(authors)} ({year})",
                locator=citation.locator,
                quote=citation.quote,
            )
        )
    return result


def assessment_records(session: Session, version_ids: list[str]) -> list[AssessmentRecord]:
    """Records for the given version ids, in that order. Plain Core queries, built once: a date
    change on a large quadrangle reads hundreds of versions and thousands of motives, and building
    ORM objects (or the statements themselves) for each would cost more than the SQL."""
    if not version_ids:
        return []
    versions, motives, citations = _assessment_reads()
    connection = session.connection()
    params = {"ids": version_ids}
    rows = {row[0]: row for row in connection.execute(versions, params).all()}
    weights: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for version_id, motive, weight, rationale in connection.execute(motives, params).all():
        weights[version_id][motive] = (weight, rationale)
    cited: dict[str, list[CitationRecord]] = defaultdict(list)
    for version_id, citation_id, source_id, locator, quote, motive, authors, year in connection.execute(
        citations, params
    ).all():
        cited[version_id].append(
            CitationRecord(
                id=citation_id,
                source_id=source_id,
                source_short=f"{short_authors(authors)} ({year})",
                locator=locator,
                quote=quote,
                motive=_MOTIVE_VALUES.get(motive) if motive else None,
            )
        )
    return [
        _assessment_record(rows[version_id], weights.get(version_id, {}), cited.get(version_id, ()))
        for version_id in version_ids
        if version_id in rows
    ]


@functools.cache
def _assessment_reads():
    """The versions, their motives and their citations (with the source's author and year), each for
    the version ids bound as `ids`."""
    ids: BindParameter[list[str]] = bindparam("ids", expanding=True)
    versions = models.AssessmentVersion.__table__
    motives = models.AssessmentMotive.__table__
    citation = models.Citation.__table__
    source = models.Source.__table__
    return (
        select(*(versions.c[name] for name in _VERSION_COLUMNS)).where(versions.c.id.in_(ids)),
        select(motives.c.version_id, motives.c.motive, motives.c.weight, motives.c.rationale).where(
            motives.c.version_id.in_(ids)
        ),
        select(
            citation.c.assessment_version_id,
            citation.c.id,
            citation.c.source_id,
            citation.c.locator,
            citation.c.quote,
            citation.c.motive,
            source.c.authors,
            source.c.year,
        )
        .join(source, source.c.id == citation.c.source_id)
        .where(citation.c.assessment_version_id.in_(ids))
        .order_by(citation.c.position),
    )


# Enum members by stored value, and the motives with their values in order: looked up for every
# version read, where calling Phase(...) or iterating Motive costs microseconds each.
_PHASES = {phase.value: phase for phase in Phase}
_CONFIDENCES = {confidence.value: confidence for confidence in Confidence}
_MOTIVES = tuple((motive, motive.value) for motive in Motive)
_MOTIVE_VALUES = {motive.value: motive for motive in Motive}


# The columns of a version a record is made of, in the order `_assessment_record` unpacks them.
_VERSION_COLUMNS = (
    "id",
    "relationship_id",
    "as_of",
    "recorded_at",
    "recorded_by",
    "phase",
    "phase_to",
    "confidence",
    "summary",
    "marking",
    "is_reversal",
    "reversal_rationale",
    "restored_from_id",
    "origin",
)


def _assessment_record(
    values, weights: dict[str, tuple[int, str]], citations: Iterable[CitationRecord]
) -> AssessmentRecord:
    """The record of one version from its `_VERSION_COLUMNS` values (unpacked by position: a date
    change makes hundreds of these)."""
    (
        version_id,
        relationship_id,
        as_of,
        recorded_at,
        recorded_by,
        phase,
        phase_to,
        confidence,
        summary,
        marking,
        is_reversal,
        reversal_rationale,
        restored_from_id,
        origin,
    ) = values
    if recorded_at.tzinfo is None:  # Core rows bypass the ORM type's conversion on some drivers
        recorded_at = recorded_at.replace(tzinfo=UTC)
    return AssessmentRecord(
        id=version_id,
        relationship_id=relationship_id,
        as_of=as_of,
        recorded_at=recorded_at,
        recorded_by=recorded_by,
        phases=(_PHASES[phase], _PHASES[phase_to]) if phase_to else (_PHASES[phase],),
        confidence=_CONFIDENCES[confidence],
        summary=summary,
        marking=marking,
        motives=tuple([MotiveAssessment(motive, *weights.get(value, (0, ""))) for motive, value in _MOTIVES]),
        citations=tuple(citations),
        is_reversal=bool(is_reversal),
        reversal_rationale=reversal_rationale,
        restored_from_id=restored_from_id,
        origin=origin,
    )


def assessment_phases(row: models.AssessmentVersion) -> tuple[Phase, ...]:
    return (Phase(row.phase),) + ((Phase(row.phase_to),) if row.phase_to else ())
