"""Lesson search on SQLite: the FTS5 table `lesson_search` (migration 0002_lesson_search), ranked by bm25.

Every writer of lessons or their citations reindexes them in its transaction through db/search
(triggers cannot: with `trusted_schema=OFF` SQLite refuses virtual tables inside triggers). Index
rowids are the lessons' rowids, so a page of results joins the wide lesson rows only for what is shown.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db import models
from db.search import generic, overview
from db.search.generic import Conditions, SearchEngine
from db.search.overview import OVERVIEW_SELECT
from db.search.query import RankedIds, SearchQuery

# bm25 weights per FTS5 column: lesson_id (unindexed), finding, recommendation, quotes.
BM25_WEIGHTS = (0.0, 10.0, 4.0, 2.0)

# Ranking (bm25) costs a few microseconds per matching lesson; a word found in most of 100,000
# lessons would take a quarter of a second to rank. Beyond this many matches, only the most recently
# added ones are ranked: pages still list every match (the window widens as pages need it when
# filters apply), but the best-first order holds within the newest RANK_WINDOW matches.
RANK_WINDOW = 4_000

_MATCH = sa.literal_column("lesson_search").op("MATCH")
_ROWID: sa.ColumnClause[int] = sa.literal_column("lesson_search.rowid")

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
    score = sa.func.bm25(sa.literal_column("lesson_search"), *[sa.literal(w, sa.Float) for w in BM25_WEIGHTS]).label(
        "score"
    )
    statement = (
        sa.select(_ROWID.label("doc"), score)
        .select_from(sa.table("lesson_search"))
        .where(_MATCH(sa.bindparam("match")))
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
    return (
        sa.select(lessons.c.id, best.c.score)
        .select_from(best.join(lessons, _lesson_rowid() == best.c.doc))
        .order_by(best.c.score, lessons.c.recorded_on.desc())
    )


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


@functools.cache
def _capped_count_statement() -> sa.Select:
    """How many index rows match `match`, counting at most `cap`."""
    return sa.select(sa.func.count()).select_from(_index_matches().limit(sa.bindparam("cap")).subquery())


def _lesson_rowid():
    return sa.literal_column("lessons.rowid")


@functools.cache
def _live_condition_sql() -> str:
    return str(models.Lesson.deleted_at.is_(None))


def _is_live_only(conditions: list) -> bool:
    """Whether the only condition is "not in the trash" (the lessons browser without filters)."""
    return len(conditions) == 1 and str(conditions[0]) == _live_condition_sql()


_FILL = (
    "INSERT INTO lesson_search(rowid, lesson_id, finding, recommendation, quotes) "
    "SELECT l.rowid, l.id, l.finding, l.recommendation, "
    "coalesce((SELECT group_concat(c.quote, ' ') FROM citations c WHERE c.lesson_id = l.id), '') FROM lessons l"
)


def _rewrite_index(session: Session, ids: list[str], *, refill: bool) -> None:
    """Remove these lessons' index rows (in chunks of 500 ids) and, with `refill`, index them afresh:
    chunks stay well under SQLite's limit on bound parameters."""
    if not ids:
        return
    session.flush()
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        params = {f"i{n}": lesson_id for n, lesson_id in enumerate(chunk)}
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        session.execute(
            sa.text(f"DELETE FROM lesson_search WHERE rowid IN (SELECT rowid FROM lessons WHERE id IN ({marks}))"),
            params,
        )
        if refill:
            session.execute(sa.text(f"{_FILL} WHERE l.id IN ({marks})"), params)


class SQLiteSearch(SearchEngine):
    """FTS5 ranking in two tiers, the index kept by every lesson writer, and the theme overview's kept counts."""

    def ranked_ids(
        self, session: Session, query: SearchQuery, conditions: Conditions, limit: int, offset: int
    ) -> RankedIds:
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
            result: sa.Result[Any]
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
        newest = (
            session.scalar(
                sa.select(sa.func.count()).select_from(
                    (self.matches(query, conditions).where(_ROWID > floor)).subquery()
                )
            )
            or 0  # a count is never NULL
        )
        return rows + tier(limit - len(rows), max(0, offset - newest), "at_most")

    def matches(self, query: SearchQuery, conditions: Conditions) -> sa.Select:
        """Index rowids of the lessons matching `query` and `conditions`, unranked (for counting)."""
        conditions = list(conditions)
        statement = sa.select(_ROWID).select_from(sa.table("lesson_search")).where(_MATCH(query.fts5_expression()))
        if _is_live_only(conditions):
            trashed = sa.select(_lesson_rowid()).select_from(models.Lesson).where(models.Lesson.deleted_at.is_not(None))
            return statement.where(_ROWID.not_in(trashed))
        return statement.join(models.Lesson, _lesson_rowid() == _ROWID).where(*conditions)

    def settle_prefix(self, session: Session, query: SearchQuery) -> SearchQuery:
        """`query`, or its exact form when the last word already matches PREFIX_EXACT_ENOUGH lessons."""
        if not query.prefix:
            return query
        exact = query.exact()
        enough = generic.PREFIX_EXACT_ENOUGH
        found = session.connection().scalar(
            _capped_count_statement(), {"match": exact.fts5_expression(), "cap": enough}
        )
        return exact if found >= enough else query

    def reindex(self, session: Session, lesson_ids: list[str]) -> None:
        _rewrite_index(session, lesson_ids, refill=True)

    def unindex(self, session: Session, lesson_ids: list[str]) -> None:
        _rewrite_index(session, lesson_ids, refill=False)

    def rebuild(self, session: Session) -> None:
        session.execute(sa.text("DELETE FROM lesson_search"))
        session.execute(sa.text(_FILL))
        overview.refill(session)

    def check(self, session: Session) -> list[str]:
        """Problems with the SQLite index: FTS5 integrity-check, row count, and every index rowid still
        naming its lesson (a VACUUM may renumber rowids; `rebuild` repairs it)."""
        problems = []
        try:
            session.execute(sa.text("INSERT INTO lesson_search(lesson_search) VALUES('integrity-check')"))
        except sa.exc.DatabaseError as exc:
            problems.append(f"lesson search index: {exc.orig}")
        indexed = session.scalar(sa.text("SELECT count(*) FROM lesson_search"))
        lessons = session.scalar(sa.text("SELECT count(*) FROM lessons"))
        if indexed != lessons:
            problems.append(f"lesson search index holds {indexed} rows for {lessons} lessons: rebuild it")
        stray = session.scalar(
            sa.text(
                "SELECT count(*) FROM lesson_search s LEFT JOIN lessons l ON l.rowid = s.rowid WHERE l.id IS NOT s.lesson_id"
            )
        )
        if stray:
            problems.append(f"{stray} lesson search index rows point at the wrong lesson: rebuild the index")
        kept = set(
            session.execute(
                sa.text("SELECT theme_id, relationship_id, lessons FROM lesson_search_overview WHERE lessons != 0")
            )
        )
        fresh = set(session.execute(sa.text(OVERVIEW_SELECT)))
        if kept != fresh:
            problems.append("the theme overview's counts disagree with the lessons: rebuild the index")
        return problems

    def adjust_overview(self, session: Session, lesson_ids: list[str], sign: int) -> None:
        overview.adjust(session, lesson_ids, sign)

    def overview_counts(self, session: Session) -> dict[tuple[str, str], int] | None:
        return overview.kept_counts(session)
