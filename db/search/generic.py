"""The search engine every other engine refines: correct on any SQL database, unranked, no index.

Every word must appear (case-insensitive LIKE) in the finding or the recommendation; results come
newest first. Index upkeep is a no-op here: engines with an index (db/search/sqlite.py,
db/search/postgres.py) override it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db import models
from db.search.query import RankedIds, SearchQuery

# While typing, the last word matches as a prefix, unless the word as typed is already found in this
# many lessons: then it is taken whole (a prefix of a common word is costly to rank, and the user most
# likely typed the word they meant).
PREFIX_EXACT_ENOUGH = 200

Conditions = Sequence[sa.ColumnElement]


class SearchEngine:
    """Search and index upkeep for one database dialect (see db/search/__init__.py for the registry)."""

    def matches(self, query: SearchQuery, conditions: Conditions) -> sa.Select:
        """The ids of the lessons matching `query` and `conditions`, unranked (for counting)."""
        lesson = models.Lesson
        clauses = []
        for word in query.words:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append(
                sa.or_(lesson.finding.ilike(pattern, escape="\\"), lesson.recommendation.ilike(pattern, escape="\\"))
            )
        return sa.select(lesson.id).where(*clauses, *conditions)

    def ranked_ids(
        self, session: Session, query: SearchQuery, conditions: Conditions, limit: int, offset: int
    ) -> RankedIds:
        """Ids and scores (lower is better) of the lessons matching every term of `query` and every
        condition (expressions over models.Lesson), best first; here newest first, all scores 0."""
        statement = self.matches(query, conditions).order_by(models.Lesson.recorded_on.desc(), models.Lesson.id)
        return [(row[0], 0.0) for row in session.execute(statement.limit(limit).offset(offset))]

    def count_matches(self, session: Session, query: SearchQuery, conditions: Conditions, cap: int) -> int:
        """How many lessons match (unranked, so cheaper than a search), counting at most `cap`."""
        matches = self.matches(query, conditions).limit(cap).subquery()
        return session.scalar(sa.select(sa.func.count()).select_from(matches)) or 0

    def settle_prefix(self, session: Session, query: SearchQuery) -> SearchQuery:
        """`query`, or its exact form when the last word already matches PREFIX_EXACT_ENOUGH lessons."""
        if not query.prefix:
            return query
        exact = query.exact()
        return exact if self.count_matches(session, exact, (), PREFIX_EXACT_ENOUGH) >= PREFIX_EXACT_ENOUGH else query

    # -- index upkeep (no index here) -----------------------------------------------------------------

    def reindex(self, session: Session, lesson_ids: list[str]) -> None:
        """Bring these lessons' index rows up to date, in the writing transaction, after writing them
        or their citations."""

    def unindex(self, session: Session, lesson_ids: list[str]) -> None:
        """Remove these lessons from the index, before their rows are deleted."""

    def rebuild(self, session: Session) -> None:
        """Rebuild the whole index from the lessons (a repair, or after bulk writes)."""

    def check(self, session: Session) -> list[str]:
        """Problems with the index, in words (empty when it is sound)."""
        return []

    def adjust_overview(self, session: Session, lesson_ids: list[str], sign: int) -> None:
        """Add (+1) or take away (-1) these lessons' part of kept theme-overview counts, if the engine
        keeps any."""

    def overview_counts(self, session: Session) -> dict[tuple[str, str], int] | None:
        """Kept (theme id, relationship id or '') -> lessons counts, or None when not kept."""
        return None
