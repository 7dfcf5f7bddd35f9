"""Identify before writing (issue 16, items 2 and 3): foreign SQLite files, -wal files that belong to
another database, and a writer lock that follows the file through hard links and symlinks."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db import DatabaseInUseError, DatabaseOpenError, Store
from db.migrate import HEAD_REVISION

QUAD = 0x51554144


def _state(folder: Path) -> dict[str, str]:
    """Hash of every file under `folder` (the database, its companions, backups/): what must not change."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(100)


def _foreign(path: Path, *statements: str) -> Path:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize(
    "statements",
    [
        ("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO customers VALUES (1, 'Ada')"),
        ("CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT)", "INSERT INTO organizations VALUES ('x', 'y')"),
        ("CREATE TABLE alembic_version (version_num TEXT)", "INSERT INTO alembic_version VALUES ('ab12cd')"),
        ("PRAGMA application_id = 1234", "CREATE TABLE t (x)"),
    ],
    ids=["customers", "organizations", "other-alembic-app", "other-application-id"],
)
def test_a_foreign_sqlite_file_is_refused_and_left_byte_identical(tmp_path, statements):
    """A valid SQLite file that is not Quadrangle's is neither migrated, seeded nor switched to WAL."""
    path = _foreign(tmp_path / "other.db", *statements)
    before = _state(tmp_path)
    for read_only in (False, True):
        with pytest.raises(DatabaseOpenError, match="is not a Quadrangle database") as caught:
            Store.open(path, actor="t", read_only=read_only)
        assert "\n" not in str(caught.value) and "not changed" in str(caught.value)
        assert _state(tmp_path) == before
    assert _header(path)[18:20] == b"\x01\x01"  # still a rollback-journal file, never WAL
    assert not (tmp_path / "backups").exists()


def test_every_new_database_carries_quadrangles_application_id(tmp_path, mini_db_path):
    """A new database is marked 'QUAD' at offset 68 of its header."""
    Store.open(tmp_path / "new.db", actor="t", seed=False).close()
    assert int.from_bytes(_header(tmp_path / "new.db")[68:72], "big") == QUAD
    assert int.from_bytes(_header(mini_db_path)[68:72], "big") == QUAD


def test_an_older_quadrangle_database_is_recognised_and_marked_by_the_migration(mini_db_path):
    """A file at revision 0004 with no application id is Quadrangle's: it opens and is marked."""
    from alembic import command
    from sqlalchemy import create_engine

    from db.migrate import alembic_config

    engine = create_engine(f"sqlite:///{mini_db_path}")  # the schema as revision 0004 left it
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_exchange")
        connection.commit()
    engine.dispose()
    connection = sqlite3.connect(mini_db_path)
    connection.execute("PRAGMA application_id = 0")
    connection.commit()
    connection.close()
    assert _header(mini_db_path)[68:72] == b"\0\0\0\0"
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        assert store.quadrangle.comparison_table(None)
    assert int.from_bytes(_header(mini_db_path)[68:72], "big") == QUAD
    connection = sqlite3.connect(mini_db_path)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    connection.close()


def _wal_of(path: Path, *statements: str) -> bytes:
    """The -wal another program leaves after committing `statements` to `path` (never checkpointed)."""
    script = textwrap.dedent(
        f"""
        import os, sqlite3, sys
        c = sqlite3.connect({str(path)!r})
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA wal_autocheckpoint=0")
        for s in {list(statements)!r}:
            c.execute(s)
        c.commit()
        os._exit(0)  # no close: the -wal stays as a crashed program leaves it
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    wal = Path(f"{path}-wal")
    data = wal.read_bytes()
    assert len(data) > 32
    return data


def _lesson_count(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM lessons").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize("source", ["foreign", "other-quadrangle"])
def test_a_wal_left_by_another_database_is_never_merged(tmp_path, mini_db_path, default_db_path, source):
    """A -wal built from a different database file, placed beside a Quadrangle database, is refused by
    opening (both modes) and by the check, and the file and the -wal stay byte-identical."""
    folder = tmp_path / "case"
    folder.mkdir()
    target = Path(shutil.copyfile(mini_db_path, folder / "q.db"))
    lessons = _lesson_count(target)
    other = tmp_path / "other" / "o.db"
    other.parent.mkdir()
    if source == "foreign":
        _foreign(other, "PRAGMA journal_mode=WAL", "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        wal = _wal_of(other, *[f"INSERT INTO customers VALUES ({i}, '{'x' * 500}')" for i in range(40)])
    else:
        shutil.copyfile(default_db_path, other)
        wal = _wal_of(other, "DELETE FROM lessons", "UPDATE meta SET value = value WHERE key = 'database_id'")
    Path(f"{target}-wal").write_bytes(wal)
    before = _state(folder)
    for attempt in (
        lambda: Store.open(target, actor="t"),
        lambda: Store.open(target, actor="t", read_only=True),
        lambda: Store.check_database(target),
    ):
        with pytest.raises(DatabaseOpenError, match="does not belong to it") as caught:
            attempt()
        assert "\n" not in str(caught.value)
        assert _state(folder) == before
    os.remove(f"{target}-wal")
    assert _lesson_count(target) == lessons


def test_a_wal_of_the_database_itself_after_a_crash_is_replayed(mini_db_path):
    """The database's own -wal, left by a killed writer, is recognised and its commit is kept."""
    _wal_of(mini_db_path, "UPDATE organizations SET name = 'Renamed by a crashed writer' WHERE rowid = 1")
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        names = {o.name for o in store.quadrangle.organizations()}
    assert "Renamed by a crashed writer" in names


HOLDER = textwrap.dedent(
    """
    import sys
    from db import Store
    store = Store.open(sys.argv[1], actor="holder", backup_on_open=False)
    print("ready", flush=True)
    sys.stdin.read()
    store.close()
    """
)


@pytest.fixture
def held(mini_db_path):
    """`mini_db_path` opened for writing by another process for the test's duration."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(mini_db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield mini_db_path
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


@pytest.mark.parametrize("kind", ["hard link", "symlink"])
def test_a_second_writer_through_another_name_is_refused(held, tmp_path, kind):
    """The writer lock follows the file: a hard link or a symlink to a held database cannot be opened
    for writing by a second process (and not even read through a hard link, which hides the writer's -wal)."""
    other_folder = tmp_path / "elsewhere"
    other_folder.mkdir()
    alias = other_folder / "alias.db"
    if kind == "hard link":
        os.link(held, alias)
    else:
        alias.symlink_to(held)
    with pytest.raises(DatabaseInUseError, match="in use by another Quadrangle"):
        Store.open(alias, actor="second")
    if kind == "symlink":  # SQLite finds the writer's -wal through a symlink: reading is safe
        with Store.open(alias, actor="reader", read_only=True) as store:
            assert store.quadrangle.comparison_table(None)
    else:  # through a hard link it would look for another -wal and miss the writer's commits
        with pytest.raises(DatabaseInUseError, match="hard link"):
            Store.open(alias, actor="reader", read_only=True)
    with Store.open(held, actor="reader", read_only=True) as store:  # under the writer's own name: fine
        assert store.quadrangle.comparison_table(None)


def test_a_second_writer_in_the_same_process_through_a_hard_link_is_refused(mini_db_path, tmp_path):
    """Even within one process, two stores cannot write one file under two names."""
    alias = tmp_path / "alias.db"
    os.link(mini_db_path, alias)
    with Store.open(mini_db_path, actor="first", backup_on_open=False):
        with pytest.raises(DatabaseInUseError):
            Store.open(alias, actor="second", backup_on_open=False)
    with Store.open(alias, actor="after", backup_on_open=False) as store:  # released on close
        assert not store.read_only
