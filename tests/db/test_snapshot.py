"""The start-up snapshot: saved on close, trusted only while it matches the database and the day."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

from db import Store, read_startup_snapshot
from db.snapshot import SNAPSHOT_KEY


def test_a_closed_store_leaves_a_snapshot_equal_to_todays_state(default_db_path):
    """The first frame painted from the snapshot shows exactly what the store would show."""
    with Store.open(default_db_path) as store:
        expected = store.quadrangle.state_as_of(date.today())
    assert read_startup_snapshot(default_db_path) == expected


def test_a_change_after_the_snapshot_makes_it_untrusted(default_db_path):
    """Any audited change (here a moved node) invalidates the snapshot until the next close."""
    store = Store.open(default_db_path)
    store.save_startup_snapshot()
    assert read_startup_snapshot(default_db_path) is not None
    store.quadrangle.set_layout({store.quadrangle.organizations()[0].id: (1.0, 2.0)})
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
    connection.execute('UPDATE meta SET value = \'{"format": 1, "state": 5}\' WHERE key = ?', (SNAPSHOT_KEY,))
    connection.commit()
    connection.close()
    assert read_startup_snapshot(default_db_path) is None
    assert read_startup_snapshot(default_db_path.parent / "missing.db") is None


def _tamper(path, change) -> None:
    connection = sqlite3.connect(path)
    payload = json.loads(connection.execute("SELECT value FROM meta WHERE key = ?", (SNAPSHOT_KEY,)).fetchone()[0])
    change(payload["state"])
    connection.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(payload), SNAPSHOT_KEY))
    connection.commit()
    connection.close()


def _first_assessment(state: list) -> list:
    return state[2][0][1]  # QuadrangleState.relationships[0].assessment


@pytest.mark.parametrize(
    "change",
    [
        lambda state: state.pop(),  # a record with a field missing
        lambda state: _first_assessment(state).__setitem__(5, ["adolescence"]),  # an unknown phase
        lambda state: state[2][0].__setitem__(3, "many"),  # text for a lesson count
        lambda state: state[2][0].__setitem__(3, True),  # true/false for a lesson count
        lambda state: state[1][0].__setitem__(0, 7),  # a number for an id
        lambda state: state.__setitem__(2, {"not": "a list"}),
    ],
    ids=["missing field", "unknown phase", "text for a number", "bool for a number", "number for text", "dict"],
)
def test_a_snapshot_with_wrong_values_is_ignored(default_db_path, change):
    """Each record is checked field by field while it is decoded: a wrong value means the slow path."""
    Store.open(default_db_path).close()
    assert read_startup_snapshot(default_db_path) is not None
    _tamper(default_db_path, change)
    assert read_startup_snapshot(default_db_path) is None
