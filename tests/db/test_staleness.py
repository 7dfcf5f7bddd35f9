"""Staleness that tells the truth: review status on the view's date and operations not confirmed lately."""

from __future__ import annotations

import dataclasses
from datetime import date

from db import OperationStatus, ReviewStatus, operation_confirmation, quadrangle_staleness
from db.staleness import months_between


def _statuses(store, day: date, months: int = 12) -> dict[str, ReviewStatus]:
    state = store.quadrangle.state_as_of(day)
    found = quadrangle_staleness(state, store.catalog.milestones(), store.operations.all(), months)
    return {r.relationship.label: found[r.relationship.id].status for r in state.relationships}


def test_every_2007_assessment_is_due_for_review_today(default_store):
    """On today's date the report's assessments (end of 2007) are all due for review, none "current";
    UN–EU's says more: EUFOR Tchad/RCA began after it (2008-01-28), so it shows that newer evidence."""
    statuses = _statuses(default_store, date.today())
    assert statuses.pop("UN–EU") == ReviewStatus.NEWER_EVIDENCE
    assert set(statuses.values()) == {ReviewStatus.DUE}


def test_just_after_the_report_the_assessments_are_current(default_store):
    """The day after the report's assessments, nothing is old and nothing newer is recorded."""
    assert set(_statuses(default_store, date(2008, 1, 1)).values()) == {ReviewStatus.CURRENT}


def test_never_assessed_is_its_own_status(default_store):
    """In 2001 the AU's relationships have no assessment: "never assessed", not "newer evidence"."""
    statuses = _statuses(default_store, date(2001, 6, 1))
    assert statuses["UN–AU"] == ReviewStatus.NEVER_ASSESSED
    assert statuses["UN–NATO"] == ReviewStatus.NEWER_EVIDENCE


def test_a_zero_interval_turns_the_age_mark_off(default_store):
    """With the interval at 0 an old assessment is no longer due (the Preferences' "never")."""
    assert ReviewStatus.DUE not in _statuses(default_store, date.today(), months=0).values()


def test_an_operation_starting_counts_as_newer_evidence(default_store):
    """EUFOR Tchad/RCA (UN and EU, 2008) is newer evidence for UN–EU once it is under way, named in the
    sentence; while it is only planned it is not."""
    state = default_store.quadrangle.state_as_of(date(2008, 2, 1))  # after its launch on 28 January
    un_eu = next(r for r in state.relationships if r.relationship.label == "UN–EU")
    chad = next(op for op in default_store.operations.all() if op.acronym == "EUFOR Tchad/RCA")
    assert {"UN", "EU"} <= set(chad.organization_codes) and chad.status is OperationStatus.ONGOING
    planned = quadrangle_staleness(state, [], [dataclasses.replace(chad, status=OperationStatus.PLANNED)])
    assert planned[un_eu.relationship.id].status is ReviewStatus.CURRENT
    started = chad
    found = quadrangle_staleness(state, [], [started])[un_eu.relationship.id]
    assert found.status is ReviewStatus.NEWER_EVIDENCE
    assert found.short_label == "1 newer item"
    assert "the newest: EUFOR Tchad/RCA starting on 2008-01-28." in found.sentence


def test_ongoing_operations_say_when_they_were_last_confirmed(default_store):
    """Today ISAF is "Ongoing as of 2007, not confirmed since"; in mid-2007 it is plainly "Ongoing"."""
    operations = {op.acronym: op for op in default_store.operations.all()}
    latest = default_store.operations.latest_lesson_days()
    isaf = operations["ISAF"]
    assert operation_confirmation(isaf, date.today(), latest.get(isaf.id)) == "Ongoing as of 2007, not confirmed since"
    assert operation_confirmation(isaf, date(2007, 6, 1), latest.get(isaf.id)) == "Ongoing"
    unamid = operations["UNAMID"]
    assert operation_confirmation(unamid, date(2007, 6, 1), latest.get(unamid.id)) == "Not yet started"
    assert operation_confirmation(operations["UNPROFOR"], date.today()) == "Ended"


def test_months_between_counts_whole_months():
    """A month is complete only on the same day of the month or later."""
    assert months_between(date(2007, 12, 31), date(2008, 12, 30)) == 11
    assert months_between(date(2007, 12, 31), date(2008, 12, 31)) == 12
    assert months_between(date(2008, 1, 1), date(2007, 1, 1)) == 0
