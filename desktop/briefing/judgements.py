"""Key judgements from the data: one bottom-line sentence per relationship, what needs review, and
which lessons the body prints (the most significant per theme) and where every other one goes.

Plain Python over BriefingContent, so the PDF, the Word file and the tests read the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db import MOTIVE_ORDER, AssessmentRecord, Confidence, LessonRecord
from desktop.briefing.content import BriefingContent, RelationshipSection
from desktop.briefing.text import long_date, plural

CONFIDENCE_SCALE: tuple[tuple[Confidence, str], ...] = (
    (Confidence.LOW, "few or conflicting sources; the judgement could well change with new evidence"),
    (Confidence.MODERATE, "credible sources that mostly agree, with gaps; new evidence may refine it"),
    (Confidence.HIGH, "several independent sources agree; unlikely to change without new events"),
)
SIGNIFICANCE_RULE = (
    "The body prints, for each theme, the most significant lessons: those with the most citations, then "
    "those with a recommendation, then the most recent."
)


def confidence_words(confidence: Confidence) -> str:
    """ "moderate confidence (2 on the scale of 1 to 3)"."""
    step = [c for c, _ in CONFIDENCE_SCALE].index(confidence) + 1
    return f"{confidence.value} confidence ({step} on the scale of 1 to 3)"


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def age_words(months: int) -> str:
    if months < 1:
        return "less than a month"
    years, rest = divmod(months, 12)
    parts = ([plural(years, "year")] if years else []) + ([plural(rest, "month")] if rest else [])
    return " and ".join(parts)


def _phase_level(a: AssessmentRecord) -> float:
    return sum(p.order for p in a.phases) / len(a.phases)


def direction(section: RelationshipSection) -> str:
    """How the phase moved since the previous assessment, in words."""
    a, before = section.assessment, section.previous
    if a is None:
        return ""
    if before is None:
        return "first assessment"
    when = long_date(before.as_of)
    if a.phases == before.phases:
        return f"unchanged since the assessment of {when}"
    if a.is_reversal or _phase_level(a) < _phase_level(before):
        return f"fallen back from {before.phase_label} since {when} (a reversal)"
    return f"advanced from {before.phase_label} since {when}"


def dominant_motives(a: AssessmentRecord) -> str:
    top = max((m.weight for m in a.motives), default=0)
    if top == 0:
        return "no motive is recorded"
    ordered = sorted(a.motives, key=lambda m: MOTIVE_ORDER.index(m.motive))
    names = [m.motive.label.lower() for m in ordered if m.weight == top]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"driven chiefly by {joined} (weight {top} of 3)"


@dataclass(frozen=True)
class Judgement:
    relationship: str
    key: str
    sentence: str
    due: bool
    months: int | None


def judgement(content: BriefingContent, section: RelationshipSection) -> Judgement:
    """The bottom line of one relationship: phase and direction, dominant motives, confidence, age."""
    a = section.assessment
    key = section.state.relationship.key
    if a is None:
        if section.assessment_withheld:
            text = f"the assessment in force is marked above {content.max_marking} and is withheld from this briefing."
        else:
            text = f"not assessed as of {long_date(content.as_of)}; no judgement can be given."
        return Judgement(section.label, key, text, due=not section.assessment_withheld, months=None)
    months = months_between(a.as_of, content.as_of)
    due = months > content.options.review_months
    text = (
        f"{a.phase_label} ({direction(section)}); {dominant_motives(a)}; {confidence_words(a.confidence)}; "
        f"assessed {long_date(a.as_of)}, {age_words(months)} before this briefing's date"
        + (f": due for review (older than {plural(content.options.review_months, 'month')})." if due else ".")
    )
    return Judgement(section.label, key, text, due=due, months=months)


def judgements(content: BriefingContent) -> list[Judgement]:
    return [judgement(content, s) for s in content.sections]


def review_gap(content: BriefingContent) -> str:
    """The distance between the as-of date and the newest assessment included."""
    dates = [s.assessment.as_of for s in content.sections if s.assessment]
    if not dates:
        return "No included relationship has an assessment in force on this date."
    newest = max(dates)
    months = months_between(newest, content.as_of)
    if months < 1:
        return f"The newest assessment dates from {long_date(newest)}, within a month of this briefing's date."
    return (
        f"This briefing describes {long_date(content.as_of)}, but its newest assessment dates from "
        f"{long_date(newest)}: {age_words(months)} earlier. Phases and motives are as last assessed."
    )


# -- which lessons go where ---------------------------------------------------------------------


def significance(lesson: LessonRecord) -> tuple:
    return (len(lesson.citations), bool(lesson.recommendation.strip()), lesson.recorded_on)


@dataclass
class LessonPlan:
    """Where each included lesson is printed in full, exactly once: in the body (the most significant
    per theme, in its first relationship's section) or in the annex. `number[id]` is its annex number."""

    number: dict[str, str]
    in_body: set[str]
    body_picks: dict[tuple[str, str], list[LessonRecord]]  # (relationship key, theme) -> shown in the body
    more: dict[tuple[str, str], int]  # how many lessons of that theme the body does not print
    annex: list[tuple[RelationshipSection, str, list[LessonRecord]]]  # home section, theme, lessons
    home: dict[str, str]  # lesson id -> relationship key of the section that owns it


def plan_lessons(content: BriefingContent) -> LessonPlan:
    """Number every included lesson once (annex order) and choose the body's lessons."""
    per_theme = content.options.per_theme
    home: dict[str, str] = {}
    number: dict[str, str] = {}
    annex: list[tuple[RelationshipSection, str, list[LessonRecord]]] = []
    body_picks: dict[tuple[str, str], list[LessonRecord]] = {}
    more: dict[tuple[str, str], int] = {}
    in_body: set[str] = set()
    count = 0
    for section in content.sections:
        key = section.state.relationship.key
        for theme, lessons in section.lessons_by_theme:
            ranked = sorted(lessons, key=significance, reverse=True)
            picks = ranked[:per_theme]
            body_picks[(key, theme)] = picks
            more[(key, theme)] = len(lessons) - len(picks)
            owned = []
            for lesson in lessons:
                if lesson.id in home:
                    continue
                home[lesson.id] = key
                owned.append(lesson)
            for lesson in picks:
                if home[lesson.id] == key:
                    in_body.add(lesson.id)
            owned.sort(key=significance, reverse=True)
            if owned:
                annex.append((section, theme, owned))
            for lesson in owned:
                count += 1
                number[lesson.id] = f"A.{count}"
    return LessonPlan(number, in_body, body_picks, more, annex, home)
