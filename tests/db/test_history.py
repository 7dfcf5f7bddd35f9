"""Store history: saving, comparing, restoring, reversals, the audit log, drafts and sources."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db import (
    AssessmentInput,
    AuditFilter,
    CitationInput,
    Confidence,
    Motive,
    MotiveAssessment,
    Phase,
    SourceInput,
    ValidationError,
)


def _rel(store):
    return store.quadrangle.relationships()[0]


def _input(
    store, *, as_of=date(2010, 1, 1), phases=(Phase.MAINTENANCE,), summary="s", rationale="", weight=1, citations=()
):
    return AssessmentInput(
        relationship_id=_rel(store).id,
        as_of=as_of,
        phases=phases,
        confidence=Confidence.MODERATE,
        summary=summary,
        motives=tuple(
            MotiveAssessment(
                m, weight if m == Motive.LEGITIMIZATION else 0, "why" if m == Motive.LEGITIMIZATION else ""
            )
            for m in Motive
        ),
        citations=citations,
        reversal_rationale=rationale,
    )


def test_save_adds_a_version_and_keeps_the_old_ones(mini_store):
    """Saving records a new version by the store's actor and leaves every earlier version as it was."""
    before = mini_store.assessments.history(_rel(mini_store).id)
    saved = mini_store.assessments.save(_input(mini_store, summary="new"))
    after = mini_store.assessments.history(_rel(mini_store).id)
    assert after[:-1] == before
    assert after[-1] == saved and saved.recorded_by == "tester" and saved.summary == "new"


def test_problems_are_listed_per_field(mini_store):
    """Every broken rule is reported with the field it belongs to, not only the first."""
    draft = AssessmentInput(
        relationship_id="x",
        as_of=date.today() + timedelta(days=1),
        phases=(Phase.COURTSHIP, Phase.START_UP),
        confidence=Confidence.LOW,
        summary="",
        motives=(MotiveAssessment(Motive.SHARED_VALUES, 2, " "),),
    )
    problems = dict(mini_store.assessments.problems(draft))
    assert problems["as_of"].startswith("The assessment date is in the future")
    assert "adjacent" in problems["phases"]
    assert problems["shared_values"] == "Shared values is weighted 2: give its rationale."


def test_compare_versions_lists_changed_fields(mini_store):
    """Comparing the seeded 2003 and 2007 versions shows the phase, confidence and motive changes only."""
    first, second = mini_store.assessments.history(_rel(mini_store).id)
    diff = mini_store.history.compare_versions(first.id, second.id)
    assert diff.field("phase").before == "Start-up" and diff.field("phase").after == "Maintenance"
    assert diff.field("legitimization.weight").before == "0" and diff.field("legitimization.weight").after == "2"
    # Both were seeded from one dataset, so they share their recording time.
    assert set(diff.changed_keys) == {
        "as_of",
        "phase",
        "confidence",
        "summary",
        "resource_dependence.weight",
        "legitimization.weight",
        "legitimization.rationale",
        "citations",
    }
    assert not diff.field("marking").changed


def test_compare_dates_uses_the_version_in_force(mini_store):
    """The state on two dates compares the versions in force then; before any version a side is missing."""
    diff = mini_store.history.compare_dates(_rel(mini_store).id, date(2000, 1, 1), date(2005, 1, 1))
    assert diff.before is None and diff.field("phase").before == "—"
    assert diff.field("phase").after == "Start-up"
    same = mini_store.history.compare_dates(_rel(mini_store).id, date(2004, 1, 1), date(2006, 1, 1))
    assert same.changed_keys == ()


def test_compare_refuses_versions_of_two_relationships(default_store):
    """Versions of different relationships cannot be compared."""
    first, second = default_store.quadrangle.relationships()[:2]
    a = default_store.assessments.history(first.id)[0]
    b = default_store.assessments.history(second.id)[0]
    with pytest.raises(ValidationError, match="two different relationships"):
        default_store.history.compare_versions(a.id, b.id)


def test_restore_records_a_new_equal_version_in_force(mini_store):
    """Restoring the 2003 version adds a version equal to it, dated as the latest, marked restored."""
    rel = _rel(mini_store)
    first, second = mini_store.assessments.history(rel.id)
    restored = mini_store.history.restore_version(second.id)
    history = mini_store.assessments.history(rel.id)
    assert len(history) == 3 and history[-1] == restored
    assert restored.restored_from_id == second.id and restored.phases == second.phases
    assert restored.motives == second.motives and restored.citations[0].source_id == second.citations[0].source_id
    assert mini_store.quadrangle.state_as_of(date.today()).relationship(rel.id).assessment.id == restored.id


def test_restoring_an_earlier_phase_is_a_reversal_needing_a_rationale(mini_store):
    """Restoring the start-up version after maintenance is refused without a rationale, flagged with one."""
    first, _ = mini_store.assessments.history(_rel(mini_store).id)
    assert mini_store.history.would_restore_reverse(first.id)
    with pytest.raises(ValidationError, match="rationale for the reversal"):
        mini_store.history.restore_version(first.id)
    restored = mini_store.history.restore_version(first.id, reversal_rationale="Mission wound down")
    assert restored.is_reversal and restored.restored_from_id == first.id


def test_reversal_refused_without_rationale_then_listed_once(mini_store):
    """A move back a phase is refused without a rationale; with one it is listed exactly once."""
    assert mini_store.history.reversals() == []
    back = _input(mini_store, as_of=date(2009, 1, 1), phases=(Phase.START_UP,))
    assert mini_store.assessments.would_reverse(back)
    with pytest.raises(ValidationError):
        mini_store.assessments.save(back)
    assert mini_store.history.reversals() == []
    saved = mini_store.assessments.save(
        _input(mini_store, as_of=date(2009, 1, 1), phases=(Phase.START_UP,), rationale="Operations suspended")
    )
    reversals = mini_store.history.reversals()
    assert [r.id for r in reversals] == [saved.id]
    assert reversals[0].previous_phase_label == "Maintenance" and reversals[0].relationship_label == "UN–EU"
    assert reversals[0].version.reversal_rationale == "Operations suspended"


def test_default_dataset_has_no_reversals(default_store):
    """The report's observation that no relationship has been reversed is a query anyone can rerun."""
    assert default_store.history.reversals() == []


def test_retract_undoes_a_save(mini_store):
    """Retracting a just-saved version removes it and is logged."""
    saved = mini_store.assessments.save(_input(mini_store))
    mini_store.assessments.retract(saved.id)
    assert saved.id not in [v.id for v in mini_store.assessments.history(_rel(mini_store).id)]
    assert mini_store.audit.entries(AuditFilter(action="retract"))[0].entity_id == saved.id


def test_audit_log_filters(mini_store):
    """The audit log lists saves newest first and filters by actor, action, text and dates."""
    mini_store.assessments.save(_input(mini_store, summary="one"))
    mini_store.actor = "someone else"
    mini_store.assessments.save(_input(mini_store, summary="two"))
    everything = mini_store.audit.entries()
    assert everything[0].actor == "someone else" and everything[-1].action == "seed"
    assert [e.actor for e in mini_store.audit.entries(AuditFilter(actor="tester"))] == ["tester"]
    assert len(mini_store.audit.entries(AuditFilter(action="save"))) == 2
    assert len(mini_store.audit.entries(AuditFilter(text="un–eu assessment"))) == 2
    assert mini_store.audit.entries(AuditFilter(text="100%_")) == []
    assert mini_store.audit.entries(AuditFilter(until=date(2000, 1, 1))) == []
    assert len(mini_store.audit.entries(AuditFilter(since=date.today()))) == len(everything)
    assert len(mini_store.audit.entries(limit=1, offset=1)) == 1
    facets = mini_store.audit.facets()
    assert facets.actors == ("fixture", "someone else", "tester") and "save" in facets.actions


def test_drafts_are_kept_per_analyst_and_replaced(mini_store):
    """A draft is saved, replaced, read back only by its author, and discarded."""
    rel = _rel(mini_store).id
    assert mini_store.drafts.load("assessment", rel) is None
    mini_store.drafts.save("assessment", rel, {"summary": "a"})
    mini_store.drafts.save("assessment", rel, {"summary": "ab"})
    assert mini_store.drafts.load("assessment", rel).payload == {"summary": "ab"}
    mini_store.actor = "other"
    assert mini_store.drafts.load("assessment", rel) is None
    mini_store.actor = "tester"
    assert mini_store.drafts.discard("assessment", rel)
    assert mini_store.drafts.load("assessment", rel) is None
    assert not mini_store.drafts.discard("assessment", rel)


def test_add_and_remove_source(mini_store):
    """A new source gets a unique key, can be cited, and cannot be removed while cited."""
    first = mini_store.sources.add(SourceInput(authors="Tardy, T.", year="2005", title="Another"))
    assert first.key != "tardy-2005" and first in mini_store.sources.all()
    saved = mini_store.assessments.save(_input(mini_store, citations=(CitationInput(first.id, "12"),)))
    with pytest.raises(ValidationError, match="cited"):
        mini_store.sources.retract([first.id])
    mini_store.assessments.retract(saved.id)
    mini_store.sources.retract([first.id])
    assert first.id not in [s.id for s in mini_store.sources.all()]
    with pytest.raises(ValidationError, match="title"):
        mini_store.sources.add(SourceInput(authors="X", year="2001", title=" "))


def test_citable_sources_equal_the_catalog(default_store):
    """The fast source list gives exactly the catalog's records, in the same order."""
    assert default_store.sources.citable() == default_store.sources.all()
