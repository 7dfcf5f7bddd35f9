"""The start-up snapshot: saved on close, trusted only while it matches the database and the day."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from db import Store, read_startup_snapshot
from db.snapshot import SNAPSHOT_KEY


def test_a_closed_store_leaves_a_snapshot_equal_to_todays_state(default_db_path):
    """The first frame painted from the snapshot shows exactly what the store would show."""
    with Store.open(default_db_path) as store:
        expected = store.state_as_of(date.today())
    assert read_startup_snapshot(default_db_path) == expected


def test_a_change_after_the_snapshot_makes_it_untrusted(default_db_path):
    """Any audited change (here a moved node) invalidates the snapshot until the next close."""
    store = Store.open(default_db_path)
    store.save_startup_snapshot()
    assert read_startup_snapshot(default_db_path) is not None
    store.set_layout({store.organizations()[0].id: (1.0, 2.0)})
    assert read_startup_snapshot(default_db_path) is None
    store.close()
    assert read_startup_snapshot(default_db_path).organizations[0].layout_x == 1.0


def test_a_snapshot_from_another_day_is_not_used(default_db_path):
    """Phases and ongoing operations depend on the date, so yesterday's snapshot is not today's."""
    Store.open(default_db_path).close()
    assert read_startup_snapshot(default_db_path, today=date.today() + timedelta(days=1)) is None


def test_a_tampered_snapshot_is_ignored_not_fatal(default_db_path):
    """Garbage in the snapshot row means the slow path, never a crash."""
    Store.open(default_db_path).close()
    connection = sqlite3.connect(default_db_path)
    connection.execute("UPDATE meta SET value = '{\"format\": 1, \"state\": 5}' WHERE key = ?", (SNAPSHOT_KEY,))
    connection.commit()
    connection.close()
    assert read_startup_snapshot(default_db_path) is None
    assert read_startup_snapshot(default_db_path.parent / "missing.db") is None
