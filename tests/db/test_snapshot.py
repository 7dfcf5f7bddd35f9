"""The start-up snapshot: saved on close, trusted only while it matches the database and the day."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from db import Store, read_startup_snapshot, records
from db.snapshot import SNAPSHOT_KEY, format_description, snapshot_format


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
        lambda state: state[1][0].__setitem__(7, "left"),  # text for a layout coordinate
        lambda state: state[1][0].__setitem__(7, False),  # true/false for a layout coordinate
        lambda state: state[1][0].__setitem__(9, 1999),  # a number for a founding date
        lambda state: state.__setitem__(2, {"not": "a list"}),
    ],
    ids=[
        "missing field",
        "unknown phase",
        "text for a number",
        "bool for a number",
        "number for text",
        "text for a float",
        "bool for a float",
        "number for a date",
        "dict",
    ],
)
def test_a_snapshot_with_wrong_values_is_ignored(default_db_path, change):
    """Each record is checked field by field while it is decoded: a wrong value means the slow path."""
    Store.open(default_db_path).close()
    assert read_startup_snapshot(default_db_path) is not None
    _tamper(default_db_path, change)
    assert read_startup_snapshot(default_db_path) is None


WORKER = Path(__file__).with_name("snapshot_worker.py")


def _read_in_a_fresh_process(db_path, mode: str, hash_seed: str = "0") -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, str(WORKER), str(db_path), mode], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_snapshot_is_refused_after_two_fields_of_one_type_are_swapped(default_db_path):
    """Swap `code` and `name` in OrganizationRecord: the old snapshot is a miss, never decoded into the
    wrong fields (with a hand-bumped format the first frame showed "United Nations" where "UN" belongs)."""
    Store.open(default_db_path).close()
    as_defined = _read_in_a_fresh_process(default_db_path, "as-defined")
    assert as_defined["codes"] == ["UN", "NATO", "EU", "AU"]
    assert as_defined["format"] == snapshot_format()
    swapped = _read_in_a_fresh_process(default_db_path, "swapped")
    assert swapped["fields"][1:3] == ["name", "code"]  # the worker really read the edited definition
    assert swapped["format"] != as_defined["format"]
    assert swapped["codes"] is None and swapped["names"] is None


def test_the_format_is_the_same_in_every_process():
    """Two processes with different hash seeds derive the same format, so a snapshot survives a restart."""
    script = "from db.snapshot import snapshot_format; print(snapshot_format())"
    root = Path(__file__).resolve().parents[2]
    formats = set()
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env, cwd=root
        )
        assert done.returncode == 0, done.stderr
        formats.add(done.stdout.strip())
    assert formats == {snapshot_format()}


def _organization_record(field_names: list[str]) -> type:
    """A stand-in for OrganizationRecord under the same qualified name, with its fields in this order."""
    fields = [(name, "str") for name in field_names]
    record = dataclasses.make_dataclass("OrganizationRecord", fields, frozen=True)
    record.__module__ = "db.records"
    return record


@pytest.mark.parametrize(
    "changed",
    [["name", "code"], ["code", "title"], ["code", "name", "kind"]],
    ids=["swapped", "renamed", "added"],
)
def test_any_change_of_a_nested_record_changes_the_format(monkeypatch, changed):
    """Reordering, renaming or adding a field of a record nested in the state changes the description."""
    monkeypatch.setattr(records, "OrganizationRecord", _organization_record(["code", "name"]))
    before = format_description()
    assert "db.records.OrganizationRecord(code:builtins.str,name:builtins.str)" in before
    monkeypatch.setattr(records, "OrganizationRecord", _organization_record(changed))
    assert format_description() != before


def test_a_snapshot_of_the_hand_numbered_format_is_ignored(default_db_path):
    """A snapshot left by a version with `"format": 2` is a miss: the next close writes the new format."""
    Store.open(default_db_path).close()
    _set_format(default_db_path, 2)
    assert read_startup_snapshot(default_db_path) is None
    Store.open(default_db_path).close()
    assert read_startup_snapshot(default_db_path) is not None


def _set_format(path, value) -> None:
    connection = sqlite3.connect(path)
    payload = json.loads(connection.execute("SELECT value FROM meta WHERE key = ?", (SNAPSHOT_KEY,)).fetchone()[0])
    payload["format"] = value
    connection.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(payload), SNAPSHOT_KEY))
    connection.commit()
    connection.close()
