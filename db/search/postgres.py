"""Lesson search on PostgreSQL: the weighted tsvector index of migration 0003_pg_search, queried with
the same meaning as the FTS5 search of db/search/sqlite.py.

Each typed term is a phrase of its words (`route-clearance` is "route" followed by "clearance", as an
FTS5 quoted string), all terms must match, and the last word is a prefix while it is being typed.
User text never reaches the tsquery parser as syntax: only the normalised words of SearchQuery (word
characters alone) are passed, each as a bound parameter quoted as one lexeme. Ranking is ts_rank over
weights finding > recommendation > quotes (1.0 / 0.4 / 0.2), length-normalised like bm25; the score
is negated so that, as on SQLite, lower is better.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db import models
from db.search.generic import Conditions, SearchEngine
from db.search.query import RankedIds, SearchQuery, words

CONFIG = "quadrangle_search"
RANK_NORMALISATION = 1  # divide by 1 + log(document length), bm25's preference for short documents

_index = sa.table("lesson_search", sa.column("lesson_id"), sa.column("document"))


def _lexeme(word: str, *, prefix: bool) -> sa.ColumnElement:
    """One word as a tsquery: quoted so nothing in it is an operator, normalised by the configuration."""
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")
    return sa.func.to_tsquery(sa.literal_column(f"'{CONFIG}'::regconfig"), sa.bindparam(None, quoted, sa.String))


def tsquery(query: SearchQuery) -> sa.ColumnElement | None:
    """The tsquery of every term (AND), each term a phrase of its words; None when nothing is searchable."""
    combined = None
    for number, term in enumerate(query.terms):
        term_words = words(term)
        last_term = number == len(query.terms) - 1
        phrase = None
        for position, word in enumerate(term_words):
            lexeme = _lexeme(word, prefix=query.prefix and last_term and position == len(term_words) - 1)
            phrase = lexeme if phrase is None else sa.func.tsquery_phrase(phrase, lexeme)
        if phrase is not None:
            combined = phrase if combined is None else combined.op("&&")(phrase)
    return combined


class PostgresSearch(SearchEngine):
    """ts_rank over the tsvector index; the database's own triggers keep the index current, so the
    store's reindex calls have nothing to do here."""

    def ranked_ids(
        self, session: Session, query: SearchQuery, conditions: Conditions, limit: int, offset: int
    ) -> RankedIds:
        """Ids and scores (lower is better) of the lessons matching `query` and `conditions`, best first."""
        wanted = tsquery(query)
        if wanted is None:
            return []
        score = (-sa.func.ts_rank(_index.c.document, wanted, RANK_NORMALISATION)).label("score")
        statement = (
            sa.select(models.Lesson.id, score)
            .select_from(_index.join(models.Lesson, models.Lesson.id == _index.c.lesson_id))
            .where(_index.c.document.op("@@")(wanted), *conditions)
            .order_by(sa.text("score"), models.Lesson.recorded_on.desc(), models.Lesson.id)
            .limit(limit)
            .offset(offset)
        )
        return [(row[0], float(row[1])) for row in session.execute(statement)]

    def matches(self, query: SearchQuery, conditions: Conditions) -> sa.Select:
        """The ids of the lessons matching `query` and `conditions`, unranked (for counting)."""
        wanted = tsquery(query)
        statement = sa.select(models.Lesson.id).select_from(
            _index.join(models.Lesson, models.Lesson.id == _index.c.lesson_id)
        )
        if wanted is None:
            return statement.where(sa.false())
        return statement.where(_index.c.document.op("@@")(wanted), *conditions)

    def check(self, session: Session) -> list[str]:
        """Problems with the PostgreSQL index: lessons missing from it (or rows of lessons that are gone)."""
        lessons = session.scalar(sa.text("SELECT count(*) FROM lessons"))
        indexed = session.scalar(sa.text("SELECT count(*) FROM lesson_search"))
        if indexed != lessons:
            return [f"lesson search index holds {indexed} rows for {lessons} lessons: rebuild it"]
        stale = session.scalar(
            sa.text(
                "SELECT count(*) FROM lessons l JOIN lesson_search i ON i.lesson_id = l.id "
                "WHERE i.document <> setweight(to_tsvector('quadrangle_search', l.finding), 'A') "
                "|| setweight(to_tsvector('quadrangle_search', l.recommendation), 'B') "
                "|| setweight(to_tsvector('quadrangle_search', coalesce((SELECT string_agg(c.quote, ' ' ORDER BY c.position) "
                "FROM citations c WHERE c.lesson_id = l.id), '')), 'C')"
            )
        )
        if stale:
            return [f"lesson search index is out of date for {stale} lessons: rebuild it"]
        return []

    def rebuild(self, session: Session) -> None:
        """Recompute every lesson's search document (after a repair); the triggers keep it current otherwise."""
        session.execute(sa.text("DELETE FROM lesson_search"))
        session.execute(sa.text("SELECT lesson_search_refresh(id) FROM lessons"))
