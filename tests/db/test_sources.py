"""The sources library: add, edit with optimistic locking, trash and restore, cited-by, undo of imports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from db import CitationInput, ConflictError, LessonInput, LessonKind, SourceInput, ValidationError


def test_add_derives_key_and_update_detects_conflict(mini_store):
    """A source without a key gets an author-year key; a stale revision is refused."""
    record = mini_store.sources.add(SourceInput(authors="Osland, K.", year="2004", title="The EU Police Mission"))
    assert record.key == "osland-2004"
    draft = SourceInput.from_record(record)
    change = mini_store.sources.update(record.id, replace(draft, place="Oslo"), record.revision)
    assert change.after.place == "Oslo" and change.after.revision == 2
    with pytest.raises(ConflictError) as caught:
        mini_store.sources.update(record.id, replace(draft, place="Bergen"), record.revision)
    assert caught.value.current.place == "Oslo"


def test_duplicate_key_is_refused(mini_store):
    """Two sources cannot share a key."""
    existing = mini_store.sources.all()[0]
    with pytest.raises(ValidationError, match="already used"):
        mini_store.sources.add(SourceInput(authors="X", year="2001", title="T", key=existing.key))


def test_cited_by_lists_assessments_and_lessons(mini_store):
    """ "Cited by" names every assessment and lesson that cites the source."""
    source = mini_store.sources.all()[0]
    relationship = mini_store.quadrangle.relationships()[0]
    lesson = mini_store.lessons.add(
        LessonInput(
            finding="Handover went smoothly.",
            kind=LessonKind.SUCCESS,
            recorded_on=date(2007, 1, 1),
            relationship_ids=(relationship.id,),
            theme_keys=(mini_store.catalog.themes()[0].key,),
            citations=(CitationInput(source.id, "55"),),
        )
    )
    cited = mini_store.sources.cited_by(source.id)
    kinds = {c.owner_kind for c in cited}
    assert ("lesson", lesson.id, "55") in {(c.owner_kind, c.owner_id, c.locator) for c in cited}
    assert "lesson" in kinds
    assert mini_store.sources.citation_counts()[source.id] == len(cited)


def test_trash_restore_and_retract(mini_store):
    """A source moves to the trash and back; undoing an add removes it; a cited source is not removed."""
    record = mini_store.sources.add(SourceInput(authors="Able, A.", year="2001", title="T"))
    mini_store.sources.delete(record.id)
    assert record.id not in {s.id for s in mini_store.sources.all()}
    assert record.id in {s.id for s in mini_store.sources.all(in_trash=True)}
    mini_store.sources.restore(record.id)
    mini_store.sources.retract([record.id])
    assert record.id not in {s.id for s in mini_store.sources.all()}
    cited = mini_store.sources.all()[0]
    with pytest.raises(ValidationError):
        mini_store.sources.retract([cited.id])


def test_an_edit_is_audited_with_each_changed_field_before_and_after(mini_store):
    """Editing a source logs the fields changed with their old and new values, and nothing else."""
    from db import AuditFilter

    record = mini_store.sources.add(SourceInput(authors="Osland, K.", year="2004", title="The EU Police Mission"))
    draft = replace(SourceInput.from_record(record), place="Oslo", title="The EU Police Mission in Bosnia")
    mini_store.sources.update(record.id, draft, record.revision)
    entry = mini_store.audit.entries(AuditFilter(action="edit", entity_kind="source"), limit=1)[0]
    assert entry.summary == (
        "Edited source osland-2004 — title: “The EU Police Mission” → “The EU Police Mission in Bosnia”; "
        "place: (empty) → “Oslo”"
    )
    unchanged = mini_store.sources.get(record.id)
    mini_store.sources.update(record.id, SourceInput.from_record(unchanged), unchanged.revision)
    latest = mini_store.audit.entries(AuditFilter(action="edit", entity_kind="source"), limit=1)[0]
    assert latest.summary == "Edited source osland-2004 — no field changed"
