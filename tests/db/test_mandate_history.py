"""An operation's mandate history: kept on every change of mandate, dated by the analyst, withdrawn by
an undo, and counted as newer evidence after an assessment."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from db import AuditFilter, OperationInput, OperationStatus, ReviewStatus, ValidationError, quadrangle_staleness


def _operation(store, acronym: str):
    return next(op for op in store.operations.all() if op.acronym == acronym)


def test_a_changed_mandate_is_kept_with_its_date_texts_and_author(default_store):
    """Changing EUFOR Tchad/RCA's mandate records the old and the new text, the day given and who."""
    chad = _operation(default_store, "EUFOR Tchad/RCA")
    draft = dataclasses.replace(
        OperationInput.from_record(chad), mandate="UNSC resolution 1834", mandate_effective=date(2008, 9, 24)
    )
    change = default_store.operations.update(chad.id, draft, chad.revision)
    assert change.mandate_change is not None
    history = default_store.operations.get(chad.id).mandate_history
    assert [(h.effective_on, h.old_mandate, h.new_mandate) for h in history] == [
        (date(2008, 9, 24), chad.mandate, "UNSC resolution 1834")
    ]
    assert history[0].recorded_by == default_store.actor
    entry = default_store.audit.entries(AuditFilter(entity_kind="operation"), limit=1)[0]
    assert "new mandate in effect from 2008-09-24" in entry.summary and "UNSC resolution 1834" in entry.summary


def test_the_effective_day_defaults_to_today_and_an_unchanged_mandate_adds_nothing(default_store):
    """With no date given the change takes effect today; editing only the notes keeps no history entry."""
    isaf = _operation(default_store, "ISAF")
    default_store.operations.update(
        isaf.id, dataclasses.replace(OperationInput.from_record(isaf), notes="Checked."), isaf.revision
    )
    assert default_store.operations.get(isaf.id).mandate_history == ()
    isaf = default_store.operations.get(isaf.id)
    default_store.operations.update(
        isaf.id, dataclasses.replace(OperationInput.from_record(isaf), mandate="UNSC 1386 and 1510"), isaf.revision
    )
    (only,) = default_store.operations.get(isaf.id).mandate_history
    assert only.effective_on == date.today()


def test_a_mandate_before_the_operation_started_is_refused_and_nothing_is_written(default_store):
    """A new mandate dated before the operation's start is refused in one line; the operation is unchanged."""
    chad = _operation(default_store, "EUFOR Tchad/RCA")
    draft = dataclasses.replace(
        OperationInput.from_record(chad), mandate="Something else", mandate_effective=date(2007, 1, 1)
    )
    with pytest.raises(ValidationError, match="before the operation started"):
        default_store.operations.update(chad.id, draft, chad.revision)
    after = default_store.operations.get(chad.id)
    assert after.mandate == chad.mandate and after.revision == chad.revision and after.mandate_history == ()


def test_withdrawing_the_change_on_undo_leaves_no_reverse_entry(default_store):
    """An undo of the edit puts the old mandate back and removes the entry instead of adding its reverse;
    a redo with the same id brings the very same entry back."""
    chad = _operation(default_store, "EUFOR Tchad/RCA")
    draft = dataclasses.replace(
        OperationInput.from_record(chad), mandate="UNSC resolution 1834", mandate_effective=date(2008, 9, 24)
    )
    change = default_store.operations.update(chad.id, draft, chad.revision)
    current = default_store.operations.get(chad.id)
    default_store.operations.update(
        chad.id,
        OperationInput.from_record(change.before),
        current.revision,
        withdraw_mandate_change_id=change.mandate_change.id,
    )
    undone = default_store.operations.get(chad.id)
    assert undone.mandate == chad.mandate and undone.mandate_history == ()
    redone = default_store.operations.update(
        chad.id, draft, undone.revision, mandate_change_id=change.mandate_change.id
    ).after
    assert [h.id for h in redone.mandate_history] == [change.mandate_change.id]


def test_a_mandate_change_after_the_assessment_is_newer_evidence(default_store):
    """UN–NATO, current just after the report, shows newer evidence once KFOR's mandate changed in 2008,
    and the sentence names it; before the change took effect it is still current."""
    kfor = _operation(default_store, "KFOR")
    assert {"UN", "NATO"} <= set(kfor.organization_codes)
    draft = dataclasses.replace(
        OperationInput.from_record(kfor), mandate="UNSC 1244, reconfigured", mandate_effective=date(2008, 6, 15)
    )
    default_store.operations.update(kfor.id, draft, kfor.revision)

    def un_nato(day: date):
        state = default_store.quadrangle.state_as_of(day)
        found = quadrangle_staleness(state, default_store.catalog.milestones(), default_store.operations.all())
        return next(found[r.relationship.id] for r in state.relationships if r.relationship.label == "UN–NATO")

    assert un_nato(date(2008, 6, 1)).status is ReviewStatus.CURRENT
    after = un_nato(date(2008, 7, 1))
    assert after.status is ReviewStatus.NEWER_EVIDENCE
    assert "mandate of KFOR changed on 2008-06-15" in after.newer_lines
    assert after.sentence.endswith("the newest: mandate of KFOR changed on 2008-06-15.")


def test_removing_a_new_operation_takes_its_history_with_it(mini_store):
    """Undoing the addition of an operation whose mandate was since changed leaves no orphan entry."""
    record = mini_store.operations.add(
        OperationInput(acronym="TEST", name="Test mission", status=OperationStatus.ONGOING)
    )
    draft = dataclasses.replace(OperationInput.from_record(record), mandate="New")
    changed = mini_store.operations.update(record.id, draft, record.revision).after
    assert len(changed.mandate_history) == 1
    mini_store.operations.retract(record.id)
    assert record.id not in {o.id for o in mini_store.operations.all()}


def test_a_recent_mandate_change_confirms_an_ongoing_operation(default_store):
    """ISAF, "not confirmed since" 2007 today, is plainly "Ongoing" once a mandate change took effect
    this year; a change dated after the view's date confirms nothing yet."""
    from db import operation_confirmation

    isaf = _operation(default_store, "ISAF")
    latest = default_store.operations.latest_lesson_days().get(isaf.id)
    assert operation_confirmation(isaf, date.today(), latest).endswith("not confirmed since")
    recent = date.today().replace(month=1, day=1)
    draft = dataclasses.replace(OperationInput.from_record(isaf), mandate="Renewed", mandate_effective=recent)
    changed = default_store.operations.update(isaf.id, draft, isaf.revision).after
    assert operation_confirmation(changed, date.today(), latest) == "Ongoing"
    assert operation_confirmation(changed, recent.replace(year=recent.year - 1), latest).endswith("not confirmed since")


def test_a_mandate_after_the_end_is_refused_and_a_correction_keeps_no_entry(mini_store):
    """An ended operation's new mandate cannot take effect after its end; a correction of the text is
    saved without an entry, and the audit log says it was a correction."""
    record = mini_store.operations.add(
        OperationInput(acronym="ENDED", name="Ended", status=OperationStatus.COMPLETED, start="2003-06", end="2003-09")
    )
    late = dataclasses.replace(OperationInput.from_record(record), mandate="New", mandate_effective=date(2004, 1, 1))
    with pytest.raises(ValidationError, match="after the operation ended"):
        mini_store.operations.update(record.id, late, record.revision)
    corrected = dataclasses.replace(OperationInput.from_record(record), mandate="Fixed", mandate_correction=True)
    after = mini_store.operations.update(record.id, corrected, record.revision).after
    assert after.mandate == "Fixed" and after.mandate_history == ()
    entry = mini_store.audit.entries(AuditFilter(entity_kind="operation"), limit=1)[0]
    assert "the mandate's text corrected" in entry.summary
