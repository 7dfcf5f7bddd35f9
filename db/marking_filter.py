"""The store's records as a reader cleared to one marking limit may see them, for the windows that
follow the main window's view ceiling (lessons browser, trash, theme overview, history, reversals,
sources and operations): the same rules as `db.markings.view_as_of`, applied to any list of records.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from db.errors import QuadrangleError
from db.lesson_records import CitedByRecord, ThemeOverview
from db.markings import MarkingScheme, without_citations

if TYPE_CHECKING:
    from db.history_records import ReversalRecord
    from db.lesson_records import LessonRecord
    from db.records import AssessmentRecord
    from db.store import Store

R = TypeVar("R")
WITHHELD = "withheld"  # what a view shows of a version above the limit, instead of its phase


class MarkingFilter:
    """What `store` shows a reader cleared to `limit` (None: everything).

    `limit` is resolved strictly against the store's vocabulary (ValidationError, one line, for
    anything not exactly a level). Each method reads what it needs in its own short read transaction
    and emits nothing. Nothing returned refers to a withheld item: a citation of a withheld source is
    dropped, a count counts only allowed lessons, and a theme only withheld lessons carry is not named.
    """

    def __init__(self, store: Store, limit: str | None, scheme: MarkingScheme | None = None) -> None:
        self.store = store
        self.scheme = scheme or store.catalog.marking_scheme()
        self.limit = self.scheme.resolve_limit(limit)

    @property
    def unlimited(self) -> bool:
        return self.limit is None

    def allows(self, marking: str) -> bool:
        """True when an item marked `marking` may be shown."""
        return self.scheme.allows(marking, self.limit)

    @cached_property
    def withheld_source_ids(self) -> frozenset[str]:
        """The ids of the sources (live or in the trash) marked above the limit."""
        if self.limit is None:
            return frozenset()
        sources = [*self.store.sources.all(), *self.store.sources.all(in_trash=True)]
        return frozenset(s.id for s in sources if not self.allows(s.marking))

    def cleaned(self, record: R) -> R:
        """`record` without its citations of withheld sources (a record without citations as it is)."""
        if self.limit is None or not hasattr(record, "citations"):
            return record
        return without_citations(record, self.withheld_source_ids)[0]

    def kept(self, records: Iterable[R]) -> list[R]:
        """The records (with a `marking`) allowed at the limit, their withheld citations dropped."""
        return [self.cleaned(r) for r in records if self.allows(r.marking)]  # type: ignore[attr-defined]

    def hidden_theme_keys(self) -> frozenset[str]:
        """Themes some withheld lesson (live or in the trash) carries and no allowed one does: their
        names would give the withheld lessons away."""
        if self.limit is None:
            return frozenset()
        lessons = [*self.store.lessons.all(), *self.store.lessons.trashed()]
        withheld = {k for lesson in lessons if not self.allows(lesson.marking) for k in lesson.theme_keys}
        shown = {k for lesson in lessons if self.allows(lesson.marking) for k in lesson.theme_keys}
        return frozenset(withheld - shown)

    def theme_overview(self) -> tuple[ThemeOverview, list[str]]:
        """The theme overview counting only allowed lessons (not in the trash), without the hidden
        themes, and the markings of the lessons it counts (for the window's banner)."""
        overview = self.store.lessons.theme_overview()
        if self.limit is None:
            # The unlimited state is cached: its lesson markings cost nothing at any size.
            return overview, list(self.store.quadrangle.state_as_of(date.today()).lesson_markings)
        lessons: list[LessonRecord] = [lesson for lesson in self.store.lessons.all() if self.allows(lesson.marking)]
        counts: Counter[tuple[str, str]] = Counter()
        totals: Counter[str] = Counter()
        for lesson in lessons:
            for key in lesson.theme_keys:
                totals[key] += 1
                for rel_id in lesson.relationship_ids:
                    counts[(key, rel_id)] += 1
        hidden = self.hidden_theme_keys()
        rows = [(k, n) for k, n in zip(overview.theme_keys, overview.theme_names, strict=True) if k not in hidden]
        limited = ThemeOverview(
            theme_keys=tuple(k for k, _ in rows),
            theme_names=tuple(n for _, n in rows),
            relationship_ids=overview.relationship_ids,
            relationship_labels=overview.relationship_labels,
            counts=dict(counts),
            totals=dict(totals),
        )
        return limited, [lesson.marking for lesson in lessons if lesson.theme_keys]

    # -- the sources and operations windows ------------------------------------------------------

    @cached_property
    def _allowed_lessons(self) -> list[LessonRecord]:
        return [lesson for lesson in self.store.lessons.all() if self.allows(lesson.marking)]

    def lesson_counts_by_operation(self) -> dict[str, int]:
        """Allowed lessons (not in the trash) per operation id."""
        if self.limit is None:
            return self.store.operations.lesson_counts()
        return dict(Counter(lesson.operation_id for lesson in self._allowed_lessons if lesson.operation_id))

    def latest_lesson_days(self) -> dict[str, date]:
        """The newest allowed lesson's date per operation id (what confirms an operation still runs)."""
        if self.limit is None:
            return self.store.operations.latest_lesson_days()
        newest: dict[str, date] = {}
        for lesson in self._allowed_lessons:
            if lesson.operation_id and lesson.recorded_on > newest.get(lesson.operation_id, date.min):
                newest[lesson.operation_id] = lesson.recorded_on
        return newest

    def _allowed_version_ids(self, owner_ids: set[str]) -> set[str]:
        allowed = set()
        for owner_id in owner_ids:
            try:
                if self.allows(self.store.assessments.get(owner_id).marking):
                    allowed.add(owner_id)
            except QuadrangleError:
                continue
        return allowed

    def cited_by(self, source_id: str) -> list[CitedByRecord]:
        """What cites the source, without the withheld lessons and assessment versions (their labels
        carry their text and dates)."""
        entries = self.store.sources.cited_by(source_id)
        if self.limit is None:
            return entries
        lessons = {e.owner_id for e in entries if e.owner_kind == "lesson"}
        allowed = {i for i in lessons if self.allows(self._lesson_marking(i))}
        allowed |= self._allowed_version_ids({e.owner_id for e in entries if e.owner_kind == "assessment"})
        return [e for e in entries if e.owner_kind == "milestone" or e.owner_id in allowed]

    def _lesson_marking(self, lesson_id: str) -> str:
        try:
            return self.store.lessons.get(lesson_id).marking
        except QuadrangleError:
            return self.scheme.levels[-1] if self.scheme.levels else ""

    def citation_counts(self) -> dict[str, int]:
        """How many allowed items' citations each source has (by source id)."""
        if self.limit is None:
            return self.store.sources.citation_counts()
        counts: Counter[str] = Counter()
        lessons = [*self.store.lessons.all(), *self.store.lessons.trashed()]
        owners: list = [lesson for lesson in lessons if self.allows(lesson.marking)]
        owners += self.store.catalog.milestones()
        for rel in self.store.quadrangle.relationships():
            owners += [v for v in self.store.assessments.history(rel.id) if self.allows(v.marking)]
        for owner in owners:
            counts.update(c.source_id for c in self.cleaned(owner).citations)
        return dict(counts)

    def operation_lesson_markings(self) -> list[str]:
        """The markings of the lessons the operation counts include (without a limit, those of every
        live lesson: an overstatement never understates what a window shows)."""
        if self.limit is None:
            return list(self.store.quadrangle.state_as_of(date.today()).lesson_markings)
        return [lesson.marking for lesson in self._allowed_lessons if lesson.operation_id]

    # -- history and reversals -------------------------------------------------------------------

    def history(self, relationship_id: str) -> tuple[list[AssessmentRecord], frozenset[str]]:
        """Every version of the relationship, oldest first (allowed ones without their withheld
        citations), and the ids of the versions above the limit: a view lists those by date as
        "withheld" and shows nothing else of them."""
        versions = sorted(self.store.assessments.history(relationship_id), key=lambda v: (v.as_of, v.recorded_at))
        withheld = frozenset(v.id for v in versions if not self.allows(v.marking))
        return [v if v.id in withheld else self.cleaned(v) for v in versions], withheld

    def reversals(self) -> list[ReversalRecord]:
        """The reversals allowed at the limit, their withheld citations dropped; the phase one moved
        from reads "withheld" when the version before it is above the limit."""
        rows = self.store.history.reversals()
        if self.limit is None:
            return rows
        kept = []
        histories: dict[str, list[AssessmentRecord]] = {}
        for row in rows:
            if not self.allows(row.version.marking):
                continue
            if row.relationship_id not in histories:
                histories[row.relationship_id] = self.history(row.relationship_id)[0]
            key = (row.version.as_of, row.version.recorded_at)
            earlier = [v for v in histories[row.relationship_id] if (v.as_of, v.recorded_at) < key]
            previous = row.previous_phase_label
            if earlier and not self.allows(earlier[-1].marking):
                previous = WITHHELD
            kept.append(dataclasses.replace(row, version=self.cleaned(row.version), previous_phase_label=previous))
        return kept
