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


def normalise(text: str) -> str:
    """Lower case without accents, as the unicode61 tokenizer with remove_diacritics sees it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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
        present = set()
        for text in texts:
            present.update(words(text))
        last = self.words[-1] if self.words else None
        matched = []
        for word in self.words:
            if word in present or (self.prefix and word == last and any(p.startswith(word) for p in present)):
                matched.append(word)
        return tuple(matched)


RankedIds = list[tuple[str, float]]
Implementation = Callable[[Session, SearchQuery, Sequence[sa.ColumnElement], int, int], RankedIds]


def _sqlite_ranked_ids(session: Session, query: SearchQuery, conditions, limit: int, offset: int) -> RankedIds:
    fts = sa.table("lesson_search", sa.column("lesson_id"))
    table = sa.literal_column("lesson_search")
    score = sa.func.bm25(table, *[sa.literal(w, sa.Float) for w in BM25_WEIGHTS])
    statement = (
        sa.select(models.Lesson.id, score.label("score"))
        .select_from(fts.join(models.Lesson, models.Lesson.id == fts.c.lesson_id))
        .where(table.op("MATCH")(query.fts5_expression()), *conditions)
        .order_by(sa.text("score"), models.Lesson.recorded_on.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(row[0], float(row[1])) for row in session.execute(statement)]


def _generic_ranked_ids(session: Session, query: SearchQuery, conditions, limit: int, offset: int) -> RankedIds:
    """Any other database: every word must appear (case-insensitive LIKE) in finding or
    recommendation; newest first. Correct but unranked and slow on large tables."""
    lesson = models.Lesson
    clauses = []
    for word in query.words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(sa.or_(lesson.finding.ilike(pattern, escape="\\"), lesson.recommendation.ilike(pattern, escape="\\")))
    statement = (
        sa.select(lesson.id).where(*clauses, *conditions).order_by(lesson.recorded_on.desc(), lesson.id).limit(limit).offset(offset)
    )
    return [(row[0], 0.0) for row in session.execute(statement)]


_IMPLEMENTATIONS: dict[str, Implementation] = {"sqlite": _sqlite_ranked_ids}


def register(dialect_name: str, implementation: Implementation) -> None:
    """Install the search of one dialect (db/search_postgres.py calls this for "postgresql")."""
    _IMPLEMENTATIONS[dialect_name] = implementation


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
    ids = list(lesson_ids)
    if not ids or session.get_bind().dialect.name != "sqlite":
        return
    session.flush()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        params = {f"i{n}": lesson_id for n, lesson_id in enumerate(chunk)}
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        session.execute(sa.text(f"DELETE FROM lesson_search WHERE rowid IN (SELECT rowid FROM lessons WHERE id IN ({marks}))"), params)
        session.execute(sa.text(f"{_FILL} WHERE l.id IN ({marks})"), params)


def unindex_lessons(session: Session, lesson_ids) -> None:
    """Remove these lessons from the index (before their rows are deleted)."""
    ids = list(lesson_ids)
    if not ids or session.get_bind().dialect.name != "sqlite":
        return
    session.flush()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        params = {f"i{n}": lesson_id for n, lesson_id in enumerate(chunk)}
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        session.execute(sa.text(f"DELETE FROM lesson_search WHERE rowid IN (SELECT rowid FROM lessons WHERE id IN ({marks}))"), params)


def rebuild_index(session: Session) -> None:
    """Rebuild the SQLite index from the lessons (after a VACUUM renumbered rowids, or a repair)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(sa.text("DELETE FROM lesson_search"))
    session.execute(sa.text(_FILL))


def check_index(session: Session) -> list[str]:
    """Problems with the SQLite index (FTS5 integrity-check, row count against the lessons)."""
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
    return problems
