"""Lesson search under a marking limit: a lesson the limit allows may cite a source the limit
withholds, and the search index holds that citation's quote with the lesson. A hit, a highlighted
word or a count that only such a quote explains would tell the reader what the withheld source says
(issue 17: nothing withheld leaks by reference). These rules take exactly those away; a lesson whose
own text or allowed quotes hold every searched word is found as before."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import select

from db import models
from db.lesson_records import LessonRecord
from db.search.query import SearchQuery


def allowed_quotes(record: LessonRecord, blocked: frozenset[str]) -> tuple[str, ...]:
    """The quotes of the lesson's citations of sources not in `blocked`."""
    return tuple(c.quote for c in record.citations if c.source_id not in blocked)


def explained(query: SearchQuery, record: LessonRecord, blocked: frozenset[str]) -> bool:
    """Whether every searched word is in what the reader may see of the lesson: its finding, its
    recommendation and the quotes of sources not in `blocked`."""
    shown = query.matched_in(record.finding, record.recommendation, *allowed_quotes(record, blocked))
    return set(shown) >= set(query.words)


def cites_blocked_quote(blocked: Iterable[str]) -> sa.ColumnElement[bool]:
    """A condition on lessons: it cites one of `blocked` with a quote (the only hits in doubt)."""
    citation = models.Citation
    return (
        select(citation.id)
        .where(citation.lesson_id == models.Lesson.id, citation.source_id.in_(list(blocked)), citation.quote != "")
        .exists()
    )
