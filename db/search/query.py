"""Parsing what an analyst types into the lessons search: terms, normalised words, a last word being typed.

Any text is safe: it is split on white space and only word characters are kept for matching, so
`route-clearance`, `"unbalanced` or `NEAR(` are searched as words, never parsed as query syntax by any
engine (db/search/sqlite.py quotes every term for FTS5; db/search/postgres.py passes bound lexemes).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
PREFIX_MIN_CHARS = 3
_WORD = re.compile(r"\w+", re.UNICODE)


# The Unicode blocks that accents of Latin, Greek and Cyrillic letters decompose into.
_MARK_BLOCKS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))


def _common_marks() -> re.Pattern[str]:
    """The combining marks of those blocks, taken from unicodedata itself: a few code points there
    (U+034F COMBINING GRAPHEME JOINER, U+20DD...) have combining class 0 and must stay."""
    marks = "".join(chr(c) for low, high in _MARK_BLOCKS for c in range(low, high + 1) if unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(marks)}]")


_COMMON_MARKS = _common_marks()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _without_mark(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


def normalise(text: str) -> str:
    """Lower case without accents, as the unicode61 tokenizer with remove_diacritics sees it: the
    NFKD decomposition without its combining characters, case-folded."""
    if text.isascii():
        return text.lower()
    # One regex pass removes the usual accents; any non-ASCII character left is then tested alone.
    # This equals testing every character with unicodedata.combining, several times faster.
    stripped = _COMMON_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not stripped.isascii():
        stripped = _NON_ASCII.sub(_without_mark, stripped)
    return stripped.casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@dataclass(frozen=True)
class SearchQuery:
    """A user's search text, parsed once: the quoted terms and the plain words to highlight."""

    raw: str
    terms: tuple[str, ...]  # the user's terms as typed (white-space separated), each with word characters
    words: tuple[str, ...]  # normalised words inside the terms, for highlighting and matched-terms
    prefix: bool  # the last term is still being typed: match it as a prefix

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        raw = (text or "")[:MAX_QUERY_CHARS]
        terms = tuple(t for t in raw.split() if _WORD.search(t))[:MAX_TERMS]
        found: list[str] = []
        for term in terms:
            for word in words(term):
                if word not in found:
                    found.append(word)
        prefix = False
        if terms and not raw[-1:].isspace():
            last_words = words(terms[-1])
            prefix = bool(last_words) and len(last_words[-1]) >= PREFIX_MIN_CHARS
        return cls(raw=raw, terms=terms, words=tuple(found), prefix=prefix)

    def exact(self) -> SearchQuery:
        """The same query with its last word matched whole."""
        return SearchQuery(raw=self.raw, terms=self.terms, words=self.words, prefix=False)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def fts5_expression(self) -> str:
        """Each term as an FTS5 string (double quotes doubled), joined by implicit AND."""
        quoted = ['"' + term.replace('"', '""') + '"' for term in self.terms]
        if self.prefix and quoted:
            quoted[-1] += " *"
        return " ".join(quoted)

    def matched_in(self, *texts: str) -> tuple[str, ...]:
        """The query's words that occur in `texts` (the last one as a prefix while typing)."""
        # Normalised as one text: a line break is no word character, and no accent or case rule
        # acts across it, so the joined text holds exactly the words of the separate ones.
        text = normalise("\n".join(texts))
        return tuple(word for word, pattern in self._word_patterns if pattern.search(text))

    @functools.cached_property
    def _word_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        r"""Each word with a pattern that finds it in normalised text as one of the words `words()`
        would list (the last word while typing: as the start of one), for `matched_in`.

        The word comes first so the regex engine can scan for it as a literal; the look-behind
        `(?<!\w<word>)` then says that no word character precedes it, `(?!\w)` that none follows:
        the ends of the runs `_WORD` finds. Ten times faster than a leading `(?<!\w)`, and than
        listing every word of the texts to look the query's words up."""
        last = len(self.words) - 1
        patterns = []
        for n, word in enumerate(self.words):
            escaped = re.escape(word)
            end = "" if self.prefix and n == last else r"(?!\w)"
            patterns.append((word, re.compile(rf"{escaped}(?<!\w{escaped}){end}")))
        return tuple(patterns)


# (lesson id, score) pairs, best (lowest score) first: what every engine's ranking returns.
RankedIds = list[tuple[str, float]]
