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
        return self.store.sources.ids_above(self.limit)

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
        uses = self.store.catalog.theme_markings()
        return frozenset(key for key, markings in uses.items() if not any(self.allows(m) for m in markings))

    def theme_overview(self, known_markings: Iterable[str] | None = None) -> tuple[ThemeOverview, list[str]]:
        """The theme overview counting only allowed lessons (not in the trash), without the hidden
        themes, and the markings of the lessons it counts (for the window's banner). Grouped reads:
        the kept counts less the withheld lessons, or the allowed ones counted afresh, whichever
        side holds fewer lessons. `known_markings`: the live lessons' markings when the caller
        already holds them (the main window's state as of today), to spare a scan without a limit."""
        overview = self.store.lessons.theme_overview()
        if self.limit is None:
            return overview, list(known_markings) if known_markings is not None else self._every_lesson_marking()
        per_marking = self.store.catalog.lesson_marking_counts()
        shown = sorted((m for m in per_marking if self.allows(m)), key=self.scheme.rank)
        withheld = [m for m in per_marking if not self.allows(m)]
        counts: Counter[tuple[str, str]] = Counter()
        totals: Counter[str] = Counter()
        if sum(per_marking[m] for m in withheld) <= sum(per_marking[m] for m in shown):
            counts.update(overview.counts)
            totals.update(overview.totals)
            sign, markings = -1, withheld
        else:
            sign, markings = 1, shown
        for (key, rel_id, _marking), n in self.store.catalog.theme_counts_by_marking(markings).items():
            if rel_id:
                counts[(key, rel_id)] += sign * n
            else:
                totals[key] += sign * n
        hidden = self.hidden_theme_keys()
        rows = [(k, n) for k, n in zip(overview.theme_keys, overview.theme_names, strict=True) if k not in hidden]
        limited = ThemeOverview(
            theme_keys=tuple(k for k, _ in rows),
            theme_names=tuple(n for _, n in rows),
            relationship_ids=overview.relationship_ids,
            relationship_labels=overview.relationship_labels,
            counts={k: n for k, n in counts.items() if n > 0},
            totals={k: n for k, n in totals.items() if n > 0},
        )
        return limited, shown

    # -- the sources and operations windows ------------------------------------------------------

    def lesson_counts_by_operation(self) -> dict[str, int]:
        """Allowed lessons (not in the trash) per operation id. One grouped read."""
        return self.store.operations.lesson_counts(max_marking=self.limit)

    def latest_lesson_days(self) -> dict[str, date]:
        """The newest allowed lesson's date per operation id (what confirms an operation still runs)."""
        return self.store.operations.latest_lesson_days(max_marking=self.limit)

    def _allowed_version_ids(self, owner_ids: set[str]) -> set[str]:
        allowed = set()
        for owner_id in owner_ids:
            try:
                if self.allows(self.store.assessments.get(owner_id).marking):
                    allowed.add(owner_id)
            except QuadrangleError:
                continue
        return allowed

    def withheld_entities(self, pairs: Iterable[tuple[str, str | None]]) -> frozenset[str]:
        """Of (entity kind, id) pairs as the audit log names them, the ids of lessons, sources and
        assessment versions marked above the limit (a purged one counts as withheld: its marking is
        no longer known). Read one entity at a time: an audit page names at most a few hundred."""
        if self.limit is None:
            return frozenset()
        readers = {
            "lesson": lambda i: self.store.lessons.get(i).marking,
            "source": lambda i: self.store.sources.get(i).marking,
            "assessment": lambda i: self.store.assessments.get(i).marking,
            "assessment_version": lambda i: self.store.assessments.get(i).marking,
        }
        withheld = set()
        for kind, entity_id in set(pairs):
            read = readers.get(kind)
            if read is None or entity_id is None:
                continue
            try:
                marking = read(entity_id)
            except QuadrangleError:
                marking = self.scheme.levels[-1] if self.scheme.levels else ""
            if not self.allows(marking):
                withheld.add(entity_id)
        return frozenset(withheld)

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
        """How many allowed items' citations each source has (by source id). One grouped read."""
        return self.store.sources.citation_counts(max_marking=self.limit)

    def operation_lesson_markings(self, known_markings: Iterable[str] | None = None) -> list[str]:
        """The markings of the lessons the operation counts may include: those of every allowed live
        lesson (an overstatement never understates what a window shows). One grouped read."""
        if self.limit is None:
            return list(known_markings) if known_markings is not None else self._every_lesson_marking()
        return [m for m in self.store.catalog.lesson_marking_counts() if self.allows(m)]

    def _every_lesson_marking(self) -> list[str]:
        # One grouped read of the lessons (about 0.5 s at 100,000 lessons: no index holds the marking).
        return list(self.store.catalog.lesson_marking_counts())

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
