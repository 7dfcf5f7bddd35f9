"""The full quick_check on opening runs only when the file may not be as Quadrangle left it (issue 22,
db/open_check.py): a clean close seals the file, a killed writer or any change since does not."""

from __future__ import annotations

import os
import sqlite3

import pytest

import db.store
from db import DatabaseDamagedError, Store
from db.locking import lock_path_for
from db.open_check import needs_full_check
from tests.db.safety_helpers import corrupt

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def quick_checks(monkeypatch):
    """The paths the store ran its full quick_check on, in order."""
    calls: list = []
    real = db.store._quick_check

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(db.store, "_quick_check", counting)
    return calls


def test_a_cleanly_closed_unchanged_file_opens_without_the_full_check(mini_db_path, quick_checks):
    """The second open of a file the first one closed cleanly reads only its seal, not every page."""
    Store.open(mini_db_path, actor="t", backup_on_open=False).close()
    quick_checks.clear()
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        assert store.quadrangle.relationships()
    with Store.open(mini_db_path, actor="t", read_only=True) as store:
        assert store.quadrangle.relationships()
    assert quick_checks == []
    assert lock_path_for(mini_db_path).read_text().startswith("closed ")


def test_a_writer_that_did_not_close_leaves_no_seal_and_the_next_open_checks(mini_db_path, quick_checks):
    """A writer killed while it held the file left its pid in the lock file: the next open runs the full check."""
    Store.open(mini_db_path, actor="t", backup_on_open=False).close()
    store = Store.open(mini_db_path, actor="t", backup_on_open=False)
    store.database.engine.dispose()
    store._lock.release()  # what the OS does for a killed process: the lock goes, the pid stays
    store._lock = None
    quick_checks.clear()
    Store.open(mini_db_path, actor="t", backup_on_open=False).close()
    assert quick_checks == [mini_db_path]


def test_a_file_changed_after_a_clean_close_is_checked_and_refused_when_damaged(mini_db_path, quick_checks):
    """Damage written after the seal (same size, even within the same clock tick) is found on opening."""
    Store.open(mini_db_path, actor="t", backup_on_open=False).close()
    status = os.stat(mini_db_path)
    corrupt(mini_db_path)
    os.utime(mini_db_path, ns=(status.st_atime_ns, status.st_mtime_ns))  # times as they were sealed
    quick_checks.clear()
    with pytest.raises(DatabaseDamagedError):
        Store.open(mini_db_path, actor="t", backup_on_open=False)
    assert quick_checks == [mini_db_path]


def test_a_wal_left_behind_gets_the_full_check(mini_db_path):
    """A -wal with content beside a file nobody holds means its writer stopped mid-work: check."""
    Store.open(mini_db_path, actor="t", backup_on_open=False).close()
    assert not needs_full_check(mini_db_path)
    writer = sqlite3.connect(mini_db_path)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE scratch (x)")
        writer.commit()
        assert os.stat(f"{mini_db_path}-wal").st_size > 0
        assert needs_full_check(mini_db_path)
    finally:
        writer.close()
