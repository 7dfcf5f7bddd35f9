"""Lessons in the store: create, edit with optimistic locking, trash, restore, purge, themes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from db import ConflictError, LessonFilters, LessonInput, LessonKind, NotFoundError, ValidationError
from db.search import overview as overview_module


def draft_for(store, **changes) -> LessonInput:
    relationship = store.quadrangle.relationships()[0]
    theme = store.catalog.themes()[0]
    values = dict(
        finding="Liaison officers arrived late.",
        kind=LessonKind.CHALLENGE,
        recorded_on=date(2008, 1, 10),
        relationship_ids=(relationship.id,),
        theme_keys=(theme.key,),
    )
    values.update(changes)
    return LessonInput(**values)


def test_add_lesson_returns_record_audited_and_emitted(mini_store):
    """A new lesson is readable, attributed to the analyst, and announced."""
    events = []
    mini_store.subscribe(events.append)
    record = mini_store.lessons.add(draft_for(mini_store, recommendation="Send them earlier."))
    assert mini_store.lessons.get(record.id).finding == "Liaison officers arrived late."
    assert record.created_by == "tester" and record.revision == 1
    assert events[-1].kind == "lessons" and record.id in events[-1].ids
    assert record.id in {lesson.id for lesson in mini_store.lessons.all()}


def test_update_bumps_revision_and_returns_before_and_after(mini_store):
    """An edit bumps the revision, stamps the editor and returns the values that undo it."""
    record = mini_store.lessons.add(draft_for(mini_store))
    change = mini_store.lessons.update(record.id, replace(draft_for(mini_store), finding="Edited."), record.revision)
    assert change.before.finding == "Liaison officers arrived late."
    assert change.after.finding == "Edited." and change.after.revision == 2 and change.after.updated_by == "tester"
    undo = mini_store.lessons.update(record.id, LessonInput.from_record(change.before), change.after.revision)
    assert undo.after.finding == "Liaison officers arrived late." and undo.after.revision == 3


def test_stale_expected_revision_raises_conflict_with_current(mini_store):
    """A save based on an old revision is refused and carries the record as it now stands."""
    record = mini_store.lessons.add(draft_for(mini_store))
    mini_store.lessons.update(record.id, replace(draft_for(mini_store), finding="First save."), record.revision)
    with pytest.raises(ConflictError) as caught:
        mini_store.lessons.update(record.id, replace(draft_for(mini_store), finding="Second save."), record.revision)
    assert caught.value.current.finding == "First save."
    assert mini_store.lessons.get(record.id).finding == "First save."


def test_delete_moves_to_trash_and_restore_brings_back(mini_store):
    """Deleting hides a lesson in the trash; restoring brings it back unchanged."""
    record = mini_store.lessons.add(draft_for(mini_store))
    trashed = mini_store.lessons.delete(record.id, record.revision)
    assert trashed.deleted_at is not None
    assert record.id not in {lesson.id for lesson in mini_store.lessons.all()}
    assert [lesson.id for lesson in mini_store.lessons.trashed()] == [record.id]
    mini_store.lessons.restore(record.id)
    assert record.id in {lesson.id for lesson in mini_store.lessons.all()}
    assert mini_store.lessons.trashed() == []
    assert mini_store.lessons.check_search() == []


def test_purge_only_from_trash(mini_store):
    """Nothing is destroyed without first going to the trash."""
    record = mini_store.lessons.add(draft_for(mini_store))
    with pytest.raises(ValidationError):
        mini_store.lessons.purge(record.id)
    mini_store.lessons.delete(record.id)
    mini_store.lessons.purge(record.id)
    with pytest.raises(NotFoundError):
        mini_store.lessons.get(record.id)


def test_validation_rejects_empty_finding_and_unknown_theme(mini_store):
    """A lesson needs a finding, a relationship and known themes."""
    with pytest.raises(ValidationError, match="finding"):
        mini_store.lessons.add(draft_for(mini_store, finding="  "))
    with pytest.raises(ValidationError, match="theme"):
        mini_store.lessons.add(draft_for(mini_store, theme_keys=("no-such-theme",)))
    with pytest.raises(ValidationError, match="relationship"):
        mini_store.lessons.add(draft_for(mini_store, relationship_ids=()))


def test_retract_removes_an_added_lesson_unless_edited(mini_store):
    """Undoing an add removes the lesson, but not once someone else edited it."""
    record = mini_store.lessons.add(draft_for(mini_store))
    mini_store.lessons.update(record.id, replace(draft_for(mini_store), finding="Edited."), 1)
    with pytest.raises(ConflictError):
        mini_store.lessons.retract(record.id, expected_revision=1)
    mini_store.lessons.retract(record.id, expected_revision=2)
    with pytest.raises(NotFoundError):
        mini_store.lessons.get(record.id)


def test_add_theme_extends_vocabulary_and_filters(mini_store):
    """A user-added theme can be given to lessons and filtered on."""
    theme = mini_store.catalog.add_theme("Route clearance")
    assert theme.key == "route_clearance" and theme in mini_store.catalog.themes()
    record = mini_store.lessons.add(draft_for(mini_store, theme_keys=(theme.key,)))
    page = mini_store.lessons.search("", LessonFilters(theme_key=theme.key))
    assert [hit.lesson.id for hit in page.hits] == [record.id]
    with pytest.raises(ValidationError):
        mini_store.catalog.remove_theme(theme.id)


def test_filters_select_the_right_rows(default_store):
    """Each browser filter narrows the lessons to the ones that match it."""
    store = default_store
    relationships = {r.key: r for r in store.quadrangle.relationships()}
    un_eu = relationships["UN-EU"]
    page = store.lessons.search("", LessonFilters(relationship_id=un_eu.id), limit=1000)
    assert page.hits and all(un_eu.id in h.lesson.relationship_ids for h in page.hits)
    au = next(o for o in store.quadrangle.organizations() if o.code == "AU")
    page = store.lessons.search("", LessonFilters(organization_id=au.id), limit=1000)
    au_relationships = {r.id for r in store.quadrangle.relationships() if "AU" in r.codes}
    assert page.hits and all(set(h.lesson.relationship_ids) & au_relationships for h in page.hits)
    successes = store.lessons.search("", LessonFilters(kind=LessonKind.SUCCESS), limit=1000).hits
    assert successes and all(h.lesson.kind == LessonKind.SUCCESS for h in successes)
    # Every lesson of the default dataset is dated 2007-12-31: add one on each side of 2006 and one
    # inside it, so the date filter has something to keep and something to leave out.
    edges = [date(2005, 12, 31), date(2006, 1, 1), date(2006, 12, 31), date(2007, 1, 1)]
    added = {day: store.lessons.add(draft_for(store, recorded_on=day)).id for day in edges}
    dated = store.lessons.search(
        "", LessonFilters(date_from=date(2006, 1, 1), date_to=date(2006, 12, 31)), limit=1000
    ).hits
    assert {h.lesson.id for h in dated} == {added[date(2006, 1, 1)], added[date(2006, 12, 31)]}  # both ends kept
    operation = next(o for o in store.operations.all() if any(x.operation_id == o.id for x in store.lessons.all()))
    ops = store.lessons.search("", LessonFilters(operation_id=operation.id), limit=1000).hits
    of_operation = {lesson.id for lesson in store.lessons.all() if lesson.operation_id == operation.id}
    assert {h.lesson.id for h in ops} == of_operation and len(of_operation) < len(store.lessons.all())
    total = store.lessons.count()
    assert total == len(store.lessons.all())


def test_pages_are_disjoint_and_complete(default_store):
    """Paging through the browser's order visits every lesson exactly once."""
    seen = []
    offset = 0
    while True:
        page = default_store.lessons.search("", limit=10, offset=offset)
        seen.extend(h.lesson.id for h in page.hits)
        if not page.has_more:
            break
        offset += 10
    assert sorted(seen) == sorted(lesson.id for lesson in default_store.lessons.all())


def test_theme_overview_counts_match_filters(default_store):
    """Each cell of the overview equals the number of lessons the browser shows for it, after edits too."""
    store = default_store
    lessons = store.lessons.all()
    store.lessons.delete(lessons[0].id)
    change = store.lessons.update(
        lessons[1].id, replace(LessonInput.from_record(lessons[1]), theme_keys=("mandate",)), lessons[1].revision
    )
    assert change.after.theme_keys == ("mandate",)
    assert store.lessons.check_search() == []
    if store.location.is_sqlite:  # the maintained counts live beside SQLite's index; a server counts directly
        with store.database.read() as session:
            assert dict(overview_module.counts_by_merge(session)) == overview_module.kept_counts(session)
    overview = default_store.lessons.theme_overview()
    assert overview.counts
    (theme_key, rel_id), count = next(iter(overview.counts.items()))
    page = default_store.lessons.search("", LessonFilters(theme_key=theme_key, relationship_id=rel_id), limit=1000)
    assert len(page.hits) == count
