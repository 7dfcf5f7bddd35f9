"""Assessments are append-only versions; the state as of a date picks the version in force."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db import AssessmentInput, CitationInput, Confidence, Motive, MotiveAssessment, Phase, ValidationError


def _draft(store, *, as_of=date(2008, 3, 1), phases=(Phase.MAINTENANCE,), weights=None, rationale="why", **extra):
    relationship = store.quadrangle.find_relationship("UN-EU")
    weights = weights or {Motive.RESOURCE_DEPENDENCE: 3, Motive.SHARED_VALUES: 1}
    return AssessmentInput(
        relationship_id=relationship.id,
        as_of=as_of,
        phases=tuple(phases),
        confidence=Confidence.MODERATE,
        summary="Cooperation deepened in Chad.",
        motives=tuple(MotiveAssessment(m, weights.get(m, 0), rationale if weights.get(m, 0) else "") for m in Motive),
        **extra,
    )


def test_saving_adds_a_version_and_keeps_every_earlier_one(mini_store):
    """History only grows: the earlier versions are still there, unchanged."""
    relationship = mini_store.quadrangle.find_relationship("UN-EU")
    before = mini_store.assessments.history(relationship.id)
    saved = mini_store.assessments.save(_draft(mini_store))
    after = mini_store.assessments.history(relationship.id)
    assert after[:-1] == before
    assert after[-1] == saved
    assert saved.recorded_by == "tester"
    assert saved.present_motives == (Motive.RESOURCE_DEPENDENCE, Motive.SHARED_VALUES)


def test_the_state_as_of_a_date_uses_the_version_in_force_then(mini_store):
    """A version dated 2008 does not change what 2005 looked like."""
    relationship = mini_store.quadrangle.find_relationship("UN-EU")
    mini_store.assessments.save(_draft(mini_store, phases=(Phase.MAINTENANCE,)))
    assert mini_store.quadrangle.state_as_of(date(2005, 1, 1)).relationship(relationship.id).assessment.phases == (
        Phase.START_UP,
    )
    assert (
        mini_store.quadrangle.state_as_of(date(2008, 3, 1))
        .relationship(relationship.id)
        .assessment.summary.startswith("Cooperation")
    )


def test_known_at_shows_what_had_been_recorded_by_then(mini_store):
    """History as recorded: a version saved today is invisible to a view of what was known yesterday."""
    relationship = mini_store.quadrangle.find_relationship("UN-EU")
    saved = mini_store.assessments.save(_draft(mini_store))
    yesterday = saved.recorded_at - timedelta(days=1)
    known = mini_store.quadrangle.state_as_of(date(2008, 3, 1), known_at=yesterday).relationship(relationship.id)
    assert known.assessment.id != saved.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"as_of": date.today() + timedelta(days=1)}, "in the future"),
        ({"phases": (Phase.COURTSHIP, Phase.MAINTENANCE)}, "adjacent"),
        ({"rationale": ""}, "give its rationale"),
    ],
    ids=["future", "non-adjacent", "no-rationale"],
)
def test_invalid_assessments_are_refused_and_nothing_is_saved(mini_store, changes, message):
    """A specific one-line reason, and the history is unchanged."""
    relationship = mini_store.quadrangle.find_relationship("UN-EU")
    before = mini_store.assessments.history(relationship.id)
    with pytest.raises(ValidationError, match=message):
        mini_store.assessments.save(_draft(mini_store, **changes))
    assert mini_store.assessments.history(relationship.id) == before


def test_a_reversal_needs_a_rationale_and_is_flagged(mini_store):
    """Moving back from maintenance to start-up is refused without a reason, then recorded as a reversal."""
    with pytest.raises(ValidationError, match="reversal"):
        mini_store.assessments.save(_draft(mini_store, phases=(Phase.START_UP,)))
    saved = mini_store.assessments.save(
        _draft(mini_store, phases=(Phase.START_UP,), reversal_rationale="Mission closed early.")
    )
    assert saved.is_reversal and saved.reversal_rationale == "Mission closed early."


def test_citations_are_saved_with_their_locators(mini_store):
    """A cited source reads back as the report cites it: author (year: page)."""
    source = mini_store.sources.all()[0]
    saved = mini_store.assessments.save(_draft(mini_store, citations=(CitationInput(source.id, "51-53"),)))
    assert [c.text for c in saved.citations] == ["Tardy (2005: 51-53)"]


def test_retracting_a_save_restores_the_previous_history(mini_store):
    """The inverse of a save (used by undo) removes exactly that version."""
    relationship = mini_store.quadrangle.find_relationship("UN-EU")
    before = mini_store.assessments.history(relationship.id)
    saved = mini_store.assessments.save(_draft(mini_store))
    mini_store.assessments.retract(saved.id)
    assert mini_store.assessments.history(relationship.id) == before


def test_subscribers_hear_about_a_saved_version(mini_store):
    """Views learn of changes through events, after the commit."""
    heard = []
    mini_store.subscribe(heard.append)
    saved = mini_store.assessments.save(_draft(mini_store))
    assert heard and heard[-1].kind == "assessments" and saved.id in heard[-1].ids
