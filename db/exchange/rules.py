"""The store's rules (db/validation.py) applied to every entry of an exchange file before an import.

The file format (db/exchange/format.py) checks shape, types and references; this module checks what
the editors and the store check, with the same functions, so an import cannot bring in a record the
store itself would refuse: a courtship -> ending phase pair, a date in the year 9999, a weight without
its rationale, a blank or over-long finding. The only rule left out is "not in the future", because
another workstation's clock and time zone decide what its today is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from db.exchange.format import (
    AssessmentEntry,
    CitationEntry,
    CooperationEntry,
    LessonEntry,
    MilestoneEntry,
    OperationEntry,
    OrganizationEntry,
    Payload,
    SourceEntry,
)
from db.validation import (
    SOURCE_SHORT_FIELDS,
    date_problem,
    lesson_links_problem,
    lesson_text_problem,
    locator_problem,
    motive_weight_problem,
    operation_dates_problem,
    operation_text_problem,
    partial_date_problem,
    phases_problem,
    quote_problem,
    rationale_problem,
    source_problem,
    summary_problem,
    year_problem,
)


def first_rule_problem(payload: Payload) -> str | None:
    """The first entry of `payload` that breaks one of the store's rules, as "<what> <id>: <message>"."""
    for where, problem in _problems(payload):
        if problem:
            return f"{where}: {problem}"
    return None


def entry_rule_problem(kind: str, item_id: str, entry: Any) -> str | None:
    """The first of the store's rules that one validated entry breaks, as first_rule_problem says it."""
    check = _RULES.get(kind)
    if check is not None:
        for where, problem in check(f"{kind.rstrip('s').replace('_', ' ')} {item_id}", entry):
            if problem:
                return f"{where}: {problem}"
    return None


def _problems(payload: Payload) -> Iterator[tuple[str, str | None]]:
    for item_id, organization in payload.organizations.items():
        yield from _organization(f"organization {item_id}", organization)
    for item_id, source in payload.sources.items():
        yield from _source(f"source {item_id}", source)
    for item_id, operation in payload.operations.items():
        yield from _operation(f"operation {item_id}", operation)
    for item_id, version in payload.assessment_versions.items():
        yield from _assessment(f"assessment version {item_id}", version)
    for item_id, milestone in payload.milestones.items():
        yield from _milestone(f"milestone {item_id}", milestone)
    for item_id, cooperation in payload.field_cooperation.items():
        yield from _cooperation(f"field cooperation {item_id}", cooperation)
    for item_id, lesson in payload.lessons.items():
        yield from _lesson(f"lesson {item_id}", lesson)


def _stamps(where: str, entry) -> Iterator[tuple[str, str | None]]:
    for name in ("created_at", "updated_at", "recorded_at"):
        value = getattr(entry, name, None)
        if value is not None:
            yield where, date_problem(value, f"Its {name.replace('_', ' ')}")


def _citations(
    where: str, citations: list[CitationEntry], *, quotes: bool, motives: bool = False
) -> Iterator[tuple[str, str | None]]:
    """Each citation's locator (and quote); only an assessment version's citation may name a motive."""
    for citation in citations:
        yield where, locator_problem(citation.locator)
        if quotes:
            yield where, quote_problem(citation.quote)
        if citation.motive is not None and not motives:
            yield where, f"A citation names the motive '{citation.motive.value}', which only an assessment's may."


def _organization(where: str, entry: OrganizationEntry) -> Iterator[tuple[str, str | None]]:
    yield from _stamps(where, entry)
    if entry.security_role_since is not None:
        yield where, year_problem(entry.security_role_since, "Its security role")


def _source(where: str, entry: SourceEntry) -> Iterator[tuple[str, str | None]]:
    yield from _stamps(where, entry)
    yield (
        where,
        source_problem(
            title=entry.title,
            authors=entry.authors,
            publisher=entry.publisher,
            key=entry.key,
            year=entry.year,
            place=entry.place,
            others=(entry.container, entry.reference, entry.notes, entry.url),
        ),
    )
    for name, limit in SOURCE_SHORT_FIELDS.items():
        if len(getattr(entry, name)) > limit:
            yield where, f"Its {name.replace('_', ' ')} is at most {limit} characters."


def _operation(where: str, entry: OperationEntry) -> Iterator[tuple[str, str | None]]:
    yield from _stamps(where, entry)
    yield (
        where,
        operation_text_problem(
            acronym=entry.acronym, name=entry.name, mandate=entry.mandate, location=entry.location, notes=entry.notes
        ),
    )
    yield where, operation_dates_problem(entry.start, entry.end)
    for change in entry.mandate_changes:
        yield where, date_problem(change.effective_on, "A mandate change's date")
        yield where, date_problem(change.recorded_at, "A mandate change's recording time")


def _assessment(where: str, entry: AssessmentEntry) -> Iterator[tuple[str, str | None]]:
    yield from _stamps(where, entry)
    yield where, date_problem(entry.as_of, "Its date")
    phases = (entry.phase,) if entry.phase_to is None else (entry.phase, entry.phase_to)
    yield where, phases_problem(phases)
    for motive in entry.motives:
        yield where, motive_weight_problem(motive.motive, motive.weight, motive.rationale)
        yield where, rationale_problem(motive.motive, motive.rationale)
    yield where, summary_problem(entry.summary)
    yield from _citations(where, entry.citations, quotes=False, motives=True)


def _milestone(where: str, entry: MilestoneEntry) -> Iterator[tuple[str, str | None]]:
    yield from _stamps(where, entry)
    yield where, partial_date_problem(entry.date, "Its date")
    yield from _citations(where, entry.citations, quotes=False)


def _cooperation(where: str, entry: CooperationEntry) -> Iterator[tuple[str, str | None]]:
    yield from _stamps(where, entry)
    for name in ("start_year", "end_year", "planned_since"):
        value = getattr(entry, name)
        if value is not None:
            yield where, year_problem(value, f"Its {name.replace('_', ' ')}")


def _lesson(where: str, entry: LessonEntry) -> Iterator[tuple[str, str | None]]:
    yield from _stamps(where, entry)
    yield where, lesson_text_problem(entry.finding, entry.recommendation)
    yield where, date_problem(entry.recorded_on, "The date recorded")
    yield where, lesson_links_problem(entry.relationship_ids, entry.theme_ids)
    yield from _citations(where, entry.citations, quotes=True)


_RULES: dict[str, Callable[[str, Any], Iterator[tuple[str, str | None]]]] = {
    "organizations": _organization,
    "sources": _source,
    "operations": _operation,
    "assessment_versions": _assessment,
    "milestones": _milestone,
    "field_cooperation": _cooperation,
    "lessons": _lesson,
}
