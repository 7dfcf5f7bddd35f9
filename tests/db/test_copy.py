"""Copying whole stores between SQLite and PostgreSQL, and preparing a shared database with init."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text

from db import (
    AssessmentInput,
    Confidence,
    CopyError,
    DatabaseOpenError,
    Motive,
    MotiveAssessment,
    Phase,
    StorageError,
    Store,
    copy_store,
    init_database,
)
from db.copy import store_tables
from db.engine import locate
from tests.conftest import MINI_DATASET
from tests.db.test_postgres_store import assert_same_reads

pytestmark = pytest.mark.postgres


def table_contents(target) -> dict[str, list[dict]]:
    """Every row of every store table, in primary-key order, as plain values."""
    engine = create_engine(locate(target).url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    dict(row._mapping) for row in connection.execute(select(table).order_by(*table.primary_key.columns))
                ]
                for table in store_tables()
            }
    finally:
        engine.dispose()


def _add_history(store: Store) -> None:
    """Edits beyond the seed: a new version, a restored one (a row pointing at another of its table)."""
    rel = store.quadrangle.relationships()[0]
    draft = AssessmentInput(
        relationship_id=rel.id,
        as_of=date(2015, 5, 1),
        phases=(Phase.MAINTENANCE,),
        confidence=Confidence.HIGH,
        summary="Ünïcode – quotes \"and\" 'apostrophes'",
        motives=(MotiveAssessment(Motive.SHARED_VALUES, 3, "Norms."),),
    )
    first = store.assessments.save(draft)
    store.assessments.save(draft, restored_from_id=first.id)


def test_copy_round_trips_the_default_dataset(default_db_path, pg_database, tmp_path):
    """SQLite -> PostgreSQL -> SQLite keeps every row of every table, UUIDs and timestamps included."""
    with Store.open(default_db_path, actor="workstation") as store:
        _add_history(store)
    server = pg_database()
    there = copy_store(default_db_path, server)
    assert all(c.matches for c in there.counts)
    assert {c.table for c in there.counts} == {t.name for t in store_tables()}
    assert dict((c.table, c.target) for c in there.counts)["assessment_versions"] > 10
    back_path = tmp_path / "back.db"
    back = copy_store(server, back_path)
    assert [c.target for c in back.counts] == [c.target for c in there.counts]

    original = table_contents(default_db_path)
    assert table_contents(server) == original
    assert table_contents(back_path) == original
    with (
        Store.open(default_db_path, actor="a") as a,
        Store.open(server, actor="a") as b,
        Store.open(back_path, actor="a") as c,
    ):
        assert_same_reads(a, b)
        assert_same_reads(a, c)
        for store in (a, b, c):
            assert store.lessons.check_search() == []
        for words in ("information", "mandate", "planning cell", "african union"):
            found = [hit.lesson.id for hit in a.lessons.search(words).hits]
            assert [hit.lesson.id for hit in c.lessons.search(words).hits] == found
            assert {hit.lesson.id for hit in b.lessons.search(words).hits} == set(found)


def test_copy_refuses_a_target_that_holds_a_store(mini_db_path, pg_database):
    """A target that already holds records is refused and keeps them."""
    seeded = pg_database("mini")
    before = table_contents(seeded)
    with pytest.raises(CopyError, match="already holds a store"):
        copy_store(mini_db_path, seeded)
    assert table_contents(seeded) == before


def test_copy_refuses_a_database_with_other_tables(mini_db_path, pg_database):
    """A database used by something else is refused and left exactly as it was."""
    url = pg_database()
    engine = create_engine(locate(url).url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE payroll (id int)"))
    with pytest.raises(DatabaseOpenError, match="not a Quadrangle database"):
        copy_store(mini_db_path, url)
    with engine.connect() as connection:
        assert connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars().all() == ["payroll"]
    engine.dispose()


def test_copy_refuses_the_same_database_and_a_non_store(mini_db_path, tmp_path):
    """Copying a store onto itself, or copying something that is not a store, is refused."""
    with pytest.raises(CopyError, match="same database"):
        copy_store(mini_db_path, mini_db_path)
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).close()
    with pytest.raises(CopyError, match="not a Quadrangle database"):
        copy_store(plain, tmp_path / "out.db")
    with sqlite3.connect(plain) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(CopyError, match="not a Quadrangle database"):
        copy_store(plain, tmp_path / "out.db")
    assert not (tmp_path / "out.db").exists()


def test_failed_copy_leaves_nothing_and_can_be_retried(mini_db_path, pg_database):
    """A row PostgreSQL rejects rolls the whole copy back; after fixing the source the copy goes through."""
    connection = sqlite3.connect(mini_db_path)
    connection.execute(
        "UPDATE organizations SET name = ? WHERE code = 'EU'", ("x" * 250,)
    )  # SQLite ignores VARCHAR(200)
    connection.commit()
    url = pg_database()
    with pytest.raises((CopyError, StorageError), match="rolled back"):
        copy_store(mini_db_path, url)
    assert all(rows == [] for rows in table_contents(url).values())
    connection.execute("UPDATE organizations SET name = 'European Union' WHERE code = 'EU'")
    connection.commit()
    connection.close()
    report = copy_store(mini_db_path, url)
    assert all(c.matches for c in report.counts)


def test_copy_to_sqlite_refuses_an_existing_store(mini_db_path, pg_database):
    """A PostgreSQL store is not copied over an SQLite file that already holds one."""
    with pytest.raises(CopyError, match="already holds a store"):
        copy_store(pg_database("mini"), mini_db_path)


def test_init_creates_seeds_and_is_idempotent(pg_server):
    """init creates a missing database and seeds it; run again it only reports the database is current."""
    url = pg_server.url("team_init_test")
    try:
        first = init_database(url, dataset_path=MINI_DATASET, actor="admin")
        assert first.created
        with Store.open(url, actor="a") as store:
            assert [o.code for o in store.quadrangle.organizations()] == ["UN", "EU"]
            store.quadrangle.add_organization("AU", "African Union", "regional")
        again = init_database(url, dataset_path=MINI_DATASET)
        assert not again.created
        with Store.open(url, actor="a") as store:
            assert [o.code for o in store.quadrangle.organizations()] == ["UN", "EU", "AU"]
    finally:
        pg_server.drop_database("team_init_test")


def test_init_and_open_refuse_a_database_with_other_tables(pg_database):
    """Neither init nor opening builds a store beside another application's tables."""
    url = pg_database()
    engine = create_engine(locate(url).url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE payroll (id int)"))
    engine.dispose()
    with pytest.raises(DatabaseOpenError, match=r"is not empty \(1 tables: payroll\)"):
        init_database(url)
    with pytest.raises(DatabaseOpenError, match="not a Quadrangle database"):
        Store.open(url, actor="a")
