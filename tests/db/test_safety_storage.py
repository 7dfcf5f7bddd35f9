"""Storage safety: pragmas on every connection, owner-only files, one writer at a time."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from db import DatabaseInUseError, StorageError, Store
from db.engine import read_pragmas
from tests.db.safety_helpers import draft

pytestmark = (
    pytest.mark.sqlite_only
)  # pragmas and permissions of the SQLite file; a server is checked and backed up by its own tools


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_connection_carries_the_safety_pragmas(mini_store):
    """Each new connection reads back WAL, foreign keys, FULL sync, a busy timeout and untrusted schema."""
    for _ in range(2):  # NullPool: each raw connection is a fresh one
        raw = mini_store.database.engine.raw_connection()
        try:
            values = read_pragmas(raw.driver_connection)
        finally:
            raw.close()
        assert values["foreign_keys"] == 1
        assert values["journal_mode"] == "wal"
        assert values["synchronous"] == 2
        assert values["busy_timeout"] > 0
        assert values["trusted_schema"] == 0


def test_a_pragma_that_does_not_apply_refuses_the_connection(mini_db_path, monkeypatch):
    """If SQLite silently ignores a safety pragma, the connection is refused rather than used unsafely."""
    import db.engine

    monkeypatch.setitem(db.engine.SQLITE_PRAGMAS, "synchronous", 7)  # not a valid level: SQLite keeps its own
    with pytest.raises(Exception, match="safety settings did not apply"):
        Store.open(mini_db_path, actor="t", backup_on_open=False)


def test_database_wal_shm_and_backups_are_owner_only(tmp_path, mini_store):
    """The new database, its -wal and -shm, the backup folder and each backup are readable by the owner only."""
    path = tmp_path / "new.db"
    store = Store.open(path, actor="t", dataset_path=mini_store.location.path.parent / "missing.json", seed=False)
    try:
        store.safety.take_backup("manual")  # opens connections, so -wal and -shm exist now
        raw = store.database.engine.raw_connection()
        raw.driver_connection.execute("CREATE TABLE probe(x)")
        for suffix in ("", "-wal", "-shm"):
            assert _mode(f"{path}{suffix}") == 0o600, suffix
        raw.close()
        assert _mode(store.safety.backup_folder) == 0o700
        (backup,) = store.safety.backups()
        assert _mode(backup.path) == 0o600
        assert _mode(f"{path}.lock") == 0o600
    finally:
        store.close()


def test_a_second_writer_is_refused_and_may_open_read_only(mini_db_path):
    """While one store writes, a second open is told the file is in use; read-only works and cannot save."""
    first = Store.open(mini_db_path, actor="first")
    try:
        with pytest.raises(DatabaseInUseError, match="in use by another Quadrangle.*read-only"):
            Store.open(mini_db_path, actor="second")
        reader = Store.open(mini_db_path, actor="second", read_only=True)
        try:
            rel = reader.quadrangle.relationships()[0]
            with pytest.raises(StorageError, match="read-only"):
                reader.assessments.save(draft(rel.id))
            saved = first.assessments.save(draft(rel.id, 3))
            assert saved.id in {v.id for v in reader.assessments.history(rel.id)}
        finally:
            reader.close()
    finally:
        first.close()
    Store.open(mini_db_path, actor="third").close()  # closing released the lock


def test_the_lock_is_released_when_the_holder_is_killed(mini_db_path):
    """A Quadrangle that dies (SIGKILL) leaves no stale lock behind."""
    script = (
        "import sys; from db import Store; s = Store.open(sys.argv[1], actor='child', backup_on_open=False); "
        "print('ready', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(mini_db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseInUseError, match=r"process \d+"):
            Store.open(mini_db_path, actor="parent", backup_on_open=False)
    finally:
        child.kill()
        child.wait()
    Store.open(mini_db_path, actor="parent", backup_on_open=False).close()
