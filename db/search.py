"""Full-text search over lessons (finding, recommendation, citation quotes), one implementation per
database dialect behind `ranked_lesson_ids`.

Any text a user types is safe: it is split on white space and every term is quoted for FTS5 (so
`route-clearance`, `"unbalanced` or `NEAR(` are searched as words, never parsed as query syntax).
The SQLite index is the FTS5 table `lesson_search` (migration 0002_lesson_search). Every writer of
lessons or their citations calls `reindex_lessons` in its transaction (triggers cannot: with
`trusted_schema=OFF` SQLite refuses virtual tables inside triggers). A PostgreSQL
implementation registers itself in `db/search_postgres.py` with the same signature.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db import models

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
PREFIX_MIN_CHARS = 3
# bm25 weights per FTS5 column: lesson_id (unindexed), finding, recommendation, quotes.
BM25_WEIGHTS = (0.0, 10.0, 4.0, 2.0)

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


RankedIds = list[tuple[str, float]]
Implementation = Callable[[Session, SearchQuery, Sequence[sa.ColumnElement], int, int], RankedIds]


# Ranking (bm25) costs a few microseconds per matching lesson; a word found in most of 100,000
# lessons would take a quarter of a second to rank. Beyond this many matches, only the most recently
# added ones are ranked: pages still list every match (the window widens as pages need it when
# filters apply), but the best-first order holds within the newest RANK_WINDOW matches.
RANK_WINDOW = 4_000

_MATCH = sa.literal_column("lesson_search").op("MATCH")
_ROWID = sa.literal_column("lesson_search.rowid")

# The statements of an unfiltered search are built once (functools.cache) with the values that
# change between searches as bound parameters: the FTS5 expression as `match`, rowid bounds as
# `above` / `at_most`, paging as `limit` / `offset`. Building them afresh for each search cost
# more than some of the SQL they run, and the SQL sent is the same either way.


def _index_matches() -> sa.Select:
    """Index rowids matching the `match` parameter."""
    return sa.select(_ROWID).select_from(sa.table("lesson_search")).where(_MATCH(sa.bindparam("match")))


@functools.cache
def _window_floor_statement() -> sa.Select:
    return _index_matches().order_by(_ROWID.desc()).limit(1).offset(sa.bindparam("window"))


def _window_floor(session: Session, query: SearchQuery, window: int | None) -> int | None:
    """The lowest index rowid among the `window` newest matches (None: fewer matches than that)."""
    if window is None:
        return None
    return session.connection().scalar(_window_floor_statement(), {"match": query.fts5_expression(), "window": window})


@functools.cache
def _fts_ranked(only_live: bool, bound: str | None = None) -> sa.Select:
    """Index rowids (= lesson rowids, see `reindex_lessons`) and bm25 scores, best first, read from
    the index alone: the wide lesson rows are touched only for the page that is shown. `bound`
    ("above" or "at_most", a parameter of that name) bounds the rowids (the newest-matches window
    and the older matches after it)."""
    score = sa.func.bm25(sa.literal_column("lesson_search"), *[sa.literal(w, sa.Float) for w in BM25_WEIGHTS]).label("score")
    statement = (
        sa.select(_ROWID.label("doc"), score).select_from(sa.table("lesson_search")).where(_MATCH(sa.bindparam("match")))
    )
    if bound == "above":
        statement = statement.where(_ROWID > sa.bindparam("above"))
    elif bound == "at_most":
        statement = statement.where(_ROWID <= sa.bindparam("at_most"))
    if only_live:
        lessons = models.Lesson.__table__
        trashed = sa.select(_lesson_rowid()).select_from(lessons).where(lessons.c.deleted_at.is_not(None))
        statement = statement.where(_ROWID.not_in(trashed))
    return statement.order_by(sa.text("score"))


@functools.cache
def _live_tier_statement(bound: str | None) -> sa.Select:
    """A page (`limit`, `offset`) of live lessons' ids and scores, best first, within `bound`."""
    lessons = models.Lesson.__table__
    best = _fts_ranked(True, bound).limit(sa.bindparam("limit")).offset(sa.bindparam("offset")).subquery()
    return sa.select(lessons.c.id, best.c.score).select_from(
        best.join(lessons, _lesson_rowid() == best.c.doc)
    ).order_by(best.c.score, lessons.c.recorded_on.desc())


def _filtered_tier_statement(conditions: list, bound: str | None) -> sa.Select:
    """A page (`limit`, `offset`) of the ids and scores of lessons meeting `conditions`, within `bound`."""
    best = _fts_ranked(False, bound).subquery()
    return (
        sa.select(models.Lesson.id, best.c.score)
        .select_from(best.join(models.Lesson, _lesson_rowid() == best.c.doc))
        .where(*conditions)
        .order_by(best.c.score, models.Lesson.recorded_on.desc(), models.Lesson.id)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


# While typing, the last word matches as a prefix, unless the word as typed is already found in
# this many lessons: then it is taken whole (a prefix of a common word is costly to rank, and the
# user most likely typed the word they meant).
PREFIX_EXACT_ENOUGH = 200


@functools.cache
def _capped_count_statement() -> sa.Select:
    """How many index rows match `match`, counting at most `cap`."""
    return sa.select(sa.func.count()).select_from(_index_matches().limit(sa.bindparam("cap")).subquery())


def settle_prefix(session: Session, query: SearchQuery) -> SearchQuery:
    """`query`, or its exact form when the last word already matches PREFIX_EXACT_ENOUGH lessons."""
    if not query.prefix:
        return query
    exact = query.exact()
    if session.get_bind().dialect.name != "sqlite":  # another dialect counts through its registered matcher
        return exact if count_matches(session, exact, (), PREFIX_EXACT_ENOUGH) >= PREFIX_EXACT_ENOUGH else query
    found = session.connection().scalar(
        _capped_count_statement(), {"match": exact.fts5_expression(), "cap": PREFIX_EXACT_ENOUGH}
    )
    return exact if found >= PREFIX_EXACT_ENOUGH else query


def _lesson_rowid():
    return sa.literal_column("lessons.rowid")


@functools.cache
def _live_condition_sql() -> str:
    return str(models.Lesson.deleted_at.is_(None))


def _is_live_only(conditions: list) -> bool:
    """Whether the only condition is "not in the trash" (the lessons browser without filters)."""
    return len(conditions) == 1 and str(conditions[0]) == _live_condition_sql()


def _sqlite_ranked_ids(session: Session, query: SearchQuery, conditions, limit: int, offset: int) -> RankedIds:
    """Best first within two tiers, one total order across pages: the newest RANK_WINDOW matches
    ranked by bm25, then (only when a page reaches past them) the older matches ranked by bm25."""
    conditions = list(conditions)
    live_only = _is_live_only(conditions)
    match = query.fts5_expression()
    floor = _window_floor(session, query, RANK_WINDOW)

    def tier(limit_: int, offset_: int, bound: str | None = None) -> RankedIds:
        params = {"match": match, "limit": limit_, "offset": offset_}
        if bound is not None:
            params[bound] = floor
        if live_only:  # Core statement, built once: executed on the connection, past the ORM layer
            result = session.connection().execute(_live_tier_statement(bound), params)
        else:
            result = session.execute(_filtered_tier_statement(conditions, bound), params)
        return [(row[0], float(row[1])) for row in result.all()]

    if floor is None:
        return tier(limit, offset)
    rows = tier(limit, offset, "above")
    if len(rows) >= limit:
        return rows
    # The page reaches past the window: count what the window held, continue with the older matches.
    newest = session.scalar(sa.select(sa.func.count()).select_from(
        (_sqlite_matches(query, conditions).where(_ROWID > floor)).subquery()))
    return rows + tier(limit - len(rows), max(0, offset - newest), "at_most")


def _sqlite_matches(query: SearchQuery, conditions) -> sa.Select:
    conditions = list(conditions)
    statement = sa.select(_ROWID).select_from(sa.table("lesson_search")).where(_MATCH(query.fts5_expression()))
    if len(conditions) == 1 and str(conditions[0]) == str(models.Lesson.deleted_at.is_(None)):
        trashed = sa.select(_lesson_rowid()).select_from(models.Lesson).where(models.Lesson.deleted_at.is_not(None))
        return statement.where(_ROWID.not_in(trashed))
    return statement.join(models.Lesson, _lesson_rowid() == _ROWID).where(*conditions)


def _generic_matches(query: SearchQuery, conditions) -> sa.Select:
    lesson = models.Lesson
    clauses = []
    for word in query.words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(sa.or_(lesson.finding.ilike(pattern, escape="\\"), lesson.recommendation.ilike(pattern, escape="\\")))
    return sa.select(lesson.id).where(*clauses, *conditions)


def count_matches(session: Session, query: SearchQuery, conditions, cap: int) -> int:
    """How many lessons match (unranked, so cheaper than a search), counting at most `cap`."""
    name = session.get_bind().dialect.name
    counter = _COUNTERS.get(name)
    if counter is None:
        implementation_for(name)  # lets db/search_postgres.py register its counter
        counter = _COUNTERS.get(name, _generic_matches)
    matches = counter(query, conditions).limit(cap).subquery()
    return session.scalar(sa.select(sa.func.count()).select_from(matches)) or 0


def _generic_ranked_ids(session: Session, query: SearchQuery, conditions, limit: int, offset: int) -> RankedIds:
    """Any other database: every word must appear (case-insensitive LIKE) in finding or
    recommendation; newest first. Correct but unranked and slow on large tables."""
    statement = _generic_matches(query, conditions).order_by(models.Lesson.recorded_on.desc(), models.Lesson.id)
    return [(row[0], 0.0) for row in session.execute(statement.limit(limit).offset(offset))]


_IMPLEMENTATIONS: dict[str, Implementation] = {"sqlite": _sqlite_ranked_ids}
_COUNTERS: dict[str, Callable[[SearchQuery, Sequence[sa.ColumnElement]], sa.Select]] = {"sqlite": _sqlite_matches}


_REINDEXERS: dict[str, Callable[[Session, list[str]], None]] = {}


def register(dialect_name: str, implementation: Implementation, matches=None, reindex=None) -> None:
    """Install the search of one dialect (db/search_postgres.py calls this for "postgresql"):
    `implementation(session, query, conditions, limit, offset) -> [(lesson_id, score)]` best first;
    optionally `matches(query, conditions) -> Select` of matching lesson ids (for counting) and
    `reindex(session, lesson_ids)`, called in the writing transaction after lessons or their
    citations changed (and with the ids of lessons about to be deleted)."""
    _IMPLEMENTATIONS[dialect_name] = implementation
    if matches is not None:
        _COUNTERS[dialect_name] = matches
    if reindex is not None:
        _REINDEXERS[dialect_name] = reindex


def _other_reindex(session: Session, ids: list[str]) -> None:
    name = session.get_bind().dialect.name
    implementation_for(name)
    if name in _REINDEXERS:
        session.flush()
        _REINDEXERS[name](session, ids)


def implementation_for(dialect_name: str) -> Implementation:
    if dialect_name not in _IMPLEMENTATIONS and dialect_name == "postgresql":
        try:
            import db.search_postgres  # noqa: F401 - registers itself
        except ImportError:
            pass
    return _IMPLEMENTATIONS.get(dialect_name, _generic_ranked_ids)


def ranked_lesson_ids(session: Session, query: SearchQuery, conditions, limit: int, offset: int) -> RankedIds:
    """Ids (and scores, lower is better) of the lessons matching every term of `query` and every
    SQLAlchemy condition in `conditions` (expressions over models.Lesson), best first."""
    return implementation_for(session.get_bind().dialect.name)(session, query, conditions, limit, offset)


# -- maintenance ----------------------------------------------------------------------------------

_FILL = (
    "INSERT INTO lesson_search(rowid, lesson_id, finding, recommendation, quotes) "
    "SELECT l.rowid, l.id, l.finding, l.recommendation, "
    "coalesce((SELECT group_concat(c.quote, ' ') FROM citations c WHERE c.lesson_id = l.id), '') FROM lessons l"
)


def reindex_lessons(session: Session, lesson_ids) -> None:
    """Bring the index rows of these lessons up to date (call after writing them or their citations;
    call `unindex_lessons` before deleting a lesson row). No-op on other databases."""
    _rewrite_index(session, list(lesson_ids), refill=True)


def unindex_lessons(session: Session, lesson_ids) -> None:
    """Remove these lessons from the index (before their rows are deleted)."""
    _rewrite_index(session, list(lesson_ids), refill=False)


def _rewrite_index(session: Session, ids: list[str], *, refill: bool) -> None:
    """Remove these lessons' index rows (in chunks of 500 ids) and, with `refill`, index them afresh;
    another dialect's registered reindexer does both from the lessons as they now stand."""
    if not ids:
        return
    if session.get_bind().dialect.name != "sqlite":
        _other_reindex(session, ids)
        return
    session.flush()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        params = {f"i{n}": lesson_id for n, lesson_id in enumerate(chunk)}
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        session.execute(sa.text(f"DELETE FROM lesson_search WHERE rowid IN (SELECT rowid FROM lessons WHERE id IN ({marks}))"), params)
        if refill:
            session.execute(sa.text(f"{_FILL} WHERE l.id IN ({marks})"), params)


_OVERVIEW_SELECT = (
    "SELECT t.theme_id, r.relationship_id, count(*) FROM lesson_themes t "
    "JOIN lesson_relationships r ON r.lesson_id = t.lesson_id JOIN lessons l ON l.id = t.lesson_id "
    "WHERE l.deleted_at IS NULL GROUP BY t.theme_id, r.relationship_id "
    "UNION ALL SELECT t.theme_id, '', count(*) FROM lesson_themes t JOIN lessons l ON l.id = t.lesson_id "
    "WHERE l.deleted_at IS NULL GROUP BY t.theme_id"
)
_FILL_OVERVIEW = "INSERT INTO lesson_search_overview (theme_id, relationship_id, lessons) " + _OVERVIEW_SELECT


def adjust_overview(session: Session, lesson_ids, sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) these lessons' part of the theme overview's counts, as
    they now stand in the session (a lesson in the trash counts for nothing). Writers call it with
    -1 before changing a lesson's themes, relationships or trash state, and with +1 after."""
    ids = list(lesson_ids)
    if not ids or session.get_bind().dialect.name != "sqlite":
        return
    session.flush()
    params = {f"i{n}": lesson_id for n, lesson_id in enumerate(ids)}
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    live = f"JOIN lessons l ON l.id = t.lesson_id WHERE l.deleted_at IS NULL AND t.lesson_id IN ({marks})"
    session.execute(sa.text(
        "INSERT INTO lesson_search_overview (theme_id, relationship_id, lessons) SELECT theme_id, relationship_id, delta FROM ("
        f"SELECT t.theme_id AS theme_id, r.relationship_id AS relationship_id, {int(sign)} * count(*) AS delta "
        f"FROM lesson_themes t JOIN lesson_relationships r ON r.lesson_id = t.lesson_id {live} "
        "GROUP BY t.theme_id, r.relationship_id "
        f"UNION ALL SELECT t.theme_id, '', {int(sign)} * count(*) FROM lesson_themes t {live} GROUP BY t.theme_id) WHERE true "
        "ON CONFLICT (theme_id, relationship_id) DO UPDATE SET lessons = lessons + excluded.lessons"
    ), params)


def overview_counts(session: Session) -> dict[tuple[str, str], int] | None:
    """(theme id, relationship id or '') -> lessons, from the maintained counts (None: not SQLite)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    rows = session.execute(sa.text("SELECT theme_id, relationship_id, lessons FROM lesson_search_overview WHERE lessons > 0"))
    return {(theme, rel): count for theme, rel, count in rows}


def rebuild_index(session: Session) -> None:
    """Rebuild the SQLite index and the overview counts from the lessons (a repair, or after bulk
    writes that bypassed the store)."""
    if session.get_bind().dialect.name == "postgresql":
        from db import search_postgres

        search_postgres.rebuild_index(session)
        return
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(sa.text("DELETE FROM lesson_search"))
    session.execute(sa.text(_FILL))
    session.execute(sa.text("DELETE FROM lesson_search_overview"))
    session.execute(sa.text(_FILL_OVERVIEW))


def check_index(session: Session) -> list[str]:
    """Problems with the SQLite index: FTS5 integrity-check, row count, and every index rowid still
    naming its lesson (a VACUUM may renumber rowids; `rebuild_index` repairs it)."""
    if session.get_bind().dialect.name == "postgresql":
        from db import search_postgres

        return search_postgres.check_index(session)
    if session.get_bind().dialect.name != "sqlite":
        return []
    problems = []
    try:
        session.execute(sa.text("INSERT INTO lesson_search(lesson_search) VALUES('integrity-check')"))
    except sa.exc.DatabaseError as exc:
        problems.append(f"lesson search index: {exc.orig}")
    indexed = session.scalar(sa.text("SELECT count(*) FROM lesson_search"))
    lessons = session.scalar(sa.text("SELECT count(*) FROM lessons"))
    if indexed != lessons:
        problems.append(f"lesson search index holds {indexed} rows for {lessons} lessons: rebuild it")
    stray = session.scalar(sa.text(
        "SELECT count(*) FROM lesson_search s LEFT JOIN lessons l ON l.rowid = s.rowid WHERE l.id IS NOT s.lesson_id"
    ))
    if stray:
        problems.append(f"{stray} lesson search index rows point at the wrong lesson: rebuild the index")
    kept = set(session.execute(sa.text("SELECT theme_id, relationship_id, lessons FROM lesson_search_overview WHERE lessons != 0")))
    fresh = set(session.execute(sa.text(_OVERVIEW_SELECT)))
    if kept != fresh:
        problems.append("the theme overview's counts disagree with the lessons: rebuild the index")
    return problems
