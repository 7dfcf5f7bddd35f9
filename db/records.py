"""Frozen records the store returns. Views hold these, never ORM objects or sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from db.vocabulary import (
    MATERIALIST_MOTIVES,
    Confidence,
    Motive,
    OperationStatus,
    Phase,
)

DASH = "–"  # en dash, as in "UN–EU" and "2004–present"


@dataclass(frozen=True)
class OrganizationRecord:
    id: str
    code: str
    name: str
    kind: str
    security_role_since: int | None
    description: str
    position: int
    layout_x: float | None = None
    layout_y: float | None = None
    founded: date | None = None

    def exists_on(self, day: date) -> bool:
        """False before its founding date (an organization with no known founding date always exists)."""
        return self.founded is None or self.founded <= day


@dataclass(frozen=True)
class RelationshipRecord:
    """An unordered pair of organizations, with its codes in display order (UN, NATO, EU, AU...)."""

    id: str
    organization_ids: tuple[str, str]
    codes: tuple[str, str]

    @property
    def label(self) -> str:
        return f"{self.codes[0]}{DASH}{self.codes[1]}"

    @property
    def key(self) -> str:
        """ASCII key used on command lines: "UN-EU"."""
        return f"{self.codes[0]}-{self.codes[1]}"


def short_authors(authors: str) -> str:
    """ "Osland, K." -> "Osland"; "Pugh, M. & W. P. S. Sidhu" -> "Pugh and Sidhu"; "UNDPKO" -> "UNDPKO"."""
    text = authors.strip()
    if "," not in text:
        return text
    surnames = [text.split(",")[0].strip()]
    if "&" in text:
        surnames.append(text.split("&")[-1].strip().split(" ")[-1])
        if text.count(",") > 2:
            return f"{surnames[0]} et al."
        return " and ".join(surnames)
    return surnames[0]


@dataclass(frozen=True)
class CitationRecord:
    """A stored citation. `motive` is the motive whose rationale it supports (an assessment
    version's citation only); None cites the whole assessment (or a lesson, a milestone)."""

    id: str
    source_id: str
    source_short: str
    locator: str = ""
    quote: str = ""
    motive: Motive | None = None

    @property
    def text(self) -> str:
        """ "UNDPKO (2003: 15)", or "UNDPKO (2003)" without a locator."""
        if not self.locator:
            return self.source_short
        return self.source_short[:-1] + f": {self.locator})"


@dataclass(frozen=True)
class CitationInput:
    """A citation as an editor submits it; `motive` ties an assessment's citation to one motive's
    rationale (None: the whole assessment)."""

    source_id: str
    locator: str = ""
    quote: str = ""
    motive: Motive | None = None


@dataclass(frozen=True)
class MotiveAssessment:
    motive: Motive
    weight: int
    rationale: str = ""


@dataclass(frozen=True)
class AssessmentRecord:
    """One append-only version of a relationship's assessment."""

    id: str
    relationship_id: str
    as_of: date
    recorded_at: datetime
    recorded_by: str
    phases: tuple[Phase, ...]
    confidence: Confidence
    summary: str
    marking: str
    motives: tuple[MotiveAssessment, ...]
    citations: tuple[CitationRecord, ...] = ()
    is_reversal: bool = False
    reversal_rationale: str = ""
    restored_from_id: str | None = None
    origin: str = ""

    @property
    def phase_label(self) -> str:
        return "/".join(p.label if i == 0 else p.value for i, p in enumerate(self.phases))

    @property
    def whole_citations(self) -> tuple[CitationRecord, ...]:
        """The citations of the assessment as a whole (`citations` holds these and every motive's)."""
        return tuple(c for c in self.citations if c.motive is None)

    def motive_citations(self, motive: Motive) -> tuple[CitationRecord, ...]:
        """The citations supporting `motive`'s rationale, in their saved order."""
        return tuple(c for c in self.citations if c.motive == motive)

    @property
    def present_motives(self) -> tuple[Motive, ...]:
        return tuple(m.motive for m in self.motives if m.weight > 0)

    def weight(self, motive: Motive) -> int:
        return next((m.weight for m in self.motives if m.motive == motive), 0)

    @property
    def materialist_weight(self) -> int:
        return sum(m.weight for m in self.motives if m.motive in MATERIALIST_MOTIVES)

    @property
    def ideational_weight(self) -> int:
        return sum(m.weight for m in self.motives if m.motive not in MATERIALIST_MOTIVES)


@dataclass(frozen=True)
class AssessmentInput:
    """What an editor submits to record a new version; validated by the store."""

    relationship_id: str
    as_of: date
    phases: tuple[Phase, ...]
    confidence: Confidence
    summary: str
    motives: tuple[MotiveAssessment, ...]
    marking: str = "UNCLASSIFIED"
    citations: tuple[CitationInput, ...] = ()
    reversal_rationale: str = ""


@dataclass(frozen=True)
class CooperationRecord:
    """Figure 2's "cooperation on the ground": a place and a period, with the operations involved."""

    id: str
    relationship_id: str
    location: str
    start_year: int | None
    end_year: int | None
    status: OperationStatus
    planned_since: int | None = None
    operation_acronyms: tuple[str, ...] = ()

    def period_label(self, as_of_year: int | None = None) -> str:
        """ "2004–present", "2003", "1992–2004" or "planned", as seen from `as_of_year`."""
        if self.status == OperationStatus.PLANNED or self.start_year is None:
            return "planned"
        ended = self.end_year is not None and (as_of_year is None or self.end_year <= as_of_year)
        if not ended:
            return f"{self.start_year}{DASH}present"
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}{DASH}{self.end_year}"

    def visible_in(self, as_of_year: int) -> bool:
        if self.start_year is None:
            return self.planned_since is not None and self.planned_since <= as_of_year
        return self.start_year <= as_of_year


@dataclass(frozen=True)
class RelationshipState:
    """A relationship as it stood on a date: the version in force and what surrounded it."""

    relationship: RelationshipRecord
    assessment: AssessmentRecord | None
    cooperation: tuple[CooperationRecord, ...]
    lesson_count: int
    ongoing_operation_count: int
    latest_evidence: date | None = None
    # The version in force was above the state's marking limit: `assessment` is then the newest
    # version at or below it, or None (views say "withheld", never "not assessed").
    assessment_withheld: bool = False

    @property
    def needs_review(self) -> bool:
        """The newest lesson or milestone is more recent than the assessment in force."""
        if self.assessment is None:
            return True
        return self.latest_evidence is not None and self.latest_evidence > self.assessment.as_of

    def cooperation_labels(self, as_of_year: int | None = None) -> tuple[str, ...]:
        """Figure 2's cooperation cell: one string per place, periods of one place joined."""
        grouped: dict[str, list[str]] = {}
        for item in self.cooperation:
            grouped.setdefault(item.location, []).append(item.period_label(as_of_year))
        return tuple(f"{place} ({', '.join(periods)})" for place, periods in grouped.items())


@dataclass(frozen=True)
class QuadrangleState:
    """The whole quadrangle as of one date: the single source for diagram, tables and exports."""

    as_of: date
    organizations: tuple[OrganizationRecord, ...]
    relationships: tuple[RelationshipState, ...] = field(default_factory=tuple)
    # The marking limit the state obeys (None: everything), the markings of the lessons it counts,
    # and how many citations of withheld sources it dropped from the assessments it holds.
    max_marking: str | None = None
    lesson_markings: tuple[str, ...] = ()
    dropped_citations: int = 0

    @property
    def contained_markings(self) -> set[str]:
        """The markings of everything the state shows: assessments in force and the lessons counted."""
        return {r.assessment.marking for r in self.relationships if r.assessment} | set(self.lesson_markings)

    def relationship(self, relationship_id: str) -> RelationshipState:
        return next(r for r in self.relationships if r.relationship.id == relationship_id)


@dataclass(frozen=True)
class ComparisonRow:
    """One row of the comparison table (the report's Figure 2), ready to print or export."""

    relationship_id: str
    organizations: tuple[str, str]
    label: str
    phases: tuple[str, ...]
    phase_label: str
    motives: tuple[str, ...]
    cooperation: tuple[str, ...]
    last_assessed: date | None
    confidence: str
    marking: str = ""  # the assessment's marking ("" when the row shows none)

    def as_json(self) -> dict:
        return {
            "marking": self.marking,
            "organizations": list(self.organizations),
            "phase": list(self.phases),
            "motives": list(self.motives),
            "cooperation": list(self.cooperation),
            "last_assessed": self.last_assessed.isoformat() if self.last_assessed else None,
            "confidence": self.confidence,
        }
