"""The store behaves the same on both engines: every test here runs on SQLite and on PostgreSQL
(see tests/conftest.py), and one test opens the default dataset on both and compares every read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from db import (
    AssessmentInput,
    Confidence,
    DatabaseOpenError,
    Motive,
    MotiveAssessment,
    Phase,
    StorageError,
    Store,
    ValidationError,
    models,
)
from db.migrate import HEAD_REVISION, current_revision

DATES = (date(1995, 6, 30), date(2003, 6, 30), date(2005, 1, 1), date(2007, 12, 31), date(2012, 6, 1), date(2024, 1, 1))


def _draft(relationship_id: str, as_of: date, phase: Phase = Phase.MAINTENANCE, **extra) -> AssessmentInput:
    return AssessmentInput(
        relationship_id=relationship_id,
        as_of=as_of,
        phases=(phase,),
        confidence=Confidence.MODERATE,
        summary=extra.pop("summary", "Joint planning cell set up."),
        motives=(MotiveAssessment(Motive.RESOURCE_DEPENDENCE, 2, "Airlift."),),
        **extra,
    )


def test_seeded_store_reads_its_dataset(mini_store):
    """A seeded store gives the dataset's organizations and the version in force on a date."""
    assert [o.code for o in mini_store.quadrangle.organizations()] == ["UN", "EU"]
    (row,) = mini_store.quadrangle.comparison_table(date(2008, 1, 1))
    assert (row.label, row.phases, row.last_assessed) == ("UN–EU", ("maintenance",), date(2007, 12, 31))
    (early,) = mini_store.quadrangle.comparison_table(date(2004, 1, 1))
    assert early.phases == ("start-up",)
    assert mini_store.quadrangle.history_span() == (date(2003, 6, 30), date(2007, 12, 31))


def test_reopening_keeps_the_schema_at_head(mini_store):
    """A second Store on the same database finds it migrated and seeded, and seeds nothing twice."""
    with Store.open(mini_store.location.url, actor="second", read_only=True) as again:
        assert len(again.quadrangle.organizations()) == 2
        with again.database.engine.connect() as connection:
            assert current_revision(connection) == HEAD_REVISION


def test_saved_assessment_keeps_dates_and_utc_times(mini_store):
    """A saved version comes back with its date, an aware UTC recording time and its analyst."""
    (rel,) = mini_store.quadrangle.relationships()
    before = datetime.now(UTC)
    saved = mini_store.assessments.save(_draft(rel.id, date(2010, 3, 31)))
    history = mini_store.assessments.history(rel.id)
    assert history[-1] == saved
    assert saved.as_of == date(2010, 3, 31)
    assert saved.recorded_at.tzinfo is not None and saved.recorded_at.utcoffset().total_seconds() == 0
    assert before <= saved.recorded_at <= datetime.now(UTC)
    assert saved.recorded_by == "tester"
    assert mini_store.quadrangle.state_as_of(date(2011, 1, 1)).relationships[0].assessment.id == saved.id


def test_latest_recorded_wins_among_versions_of_the_same_day(mini_store):
    """The window-function query picks the later recording when two versions describe the same day."""
    (rel,) = mini_store.quadrangle.relationships()
    mini_store.assessments.save(_draft(rel.id, date(2009, 1, 1), summary="first"))
    second = mini_store.assessments.save(_draft(rel.id, date(2009, 1, 1), summary="second"))
    state = mini_store.quadrangle.state_as_of(date(2009, 1, 1), known_at=datetime.now(UTC))
    assert state.relationships[0].assessment.id == second.id


def test_new_organization_pairs_are_stored_smaller_id_first(mini_store):
    """Adding an organization creates its relationships with the pair ordered as the CHECK wants."""
    added = mini_store.quadrangle.add_organization("AU", "African Union", "regional")
    with mini_store.database.read() as s:
        pairs = s.execute(text("SELECT org_a_id, org_b_id FROM relationships")).all()
    assert len(pairs) == 3
    assert all(a < b for a, b in pairs)
    assert any(added.id in pair for pair in pairs)


def test_check_constraints_hold_on_the_engine(mini_store):
    """The unordered-pair and motive-weight CHECK constraints are enforced by the database itself."""
    ids = sorted(o.id for o in mini_store.quadrangle.organizations())
    with pytest.raises(StorageError), mini_store.database.write() as s:  # noqa: PT012 - the commit is what fails
        s.add(models.Relationship(org_a_id=ids[1], org_b_id=ids[0], position=9, created_at=datetime.now(UTC)))
        s.flush()
    with pytest.raises((IntegrityError, StorageError)), mini_store.database.write() as s:  # noqa: PT012
        version = s.scalars(text("SELECT id FROM assessment_versions")).first()
        s.execute(text("UPDATE assessment_motives SET weight = 7 WHERE version_id = :v"), {"v": version})


def test_rejected_save_writes_nothing(mini_store):
    """A save refused by a domain rule leaves the store exactly as it was, on either engine."""
    (rel,) = mini_store.quadrangle.relationships()
    before = mini_store.assessments.history(rel.id)
    with pytest.raises(ValidationError):
        mini_store.assessments.save(_draft(rel.id, date(2009, 1, 1), Phase.ENDING))  # a reversal needs a rationale
    assert mini_store.assessments.history(rel.id) == before


def test_audit_entries_name_the_analyst(mini_store):
    """Every change in the audit log names the analyst of the store that made it."""
    (rel,) = mini_store.quadrangle.relationships()
    mini_store.assessments.save(_draft(rel.id, date(2009, 1, 1)))
    with mini_store.database.read() as s:
        rows = s.execute(text("SELECT actor, action FROM audit_log WHERE action = 'save'")).all()
    assert rows == [("tester", "save")]


def test_default_dataset_state(default_store):
    """The report's dataset opens with all its relationships and a state for every date asked."""
    for day in DATES:
        state = default_store.quadrangle.state_as_of(day)
        assert len(state.relationships) == len(default_store.quadrangle.relationships())


def test_migrations_build_the_models_schema(mini_store):
    """Alembic's migrations leave no difference from the models on this engine."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.migrate import include_name

    with mini_store.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, models.Base.metadata) == []
        assert "relationships" in inspect(connection).get_table_names()


def test_engines_agree_on_every_read(default_db_path, pg_database):
    """The default dataset read back from SQLite and from PostgreSQL gives identical records."""
    with Store.open(default_db_path, actor="a") as lite, Store.open(pg_database("default"), actor="a") as pg:
        assert_same_reads(lite, pg)


def assert_same_reads(first: Store, second: Store) -> None:
    """Every public read of the two stores gives equal records (shared with the copy tests)."""
    for service, name in (
        ("quadrangle", "organizations"),
        ("quadrangle", "relationships"),
        ("catalog", "themes"),
        ("catalog", "markings"),
        ("sources", "all"),
        ("operations", "all"),
        ("lessons", "all"),
        ("catalog", "milestones"),
        ("catalog", "cooperation"),
        ("quadrangle", "history_span"),
        ("lessons", "theme_overview"),
    ):
        read = f"{service}.{name}"
        assert getattr(getattr(first, service), name)() == getattr(getattr(second, service), name)(), read
    for rel in first.quadrangle.relationships():
        assert first.assessments.history(rel.id) == second.assessments.history(rel.id), rel.label
        assert first.lessons.all(rel.id) == second.lessons.all(rel.id), rel.label
    for day in DATES:
        assert first.quadrangle.state_as_of(day) == second.quadrangle.state_as_of(day), day
        assert first.quadrangle.comparison_table(day) == second.quadrangle.comparison_table(day), day


def test_unknown_engine_is_refused():
    """A URL of an engine Quadrangle does not support is refused with a one-line reason."""
    with pytest.raises(DatabaseOpenError, match="Unsupported database 'mysql'"):
        Store.open("mysql://someone@localhost/db")


def test_figure_2_from_a_new_server_database_equals_sqlite(pg_database, tmp_path, capsys):
    """`quadrangle table` on a new, empty PostgreSQL database prints exactly what it prints for a new file
    (tests/db/test_figure2.py checks that output against the report cell by cell)."""
    from desktop.cli import main

    outputs = []
    for target in (str(tmp_path / "new.db"), pg_database()):
        assert main(["table", "--db", target, "--format", "json", "--as-of", "2008-06-30"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])) == 6


@pytest.mark.postgres
def test_server_search_index_is_checked_and_rebuilt(pg_database):
    """On PostgreSQL the lesson search index is checked (missing or stale rows) and rebuilt like SQLite's."""
    with Store.open(pg_database("default"), actor="a") as store:
        assert store.lessons.check_search() == []
        found = [hit.lesson.id for hit in store.lessons.search("mandate").hits]
        with store.database.write() as s:
            s.execute(
                text("UPDATE lesson_search SET document = to_tsvector('simple', 'nothing') WHERE lesson_id = :i"),
                {"i": found[1]},
            )
        assert store.lessons.check_search() == ["lesson search index is out of date for 1 lessons: rebuild it"]
        with store.database.write() as s:
            s.execute(text("DELETE FROM lesson_search WHERE lesson_id = :i"), {"i": found[0]})
        assert store.lessons.check_search()[0].startswith("lesson search index holds")
        assert found[0] not in [hit.lesson.id for hit in store.lessons.search("mandate").hits]
        store.lessons.rebuild_search()
        assert store.lessons.check_search() == []
        assert [hit.lesson.id for hit in store.lessons.search("mandate").hits] == found
