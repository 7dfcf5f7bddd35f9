"""What a briefing contains: the store's data as of a date, filtered by relationship and marking.

Plain Python (no Qt), so the export dialog's preview, the PDF painter and the tests read the same
selection. Everything comes from `Store.state_as_of` and the store's public reads.
"""

from __future__ import annotations

import dataclasses
import getpass
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from db import (
    MOTIVE_ORDER,
    AssessmentRecord,
    ComparisonRow,
    CooperationRecord,
    LessonKind,
    LessonRecord,
    MilestoneRecord,
    OperationRecord,
    QuadrangleState,
    RelationshipState,
    SourceRecord,
    ValidationError,
)
from desktop.briefing.reading import lessons_up_to

if TYPE_CHECKING:
    from db import Store

PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class BriefingOptions:
    """What the analyst asked for; every field has the command line's default."""

    as_of: date | None = None
    since: date | None = None
    marking: str | None = None
    relationships: tuple[str, ...] = ()
    max_marking: str | None = None
    paper: str = "a4"
    analyst: str = ""
    title: str | None = None
    review_months: int = 12  # an assessment older than this is "due for review"
    annex: bool = True  # every lesson not printed in the body, in full, in Annex A
    per_theme: int = 3  # the most significant lessons per theme printed in the body


@dataclass(frozen=True)
class RelationshipSection:
    state: RelationshipState
    assessment: AssessmentRecord | None
    assessment_withheld: bool
    milestones: tuple[MilestoneRecord, ...]
    cooperation: tuple[CooperationRecord, ...]
    lessons_by_theme: tuple[tuple[str, tuple[LessonRecord, ...]], ...]
    previous: AssessmentRecord | None = None  # the version before the one in force (same marking limit)

    @property
    def label(self) -> str:
        return self.state.relationship.label

    @property
    def lesson_count(self) -> int:
        return sum(len(lessons) for _, lessons in self.lessons_by_theme)


@dataclass(frozen=True)
class CrossCuttingTheme:
    name: str
    relationships: tuple[str, ...]
    challenges: int
    successes: int
    recommendations: tuple[tuple[str, str], ...]  # (relationship labels, recommendation)


@dataclass(frozen=True)
class PhaseMove:
    relationship: str
    when: date
    before: str
    after: str
    is_reversal: bool


@dataclass(frozen=True)
class Changes:
    since: date
    phase_moves: tuple[PhaseMove, ...]
    new_lessons: tuple[tuple[str, LessonRecord], ...]  # (relationship labels, lesson)
    new_operations: tuple[OperationRecord, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.phase_moves or self.new_lessons or self.new_operations)


@dataclass(frozen=True)
class BriefingContent:
    """Everything one briefing shows, already filtered; the painter only lays it out."""

    options: BriefingOptions
    title: str
    as_of: date
    produced: datetime
    analyst: str
    marking: str
    state: QuadrangleState
    rows: tuple[ComparisonRow, ...]
    sections: tuple[RelationshipSection, ...]
    cross_cutting: tuple[CrossCuttingTheme, ...]
    changes: Changes | None
    sources: tuple[SourceRecord, ...]
    theme_names: dict[str, str]
    left_out: dict[str, int] = field(default_factory=dict)
    max_marking: str | None = None

    @property
    def left_out_total(self) -> int:
        return sum(self.left_out.values())

    def phase_counts(self) -> list[tuple[str, int]]:
        """How many relationships stand in each phase (a transition counts under its own label)."""
        counts = Counter(s.assessment.phase_label for s in self.sections if s.assessment is not None)
        order = {label: i for i, label in enumerate(_phase_label_order())}
        return sorted(counts.items(), key=lambda item: (order.get(item[0], 99), item[0]))

    def recurring_motives(self) -> list[tuple[str, int]]:
        """Motives present in two or more included relationships, most frequent first."""
        counts = Counter(m for s in self.sections if s.assessment for m in s.assessment.present_motives)
        return [
            (m.label, n)
            for m, n in sorted(counts.items(), key=lambda kv: (-kv[1], MOTIVE_ORDER.index(kv[0])))
            if n >= 2
        ]

    @property
    def assessed_count(self) -> int:
        return sum(1 for s in self.sections if s.assessment is not None)


def _phase_label_order() -> list[str]:
    from db import PHASE_ORDER

    labels = []
    for i, phase in enumerate(PHASE_ORDER):
        labels.append(phase.label)
        if i + 1 < len(PHASE_ORDER):
            labels.append(f"{phase.label}/{PHASE_ORDER[i + 1].value}")
    return labels


def partial_day(text: str) -> date:
    """The first day a partial ISO date ("2003", "2003-06") can mean."""
    parts = [int(p) for p in text.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


class MarkingScale:
    """Ranks markings by the store's list; an unknown marking on a record ranks above everything."""

    def __init__(self, store: Store) -> None:
        self.ranked = store.catalog.markings()
        self._rank = {m.name.upper(): m.rank for m in self.ranked}
        self._top = max(self._rank.values(), default=0) + 1

    def rank(self, name: str) -> int:
        return self._rank.get(name.strip().upper(), self._top)

    def known(self, name: str) -> bool:
        return name.strip().upper() in self._rank

    def lowest(self) -> str:
        return self.ranked[0].name if self.ranked else "UNCLASSIFIED"

    def name_of(self, text: str) -> str:
        return next((m.name for m in self.ranked if m.name.upper() == text.strip().upper()), text.strip())


def check_options(store: Store, options: BriefingOptions) -> BriefingOptions:
    """Raise ValidationError for a paper, marking or date the briefing cannot honour; return the
    options with both markings resolved to exact vocabulary entries (db.markings: an invisible
    character, a look-alike letter or extra text is refused, never printed as a banner)."""
    scheme = store.catalog.marking_scheme()
    if options.paper not in PAPERS:
        raise ValidationError(f"Unknown paper '{options.paper}': choose a4 or letter.")
    if options.marking is not None and not options.marking.strip():
        raise ValidationError("The marking text is empty: give one, or leave it out to use the highest included.")
    options = dataclasses.replace(
        options,
        max_marking=scheme.resolve_limit(options.max_marking),
        marking=scheme.resolve(options.marking) if options.marking is not None else None,
    )
    as_of = options.as_of or date.today()
    if not 1 <= options.review_months <= 600:
        raise ValidationError(f"--review-months {options.review_months} is not between 1 and 600.")
    if options.per_theme < 1:
        raise ValidationError("At least one lesson per theme must be printed in the body.")
    if options.since is not None and options.since >= as_of:
        raise ValidationError(f"--since {options.since.isoformat()} is not before the as-of date {as_of.isoformat()}.")
    return options


def selected_state(
    store: Store, options: BriefingOptions, lessons: list[LessonRecord] | None = None
) -> tuple[QuadrangleState, int]:
    """The state as of the date, reduced to the chosen relationships, with assessments above the
    maximum marking withheld. Returns it and the number of withheld assessments. Cheap enough for
    the interface thread (the diagram is drawn from it there). `lessons`: the lessons up to the date,
    when the caller has read them already."""
    scale = MarkingScale(store)
    state = store.quadrangle.state_as_of(options.as_of or date.today())
    wanted = _wanted_ids(store, options)
    limit = scale.rank(options.max_marking) if options.max_marking else None
    withheld = 0
    hidden_lessons: Counter[str] = Counter()
    if limit is not None:  # the diagram's lesson counts must not count what the briefing leaves out
        for lesson in lessons if lessons is not None else lessons_up_to(store, state.as_of):
            if lesson.recorded_on <= state.as_of and scale.rank(lesson.marking) > limit:
                hidden_lessons.update(lesson.relationship_ids)
    kept = []
    for rel_state in state.relationships:
        if wanted is not None and rel_state.relationship.id not in wanted:
            continue
        if limit is not None and rel_state.assessment is not None and scale.rank(rel_state.assessment.marking) > limit:
            rel_state = dataclasses.replace(rel_state, assessment=None)
            withheld += 1
        if hidden_lessons[rel_state.relationship.id]:
            rel_state = dataclasses.replace(
                rel_state, lesson_count=rel_state.lesson_count - hidden_lessons[rel_state.relationship.id]
            )
        kept.append(rel_state)
    return dataclasses.replace(state, relationships=tuple(kept)), withheld


def _wanted_ids(store: Store, options: BriefingOptions) -> list[str] | None:
    if not options.relationships:
        return None
    ids = []
    for key in options.relationships:
        record = store.quadrangle.find_relationship(key)
        if record.id not in ids:
            ids.append(record.id)
    return ids


def gather(store: Store, options: BriefingOptions, *, cancelled: Callable[[], bool] = lambda: False) -> BriefingContent:
    """Read and filter everything the briefing shows (a handful of read transactions).

    Raises ValidationError for options it cannot honour (unknown relationship or marking, a
    `--marking` lower than an included item's).
    """
    options = check_options(store, options)
    scale = MarkingScale(store)
    as_of = options.as_of or date.today()
    limit = scale.rank(options.max_marking) if options.max_marking else None

    def allowed(marking: str) -> bool:
        return limit is None or scale.rank(marking) <= limit

    # A withheld source leaks by reference too ("Sources: Secretauthor (2020: 44)"): every citation of
    # one is dropped from what is printed, and counted among what was left out (issue 17).
    every_source = store.sources.all()
    blocked = {source.id for source in every_source if not allowed(source.marking)}
    dropped_citations = 0

    def kept(citations):
        nonlocal dropped_citations
        keep = tuple(c for c in citations if c.source_id not in blocked)
        dropped_citations += len(citations) - len(keep)
        return keep

    every_lesson = lessons_up_to(store, as_of)
    state, withheld_assessments = selected_state(store, options, every_lesson)
    labels = {s.relationship.id: s.relationship.label for s in state.relationships}
    themes = store.catalog.themes()
    theme_names = {t.key: t.name for t in themes}
    theme_order = {t.key: t.position for t in themes}

    rows_by_id = {row.relationship_id: row for row in store.quadrangle.comparison_table(as_of)}
    rows = []
    for rel_state in state.relationships:
        row = rows_by_id[rel_state.relationship.id]
        if rel_state.assessment is None and row.last_assessed is not None:
            row = dataclasses.replace(
                row, phases=(), phase_label="withheld", motives=(), last_assessed=None, confidence=""
            )
        rows.append(row)

    left_out: Counter[str] = Counter()
    if withheld_assessments:
        left_out["assessments"] = withheld_assessments

    lessons_by_rel: dict[str, list[LessonRecord]] = defaultdict(list)
    included_lessons: list[LessonRecord] = []
    for lesson in every_lesson:
        if cancelled():
            raise BriefingCancelledError()
        if lesson.recorded_on > as_of or not any(r in labels for r in lesson.relationship_ids):
            continue
        if not allowed(lesson.marking):
            left_out["lessons"] += 1
            continue
        if blocked:
            lesson = dataclasses.replace(lesson, citations=kept(lesson.citations))
        included_lessons.append(lesson)
        for rel_id in lesson.relationship_ids:
            if rel_id in labels:
                lessons_by_rel[rel_id].append(lesson)

    milestones_by_rel: dict[str, list[MilestoneRecord]] = defaultdict(list)
    for milestone in store.catalog.milestones():
        if milestone.relationship_id in labels and partial_day(milestone.date) <= as_of:
            if blocked:
                milestone = dataclasses.replace(milestone, citations=kept(milestone.citations))
            milestones_by_rel[milestone.relationship_id].append(milestone)

    in_force = {r.relationship.id: r.assessment for r in state.relationships if r.assessment is not None}
    previous_of = store.assessments.previous_versions(in_force, allowed)
    sections = []
    for rel_state in state.relationships:
        rel_id = rel_state.relationship.id
        grouped: dict[str, list[LessonRecord]] = defaultdict(list)
        for lesson in lessons_by_rel.get(rel_id, ()):
            grouped[lesson.theme_keys[0] if lesson.theme_keys else ""].append(lesson)
        by_theme = tuple(
            (theme_names.get(key, "Other lessons") if key else "Other lessons", tuple(items))
            for key, items in sorted(grouped.items(), key=lambda kv: (theme_order.get(kv[0], 10_000), kv[0]))
        )
        original = rows_by_id[rel_id].last_assessed is not None and rel_state.assessment is None
        previous = previous_of.get(rel_id)
        assessment = rel_state.assessment
        if assessment is not None and blocked:
            assessment = dataclasses.replace(assessment, citations=kept(assessment.citations))
        sections.append(
            RelationshipSection(
                state=rel_state,
                assessment=assessment,
                assessment_withheld=original,
                milestones=tuple(milestones_by_rel.get(rel_id, ())),
                cooperation=rel_state.cooperation,
                lessons_by_theme=by_theme,
                previous=previous,
            )
        )

    if dropped_citations:
        left_out["citations"] = dropped_citations
    cross = _cross_cutting(included_lessons, labels, theme_names, theme_order)
    changes = _changes(store, options, state, labels, included_lessons, allowed, as_of) if options.since else None

    # The bibliography: every source cited by something included, unless it is itself above the limit.
    cited: set[str] = set()
    for section in sections:
        if section.assessment:
            cited.update(c.source_id for c in section.assessment.citations)
        for milestone in section.milestones:
            cited.update(c.source_id for c in milestone.citations)
    for lesson in included_lessons:
        cited.update(c.source_id for c in lesson.citations)
    sources = []
    for source in every_source:
        if source.id not in cited:
            continue
        if not allowed(source.marking):
            left_out["sources"] += 1
            continue
        sources.append(source)
    sources.sort(key=lambda s: (s.authors.casefold(), s.year, s.title.casefold()))

    included_markings = [s.assessment.marking for s in sections if s.assessment]
    included_markings += [lesson.marking for lesson in included_lessons]
    included_markings += [s.marking for s in sources]
    highest = max(included_markings, key=scale.rank, default=scale.lowest())
    highest = scale.name_of(highest)
    marking = highest
    if options.marking:
        requested = options.marking.strip()
        if scale.known(requested) and scale.rank(requested) < scale.rank(highest):
            raise ValidationError(
                f"The marking {scale.name_of(requested)} is lower than the included material ({highest}): "
                f"raise it or lower --max-marking."
            )
        marking = scale.name_of(requested)

    return BriefingContent(
        options=options,
        title=options.title or "Inter-organizational security cooperation",
        as_of=as_of,
        produced=datetime.now().astimezone(),
        analyst=options.analyst or store.actor or getpass.getuser(),
        marking=marking,
        state=state,
        rows=tuple(rows),
        sections=tuple(sections),
        cross_cutting=cross,
        changes=changes,
        sources=tuple(sources),
        theme_names=theme_names,
        left_out=dict(left_out),
        max_marking=scale.name_of(options.max_marking) if options.max_marking else None,
    )


class BriefingCancelledError(Exception):
    """The analyst cancelled the export; nothing was written."""


def _cross_cutting(lessons, labels, theme_names, theme_order) -> tuple[CrossCuttingTheme, ...]:
    """Themes whose lessons come from two or more of the included relationships."""
    by_theme: dict[str, list[LessonRecord]] = defaultdict(list)
    for lesson in lessons:
        for key in lesson.theme_keys:
            by_theme[key].append(lesson)
    result = []
    for key, items in sorted(by_theme.items(), key=lambda kv: (theme_order.get(kv[0], 10_000), kv[0])):
        rels = [label for rel_id, label in labels.items() if any(rel_id in lesson.relationship_ids for lesson in items)]
        if len(rels) < 2:
            continue
        picks = []
        seen_rels = set()
        for lesson in items:  # one recommendation per relationship, at most four
            first = next((labels[r] for r in lesson.relationship_ids if r in labels), "")
            if first in seen_rels or not lesson.recommendation.strip():
                continue
            seen_rels.add(first)
            picks.append((", ".join(labels[r] for r in lesson.relationship_ids if r in labels), lesson.recommendation))
            if len(picks) == 4:
                break
        result.append(
            CrossCuttingTheme(
                name=theme_names.get(key, key),
                relationships=tuple(rels),
                challenges=sum(1 for lesson in items if lesson.kind == LessonKind.CHALLENGE),
                successes=sum(1 for lesson in items if lesson.kind == LessonKind.SUCCESS),
                recommendations=tuple(picks),
            )
        )
    return tuple(result)


def _changes(store, options, state, labels, lessons, allowed, as_of) -> Changes:
    """What happened after `since` up to the as-of date: phase moves, new lessons, new operations."""
    since = options.since
    moves = []
    histories = store.assessments.histories(labels)
    for rel_state in state.relationships:
        previous = None
        for version in histories.get(rel_state.relationship.id, ()):
            if version.as_of > as_of or not allowed(version.marking):
                continue
            if version.as_of > since and (previous is None or version.phases != previous.phases):
                moves.append(
                    PhaseMove(
                        relationship=rel_state.relationship.label,
                        when=version.as_of,
                        before=previous.phase_label if previous else "not assessed",
                        after=version.phase_label,
                        is_reversal=version.is_reversal,
                    )
                )
            previous = version
    moves.sort(key=lambda m: (m.when, m.relationship))
    new_lessons = tuple(
        (", ".join(labels[r] for r in lesson.relationship_ids if r in labels), lesson)
        for lesson in lessons
        if since < lesson.recorded_on <= as_of
    )
    pairs = [set(s.relationship.codes) for s in state.relationships]
    new_operations = tuple(
        op
        for op in store.operations.all()
        if op.start
        and since < partial_day(op.start) <= as_of
        and any(pair <= set(op.organization_codes) for pair in pairs)
    )
    return Changes(since=since, phase_moves=tuple(moves), new_lessons=new_lessons, new_operations=new_operations)
