"""The dataset file format: a validated JSON description of a whole quadrangle, and its loading.

The default dataset (resources/dataset/default.json) seeds every new database. Records get
deterministic UUIDs derived from their natural keys, so two workstations seeded from the same
dataset hold the same records and can later exchange them without duplicates.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from db.errors import DatasetError, ValidationError
from db.partial_dates import parse_partial_date as _parse_partial_date
from db.paths import DEFAULT_DATASET_PATH
from db.vocabulary import (
    MOTIVE_ORDER,
    Confidence,
    LessonKind,
    MilestoneKind,
    Motive,
    OperationStatus,
    OrganizationKind,
    Phase,
    phases_are_adjacent,
)

DATASET_FORMAT = "quadrangle-dataset"
DATASET_FORMAT_VERSION = 1
MAX_DATASET_BYTES = 20 * 1024 * 1024

# Namespace of the deterministic record ids; never change it, or seeded copies stop matching.
DATASET_NAMESPACE = uuid.UUID("6b1f0e4e-8f7c-4d4e-9a51-2f1c6d0a7e01")

ShortText = Annotated[str, StringConstraints(max_length=300)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,15}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,119}$")]


def parse_partial_date(value: str) -> str:
    """The partial-date check as pydantic expects it: a ValueError on bad input."""
    try:
        return _parse_partial_date(value)
    except ValidationError as exc:
        raise ValueError(str(exc).rstrip(".")) from None


def stable_id(kind: str, *parts: object) -> str:
    """The UUID a dataset record gets, from its kind and natural key."""
    return str(uuid.uuid5(DATASET_NAMESPACE, ":".join([kind, *map(str, parts)])))


def relationship_key(codes: tuple[str, str] | list[str]) -> str:
    return "|".join(sorted(codes))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MarkingEntry(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    rank: int = Field(ge=0, le=1000)


class ThemeEntry(_Strict):
    key: Key
    name: ShortText


class OrganizationEntry(_Strict):
    code: Code
    name: ShortText
    kind: OrganizationKind
    security_role_since: int | None = Field(default=None, ge=1800, le=2200)
    description: LongText = ""
    founded: date | None = None  # not drawn before this day


class SourceEntry(_Strict):
    key: Key
    authors: LongText
    year: Annotated[str, StringConstraints(max_length=16)]
    title: LongText
    container: LongText = ""
    publisher: LongText = ""
    place: ShortText = ""
    reference: LongText = ""
    marking: str = "UNCLASSIFIED"


class CitationEntry(_Strict):
    source: Key
    locator: Annotated[str, StringConstraints(max_length=100)] = ""
    quote: LongText = ""


class OperationEntry(_Strict):
    acronym: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    name: ShortText
    location: ShortText = ""
    lead: Code | None = None
    organizations: list[Code] = Field(default_factory=list)
    start: str | None = None
    end: str | None = None
    status: OperationStatus
    mandate: ShortText = ""
    notes: LongText = ""

    @field_validator("start", "end")
    @classmethod
    def _partial_date(cls, value: str | None) -> str | None:
        return None if value is None else parse_partial_date(value)


class MotiveEntry(_Strict):
    weight: int = Field(ge=0, le=3)
    rationale: LongText = ""

    @model_validator(mode="after")
    def _rationale_when_present(self):
        if self.weight > 0 and not self.rationale.strip():
            raise ValueError("a motive weighted above 0 needs a rationale")
        return self


class AssessmentEntry(_Strict):
    as_of: date
    phase: list[Phase] = Field(min_length=1, max_length=2)
    confidence: Confidence
    marking: str = "UNCLASSIFIED"
    summary: LongText = ""
    motives: dict[Motive, MotiveEntry]
    citations: list[CitationEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self):
        if len(self.phase) == 2 and not phases_are_adjacent(self.phase[0], self.phase[1]):
            raise ValueError("two phases must be adjacent and in order, e.g. start-up, maintenance")
        missing = [m.value for m in MOTIVE_ORDER if m not in self.motives]
        if missing:
            raise ValueError(f"motives missing: {', '.join(missing)}")
        return self


class CooperationEntry(_Strict):
    location: ShortText
    start: int | None = Field(default=None, ge=1900, le=2200)
    end: int | None = Field(default=None, ge=1900, le=2200)
    status: OperationStatus
    planned_since: int | None = Field(default=None, ge=1900, le=2200)
    operations: list[str] = Field(default_factory=list)
    note: LongText = ""


class MilestoneEntry(_Strict):
    date: str
    kind: MilestoneKind
    title: ShortText
    description: LongText = ""
    citations: list[CitationEntry] = Field(default_factory=list)

    @field_validator("date")
    @classmethod
    def _partial_date(cls, value: str) -> str:
        return parse_partial_date(value)


class RelationshipEntry(_Strict):
    organizations: list[Code] = Field(min_length=2, max_length=2)
    assessments: list[AssessmentEntry] = Field(default_factory=list)
    cooperation: list[CooperationEntry] = Field(default_factory=list)
    milestones: list[MilestoneEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self):
        if self.organizations[0] == self.organizations[1]:
            raise ValueError("a relationship needs two different organizations")
        dates = [a.as_of for a in self.assessments]
        if dates != sorted(dates):
            raise ValueError("assessments must be in chronological order")
        return self


class LessonEntry(_Strict):
    key: Key
    relationships: list[list[Code]] = Field(min_length=1)
    operation: str | None = None
    kind: LessonKind
    themes: list[Key] = Field(min_length=1)
    finding: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    recommendation: LongText = ""
    recorded_on: date
    marking: str = "UNCLASSIFIED"
    citations: list[CitationEntry] = Field(default_factory=list)


class Dataset(_Strict):
    """A whole dataset file, checked for internal consistency (every reference resolves)."""

    format: Literal["quadrangle-dataset"]
    format_version: int
    title: ShortText
    recorded_by: ShortText
    recorded_at: datetime
    markings: list[MarkingEntry] = Field(min_length=1)
    themes: list[ThemeEntry]
    organizations: list[OrganizationEntry] = Field(min_length=2)
    sources: list[SourceEntry]
    operations: list[OperationEntry]
    relationships: list[RelationshipEntry]
    lessons: list[LessonEntry]

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > DATASET_FORMAT_VERSION:
            raise ValueError(f"format version {value} is newer than this Quadrangle reads ({DATASET_FORMAT_VERSION})")
        return value

    @model_validator(mode="after")
    def _references_resolve(self):
        codes = _unique([o.code for o in self.organizations], "organization code")
        markings = _unique([m.name for m in self.markings], "marking")
        themes = _unique([t.key for t in self.themes], "theme key")
        sources = _unique([s.key for s in self.sources], "source key")
        operations = _unique([o.acronym for o in self.operations], "operation acronym")
        _unique([lesson.key for lesson in self.lessons], "lesson key")
        _unique([relationship_key(r.organizations) for r in self.relationships], "relationship")

        def need(value, known, what):
            if value not in known:
                raise ValueError(f"unknown {what} '{value}'")

        def need_citations(citations):
            for citation in citations:
                need(citation.source, sources, "source")

        for source in self.sources:
            need(source.marking, markings, "marking")
        for operation in self.operations:
            for code in [operation.lead, *operation.organizations]:
                if code is not None:
                    need(code, codes, "organization")
        for rel in self.relationships:
            for code in rel.organizations:
                need(code, codes, "organization")
            for assessment in rel.assessments:
                need(assessment.marking, markings, "marking")
                need_citations(assessment.citations)
            for item in rel.cooperation:
                for acronym in item.operations:
                    need(acronym, operations, "operation")
            for milestone in rel.milestones:
                need_citations(milestone.citations)
        known_pairs = {relationship_key(r.organizations) for r in self.relationships}
        for lesson in self.lessons:
            for pair in lesson.relationships:
                for code in pair:
                    need(code, codes, "organization")
                if len(pair) != 2 or relationship_key(pair) not in known_pairs:
                    raise ValueError(f"lesson '{lesson.key}' names an unknown relationship {pair}")
            if lesson.operation is not None:
                need(lesson.operation, operations, "operation")
            for theme in lesson.themes:
                need(theme, themes, "theme")
            need(lesson.marking, markings, "marking")
            need_citations(lesson.citations)
        return self


def _unique(values: list[str], what: str) -> set[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} '{value}'")
        seen.add(value)
    return seen


def load_dataset(path: Path = DEFAULT_DATASET_PATH) -> Dataset:
    """Read and validate a dataset file; raise DatasetError with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_DATASET_BYTES:
            raise DatasetError(f"{path}: {size} bytes is larger than a dataset may be (20 MB).")
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"Cannot read the dataset {path}: {exc.strerror or exc}.") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DatasetError(f"{path}: not UTF-8 text; save the dataset as UTF-8 JSON.") from None
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    except RecursionError:  # found by tests/db/test_fuzz_readers.py: "[[[[..." crashed the reader
        raise DatasetError(f"{path}: nested too deeply to be a dataset.") from None
    return parse_dataset(data, origin=str(path))


def parse_dataset(data: object, *, origin: str = "dataset") -> Dataset:
    if isinstance(data, dict) and data.get("format") != DATASET_FORMAT:
        raise DatasetError(f"{origin}: not a Quadrangle dataset (its 'format' is not '{DATASET_FORMAT}').")
    try:
        return Dataset.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        message = first["msg"].removeprefix("Value error, ")
        if len(message) > 300:  # a message may quote the offending value, which can be megabytes long
            message = message[:300] + "…"
        message = " ".join(message.split())
        if len(where) > 200:
            where = where[:200] + "…"
        raise DatasetError(f"{origin}: {where}: {message}{more}.") from None
