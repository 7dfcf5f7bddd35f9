"""Organizations and relationships: adding one makes the quadrangle a pentagon; ids are stable."""

from __future__ import annotations

import pytest

from db import Store, ValidationError


def test_adding_an_organization_adds_its_relationships_with_all_others(default_store):
    """Four organizations have six relationships; a fifth brings four more."""
    default_store.quadrangle.add_organization(
        "OSCE", "Organization for Security and Co-operation in Europe", "regional"
    )
    relationships = default_store.quadrangle.relationships()
    assert len(relationships) == 10
    assert sum("OSCE" in r.codes for r in relationships) == 4
    assert len(default_store.quadrangle.state_as_of().relationships) == 10


def test_an_added_organization_can_be_removed_while_unused(default_store):
    """The inverse used by undo removes the organization and its relationships."""
    record = default_store.quadrangle.add_organization(
        "ECOWAS", "Economic Community of West African States", "regional"
    )
    default_store.quadrangle.remove_organization(record.id)
    assert len(default_store.quadrangle.relationships()) == 6


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [("un", "x", "global"), ("A B", "x", "global"), ("OSCE", "", "regional"), ("OSCE", "x", "local")],
)
def test_bad_organizations_are_refused(default_store, code, name, kind):
    """Taken or malformed codes, empty names and unknown kinds are refused with a reason."""
    with pytest.raises(ValidationError):
        default_store.quadrangle.add_organization(code, name, kind)
    assert len(default_store.quadrangle.organizations()) == 4


def test_two_databases_seeded_from_the_dataset_share_their_ids(tmp_path):
    """Deterministic ids let two workstations exchange records without duplicates."""
    with Store.open(tmp_path / "a.db") as first, Store.open(tmp_path / "b.db") as second:
        assert [r.id for r in first.quadrangle.relationships()] == [r.id for r in second.quadrangle.relationships()]
        assert [s.id for s in first.sources.all()] == [s.id for s in second.sources.all()]
        assert [lesson.id for lesson in first.lessons.all()] == [lesson.id for lesson in second.lessons.all()]


def test_relationship_names_are_understood_in_any_order(default_store):
    """ "EU-UN", "un/eu" and "UN–EU" name the same relationship."""
    ids = {default_store.quadrangle.find_relationship(text).id for text in ("EU-UN", "un/eu", "UN–EU")}
    assert len(ids) == 1
    with pytest.raises(ValidationError):
        default_store.quadrangle.find_relationship("UN-OSCE")


def test_layout_positions_are_saved_and_returned_for_undo(default_store):
    """set_layout returns the previous positions, which restore the layout when passed back."""
    un = default_store.quadrangle.organizations()[0]
    previous = default_store.quadrangle.set_layout({un.id: (10.0, 20.0)})
    assert (
        default_store.quadrangle.organizations()[0].layout_x,
        default_store.quadrangle.organizations()[0].layout_y,
    ) == (10.0, 20.0)
    default_store.quadrangle.set_layout(previous)
    assert default_store.quadrangle.organizations()[0].layout_x is None


def test_the_state_counts_lessons_and_ongoing_operations(default_store):
    """Each relationship carries its lesson count and the operations both organizations run at the date."""
    from datetime import date

    state = default_store.quadrangle.state_as_of(date(2007, 12, 31))
    un_nato = state.relationship(default_store.quadrangle.find_relationship("UN-NATO").id)
    assert un_nato.lesson_count >= 4
    assert un_nato.ongoing_operation_count >= 2  # KFOR/UNMIK and ISAF/UNAMA were running
    assert not un_nato.needs_review


def test_a_date_change_shows_sources_edited_since_the_last_one(default_store):
    """Assessment records are reused between date changes, but never with a stale source name."""
    from dataclasses import replace
    from datetime import date

    from db import SourceInput

    state = default_store.quadrangle.state_as_of(date(2007, 12, 31))
    citation = next(c for r in state.relationships if r.assessment for c in r.assessment.citations)
    source = next(s for s in default_store.sources.all() if s.id == citation.source_id)
    default_store.sources.update(
        source.id, replace(SourceInput.from_record(source), authors="Renamed, R."), source.revision
    )
    again = default_store.quadrangle.state_as_of(date(2007, 12, 31))
    shorts = {
        c.source_short
        for r in again.relationships
        if r.assessment
        for c in r.assessment.citations
        if c.source_id == source.id
    }
    assert shorts == {f"Renamed ({source.year})"}
