"""Faults while saving: disk full, read-only file or folder, vanished folder, a locked database.

Tests run as root in CI, where file modes are not enforced, so each fault is produced at the layer that
reports it: SQLite's own limits (`max_page_count` gives SQLITE_FULL, `query_only` gives SQLITE_READONLY),
a renamed folder, a second connection holding the write lock, and an injected OSError for the backup folder.
"""

from __future__ import annotations

import errno
import os
import sqlite3

import pytest
from sqlalchemy import event

import db.backup
import db.engine
from db import StorageError, Store
from tests.db.safety_helpers import digest, draft

pytestmark = (
    pytest.mark.sqlite_only
)  # faults of the SQLite file and its folder; a server is checked and backed up by its own tools


def _inject_on_connect(store: Store, statement) -> None:
    def configure(dbapi_conn, _record):
        dbapi_conn.execute(statement(dbapi_conn) if callable(statement) else statement)

    event.listen(store.database.engine, "connect", configure)


def _assert_fault_keeps_state(store: Store, pattern: str) -> None:
    rel = store.quadrangle.relationships()[0]
    before = [v.id for v in store.assessments.history(rel.id)]
    with pytest.raises(StorageError, match=pattern) as caught:
        store.assessments.save(draft(rel.id, 5, summary="work in progress " * 400))
    assert "\n" not in str(caught.value)
    assert [v.id for v in store.assessments.history(rel.id)] == before


def test_disk_full_gives_a_clear_message_and_keeps_the_last_state(mini_store):
    """A full disk (SQLITE_FULL) refuses the save with a message and leaves the saved state intact."""
    _inject_on_connect(mini_store, lambda c: f"PRAGMA max_page_count={c.execute('PRAGMA page_count').fetchone()[0]}")
    _assert_fault_keeps_state(mini_store, "disk .* is full: free some space; nothing was saved")


def test_read_only_file_gives_a_clear_message(mini_store):
    """A database that cannot be written (SQLITE_READONLY) refuses the save with a message."""
    _inject_on_connect(mini_store, "PRAGMA query_only=1")
    _assert_fault_keeps_state(mini_store, "read-only: check the file and folder permissions")


def test_locked_database_gives_a_clear_message(mini_store, monkeypatch):
    """Another program holding the write lock makes the save fail after the busy timeout, with a message."""
    monkeypatch.setitem(db.engine.SQLITE_PRAGMAS, "busy_timeout", 50)
    other = sqlite3.connect(mini_store.location.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        _assert_fault_keeps_state(mini_store, "locked by another program: close it and try again")
    finally:
        other.execute("ROLLBACK")
        other.close()
    rel = mini_store.quadrangle.relationships()[0]
    assert mini_store.assessments.save(draft(rel.id, 6)).summary == "version 6"  # the retry works


def test_vanished_data_folder_gives_a_clear_message_and_nothing_is_lost(tmp_path, mini_db_path):
    """An unplugged data folder makes saving fail with a message; back in place, everything is there."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "q.db"
    os.replace(mini_db_path, path)
    store = Store.open(path, actor="t", backup_on_open=False)
    try:
        rel = store.quadrangle.relationships()[0]
        kept = store.assessments.save(draft(rel.id, 1))
        os.replace(folder, tmp_path / "unplugged")
        with pytest.raises(StorageError, match="has disappeared"):
            store.assessments.save(draft(rel.id, 2))
        with pytest.raises(StorageError, match="has disappeared"):
            store.safety.take_backup("manual")
        os.replace(tmp_path / "unplugged", folder)
        assert kept.id in {v.id for v in store.assessments.history(rel.id)}
        store.assessments.save(draft(rel.id, 2))
        assert store.safety.check() == []
    finally:
        store.close()


def test_read_only_backup_folder_gives_a_clear_message(mini_store, monkeypatch):
    """A backup that cannot be written (read-only folder) fails with a message and leaves no partial file."""

    def refuse(path):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(db.backup, "create_private_file", refuse)
    before = digest(mini_store.location.path)
    with pytest.raises(StorageError, match="Could not back up .*Read-only file system; nothing was changed"):
        mini_store.safety.take_backup("manual")
    assert not [b for b in mini_store.safety.backups() if "manual" in b.reason]
    assert digest(mini_store.location.path) == before


def test_a_failing_backup_on_open_is_reported_but_does_not_block(mini_db_path, monkeypatch):
    """If the automatic backup on opening fails (e.g. disk full), the store opens and says why."""

    def full(path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(db.backup, "create_private_file", full)
    store = Store.open(mini_db_path, actor="t")
    try:
        assert "No space left on device" in store.backup_warning
    finally:
        store.close()


def test_a_read_only_folder_refuses_writing_and_allows_read_only(mini_db_path, monkeypatch):
    """When the lock file cannot be created (read-only folder), opening says so; read-only opening still works."""
    import db.locking
    from db import DatabaseNotWritableError

    real_open = os.open

    def refuse_lock(path, flags, *args):
        if str(path).endswith(".lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(db.locking.os, "open", refuse_lock)
    before = digest(mini_db_path)
    with pytest.raises(DatabaseNotWritableError, match="Read-only file system.*open the database read-only"):
        Store.open(mini_db_path, actor="t")
    assert digest(mini_db_path) == before
    with Store.open(mini_db_path, actor="t", read_only=True) as store:
        assert store.quadrangle.relationships()
