"""Full-text search over lessons (finding, recommendation, citation quotes): one engine per database
dialect, chosen here and only here.

- db/search/query.py parses what the analyst types (safe for any text);
- db/search/generic.py is the engine any SQL database can run (and the base of the others);
- db/search/sqlite.py ranks with FTS5 and keeps the theme overview's counts (db/search/overview.py);
- db/search/postgres.py ranks with a tsvector index (loaded only on a PostgreSQL store).

Callers (the lessons service, the copy between databases) use the functions below with their open
session; every lesson writer calls `reindex_lessons`/`unindex_lessons` and `adjust_overview` in its
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from db.lesson_records import ThemeOverview
from db.search.generic import Conditions, SearchEngine
from db.search.overview import theme_overview as _theme_overview
from db.search.query import RankedIds, SearchQuery, normalise, words

__all__ = [
    "RankedIds",
    "SearchEngine",
    "SearchQuery",
    "adjust_overview",
    "check_index",
    "count_matches",
    "engine_for",
    "normalise",
    "ranked_lesson_ids",
    "rebuild_index",
    "reindex_lessons",
    "settle_prefix",
    "theme_overview",
    "unindex_lessons",
    "words",
]

_ENGINES: dict[str, SearchEngine] = {}


def engine_for(session: Session) -> SearchEngine:
    """The search engine of the session's database dialect (the generic one for a dialect without its own)."""
    name = session.get_bind().dialect.name
    engine = _ENGINES.get(name)
    if engine is None:
        engine = _ENGINES[name] = _build_engine(name)
    return engine


def _build_engine(dialect_name: str) -> SearchEngine:
    # Imported on first use: a SQLite store never loads the PostgreSQL engine, and the reverse.
    if dialect_name == "sqlite":
        from db.search.sqlite import SQLiteSearch

        return SQLiteSearch()
    if dialect_name == "postgresql":
        from db.search.postgres import PostgresSearch

        return PostgresSearch()
    return SearchEngine()


def ranked_lesson_ids(
    session: Session, query: SearchQuery, conditions: Conditions, limit: int, offset: int
) -> RankedIds:
    """Ids (and scores, lower is better) of the lessons matching every term of `query` and every
    SQLAlchemy condition in `conditions` (expressions over models.Lesson), best first."""
    return engine_for(session).ranked_ids(session, query, conditions, limit, offset)


def count_matches(session: Session, query: SearchQuery, conditions: Conditions, cap: int) -> int:
    """How many lessons match (unranked, so cheaper than a search), counting at most `cap`."""
    return engine_for(session).count_matches(session, query, conditions, cap)


def settle_prefix(session: Session, query: SearchQuery) -> SearchQuery:
    """`query`, or its exact form when its last word, typed whole, already matches many lessons."""
    return engine_for(session).settle_prefix(session, query)


def reindex_lessons(session: Session, lesson_ids: Iterable[str]) -> None:
    """Bring these lessons' index rows up to date (after writing them or their citations)."""
    engine_for(session).reindex(session, list(lesson_ids))


def unindex_lessons(session: Session, lesson_ids: Iterable[str]) -> None:
    """Remove these lessons from the index (before their rows are deleted)."""
    engine_for(session).unindex(session, list(lesson_ids))


def adjust_overview(session: Session, lesson_ids: Iterable[str], sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) these lessons' part of the theme overview's kept counts, as
    they now stand in the session. Writers call it with -1 before changing a lesson's themes,
    relationships or trash state, and with +1 after."""
    engine_for(session).adjust_overview(session, list(lesson_ids), sign)


def theme_overview(session: Session) -> ThemeOverview:
    """Themes × relationships with the lessons in each cell, from kept counts where the engine keeps them."""
    return _theme_overview(session, engine_for(session).overview_counts(session))


def rebuild_index(session: Session) -> None:
    """Rebuild the index (and kept counts) from the lessons: a repair, or after bulk writes that
    bypassed the store (seeding, an exchange import, a copy)."""
    engine_for(session).rebuild(session)


def check_index(session: Session) -> list[str]:
    """Problems with the index, in words (empty when it is sound)."""
    return engine_for(session).check(session)
