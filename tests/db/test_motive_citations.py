"""Citations per motive: an assessment version's citation may support one motive's rationale; the
store saves, reads, compares and restores them, and migration 0008 keeps every older citation."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine

from db import (
    AssessmentInput,
    CitationInput,
    Confidence,
    Motive,
    MotiveAssessment,
    Phase,
    SourceInput,
    Store,
    ValidationError,
)
from db.migrate import HEAD_REVISION, alembic_config


def _draft(store, citations, *, as_of=date(2008, 3, 1)):
    relationship = store.quadrangle.find_relationship("UN-EU")
    weights = {Motive.RESOURCE_DEPENDENCE: 3, Motive.SHARED_VALUES: 1}
    return AssessmentInput(
        relationship_id=relationship.id,
        as_of=as_of,
        phases=(Phase.MAINTENANCE,),
        confidence=Confidence.MODERATE,
        summary="Cooperation deepened in Chad.",
        motives=tuple(MotiveAssessment(m, weights.get(m, 0), "why" if weights.get(m, 0) else "") for m in Motive),
        citations=tuple(citations),
    )


def _two_sources(store):
    first = store.sources.citable()[0]
    second = store.sources.add(SourceInput(authors="Tardy, T.", year="2005", title="EU-UN cooperation"))
    return first, second


def test_a_saved_version_keeps_each_motive_its_own_citations(mini_store):
    """Citations saved for "resource dependence" come back under that motive, the rest under the whole assessment."""
    first, second = _two_sources(mini_store)
    saved = mini_store.assessments.save(
        _draft(
            mini_store,
            [
                CitationInput(first.id, "12", motive=Motive.RESOURCE_DEPENDENCE),
                CitationInput(second.id, "3"),
                CitationInput(second.id, "49", "quoted", motive=Motive.RESOURCE_DEPENDENCE),
            ],
        )
    )
    again = mini_store.assessments.get(saved.id)
    assert [(c.source_id, c.locator) for c in again.motive_citations(Motive.RESOURCE_DEPENDENCE)] == [
        (first.id, "12"),
        (second.id, "49"),
    ]
    assert [(c.source_id, c.locator, c.motive) for c in again.whole_citations] == [(second.id, "3", None)]
    assert again.motive_citations(Motive.SHARED_VALUES) == ()
    assert len(again.citations) == 3  # `citations` holds all of them, for readers that list every source


def test_a_restored_version_copies_its_motive_citations(mini_store):
    """Restoring a version re-records each citation under the motive it supported."""
    first, second = _two_sources(mini_store)
    original = mini_store.assessments.save(
        _draft(mini_store, [CitationInput(first.id, "7", motive=Motive.RESOURCE_DEPENDENCE), CitationInput(second.id)])
    )
    mini_store.assessments.save(_draft(mini_store, [], as_of=date(2008, 6, 1)))
    restored = mini_store.history.restore_version(original.id)
    assert [(c.source_id, c.locator, c.motive) for c in restored.citations] == [
        (first.id, "7", Motive.RESOURCE_DEPENDENCE),
        (second.id, "", None),
    ]


def test_comparing_versions_shows_a_motive_citation_change_on_its_motive(mini_store):
    """The comparison has a row per motive's citations, apart from the whole assessment's."""
    first, _ = _two_sources(mini_store)
    before = mini_store.assessments.save(_draft(mini_store, []))
    after = mini_store.assessments.save(
        _draft(mini_store, [CitationInput(first.id, "12", motive=Motive.RESOURCE_DEPENDENCE)], as_of=date(2008, 4, 1))
    )
    diff = mini_store.history.compare_versions(before.id, after.id)
    row = diff.field("resource_dependence.citations")
    assert row.label == "Resource dependence: citations"
    assert row.before == "" and row.after.endswith(": 12)")
    assert not diff.field("citations").changed


def test_undoing_a_save_removes_its_motive_citations(mini_store):
    """Retracting a version leaves no motive citation behind."""
    first, _ = _two_sources(mini_store)
    saved = mini_store.assessments.save(
        _draft(mini_store, [CitationInput(first.id, "1", motive=Motive.RESOURCE_DEPENDENCE)])
    )
    mini_store.assessments.retract(saved.id)
    relationship = mini_store.quadrangle.find_relationship("UN-EU")
    history = mini_store.assessments.history(relationship.id)
    assert saved.id not in {v.id for v in history}
    assert not any(c.motive for v in history for c in v.citations)


def test_a_bad_page_of_one_motive_is_reported_on_that_motive(mini_store):
    """An over-long locator of a motive citation is the problem of that motive's citations, and refused."""
    first, _ = _two_sources(mini_store)
    draft = _draft(mini_store, [CitationInput(first.id, "x" * 101, motive=Motive.RESOURCE_DEPENDENCE)])
    assert [key for key, _ in mini_store.assessments.problems(draft)] == ["citations.resource_dependence"]
    with pytest.raises(ValidationError):
        mini_store.assessments.save(draft)


def test_a_citation_naming_no_known_motive_is_refused(mini_store):
    """A motive that is not one of the vocabulary's is refused with one line, nothing written."""
    first, _ = _two_sources(mini_store)
    draft = _draft(mini_store, [CitationInput(first.id, "1", motive="greed")])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="unknown motive"):
        mini_store.assessments.save(draft)


def _everything_cited(store):
    versions = {v.id: v for r in store.quadrangle.relationships() for v in store.assessments.history(r.id)}
    lessons = {lesson.id: lesson.citations for lesson in store.lessons.all()}
    return versions, lessons


def test_a_0007_database_is_migrated_without_losing_a_citation(default_db_path):
    """Downgraded to 0007 (no motive column) and opened again, every assessment and lesson keeps its
    citations, all of them citing the whole assessment."""
    with Store.open(default_db_path) as store:
        versions, lessons = _everything_cited(store)
    assert sum(len(v.citations) for v in versions.values()) > 10
    engine = create_engine(f"sqlite:///{default_db_path}")
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_founded")
        connection.commit()
    engine.dispose()
    with sqlite3.connect(default_db_path) as raw:
        assert "motive" not in {row[1] for row in raw.execute("PRAGMA table_info(citations)")}
        count_0007 = raw.execute("SELECT count(*) FROM citations").fetchone()[0]
    with Store.open(default_db_path) as store:
        migrated_versions, migrated_lessons = _everything_cited(store)
    with sqlite3.connect(default_db_path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        assert raw.execute("SELECT count(*) FROM citations").fetchone()[0] == count_0007
    assert migrated_versions == versions
    assert migrated_lessons == lessons
    assert all(c.motive is None for v in migrated_versions.values() for c in v.citations)


def test_the_startup_snapshot_keeps_a_citation_s_motive(mini_store):
    """The state written to the start-up snapshot and read back still ties the citation to its motive."""
    from db import snapshot
    from db.records import QuadrangleState

    first, _ = _two_sources(mini_store)
    mini_store.assessments.save(_draft(mini_store, [CitationInput(first.id, "9", motive=Motive.RESOURCE_DEPENDENCE)]))
    relationship = mini_store.quadrangle.find_relationship("UN-EU")
    state = mini_store.quadrangle.state_as_of(date(2008, 3, 1))
    decoded = snapshot.decode(QuadrangleState, snapshot.encode(state))
    assert decoded == state
    cited = decoded.relationship(relationship.id).assessment.motive_citations(Motive.RESOURCE_DEPENDENCE)
    assert [(c.source_id, c.locator) for c in cited] == [(first.id, "9")]
