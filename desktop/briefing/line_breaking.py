"""Greedy line breaking for the briefing's fast text (flow.py): runs of text in several faces broken
at spaces into lines that fit a width, by the embedded fonts' metrics.

Why words and prefix sums: a long briefing breaks some 800,000 lines. Measuring each line's text with
the font (a call per candidate break) was most of its layout time. Here every word is measured once
per face and size (`WordWidths`, a cache: the same words recur all through a briefing), a stretch of
text becomes the running sum of its words' widths (`itertools.accumulate`, in C), and the furthest
break that fits a line is one `bisect`. TrueType advance widths simply add up (ReportLab applies no
kerning), so the sum of the words and spaces is the width the line is drawn with.

Rules: a line breaks only at a space, and drops the spaces it breaks at (a wrapped line never starts
or ends with them); a lone closing punctuation mark may hang past the margin rather than start a
line; a word longer than a whole line is cut where it fits; "\n" starts a new line.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate

HANGING = frozenset(".,;:)!?")  # a lone punctuation mark may hang past the margin rather than start a line
FUZZ = 1e-6  # widths are sums of floats: a line that fits exactly must not break early
LONGEST_CACHED = 48  # longer "words" (URLs, hostile input) are measured, not kept
CACHE_LIMIT = 20_000  # words per face and size; past it the cache starts again (numbers, names, hostile input)


@dataclass(slots=True)
class Frag:
    """A piece of one line in one face and colour, at `x` from the line's start."""

    x: float
    text: str
    font: str
    color: str  # the PDF fill-colour operator, e.g. "0.1 0.2 0.3 rg"
    link: str | None
    width: float


class WordWidths(dict):
    """Widths of words in one face at one size, each measured once, on first use."""

    __slots__ = ("measure", "size")

    def __init__(self, measure: Callable[[str, float], float], size: float) -> None:
        super().__init__()
        self.measure = measure
        self.size = size

    def __missing__(self, word: str) -> float:
        width = self.measure(word, self.size)
        if len(word) <= LONGEST_CACHED:
            if len(self) >= CACHE_LIMIT:
                self.clear()
            self[word] = width
        return width


class LineBreaker:
    """Breaks (text, face, colour, link) pieces into lines of Frags, `first_room` wide for the first
    line and `room` for the others. `measure_of(face)` is the face's `stringWidth(text, size)`."""

    def __init__(self, measure_of: Callable[[str], Callable[[str, float], float]]) -> None:
        self._measure_of = measure_of
        self._widths: dict[tuple[str, float], WordWidths] = {}

    def widths(self, face: str, size: float) -> WordWidths:
        key = (face, size)
        table = self._widths.get(key)
        if table is None:
            table = self._widths[key] = WordWidths(self._measure_of(face), size)
        return table

    def lines(
        self, pieces: Iterable[tuple[str, str, str, str | None]], size: float, first_room: float, room: float
    ) -> list[list[Frag]]:
        state = _Lines(first_room, room, lambda font, text: self.widths(font, size).measure(text, size))
        for text, face, color, link in pieces:
            widths = self.widths(face, size)
            for number, part in enumerate(text.split("\n")):
                if number:
                    state.new_line()
                _place(part, widths, face, color, link, state)
        return state.finish()


class _Lines:
    """The lines made so far and the one being filled: its frags, its pen position and its width."""

    __slots__ = ("done", "line", "x", "limit", "room", "measure")

    def __init__(self, first_room: float, room: float, measure: Callable[[str, str], float]) -> None:
        self.done: list[list[Frag]] = []
        self.line: list[Frag] = []
        self.x = 0.0
        self.limit = first_room
        self.room = room
        self.measure = measure  # (face, text) -> width at the pieces' size

    def new_line(self) -> None:
        self.done.append(self.line)
        self.line, self.x, self.limit = [], 0.0, self.room

    def end_line(self) -> None:
        """Close the line before what does not fit on it, without the spaces it ends with (they would
        count in its width and show as a gap)."""
        line = self.line
        while line:
            last = line[-1]
            text = last.text.rstrip(" ")
            if text:
                if text != last.text:
                    last.text = text
                    last.width = self.measure(last.font, text)
                break
            line.pop()
        if not line:  # it held only spaces: the line is still free for what did not fit
            self.x = 0.0
            return
        self.new_line()

    def finish(self) -> list[list[Frag]]:
        if self.line or not self.done:
            self.done.append(self.line)
        return self.done


def _place(part: str, widths: WordWidths, face: str, color: str, link: str | None, state: _Lines) -> None:
    """Add `part` (no newlines) to the lines, breaking where it must."""
    if not part:
        return
    words = part.split(" ")
    space = widths[" "]
    # ends[j] is the width of words[0..j] with the spaces between them, plus one space: the running
    # sum of each word's width and the space after it.
    ends = list(accumulate(map(space.__add__, map(widths.__getitem__, words))))
    count = len(words)
    k = 0  # the next word to place
    lead = False  # whether the segment starts with the space before words[k] (it continues a line)
    merge = False  # whether it continues the frag of a word cut on the line before
    while k < count:
        if not state.line and state.done:  # a wrapped line never starts with the spaces it broke at
            while k < count and not words[k]:
                k += 1
            if k == count:
                return
            lead = False
        base = (ends[k - 1] if k else 0.0) - (space if lead else 0.0)
        # ends[j] - space - base is the segment's width up to words[j]: find the furthest j that fits.
        j = bisect_right(ends, base + state.limit - state.x + space + FUZZ, k) - 1
        if j == count - 1:  # the rest fits on this line
            text = (" " if lead else "") + " ".join(words[k:]) if k or lead else part
            width = ends[-1] - space - base
            _add(state, text, face, color, link, width, merge)
            state.x += width
            return
        while j >= k and not words[j]:  # a break drops the spaces before it too
            j -= 1
        if j >= k:
            text = (" " if lead else "") + " ".join(words[k : j + 1])
            width = ends[j] - space - base if link else 0.0  # a line's end: only a link needs its width
            _add(state, text, face, color, link, width, merge)
            state.new_line()
            k = j + 1
            merge = False
            continue
        if state.line:
            word = words[k]
            if not lead and word in HANGING:  # one punctuation mark: it hangs past the margin
                width = widths[word]
                state.line.append(Frag(state.x, word, face, color, link, width))
                state.x += width
                k += 1
                lead = True
            else:
                state.end_line()
            merge = False
            continue
        # A word wider than a whole line (with any spaces that open the paragraph before it): cut it
        # where it fits, line after line; what is left of it starts the next line, the words after it
        # follow on.
        last = k
        while last < count - 1 and not words[last]:
            last += 1
        word = (" " if lead else "") + " ".join(words[k : last + 1])
        k = last
        while word:
            end = _cut(word, state.limit, widths)
            piece = word[:end]
            width = widths.measure(piece, widths.size)
            state.line.append(Frag(state.x, piece, face, color, link, width))
            if end == len(word):
                state.x += width
                break
            state.new_line()
            word = word[end:]
        k += 1
        lead = True
        merge = bool(state.line)  # what follows on this line continues the cut word's last frag


def _add(state: _Lines, text: str, face: str, color: str, link: str | None, width: float, merge: bool) -> None:
    """Put a segment on the line, as a frag of its own or, after a cut word, as more of its frag."""
    if merge:
        last = state.line[-1]
        last.text += text
        last.width += width
    else:
        state.line.append(Frag(state.x, text, face, color, link, width))


def _cut(word: str, room: float, widths: WordWidths) -> int:
    """Where to cut a word too long for a line: as many characters as fit, at least one. Searches
    out from the start (doubling, then halving), so a huge word costs a line's worth per cut."""
    measure, size, n = widths.measure, widths.size, len(word)

    def fits(length: int) -> bool:
        return measure(word[:length], size) <= room + FUZZ

    low, probe = 1, 2
    while probe <= n and fits(probe):
        low, probe = probe, probe * 2
    high = min(probe - 1, n)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low
