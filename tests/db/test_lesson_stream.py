"""The streaming lesson read for exports (`store.lessons.stream`): the same records, values and
order as the lesson reads it replaces, in chunks, on the default dataset and on a generated one
with many links per lesson, ties on the date, edits and the trash."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from db import CitationInput, LessonFilters, LessonInput, LessonKind


def flatten(chunks) -> list:
    return [lesson for chunk in chunks for lesson in chunk]


def paged(store, filters: LessonFilters) -> list:
    """The read the briefing used before: the browser's pages (newest first), reversed."""
    found, offset = [], 0
    while True:
        page = store.lessons.search(filters=filters, limit=1_000, offset=offset)
        found.extend(hit.lesson for hit in page.hits)
        offset += 1_000
        if not page.has_more:
            return found[::-1]


def generate_lessons(store, count: int) -> None:
    """`count` lessons over every relationship and theme: two relationships and two themes on some,
    several citations (with locators and quotes) on others, eight lessons a day so the id decides
    the order, an operation on a few; then some edited and some put in the trash."""
    relationships = [r.id for r in store.quadrangle.relationships()]
    themes = [t.key for t in store.catalog.themes()]
    sources = [s.id for s in store.sources.all()]
    operations = [o.id for o in store.operations.all()]
    added = []
    for i in range(count):
        rels = (relationships[i % len(relationships)],)
        if i % 3 == 0:
            rels += (relationships[(i * 7 + 1) % len(relationships)],)
        keys = (themes[i % len(themes)],) + ((themes[(i + 2) % len(themes)],) if i % 4 == 0 else ())
        citations = tuple(
            CitationInput(sources[(i + j) % len(sources)], locator=f"{j + 1}", quote=f"quote {i}.{j}" if j else "")
            for j in range(i % 4)
        )
        added.append(
            store.lessons.add(
                LessonInput(
                    finding=f"Generated finding {i}",
                    kind=list(LessonKind)[i % len(LessonKind)],
                    recorded_on=date(2004, 1 + i % 12, 1 + (i // 8) % 28),
                    relationship_ids=tuple(dict.fromkeys(rels)),
                    theme_keys=tuple(dict.fromkeys(keys)),
                    recommendation=f"Recommendation {i}" if i % 2 else "",
                    operation_id=operations[i % len(operations)] if operations and i % 5 == 0 else None,
                    citations=citations,
                )
            )
        )
    for lesson in added[::9]:
        store.lessons.update(lesson.id, replace(LessonInput.from_record(lesson), finding="Edited."), lesson.revision)
    for lesson in added[4::11]:
        store.lessons.delete(lesson.id)


def assert_same_as_today(store, filters: LessonFilters, chunk: int) -> list:
    """The stream equals the paged read and `get`, record for record, whatever the chunk size, and
    holds every lesson `all` (or the trash) has, once."""
    streamed = list(store.lessons.stream(filters, chunk=chunk))
    assert all(0 < len(part) <= chunk for part in streamed)
    lessons = flatten(streamed)
    assert lessons == paged(store, filters)
    order = [(lesson.recorded_on, lesson.id) for lesson in lessons]
    assert order == sorted(order)
    for lesson in lessons[:: max(1, len(lessons) // 25)]:
        assert store.lessons.get(lesson.id) == lesson
    return lessons


def test_stream_matches_the_store_on_the_default_dataset(default_store):
    """Every lesson of the built-in dataset, with the values the other reads give, oldest first."""
    lessons = assert_same_as_today(default_store, LessonFilters(), chunk=7)
    everything = {lesson.id: lesson for lesson in default_store.lessons.all()}
    assert {lesson.id: lesson for lesson in lessons} == everything
    assert any(lesson.citations for lesson in lessons) and any(len(lesson.theme_keys) > 1 for lesson in lessons)


def test_stream_matches_the_store_on_a_generated_dataset(default_store):
    """Many links per lesson, date ties, edits and the trash: chunk boundaries lose or move nothing."""
    generate_lessons(default_store, 150)
    store = default_store
    lessons = assert_same_as_today(store, LessonFilters(), chunk=16)
    assert {lesson.id: lesson for lesson in lessons} == {lesson.id: lesson for lesson in store.lessons.all()}
    assert any(len(lesson.relationship_ids) > 1 for lesson in lessons)
    assert any(len(lesson.citations) == 3 for lesson in lessons)
    assert any(lesson.finding == "Edited." and lesson.updated_by for lesson in lessons)
    trashed = assert_same_as_today(store, LessonFilters(in_trash=True), chunk=5)
    assert {lesson.id for lesson in trashed} == {lesson.id for lesson in store.lessons.trashed()}
    relationship = store.quadrangle.relationships()[1]
    theme = store.catalog.themes()[2].key
    narrowed = LessonFilters(relationship_id=relationship.id, theme_key=theme, date_to=date(2004, 8, 31))
    some = assert_same_as_today(store, narrowed, chunk=3)
    assert some and all(relationship.id in lesson.relationship_ids and theme in lesson.theme_keys for lesson in some)


def test_stream_of_nothing_yields_no_chunk(default_store):
    """A filter nothing meets gives no chunks (not one empty chunk)."""
    assert list(default_store.lessons.stream(LessonFilters(date_to=date(1900, 1, 1)))) == []
