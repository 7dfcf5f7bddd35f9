"""Operations: add, edit with optimistic locking, trash and restore, relationships touched, field cooperation."""

from __future__ import annotations

import pytest

from db import ConflictError, OperationInput, OperationStatus, ValidationError


def draft(**changes) -> OperationInput:
    values = dict(
        acronym="EUFOR RD Congo",
        name="EU force in the DRC",
        status=OperationStatus.COMPLETED,
        location="DR Congo",
        lead_code="EU",
        organization_codes=("UN",),
        start="2006-07",
        end="2006-11",
    )
    values.update(changes)
    return OperationInput(**values)


def test_add_update_and_conflict(mini_store):
    """An operation is added, edited with a bumped revision, and a stale edit is refused."""
    record = mini_store.operations.add(draft())
    assert record.lead_code == "EU" and record.organization_codes == ("EU", "UN")
    change = mini_store.operations.update(record.id, draft(notes="Deterrent force."), record.revision)
    assert change.after.notes == "Deterrent force." and change.after.revision == 2
    with pytest.raises(ConflictError):
        mini_store.operations.update(record.id, draft(notes="Other."), record.revision)


def test_validation(mini_store):
    """Bad dates, an unknown organization and a taken acronym are refused with a reason."""
    with pytest.raises(ValidationError):
        mini_store.operations.add(draft(start="July 2006"))
    with pytest.raises(ValidationError, match="before it starts"):
        mini_store.operations.add(draft(start="2006-07", end="2005"))
    with pytest.raises(ValidationError, match="Unknown organization"):
        mini_store.operations.add(draft(lead_code="XX"))
    existing = mini_store.operations.all()[0]
    with pytest.raises(ValidationError, match="already exists"):
        mini_store.operations.add(draft(acronym=existing.acronym))


def test_trash_restore_and_retract(mini_store):
    """Deleting moves an operation to the trash; restore brings it back; undoing an add removes it."""
    record = mini_store.operations.add(draft())
    mini_store.operations.delete(record.id)
    assert record.id not in {o.id for o in mini_store.operations.all()}
    assert record.id in {o.id for o in mini_store.operations.all(in_trash=True)}
    mini_store.operations.restore(record.id)
    mini_store.operations.retract(record.id)
    assert record.id not in {o.id for o in mini_store.operations.all()}


def test_add_to_field_cooperation_and_relationships_touched(mini_store):
    """Adding an operation to a relationship's field cooperation shows in both directions; undo removes it."""
    record = mini_store.operations.add(draft())
    relationship = mini_store.quadrangle.relationships()[0]
    entry = mini_store.operations.add_to_cooperation(record.id, relationship.id)
    assert entry.operation_acronyms == ("EUFOR RD Congo",) and entry.start_year == 2006
    assert [r.id for r in mini_store.operations.relationships(record.id)] == [relationship.id]
    with pytest.raises(ValidationError):
        mini_store.operations.add_to_cooperation(record.id, relationship.id)
    mini_store.operations.remove_cooperation(entry.id)
    assert mini_store.operations.relationships(record.id) == []


def test_the_newest_lesson_per_operation_is_read_as_counting_would(default_store):
    """latest_lesson_days (one index seek per operation) equals the newest recorded_on of each
    operation's live lessons, a trashed newer lesson left out, and a ceiling honoured."""
    from collections import defaultdict
    from dataclasses import replace
    from datetime import date

    from db import LessonInput

    lessons = default_store.lessons.all()
    newest = max(lessons, key=lambda lesson: lesson.recorded_on)
    later = default_store.lessons.add(
        replace(LessonInput.from_record(newest), recorded_on=date(2026, 1, 1), marking="RESTRICTED")
    )
    trashed = default_store.lessons.add(replace(LessonInput.from_record(newest), recorded_on=date(2026, 2, 1)))
    default_store.lessons.delete(trashed.id)

    def expected(allowed) -> dict:
        found: dict = defaultdict(list)
        for lesson in default_store.lessons.all():
            if lesson.operation_id and lesson.marking in allowed:
                found[lesson.operation_id].append(lesson.recorded_on)
        return {op_id: max(days) for op_id, days in found.items()}

    assert default_store.operations.latest_lesson_days() == expected({"UNCLASSIFIED", "RESTRICTED"})
    assert default_store.operations.latest_lesson_days()[later.operation_id] == date(2026, 1, 1)
    limited = default_store.operations.latest_lesson_days(max_marking="UNCLASSIFIED")
    assert limited == expected({"UNCLASSIFIED"}) and limited[later.operation_id] < date(2026, 1, 1)
