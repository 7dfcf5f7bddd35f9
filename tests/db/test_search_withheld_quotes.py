"""Search under a marking limit never reveals a withheld source's quote (issue 17): an allowed lesson
citing a SECRET source with the quote "Zebrafoxtrot convoy" is not found by that word at UNCLASSIFIED,
nor counted, nor is the word highlighted; its own words still find it, and without a limit the quote does."""

from __future__ import annotations

from datetime import date

from db import CitationInput, LessonFilters, LessonInput, LessonKind
from tests.markings_helpers import add_marked_material


def _lesson_citing_a_secret_quote(store):
    ids = add_marked_material(store)
    return store.lessons.add(
        LessonInput(
            finding="Liaison officers arrived late in the Kivus.",
            kind=LessonKind.CHALLENGE,
            recorded_on=date(2008, 2, 5),
            relationship_ids=(ids["relationship"],),
            theme_keys=("mandate",),
            citations=(CitationInput(ids["source"], "12", "Zebrafoxtrot convoy left at dawn"),),
        )
    )


def test_a_withheld_quote_finds_nothing_under_the_limit(mini_store):
    lesson = _lesson_citing_a_secret_quote(mini_store)
    limited = LessonFilters(max_marking="UNCLASSIFIED")
    assert [h.lesson.id for h in mini_store.lessons.search("Zebrafoxtrot").hits] == [lesson.id]
    assert mini_store.lessons.count(text="Zebrafoxtrot") == 1
    assert mini_store.lessons.search("Zebrafoxtrot", limited).hits == ()
    assert mini_store.lessons.search("Zebrafox", limited).hits == ()  # while typing, as a prefix
    assert mini_store.lessons.count(limited, "Zebrafoxtrot") == 0


def test_the_lessons_own_words_still_find_it_without_highlighting_the_quote(mini_store):
    lesson = _lesson_citing_a_secret_quote(mini_store)
    limited = LessonFilters(max_marking="UNCLASSIFIED")
    (hit,) = mini_store.lessons.search("Kivus", limited).hits
    assert hit.lesson.id == lesson.id and hit.matched_terms == ("kivus",)
    assert mini_store.lessons.count(limited, "Kivus") == 1
    assert mini_store.lessons.search("Kivus Zebrafoxtrot", limited).hits == ()  # every word must be seen
