"""The exchange file format: one UTF-8 JSON document, a manifest and a payload of records keyed by UUID.

Every entry is validated by a strict pydantic model (unknown keys, bad enums, over-long text, lone
surrogates and dangling references are refused); the payload's checksum is the SHA-256 of its
canonical JSON bytes (sorted keys, no spaces, UTF-8).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)

from db.errors import QuadrangleError
from db.exchange.fields import (
    Acronym,
    AppVersion,
    Code,
    Key,
    Locator,
    LongText,
    MarkingName,
    Name,
    OperationKey,
    PartialDate,
    Position,
    RelationshipKey,
    ShortText,
    Stamp,
    Uuid,
    Year,
    YearText,
)
from db.references.model import CreatorRole, ItemType
from db.vocabulary import Confidence, LessonKind, MilestoneKind, Motive, OperationStatus, OrganizationKind, Phase

EXCHANGE_FORMAT = "quadrangle-exchange"
# 2: sources carry the full bibliographic record (item type, creators with roles, volume ... notes) and
# organizations their founding day. Files of version 1 are read with those fields filled as migration
# 0006 filled them for the sources stored then (db/exchange/upgrade.py).
EXCHANGE_FORMAT_VERSION = 2
# Every exchange format version this Quadrangle reads (positive, the newest last).
KNOWN_FORMAT_VERSIONS = (1, 2)
MAX_EXCHANGE_BYTES = 50 * 1024 * 1024
MAX_JSON_DEPTH = 16

# Kinds edited in place (the others are reference data, or append-only assessment versions).
IN_PLACE_KINDS = ("sources", "operations", "milestones", "field_cooperation", "lessons")
# Kinds in the order they are written and applied (referenced records before those referring to them).
Kind = Literal[
    "markings",
    "themes",
    "organizations",
    "relationships",
    "sources",
    "operations",
    "assessment_versions",
    "milestones",
    "field_cooperation",
    "lessons",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
KIND_LABELS = {
    "markings": "Markings",
    "themes": "Themes",
    "organizations": "Organizations",
    "relationships": "Relationships",
    "sources": "Sources",
    "operations": "Operations",
    "assessment_versions": "Assessment versions",
    "milestones": "Milestones",
    "field_cooperation": "Field cooperation",
    "lessons": "Lessons",
}
# Kinds where "keep both" makes sense: a copy with a new UUID stands on its own.
COPYABLE_KINDS = ("lessons", "sources")
# Bookkeeping fields of in-place entries: kept on import, but not part of what "the same content" means.
STAMP_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")
# What content_of leaves out of an in-place entry (a set: every key of every entry is looked up in it).
_NOT_CONTENT = frozenset((*STAMP_FIELDS, "mandate_changes"))


class ExchangeFileError(QuadrangleError):
    """An exchange file cannot be read or fails its checks; nothing was written."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Stamped(_Strict):
    created_at: Stamp
    created_by: Name
    updated_at: Stamp
    updated_by: Name


class MarkingEntry(_Strict):
    rank: int = Field(ge=0, le=1000)


class ThemeEntry(_Strict):
    key: Key
    name: ShortText
    position: Position


class OrganizationEntry(_Strict):
    code: Code
    name: Name
    kind: OrganizationKind
    security_role_since: Year | None
    founded: date | None
    description: LongText
    position: Position
    created_at: Stamp
    created_by: Name


class RelationshipEntry(_Strict):
    org_a_id: Uuid
    org_b_id: Uuid
    position: Position
    created_at: Stamp

    @model_validator(mode="after")
    def _ordered(self):
        if not self.org_a_id < self.org_b_id:
            raise ValueError("a relationship's organizations must be two, smaller id first")
        return self


class CreatorEntry(_Strict):
    """A person (family and given names) or an institution (`literal`, one name never split)."""

    role: CreatorRole
    family: LongText = ""
    given: LongText = ""
    literal: LongText = ""
    suffix: LongText = ""


class SourceEntry(_Stamped):
    key: Key
    authors: LongText
    year: YearText
    title: LongText
    container: LongText
    publisher: LongText
    place: Name
    reference: LongText
    marking: MarkingName
    item_type: ItemType
    creators: list[CreatorEntry] = Field(max_length=1000)
    volume: ShortText
    issue: ShortText
    pages: ShortText
    edition: ShortText
    date: ShortText
    doi: ShortText
    isbn: ShortText
    issn: ShortText
    url: LongText
    accessed: ShortText
    document_symbol: ShortText
    language: ShortText
    notes: LongText


class MandateChangeEntry(_Strict):
    """One change of an operation's mandate (an append-only fact, like an assessment version)."""

    id: Uuid
    effective_on: date
    old_mandate: ShortText
    new_mandate: ShortText
    recorded_by: Name
    recorded_at: Stamp


class OperationEntry(_Stamped):
    acronym: Acronym
    name: ShortText
    location: Name
    lead_org_id: Uuid | None
    start: PartialDate | None
    end: PartialDate | None
    status: OperationStatus
    mandate: ShortText
    notes: LongText
    organization_ids: list[Uuid] = Field(max_length=100)
    # The operation's mandate history: each side's changes are added to the other's (never a field
    # conflict, see `content_of`); left out of the file when empty, so an operation without one keeps
    # the content (and hash) it had before mandates had a history.
    mandate_changes: list[MandateChangeEntry] = Field(default_factory=list, max_length=10_000)

    @model_serializer(mode="wrap")
    def _without_empty_history(self, handler):
        data = handler(self)
        if not data.get("mandate_changes"):
            data.pop("mandate_changes", None)
        return data


class CitationEntry(_Strict):
    id: Uuid
    source_id: Uuid
    locator: Locator
    quote: LongText
    position: Position
    # The motive whose rationale an assessment version's citation supports; absent for the whole
    # assessment (and for lessons and milestones), and then left out of the file, so entries without
    # one keep the content (and hash) they had before motives could be cited.
    motive: Motive | None = None

    @model_serializer(mode="wrap")
    def _without_absent_motive(self, handler):
        data = handler(self)
        if data.get("motive") is None:
            data.pop("motive", None)
        return data


class MotiveEntry(_Strict):
    motive: Motive
    position: Position
    weight: int = Field(ge=0, le=3)
    rationale: LongText


class AssessmentEntry(_Strict):
    relationship_id: Uuid
    as_of: date
    recorded_at: Stamp
    recorded_by: Name
    phase: Phase
    phase_to: Phase | None
    confidence: Confidence
    summary: LongText
    marking: MarkingName
    is_reversal: bool
    reversal_rationale: LongText
    restored_from_id: Uuid | None
    origin: ShortText
    motives: list[MotiveEntry] = Field(max_length=len(Motive))
    citations: list[CitationEntry] = Field(max_length=1000)

    @field_validator("motives")
    @classmethod
    def _distinct_motives(cls, value):
        if len({m.motive for m in value}) != len(value):
            raise ValueError("a motive is given twice")
        return value


class MilestoneEntry(_Stamped):
    relationship_id: Uuid
    date: PartialDate
    kind: MilestoneKind
    title: ShortText
    description: LongText
    citations: list[CitationEntry] = Field(max_length=1000)


class CooperationEntry(_Strict):
    relationship_id: Uuid
    location: Name
    start_year: Year | None
    end_year: Year | None
    status: OperationStatus
    planned_since: Year | None
    position: Position
    note: LongText
    created_at: Stamp
    operation_ids: list[Uuid] = Field(max_length=100)


class LessonEntry(_Stamped):
    key: Key | None
    operation_id: Uuid | None
    kind: LessonKind
    finding: LongText
    recommendation: LongText
    recorded_on: date
    marking: MarkingName
    relationship_ids: list[Uuid] = Field(max_length=100)
    theme_ids: list[Uuid] = Field(max_length=100)
    citations: list[CitationEntry] = Field(max_length=1000)


ENTRY_MODELS: dict[str, type[_Strict]] = {
    "markings": MarkingEntry,
    "themes": ThemeEntry,
    "organizations": OrganizationEntry,
    "relationships": RelationshipEntry,
    "sources": SourceEntry,
    "operations": OperationEntry,
    "assessment_versions": AssessmentEntry,
    "milestones": MilestoneEntry,
    "field_cooperation": CooperationEntry,
    "lessons": LessonEntry,
}


class Payload(_Strict):
    """The records, each kind a mapping from UUID (markings: from name) to entry; references resolve."""

    markings: dict[MarkingName, MarkingEntry]
    themes: dict[Uuid, ThemeEntry]
    organizations: dict[Uuid, OrganizationEntry]
    relationships: dict[Uuid, RelationshipEntry]
    sources: dict[Uuid, SourceEntry]
    operations: dict[Uuid, OperationEntry]
    assessment_versions: dict[Uuid, AssessmentEntry]
    milestones: dict[Uuid, MilestoneEntry]
    field_cooperation: dict[Uuid, CooperationEntry]
    lessons: dict[Uuid, LessonEntry]

    @model_validator(mode="after")
    def _references_resolve(self):
        check_references({kind: getattr(self, kind) for kind in KINDS})
        return self


def _get(entry: Any, name: str) -> Any:
    return entry[name] if isinstance(entry, dict) else getattr(entry, name)


def check_references(payload: dict[str, Any]) -> None:
    """Raise ValueError naming the first reference that does not resolve inside the payload (or two
    markings of one rank, a citation id given twice, a restore cycle). The entries are models (while
    a Payload is validated) or their JSON-ready dicts (db/exchange/fast_read.py): the same check."""

    def need(value, kind: str, what: str) -> None:
        if value is not None and value not in payload[kind]:
            raise ValueError(f"{what} refers to a {kind.rstrip('s').replace('_', ' ')} missing from the file ({value})")

    ranks = [_get(m, "rank") for m in payload["markings"].values()]
    if len(set(ranks)) != len(ranks):
        raise ValueError("two markings share a rank")
    seen_citations: set[str] = set()

    def need_citations(owner: str, citations) -> None:
        for citation in citations:
            need(_get(citation, "source_id"), "sources", f"{owner} citation")
            if _get(citation, "id") in seen_citations:
                raise ValueError(f"citation {_get(citation, 'id')} appears twice")
            seen_citations.add(_get(citation, "id"))

    for rel_id, rel in payload["relationships"].items():
        need(_get(rel, "org_a_id"), "organizations", f"relationship {rel_id}")
        need(_get(rel, "org_b_id"), "organizations", f"relationship {rel_id}")
    for source_id, source in payload["sources"].items():
        need(_get(source, "marking"), "markings", f"source {source_id}")
    for op_id, op in payload["operations"].items():
        need(_get(op, "lead_org_id"), "organizations", f"operation {op_id}")
        for org_id in _get(op, "organization_ids"):
            need(org_id, "organizations", f"operation {op_id}")
    for version_id, version in payload["assessment_versions"].items():
        need(_get(version, "relationship_id"), "relationships", f"assessment version {version_id}")
        need(_get(version, "marking"), "markings", f"assessment version {version_id}")
        need(_get(version, "restored_from_id"), "assessment_versions", f"assessment version {version_id}")
        need_citations(f"assessment version {version_id}", _get(version, "citations"))
    for milestone_id, milestone in payload["milestones"].items():
        need(_get(milestone, "relationship_id"), "relationships", f"milestone {milestone_id}")
        need_citations(f"milestone {milestone_id}", _get(milestone, "citations"))
    for coop_id, coop in payload["field_cooperation"].items():
        need(_get(coop, "relationship_id"), "relationships", f"field cooperation {coop_id}")
        for op_id in _get(coop, "operation_ids"):
            need(op_id, "operations", f"field cooperation {coop_id}")
    for lesson_id, lesson in payload["lessons"].items():
        need(_get(lesson, "operation_id"), "operations", f"lesson {lesson_id}")
        need(_get(lesson, "marking"), "markings", f"lesson {lesson_id}")
        for rel_id in _get(lesson, "relationship_ids"):
            need(rel_id, "relationships", f"lesson {lesson_id}")
        for theme_id in _get(lesson, "theme_ids"):
            need(theme_id, "themes", f"lesson {lesson_id}")
        need_citations(f"lesson {lesson_id}", _get(lesson, "citations"))
    _no_restore_cycle(payload["assessment_versions"])


def _no_restore_cycle(versions: dict[str, Any]) -> None:
    for start in versions:
        seen = {start}
        current = _get(versions[start], "restored_from_id")
        while current is not None:
            if current in seen:
                raise ValueError(f"assessment version {start} restores itself through a cycle")
            seen.add(current)
            current = _get(versions[current], "restored_from_id") if current in versions else None


class Selection(_Strict):
    relationships: list[RelationshipKey] | None = Field(default=None, max_length=10_000)
    since: date | None = None
    max_marking: MarkingName | None = None
    operations: list[OperationKey] | None = Field(default=None, max_length=10_000)
    until: date | None = None


class Manifest(_Strict):
    format: Literal["quadrangle-exchange"]
    format_version: int = Field(ge=1, le=EXCHANGE_FORMAT_VERSION)
    app_version: AppVersion
    exported_by: Name
    exported_at: Stamp
    database_id: Uuid
    export_id: Uuid
    selection: Selection
    counts: dict[Kind, int]
    withheld: dict[Kind, int]
    received: list[Uuid] = Field(max_length=100_000)
    marking: MarkingName | None = None  # the highest marking of what the payload holds (older files: none)
    payload_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ExchangeDocument(_Strict):
    manifest: Manifest
    payload: Payload


# One encoder for every canonical encoding (json.dumps with these options builds one per call). Parsed
# JSON and model dumps hold no cycles, so the check for them is left out: the text is the same.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, check_circular=False
)


def canonical_bytes(value: Any) -> bytes:
    """The bytes the checksum is taken over: sorted keys, no whitespace, UTF-8 (not ASCII-escaped)."""
    return _CANONICAL.encode(value).encode("utf-8")


def payload_sha256(payload: Any) -> str:
    """The SHA-256 of `canonical_bytes(payload)`, fed in pieces (one per entry) so a 45 MB payload
    never stands in memory a second time as one string."""
    digest = hashlib.sha256()
    for piece in _canonical_pieces(payload, levels=2):
        digest.update(piece)
    return digest.hexdigest()


def _canonical_pieces(value: Any, *, levels: int) -> Iterator[bytes]:
    """`canonical_bytes(value)` in pieces: the outer `levels` of objects are written here (keys sorted,
    as json.dumps sorts them), what lies inside them by canonical_bytes."""
    if levels == 0 or not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        yield canonical_bytes(value)
        return
    yield b"{"
    for n, key in enumerate(sorted(value)):
        yield (b"," if n else b"") + canonical_bytes(key) + b":"
        yield from _canonical_pieces(value[key], levels=levels - 1)
    yield b"}"


def content_of(kind: str, entry: dict) -> dict:
    """What "the same content" means for an entry: in-place entries leave out their bookkeeping stamps
    and their citations' ids (a citation edited into the same words on both sides is the same)."""
    if kind not in IN_PLACE_KINDS:
        return entry
    # A mandate history is merged change by change (db/exchange/apply.py), never chosen as a field.
    content = {k: v for k, v in entry.items() if k not in _NOT_CONTENT}
    if "citations" in content:
        content["citations"] = [{k: v for k, v in c.items() if k != "id"} for c in content["citations"]]
    return content


def content_hash(kind: str, entry: dict) -> str:
    return hashlib.sha256(canonical_bytes(content_of(kind, entry))).hexdigest()


def normalized(kind: str, entry: dict) -> dict:
    """An entry as the file carries it: validated by its model and dumped to JSON-ready values."""
    return ENTRY_MODELS[kind].model_validate(entry).model_dump(mode="json")
