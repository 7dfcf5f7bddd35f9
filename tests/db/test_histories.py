"""Every relationship's assessment history in one read (`store.assessments.histories`): the same
versions, values and order as `history` gives one relationship at a time."""

from __future__ import annotations

from datetime import date

from db import AssessmentInput, CitationInput, Confidence, Motive, MotiveAssessment, Phase


def save_version(store, relationship_id: str, as_of: date, phase: Phase, weight: int) -> None:
    source = store.sources.all()[0]
    store.assessments.save(
        AssessmentInput(
            relationship_id=relationship_id,
            as_of=as_of,
            phases=(phase,),
            confidence=Confidence.HIGH,
            summary=f"Version of {as_of.isoformat()}",
            motives=tuple(MotiveAssessment(m, weight, "because" if weight else "") for m in Motive),
            citations=(CitationInput(source.id, locator="7"),),
            reversal_rationale="The relationship stepped back.",
        )
    )


def test_histories_equal_each_relationship_history_on_the_default_dataset(default_store):
    """Every relationship with versions, each list equal to its `history`, record for record."""
    histories = default_store.assessments.histories()
    expected = {}
    for relationship in default_store.quadrangle.relationships():
        versions = default_store.assessments.history(relationship.id)
        if versions:
            expected[relationship.id] = versions
    assert histories == expected
    assert sum(len(v) for v in histories.values()) > len(histories) > 1


def test_histories_after_new_versions_and_for_chosen_relationships(default_store):
    """Versions saved later (two on one date, one dated before the others) come in `history`'s
    order; asking for some relationships gives those only."""
    relationships = default_store.quadrangle.relationships()
    first, second = relationships[0].id, relationships[-1].id
    save_version(default_store, first, date(2009, 5, 1), Phase.MAINTENANCE, 2)
    save_version(default_store, first, date(2009, 5, 1), Phase.MAINTENANCE, 3)
    save_version(default_store, first, date(1999, 1, 1), Phase.COURTSHIP, 1)
    save_version(default_store, second, date(2010, 2, 1), Phase.COURTSHIP, 0)
    everything = default_store.assessments.histories()
    for relationship in relationships:
        assert everything.get(relationship.id, []) == default_store.assessments.history(relationship.id)
    chosen = default_store.assessments.histories([first, second])
    assert set(chosen) == {first, second}
    assert chosen[first] == default_store.assessments.history(first)
    assert [v.summary for v in chosen[first][-2:]] == ["Version of 2009-05-01"] * 2
    assert default_store.assessments.histories([]) == {}


def test_previous_versions_are_the_latest_earlier_allowed_ones(default_store):
    """The version before each given one: described earlier, the latest of those (the one recorded
    last on a shared date), never the version itself, and only among markings the filter allows;
    it equals picking from the whole history."""
    relationships = default_store.quadrangle.relationships()
    first = relationships[0].id
    save_version(default_store, first, date(2009, 5, 1), Phase.MAINTENANCE, 2)
    save_version(default_store, first, date(2009, 5, 1), Phase.MAINTENANCE, 3)
    save_version(default_store, first, date(2010, 1, 1), Phase.MAINTENANCE, 1)
    history = default_store.assessments.history(first)
    current = {first: history[-1]}
    previous = default_store.assessments.previous_versions(current)
    assert previous[first] == history[-2]
    assert previous[first].motives == history[-2].motives  # the full record, motive weight 3
    # With every relationship's version in force: the same as choosing from each history.
    histories = default_store.assessments.histories()
    latest = {rel: versions[-1] for rel, versions in histories.items()}
    expected = {}
    for rel, versions in histories.items():
        earlier = [v for v in versions if v.as_of < latest[rel].as_of and v.id != latest[rel].id]
        if earlier:
            expected[rel] = max(earlier, key=lambda v: (v.as_of, v.recorded_at))
    assert default_store.assessments.previous_versions(latest) == expected
    # A filter that refuses every marking leaves none; the first version has none before it.
    assert default_store.assessments.previous_versions(latest, lambda marking: False) == {}
    assert default_store.assessments.previous_versions({first: history[0]}) == {}
