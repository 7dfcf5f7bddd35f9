"""Whether what the screen shows is still true: an assessment's review status on the view's date, and
how long ago an ongoing operation was last confirmed. Computed from the state's records, never stored.

Four review statuses, each with its own words and mark, so "no assessment at all" is never confused
with "an old assessment" or "one the evidence has overtaken":

- never assessed: no version in force on the view's date;
- newer evidence: a lesson, a milestone, or an operation of the pair starting, ending or changing
  mandate is dated after the assessment and on or before the view's date (missions evolve between
  assessments);
- due for review: the assessment is older than the review interval (default 12 months) on that date;
- current: none of these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from db.partial_dates import earliest_day, latest_day
from db.records import QuadrangleState, RelationshipState
from db.vocabulary import OperationStatus

if TYPE_CHECKING:  # types only: the first paint does without the lesson and history records
    from db.history_records import MilestoneRecord
    from db.lesson_records import OperationRecord

DEFAULT_REVIEW_MONTHS = 12
NOT_CONFIRMED = "not confirmed since"


class ReviewStatus(StrEnum):
    CURRENT = "current"
    NEWER_EVIDENCE = "newer evidence"
    DUE = "due for review"
    NEVER_ASSESSED = "never assessed"

    @property
    def needs_attention(self) -> bool:
        return self is not ReviewStatus.CURRENT


@dataclass(frozen=True)
class Evidence:
    """One dated thing an analyst would want to weigh against an assessment."""

    day: date
    what: str  # "lesson", "milestone “<title>”", "EUFOR Tchad/RCA starting", "mandate of EUFOR changed"

    @property
    def line(self) -> str:
        """The item as a list line: "mandate of EUFOR Tchad/RCA changed on 2009-03-15"."""
        return f"{self.what} on {self.day.isoformat()}"


@dataclass(frozen=True)
class Staleness:
    """A relationship's review status on one date, with the facts behind it."""

    status: ReviewStatus
    assessed_on: date | None
    newer: tuple[Evidence, ...] = ()
    age_months: int = 0
    # The pair's operations with no end that nothing has confirmed within the review interval, by
    # acronym: "Ongoing as of 2007, not confirmed since" (see `operation_confirmation`).
    unconfirmed: tuple[tuple[str, str], ...] = ()

    @property
    def short_label(self) -> str:
        """A few words for a table cell or a card: "due for review", "3 newer items"."""
        if self.status is ReviewStatus.NEWER_EVIDENCE:
            count = len(self.newer)
            return f"{count} newer item{'s' if count != 1 else ''}"
        return self.status.value

    @property
    def newer_lines(self) -> tuple[str, ...]:
        """Each newer item as a line, newest first, for the detail panel and the card's tooltip."""
        return tuple(e.line for e in sorted(self.newer, key=lambda e: e.day, reverse=True))

    @property
    def sentence(self) -> str:
        """One plain sentence for a tooltip, the detail panel or the briefing."""
        if self.status is ReviewStatus.NEVER_ASSESSED:
            return "Never assessed by this date."
        assert self.assessed_on is not None
        assessed = self.assessed_on.isoformat()
        if self.status is ReviewStatus.NEWER_EVIDENCE:
            newest = max(self.newer, key=lambda e: e.day)
            count = len(self.newer)
            return (
                f"Newer evidence: {count} item{'s' if count != 1 else ''} dated after the assessment of "
                f"{assessed}, the newest: {newest.line}."
            )
        if self.status is ReviewStatus.DUE:
            return f"Due for review: assessed as of {assessed}, {_age_words(self.age_months)} before this date."
        return f"Current: assessed as of {assessed}."


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (0 when later is not after earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(0, months)


def _age_words(months: int) -> str:
    if months >= 24:
        return f"{months // 12} years"
    return f"{months} month{'s' if months != 1 else ''}"


def relationship_evidence(
    state: RelationshipState,
    milestones: Iterable[MilestoneRecord],
    operations: Iterable[OperationRecord],
) -> list[Evidence]:
    """Every dated piece of evidence about one relationship known to the state and the catalogue: its
    milestones (its newest lesson comes with the state, see `review_status`), and the start, the end
    and every mandate change (on the day it took effect) of each operation both organizations take
    part in."""
    found: list[Evidence] = []
    rel = state.relationship
    for milestone in milestones:
        if milestone.relationship_id == rel.id:
            found.append(Evidence(earliest_day(milestone.date), f"milestone “{milestone.title}”"))
    pair = set(rel.codes)
    for operation in operations:
        if not pair <= set(operation.organization_codes) or operation.status is OperationStatus.PLANNED:
            continue
        if operation.start:
            found.append(Evidence(earliest_day(operation.start), f"{operation.acronym} starting"))
        if operation.end:
            found.append(Evidence(latest_day(operation.end), f"{operation.acronym} ending"))
        for change in operation.mandate_history:
            found.append(Evidence(change.effective_on, f"mandate of {operation.acronym} changed"))
    return found


def review_status(
    state: RelationshipState,
    as_of: date,
    evidence: Iterable[Evidence] = (),
    review_months: int = DEFAULT_REVIEW_MONTHS,
) -> Staleness:
    """The review status of `state` seen on `as_of`: newer evidence first, then age, then current."""
    assessment = state.assessment
    if assessment is None:
        return Staleness(ReviewStatus.NEVER_ASSESSED, None)
    assessed = assessment.as_of
    newer = {(e.day, e.what): e for e in evidence if assessed < e.day <= as_of}
    if state.latest_evidence is not None and assessed < state.latest_evidence <= as_of:
        newer.setdefault((state.latest_evidence, "lesson or milestone"), Evidence(state.latest_evidence, "lesson"))
    # The state's newest lesson-or-milestone date duplicates a milestone found by name: keep the named one.
    named_days = {day for day, what in newer if what != "lesson or milestone"}
    items = tuple(
        sorted(
            (e for (day, what), e in newer.items() if not (what == "lesson or milestone" and day in named_days)),
            key=lambda e: e.day,
        )
    )
    items = tuple(Evidence(e.day, "lesson") if e.what == "lesson or milestone" else e for e in items)
    age = months_between(assessed, as_of)
    if items:
        return Staleness(ReviewStatus.NEWER_EVIDENCE, assessed, items, age)
    if review_months > 0 and age >= review_months:
        return Staleness(ReviewStatus.DUE, assessed, (), age)
    return Staleness(ReviewStatus.CURRENT, assessed, (), age)


def quadrangle_staleness(
    state: QuadrangleState,
    milestones: Iterable[MilestoneRecord] = (),
    operations: Iterable[OperationRecord] = (),
    review_months: int = DEFAULT_REVIEW_MONTHS,
    last_confirmed: Mapping[str, date] | None = None,
) -> dict[str, Staleness]:
    """The review status of every relationship of `state`, by relationship id, with the pair's
    operations not confirmed within the interval (`last_confirmed`: an operation's newest lesson day)."""
    milestone_list, operation_list = list(milestones), list(operations)
    result = {}
    for rel in state.relationships:
        status = review_status(
            rel, state.as_of, relationship_evidence(rel, milestone_list, operation_list), review_months
        )
        unconfirmed = unconfirmed_operations(rel, operation_list, state.as_of, last_confirmed or {}, review_months)
        result[rel.relationship.id] = replace(status, unconfirmed=unconfirmed) if unconfirmed else status
    return result


def unconfirmed_operations(
    state: RelationshipState,
    operations: Iterable[OperationRecord],
    as_of: date,
    last_confirmed: Mapping[str, date],
    review_months: int = DEFAULT_REVIEW_MONTHS,
) -> tuple[tuple[str, str], ...]:
    """(acronym, status words) of each operation of the pair shown on `as_of` as ongoing without any
    confirmation within the review interval, so "1999–present" is never read as a fresh fact."""
    pair = set(state.relationship.codes)
    found = []
    for operation in operations:
        if not pair <= set(operation.organization_codes):
            continue
        words = operation_confirmation(operation, as_of, last_confirmed.get(operation.id), review_months)
        if words.endswith(NOT_CONFIRMED):
            found.append((operation.acronym, words))
    return tuple(found)


def operation_confirmation(
    operation: OperationRecord,
    as_of: date,
    last_confirmed: date | None = None,
    review_months: int = DEFAULT_REVIEW_MONTHS,
) -> str:
    """The status of an operation as it may honestly be shown on `as_of`.

    An operation with no end is "Ongoing" only while its last confirmation (its start, the newest
    lesson drawn from it, or the newest change of its mandate in effect by `as_of`) is within the
    review interval; otherwise "Ongoing as of 2007, not confirmed since". Before its start it is
    "Not yet started"; after its end, "Ended"."""
    status = operation.status
    if status is OperationStatus.PLANNED or not operation.start:
        return status.value.capitalize()
    start = earliest_day(operation.start)
    if as_of < start:
        return "Not yet started"
    if operation.end and latest_day(operation.end) < as_of:
        return "Ended"
    if operation.end:
        return status.value.capitalize()
    mandates = [c.effective_on for c in operation.mandate_history if c.effective_on <= as_of]
    confirmed = max(d for d in (start, last_confirmed, *mandates) if d is not None)
    confirmed = min(confirmed, as_of)
    if review_months > 0 and months_between(confirmed, as_of) >= review_months:
        return f"{status.value.capitalize()} as of {confirmed.year}, {NOT_CONFIRMED}"
    return status.value.capitalize()


def existing_on(state: QuadrangleState) -> QuadrangleState:
    """`state` without the organizations not yet founded on its date, nor their relationships (the AU,
    founded 2002-07-09, is not drawn, listed or counted in 2001)."""
    day = state.as_of
    if all(o.exists_on(day) for o in state.organizations):
        return state
    organizations = tuple(o for o in state.organizations if o.exists_on(day))
    present = {o.id for o in organizations}
    relationships = tuple(r for r in state.relationships if set(r.relationship.organization_ids) <= present)
    return replace(state, organizations=organizations, relationships=relationships)
