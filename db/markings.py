"""Classification markings: the ordered vocabulary, reading a marking someone typed, the marking an
output must carry, and the one view of the quadrangle as a reader cleared to a limit may see it.

A marking promises the reader two things: nothing in the output is above it, and nothing above the
chosen limit is in it, not even by reference (a citation, a count, a name only a withheld item
carries). Every export and the window take their content from `view_as_of` (or, for the state
alone, `store.quadrangle.state_as_of(..., max_marking=...)`, which applies the same rules), so they
all leave out the same things.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from db.errors import ValidationError
from db.vocabulary import DEFAULT_MARKINGS

if TYPE_CHECKING:
    from db.history_records import MilestoneRecord
    from db.lesson_records import LessonRecord, SourceRecord
    from db.records import QuadrangleState
    from db.store import Store

MAX_MARKING_NAME = 60
MAX_CAVEATS = 200
MAX_HANDLING = 200
# Characters that change nothing a reader sees (format, control, private use, unassigned, line and
# paragraph separators): a marking carrying one looks like another marking and is not one.
_INVISIBLE = frozenset({"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"})


class _Marked(Protocol):
    @property
    def marking(self) -> str: ...


M = TypeVar("M", bound=_Marked)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def resolve_marking(text: str, vocabulary: Sequence[str], *, what: str = "marking") -> str:
    """The vocabulary entry `text` names, spelled as the vocabulary spells it.

    Accepted only when, after NFKC normalisation and trimming the ends, `text` equals one entry
    ignoring case. Refused with a one-line ValidationError: any invisible or format character
    (U+200B, U+2060, U+FEFF...), a non-ASCII letter where the entry is ASCII (a Cyrillic "С" in
    "SECRET"), and anything more or less than an entry ("UNCLASSIFIED//PUBLIC RELEASE").
    """
    choices = ", ".join(vocabulary)
    raw = str(text)
    for char in raw:
        if unicodedata.category(char) in _INVISIBLE:
            raise ValidationError(
                f"The {what} '{raw.encode('unicode_escape').decode('ascii')}' contains an invisible character "
                f"({_describe(char)}): type one of {choices}."
            )
    normal = unicodedata.normalize("NFKC", raw).strip()
    folded = normal.casefold()
    for entry in vocabulary:
        if unicodedata.normalize("NFKC", entry).casefold() != folded:
            continue
        if entry.isascii() and not normal.isascii():
            odd = next(c for c in normal if not c.isascii())
            raise ValidationError(f"The {what} '{normal}' has a look-alike letter ({_describe(odd)}): type {entry}.")
        return entry
    for entry in vocabulary:
        if entry.isascii() and _looks_like(folded, entry.casefold()):
            odd = next(c for c in normal if not c.isascii())
            raise ValidationError(f"The {what} '{normal}' has a look-alike letter ({_describe(odd)}): type {entry}.")
    raise ValidationError(f"'{normal}' is not a {what} of this database: type exactly one of {choices}.")


# Cyrillic and Greek letters drawn like Latin ones (capital and small), by the Latin letter they pass for.
_HOMOGLYPHS = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ",
    "ABESIJKMHOPCTXYaeopcyxijsdqwABEZHIKMNOPTYXoikvptux",
)


def marking_skeleton(name: str) -> str:
    """What `name` looks like on a banner: NFKC, case folded, look-alike letters read as the Latin
    ones they pass for. Two markings with one skeleton cannot be told apart by a reader."""
    return unicodedata.normalize("NFKC", name).translate(_HOMOGLYPHS).casefold()


def mixed_scripts(name: str) -> tuple[str, str] | None:
    """The first two scripts whose letters `name` mixes ("LATIN", "CYRILLIC"), or None: a marking
    written in one script (NATO SECRET, СЕКРЕТНО) is fine, one mixing them is a look-alike."""
    scripts: list[str] = []
    for char in name:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split(" ")[0]
            if script not in scripts:
                scripts.append(script)
            if len(scripts) > 1:
                return scripts[0], scripts[1]
    return None


def _looks_like(text: str, entry: str) -> bool:
    """True when `text` is `entry` with some letters swapped for non-ASCII ones (only to word the
    refusal: anything that is not an entry is refused either way)."""
    return (
        len(text) == len(entry)
        and not text.isascii()
        and all(a == b or not a.isascii() for a, b in zip(text, entry, strict=True))
    )


@dataclass(frozen=True)
class MarkingScheme:
    """The ordered marking vocabulary (lowest first) with the optional caveats and handling statement
    printed after the level on every banner ("NATO SECRET//REL TO NATO/EU")."""

    levels: tuple[str, ...] = tuple(name for name, _ in DEFAULT_MARKINGS)
    caveats: str = ""
    handling: str = ""

    @property
    def lowest(self) -> str:
        return self.levels[0] if self.levels else "UNCLASSIFIED"

    def rank(self, marking: str) -> int:
        """The position of `marking` (an exact vocabulary name); anything unknown ranks above all."""
        try:
            return self.levels.index(marking)
        except ValueError:
            return len(self.levels)

    def resolve(self, text: str, *, what: str = "marking") -> str:
        """`resolve_marking` against this vocabulary."""
        return resolve_marking(text, self.levels, what=what)

    def resolve_limit(self, text: str | None) -> str | None:
        """A `--max-marking` value resolved (None stays None: no limit)."""
        return None if text is None else self.resolve(text, what="limit")

    def allows(self, marking: str, limit: str | None) -> bool:
        """True when an item marked `marking` may appear in an output limited to `limit` (None: any)."""
        return limit is None or self.rank(marking) <= self.rank(limit)

    def allowed_levels(self, limit: str | None) -> tuple[str, ...]:
        """The levels at or below `limit` (every level when None)."""
        return self.levels if limit is None else tuple(m for m in self.levels if self.allows(m, limit))

    def highest(self, markings: Iterable[str]) -> str:
        """The highest of `markings`; the lowest level when there is none."""
        return max(markings, key=self.rank, default=self.lowest)

    def banner(self, level: str) -> str:
        """What a banner line reads: the level, then the caveats and the handling statement."""
        return "//".join(part for part in (level, self.caveats, self.handling) if part)

    def output_marking(self, contained: Iterable[str], requested: str | None = None) -> str:
        """See `output_marking`."""
        highest = self.highest(contained)
        if requested is None or not str(requested).strip():
            return highest
        wanted = self.resolve(requested)
        if self.rank(wanted) < self.rank(highest):
            raise ValidationError(
                f"The marking {wanted} is lower than the material included ({highest}): raise it or lower the limit."
            )
        return wanted


def output_marking(contained: Iterable[str], requested: str | None = None, scheme: MarkingScheme | None = None) -> str:
    """The marking an output carries: the highest marking it contains. `requested` (typed by the
    user) may raise it to a higher vocabulary level, never lower it: ValidationError (one line) for a
    lower or unknown value, and the caller writes nothing."""
    return (scheme or MarkingScheme()).output_marking(contained, requested)


@dataclass(frozen=True)
class Withheld(Generic[M]):
    """What `withhold` keeps, and how many it left out."""

    kept: tuple[M, ...]
    count: int


def withhold(records: Iterable[M], limit: str | None, scheme: MarkingScheme) -> Withheld[M]:
    """Split records that carry a `marking` into those allowed at `limit` and the count of the others."""
    kept, count = [], 0
    for record in records:
        if scheme.allows(record.marking, limit):
            kept.append(record)
        else:
            count += 1
    return Withheld(tuple(kept), count)


def without_citations(record, blocked_source_ids: frozenset[str] | set[str]):
    """`record` (anything with `citations`) without its citations of `blocked_source_ids`, and how many
    were dropped."""
    kept = tuple(c for c in record.citations if c.source_id not in blocked_source_ids)
    dropped = len(record.citations) - len(kept)
    return (dataclasses.replace(record, citations=kept) if dropped else record), dropped


@dataclass(frozen=True)
class MarkedView:
    """The quadrangle as of a date as a reader cleared to `limit` sees it. Every field already obeys
    the limit; nothing in it refers to a withheld item.

    - `state`: per relationship the newest assessment version on or before the date at or below the
      limit (`RelationshipState.assessment_withheld` when the one in force was above it; the
      assessment is None and views say "withheld" when no lower version exists), lesson counts and
      evidence dates of allowed lessons only, citations of withheld sources dropped.
    - `lessons`: live lessons recorded on or before the date, at or below the limit, oldest first,
      their citations of withheld sources dropped.
    - `sources`: live sources at or below the limit (cited or not), by authors.
    - `milestones`: milestones dated on or before the date, citations of withheld sources dropped.
    - `left_out`: what was withheld, by kind: "assessments" (relationships whose version in force
      was above the limit), "lessons", "sources", "citations" (dropped from what was kept).
    - `themes_in_use`: theme keys carried by the kept lessons (a theme only withheld lessons carry
      must not be named).
    """

    as_of: date
    limit: str | None
    scheme: MarkingScheme
    state: QuadrangleState
    lessons: tuple[LessonRecord, ...]
    sources: tuple[SourceRecord, ...]
    milestones: tuple[MilestoneRecord, ...]
    left_out: dict[str, int] = field(default_factory=dict)
    # Citations dropped, by the kind of item that kept them: "assessments", "lessons", "milestones".
    dropped_citations: dict[str, int] = field(default_factory=dict)

    @property
    def themes_in_use(self) -> frozenset[str]:
        return frozenset(k for lesson in self.lessons for k in lesson.theme_keys)

    @property
    def left_out_total(self) -> int:
        return sum(n for kind, n in self.left_out.items() if kind != "citations")

    def assessment_markings(self) -> list[str]:
        return [r.assessment.marking for r in self.state.relationships if r.assessment is not None]

    def cited_source_markings(self, owners: Iterable) -> list[str]:
        """Markings of the sources cited by `owners` (records with `citations`)."""
        by_id = {s.id: s.marking for s in self.sources}
        return [by_id[c.source_id] for o in owners for c in o.citations if c.source_id in by_id]

    def marking(self) -> str:
        """The highest marking among everything in the view."""
        assessments = [r.assessment for r in self.state.relationships if r.assessment is not None]
        contained = [a.marking for a in assessments] + [lesson.marking for lesson in self.lessons]
        contained += self.cited_source_markings([*assessments, *self.lessons, *self.milestones])
        return self.scheme.highest(contained)

    def left_out_note(self, kinds: Iterable[str] | None = None) -> str:
        """ "3 lessons, 1 source, 2 citations above RESTRICTED left out", or "" when nothing was.
        `kinds` narrows it to what one output could have held: item kinds ("assessments", "lessons",
        "sources") and the kinds whose dropped citations count (None: everything)."""
        wanted = set(kinds) if kinds is not None else {"assessments", "lessons", "sources", "milestones"}
        parts = [
            f"{n} {kind if n != 1 else kind.rstrip('s')}"
            for kind, n in self.left_out.items()
            if n and kind != "citations" and kind in wanted
        ]
        n = sum(count for kind, count in self.dropped_citations.items() if kind in wanted)
        if n:
            parts.append(f"{n} citation{'s' if n != 1 else ''}")
        return f"{', '.join(parts)} above {self.limit} left out" if parts and self.limit else ""


def view_as_of(store: Store, as_of: date | None = None, max_marking: str | None = None) -> MarkedView:
    """THE filter every output applies: the quadrangle as of `as_of` (default today) as a reader
    cleared to `max_marking` (None: everything) sees it. See `MarkedView` for what each field holds.

    `max_marking` is resolved strictly (`resolve_marking`): ValidationError, one line, for anything
    not exactly a level. A few read transactions (state, lessons, sources, milestones); emits nothing.
    Callers then compute their own output's marking from what they actually print, with
    `view.scheme.output_marking(markings, requested)`.
    """
    scheme = store.catalog.marking_scheme()
    limit = scheme.resolve_limit(max_marking)
    day = as_of or date.today()
    state = store.quadrangle.state_as_of(day, max_marking=limit)
    live_sources = store.sources.all()
    sources = withhold(live_sources, limit, scheme)
    blocked = frozenset(s.id for s in live_sources if not scheme.allows(s.marking, limit))
    left_out: Counter[str] = Counter()
    left_out["assessments"] = sum(1 for r in state.relationships if r.assessment_withheld)
    dropped: Counter[str] = Counter({"assessments": state.dropped_citations})
    lessons = []
    for lesson in store.lessons.all():
        if lesson.recorded_on > day:
            continue
        if not scheme.allows(lesson.marking, limit):
            left_out["lessons"] += 1
            continue
        kept, count = without_citations(lesson, blocked)
        dropped["lessons"] += count
        lessons.append(kept)
    milestones = []
    cutoff = day.isoformat()
    for milestone in store.catalog.milestones():
        if milestone.date > cutoff:
            continue
        kept, count = without_citations(milestone, blocked)
        dropped["milestones"] += count
        milestones.append(kept)
    left_out["sources"] = sources.count
    left_out["citations"] = sum(dropped.values())
    return MarkedView(
        as_of=day,
        limit=limit,
        scheme=scheme,
        state=state,
        lessons=tuple(lessons),
        sources=sources.kept,
        milestones=tuple(milestones),
        left_out={k: v for k, v in left_out.items() if v},
        dropped_citations={k: v for k, v in dropped.items() if v},
    )
