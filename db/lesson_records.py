"""Frozen records and inputs of the lessons, operations and sources features (editors submit the
inputs; the store returns the records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from db.partial_dates import latest_day
from db.records import DASH, CitationInput, CitationRecord, short_authors
from db.references.model import Creator
from db.vocabulary import LessonKind, OperationStatus


@dataclass(frozen=True)
class MarkingRecord:
    name: str
    rank: int


@dataclass(frozen=True)
class ThemeRecord:
    id: str
    key: str
    name: str
    position: int


@dataclass(frozen=True)
class SourceRecord:
    id: str
    key: str
    authors: str
    year: str
    title: str
    container: str = ""
    publisher: str = ""
    place: str = ""
    reference: str = ""
    marking: str = "UNCLASSIFIED"
    revision: int = 1
    item_type: str = "document"
    creators: tuple[Creator, ...] = ()
    volume: str = ""
    issue: str = ""
    pages: str = ""
    edition: str = ""
    date: str = ""
    doi: str = ""
    isbn: str = ""
    issn: str = ""
    url: str = ""
    accessed: str = ""
    document_symbol: str = ""
    language: str = ""
    notes: str = ""

    @property
    def short(self) -> str:
        """Author-year label as the report cites: "UNDPKO (2003)"."""
        return f"{short_authors(self.authors)} ({self.year})"


@dataclass(frozen=True)
class MandateChangeRecord:
    """One change of an operation's mandate: from `old_mandate` to `new_mandate`, in effect from
    `effective_on` (the analyst's date), recorded by `recorded_by` at `recorded_at` (UTC)."""

    id: str
    operation_id: str
    effective_on: date
    old_mandate: str
    new_mandate: str
    recorded_by: str
    recorded_at: datetime

    def describe(self) -> str:
        """ "2008-03-15: “UNSC 1778” → “UNSC 1834”" for the operation's record and the audit log."""
        old = f"“{self.old_mandate}”" if self.old_mandate else "(none)"
        new = f"“{self.new_mandate}”" if self.new_mandate else "(none)"
        return f"{self.effective_on.isoformat()}: {old} → {new}"


@dataclass(frozen=True)
class OperationRecord:
    id: str
    acronym: str
    name: str
    location: str
    lead_code: str | None
    organization_codes: tuple[str, ...]
    start: str | None
    end: str | None
    status: OperationStatus
    mandate: str = ""
    notes: str = ""
    revision: int = 1
    # Oldest first by the day each took effect; empty for a mandate never changed since it was entered.
    mandate_history: tuple[MandateChangeRecord, ...] = ()

    def last_day(self) -> date | None:
        """The last day the operation ran ("2003-09" -> 2003-09-30), None while it has no end."""
        return latest_day(self.end) if self.end else None

    def period_label(self) -> str:
        if self.status == OperationStatus.PLANNED and not self.start:
            return "planned"
        return f"{self.start or '?'}{DASH}{self.end or 'present'}"


@dataclass(frozen=True)
class LessonRecord:
    id: str
    relationship_ids: tuple[str, ...]
    operation_id: str | None
    kind: LessonKind
    theme_keys: tuple[str, ...]
    finding: str
    recommendation: str
    recorded_on: date
    marking: str
    citations: tuple[CitationRecord, ...] = ()
    created_by: str = ""
    revision: int = 1
    key: str | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class LessonInput:
    """A lesson as its editor submits it; validated by the store."""

    finding: str
    kind: LessonKind
    recorded_on: date
    relationship_ids: tuple[str, ...] = ()
    theme_keys: tuple[str, ...] = ()
    recommendation: str = ""
    operation_id: str | None = None
    marking: str = "UNCLASSIFIED"
    citations: tuple[CitationInput, ...] = ()

    @classmethod
    def from_record(cls, record: LessonRecord) -> LessonInput:
        """The input that would recreate `record` (used to undo an edit)."""
        return cls(
            finding=record.finding,
            kind=record.kind,
            recorded_on=record.recorded_on,
            relationship_ids=record.relationship_ids,
            theme_keys=record.theme_keys,
            recommendation=record.recommendation,
            operation_id=record.operation_id,
            marking=record.marking,
            citations=tuple(CitationInput(c.source_id, c.locator, c.quote) for c in record.citations),
        )


@dataclass(frozen=True)
class LessonFilters:
    """What the lessons browser narrows to; None (or empty) means "any"."""

    organization_id: str | None = None
    relationship_id: str | None = None
    theme_key: str | None = None
    operation_id: str | None = None
    kind: LessonKind | None = None
    date_from: date | None = None
    date_to: date | None = None
    in_trash: bool = False
    # The view ceiling: only lessons marked at or below this exact level of the markings table.
    max_marking: str | None = None


@dataclass(frozen=True)
class LessonHit:
    """One row of a lessons page: the lesson, its search score (lower is better; 0 without search
    text) and which of the searched terms it contains (normalised: lower case, no accents)."""

    lesson: LessonRecord
    score: float = 0.0
    matched_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class LessonPage:
    """A page of lessons, best first when searching, newest first otherwise."""

    hits: tuple[LessonHit, ...]
    terms: tuple[str, ...] = ()
    offset: int = 0
    has_more: bool = False


@dataclass(frozen=True)
class LessonChange:
    """What an edit did: the lesson before and after (the `before` values undo it)."""

    before: LessonRecord
    after: LessonRecord


@dataclass(frozen=True)
class ThemeOverview:
    """Counts of lessons (not in the trash) per theme and relationship; themes and relationships in order."""

    theme_keys: tuple[str, ...]
    theme_names: tuple[str, ...]
    relationship_ids: tuple[str, ...]
    relationship_labels: tuple[str, ...]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)  # distinct lessons per theme, all relationships

    def count(self, theme_key: str, relationship_id: str) -> int:
        return self.counts.get((theme_key, relationship_id), 0)

    def theme_total(self, theme_key: str) -> int:
        return self.totals.get(theme_key, 0)


@dataclass(frozen=True)
class OperationInput:
    """An operation as its editor submits it; organizations are given by code (UN, NATO, EU, AU...)."""

    acronym: str
    name: str
    status: OperationStatus
    location: str = ""
    lead_code: str | None = None
    organization_codes: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    mandate: str = ""
    notes: str = ""
    # The day a changed mandate took effect (None: today); ignored when the mandate is unchanged.
    mandate_effective: date | None = None
    # The mandate's text is only corrected (a typo, a fuller reference): no change is kept in its history.
    mandate_correction: bool = False

    @classmethod
    def from_record(cls, record: OperationRecord) -> OperationInput:
        return cls(
            acronym=record.acronym,
            name=record.name,
            status=record.status,
            location=record.location,
            lead_code=record.lead_code,
            organization_codes=record.organization_codes,
            start=record.start,
            end=record.end,
            mandate=record.mandate,
            notes=record.notes,
        )


@dataclass(frozen=True)
class OperationChange:
    before: OperationRecord
    after: OperationRecord
    mandate_change: MandateChangeRecord | None = None  # the history entry this edit added, if any


@dataclass(frozen=True)
class SourceInput:
    """A source as its editor (or an import) submits it. An empty key is derived from author and year.

    `creators`, when given, are the truth and `authors` is derived from them; otherwise creators are
    read from `authors` (report style). The structured fields (volume, issue, pages, URL, notes...),
    when any is given, are the truth and `reference` is derived; otherwise `reference` is split into
    them. An empty `item_type` is inferred from which fields are filled."""

    authors: str
    year: str
    title: str
    key: str = ""
    container: str = ""
    publisher: str = ""
    place: str = ""
    reference: str = ""
    marking: str = "UNCLASSIFIED"
    item_type: str = ""
    creators: tuple[Creator, ...] = ()
    volume: str = ""
    issue: str = ""
    pages: str = ""
    edition: str = ""
    date: str = ""
    doi: str = ""
    isbn: str = ""
    issn: str = ""
    url: str = ""
    accessed: str = ""
    document_symbol: str = ""
    language: str = ""
    notes: str = ""

    @classmethod
    def from_record(cls, record: SourceRecord) -> SourceInput:
        return cls(**{name: getattr(record, name) for name in SOURCE_INPUT_FIELDS})


@dataclass(frozen=True)
class SourceChange:
    before: SourceRecord
    after: SourceRecord


@dataclass(frozen=True)
class CitedByRecord:
    """One place a source is cited: an assessment version, a lesson or a milestone."""

    owner_kind: str  # "assessment", "lesson" or "milestone"
    owner_id: str
    label: str
    locator: str = ""
    in_trash: bool = False


@dataclass(frozen=True)
class SourceImportResult:
    """What an import added: the new sources (their ids undo it), the sources merged with an entry
    (their before-states undo it), and notes such as renamed keys, skipped entries and problems."""

    sources: tuple[SourceRecord, ...]
    notes: tuple[str, ...] = ()
    backup_path: str | None = None
    merged: tuple[SourceMergeRecord, ...] = ()
    skipped: int = 0


SOURCE_INPUT_FIELDS = tuple(f for f in SourceInput.__dataclass_fields__)


@dataclass(frozen=True)
class SourceMergeRecord:
    """What merging one entry or one stored duplicate into a kept source changed: the kept source
    before and after, the fields filled (labels), and for a stored duplicate the removed source and
    the citations moved from it (their ids), which is what undoing it needs."""

    before: SourceRecord
    after: SourceRecord
    filled: tuple[str, ...] = ()
    removed: SourceRecord | None = None
    moved_citation_ids: tuple[str, ...] = ()
