"""The rules a record must keep to be stored: one set, used by the editors (through the store), by the
store's editing methods and by the exchange import (db/exchange/reader.py), so nothing reaches the
database by one door that another door refuses.

Each `*_problem` function checks one rule on plain values and returns the message to show, or None;
the `validate_*` functions compose them for the store's input records and raise ValidationError.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from db.errors import ValidationError
from db.lesson_records import LessonInput, OperationInput, SourceInput
from db.partial_dates import parse_partial_date
from db.records import AssessmentInput
from db.references.record import complete
from db.vocabulary import MAX_MOTIVE_WEIGHT, LessonKind, Motive, OperationStatus, Phase, phases_are_adjacent

# Dates a record may carry (an assessment's date, a lesson's, an operation's, a stamp): a year outside
# this range is a typing slip or a hostile file, and years like 9999 break date arithmetic.
MIN_YEAR = 1900
MAX_YEAR = 2100
# Lessons.
MAX_TEXT = 20_000
MAX_QUOTE = 5_000
MAX_LOCATOR = 100
# Assessments.
MAX_SUMMARY = 20_000
MAX_RATIONALE = 10_000
# Sources.
MAX_KEY = 120
MAX_SOURCE_FIELD = 20_000
# Operations.
MAX_ACRONYM = 60
MAX_NAME = 300
MAX_NOTES = 20_000


# -- single rules ----------------------------------------------------------------------------------


def year_problem(year: int, what: str) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"{what} is in the year {year}: a date must lie between {MIN_YEAR} and {MAX_YEAR}."
    return None


def date_problem(value: date | datetime, what: str) -> str | None:
    """A date (or a moment) outside MIN_YEAR..MAX_YEAR."""
    return year_problem(value.year, what)


def partial_date_problem(text: str, what: str) -> str | None:
    """A partial date (YYYY, YYYY-MM, YYYY-MM-DD) that is malformed or out of range."""
    try:
        value = parse_partial_date(text)
    except ValidationError as exc:
        return str(exc)
    return year_problem(int(value[:4]), what)


def phases_problem(phases: tuple[Phase, ...]) -> str | None:
    """One phase, or two adjacent ones (courtship -> ending is refused)."""
    if not 1 <= len(phases) <= 2:
        return "Choose one phase, or two adjacent phases for a relationship in transition."
    if len(phases) == 2 and not phases_are_adjacent(phases[0], phases[1]):
        return "Two phases must be adjacent, e.g. start-up and maintenance."
    return None


def motive_weight_problem(motive: Motive, weight: int, rationale: str) -> str | None:
    """A weight out of range, or a weight without its rationale."""
    if not 0 <= weight <= MAX_MOTIVE_WEIGHT:
        return f"{motive.label}: a weight is between 0 (absent) and {MAX_MOTIVE_WEIGHT}."
    if weight > 0 and not rationale.strip():
        return f"{motive.label} is weighted {weight}: give its rationale."
    return None


def rationale_problem(motive: Motive, rationale: str) -> str | None:
    if len(rationale) > MAX_RATIONALE:
        return f"{motive.label}: the rationale is longer than {MAX_RATIONALE} characters."
    return None


def summary_problem(summary: str) -> str | None:
    if len(summary) > MAX_SUMMARY:
        return f"The summary is longer than {MAX_SUMMARY} characters."
    return None


def locator_problem(locator: str) -> str | None:
    if len(locator) > MAX_LOCATOR:
        return f"A page locator is at most {MAX_LOCATOR} characters."
    return None


def quote_problem(quote: str) -> str | None:
    if len(quote) > MAX_QUOTE:
        return f"A quote is at most {MAX_QUOTE} characters."
    return None


def lesson_text_problem(finding: str, recommendation: str) -> str | None:
    """A blank finding, or a finding or recommendation longer than the editor allows."""
    if not finding.strip():
        return "Write the finding: a lesson needs at least its finding."
    if len(finding) > MAX_TEXT or len(recommendation) > MAX_TEXT:
        return f"The finding and the recommendation are at most {MAX_TEXT} characters each."
    return None


def lesson_links_problem(relationships: Iterable[object], themes: Iterable[object]) -> str | None:
    if not list(relationships):
        return "Choose the relationship(s) the lesson concerns."
    if not list(themes):
        return "Choose at least one theme."
    return None


def source_problem(
    *, title: str, authors: str, publisher: str, key: str, year: str, place: str, others: Iterable[str]
) -> str | None:
    if not title.strip():
        return "Give the source its title."
    if not authors.strip() and not publisher.strip():
        return "Give the author(s), or the publishing organization."
    if len(key) > MAX_KEY:
        return f"A source key is at most {MAX_KEY} characters."
    if len(year) > 16 or len(place) > 200:
        return "The year is at most 16 characters and the place 200."
    for value in (title, authors, publisher, *others):
        if len(value) > MAX_SOURCE_FIELD:
            return "A source field is at most 20,000 characters."
    return None


def operation_text_problem(*, acronym: str, name: str, mandate: str, location: str, notes: str) -> str | None:
    if not acronym.strip():
        return "Give the operation its acronym (e.g. EUFOR RD Congo)."
    if len(acronym.strip()) > MAX_ACRONYM:
        return f"An acronym is at most {MAX_ACRONYM} characters."
    if not name.strip():
        return "Give the operation its full name."
    if len(name) > MAX_NAME or len(mandate) > MAX_NAME or len(location) > 200:
        return f"The name and mandate are at most {MAX_NAME} characters, the location 200."
    if len(notes) > MAX_NOTES:
        return f"The notes are at most {MAX_NOTES} characters."
    return None


def operation_dates_problem(start: str | None, end: str | None) -> str | None:
    for value, what in ((start, "The start"), (end, "The end")):
        if value:
            problem = partial_date_problem(value, what)
            if problem:
                return problem
    if start and end and end < start:
        return "The operation ends before it starts: check the dates."
    return None


# -- the store's input records ---------------------------------------------------------------------


def assessment_problems(draft: AssessmentInput, today: date | None = None) -> list[tuple[str, str]]:
    """Every broken rule of a submitted assessment as (field, message), in form order; empty when valid.

    Fields: "as_of", "phases", a motive's value, "summary", "citations" and "citations.<motive>"
    (`citation_field`). Editors show each message
    beside its field; `validate_assessment` raises the first.
    """
    today = today or date.today()
    problems: list[tuple[str, str]] = []
    if draft.as_of > today:
        problems.append(("as_of", "The assessment date is in the future: choose today or an earlier date."))
    elif problem := date_problem(draft.as_of, "The assessment date"):
        problems.append(("as_of", problem))
    if problem := phases_problem(draft.phases):
        problems.append(("phases", problem))
    seen = set()
    for motive in draft.motives:
        field = motive.motive.value
        if motive.motive in seen:
            problems.append((field, f"The motive {motive.motive.label} is given twice."))
        seen.add(motive.motive)
        if problem := motive_weight_problem(motive.motive, motive.weight, motive.rationale):
            problems.append((field, problem))
        if problem := rationale_problem(motive.motive, motive.rationale):
            problems.append((field, problem))
    if problem := summary_problem(draft.summary):
        problems.append(("summary", problem))
    flagged: set[str] = set()
    for citation in draft.citations:
        if citation.motive is not None and not isinstance(citation.motive, Motive):
            problems.append(
                ("citations", f"A citation names an unknown motive ({citation.motive!r}): pick one of the list.")
            )
            continue
        field = citation_field(citation.motive)
        if field not in flagged and (problem := locator_problem(citation.locator)):
            problems.append((field, problem))
            flagged.add(field)
    return problems


def citation_field(motive: Motive | None) -> str:
    """The problem field of an assessment's citations: "citations" for the whole assessment's,
    "citations.<motive value>" for one motive's."""
    return "citations" if motive is None else f"citations.{motive.value}"


def validate_assessment(draft: AssessmentInput, today: date | None = None) -> None:
    """Raise ValidationError naming the first broken rule of a submitted assessment."""
    problems = assessment_problems(draft, today)
    if problems:
        raise ValidationError(problems[0][1])


def validate_lesson(draft: LessonInput, today: date | None = None) -> None:
    """Raise ValidationError naming the first broken rule of a submitted lesson."""
    today = today or date.today()
    _raise(lesson_text_problem(draft.finding, draft.recommendation))
    if not isinstance(draft.kind, LessonKind):
        raise ValidationError("Choose whether the lesson is a challenge or a success.")
    if draft.recorded_on > today:
        raise ValidationError("The date recorded is in the future: choose today or an earlier date.")
    _raise(date_problem(draft.recorded_on, "The date recorded"))
    _raise(lesson_links_problem(draft.relationship_ids, draft.theme_keys))
    for citation in draft.citations:
        _raise(locator_problem(citation.locator) or quote_problem(citation.quote))


# The short fields of the full bibliographic record and their limits.
SOURCE_SHORT_FIELDS = {
    "volume": 100,
    "issue": 100,
    "pages": 100,
    "edition": 100,
    "date": 40,
    "doi": 300,
    "isbn": 100,
    "issn": 100,
    "accessed": 40,
    "document_symbol": 200,
    "language": 60,
}


def validate_source(draft: SourceInput) -> None:
    """Raise ValidationError naming the first broken rule of a submitted source (completed first:
    its creators give the author string)."""
    draft = complete(draft)
    _raise(
        source_problem(
            title=draft.title,
            authors=draft.authors,
            publisher=draft.publisher,
            key=draft.key,
            year=draft.year,
            place=draft.place,
            others=(draft.container, draft.reference, draft.notes, draft.url),
        )
    )
    for name, limit in SOURCE_SHORT_FIELDS.items():
        if len(getattr(draft, name)) > limit:
            raise ValidationError(f"The {name.replace('_', ' ')} is at most {limit} characters.")


def validate_operation(draft: OperationInput) -> None:
    """Raise ValidationError naming the first broken rule of a submitted operation."""
    _raise(
        operation_text_problem(
            acronym=draft.acronym, name=draft.name, mandate=draft.mandate, location=draft.location, notes=draft.notes
        )
    )
    if not isinstance(draft.status, OperationStatus):
        raise ValidationError("Choose whether the operation is planned, ongoing or completed.")
    _raise(operation_dates_problem(draft.start, draft.end))


def _raise(problem: str | None) -> None:
    if problem:
        raise ValidationError(problem)
