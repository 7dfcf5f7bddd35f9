"""Frozen records of an assessment's history: comparisons, reversals, the audit log and drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.records import AssessmentRecord, CitationRecord


@dataclass(frozen=True)
class MilestoneRecord:
    id: str
    relationship_id: str
    date: str
    kind: str
    title: str
    description: str = ""
    citations: tuple[CitationRecord, ...] = ()


@dataclass(frozen=True)
class FieldDiff:
    """One compared field: its label and its plain-text value on each side."""

    key: str
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class AssessmentDiffRecord:
    """Two assessments of one relationship side by side (either side may be missing: no version yet).

    `before_label` / `after_label` say what each side is ("Version of 2003-06-30, recorded ..." or
    "State on 2005-01-01").
    """

    relationship_id: str
    relationship_label: str
    before: AssessmentRecord | None
    after: AssessmentRecord | None
    before_label: str
    after_label: str
    fields: tuple[FieldDiff, ...]

    @property
    def changed_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.changed)

    def field(self, key: str) -> FieldDiff:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class ReversalRecord:
    """A version that moved a relationship back a phase or into "ending", with its rationale."""

    relationship_id: str
    relationship_label: str
    version: AssessmentRecord
    previous_phase_label: str

    @property
    def id(self) -> str:
        return self.version.id


@dataclass(frozen=True)
class AuditRecord:
    """One line of the append-only change log: who, when, what."""

    id: str
    at: datetime
    actor: str
    action: str
    entity_kind: str
    entity_id: str | None
    summary: str
    origin: str = ""


@dataclass(frozen=True)
class AuditFilter:
    """What to keep of the audit log; empty fields keep everything. `text` matches the summary."""

    actor: str = ""
    action: str = ""
    entity_kind: str = ""
    since: date | None = None
    until: date | None = None
    text: str = ""


@dataclass(frozen=True)
class AuditFacets:
    """The distinct values of the audit log's filterable columns, for filter menus."""

    actors: tuple[str, ...]
    actions: tuple[str, ...]
    entity_kinds: tuple[str, ...]


@dataclass(frozen=True)
class DraftRecord:
    """Unsaved editor content of one analyst for one target (e.g. an assessment of a relationship)."""

    id: str
    kind: str
    target_id: str
    author: str
    payload: dict
    updated_at: datetime
