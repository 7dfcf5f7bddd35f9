"""Reading a briefing's lessons from the store a page at a time: the large benchmark database's
100,000 lessons in about 280 MB, where `store.lessons.all()` peaks near 600 MB (it builds an ORM
object per lesson before reading the records)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from db import LessonFilters, LessonRecord

if TYPE_CHECKING:
    from db import Store

PAGE = 1_000  # the store's largest page


def lessons_up_to(store: Store, as_of: date) -> list[LessonRecord]:
    """Every lesson not in the trash recorded on or before `as_of`, oldest first.

    The pages are separate reads, so a lesson added or removed meanwhile (an analyst editing during
    an export) could shift a page: when the count before and after disagrees with what was read, or
    a lesson came twice, everything is read again in one transaction, so none is missed or doubled.
    """
    filters = LessonFilters(date_to=as_of)
    expected = store.lessons.count(filters)
    found: list[LessonRecord] = []
    offset = 0
    while True:
        page = store.lessons.search(filters=filters, limit=PAGE, offset=offset)
        found.extend(hit.lesson for hit in page.hits)
        offset += PAGE
        if not page.has_more:
            break
    if (
        len(found) != expected
        or len({lesson.id for lesson in found}) != expected
        or store.lessons.count(filters) != expected
    ):
        return [lesson for lesson in store.lessons.all() if lesson.recorded_on <= as_of]
    found.reverse()  # the store pages newest first
    return found
