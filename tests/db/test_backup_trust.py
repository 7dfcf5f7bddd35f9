"""Backups you can trust: a copy counts only once verified, partial copies are cleaned, thinning is bounded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import db.backup
from db import Store
from db.backup import (
    MAX_BACKUP_BYTES,
    MAX_BACKUPS,
    BackupRecord,
    backup_file_problem,
    backups_to_thin,
    list_backups,
)
from desktop.cli import main

pytestmark = pytest.mark.sqlite_only


def _named(folder: Path, stem: str, when: datetime, slug: str) -> Path:
    return folder / f"{stem}-{when.strftime('%Y%m%d-%H%M%S-%f')}-{slug}.db"


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_truncated_backup_never_takes_the_place_of_the_good_one_of_its_day(mini_store):
    """A good and a truncated backup of the same day: the next backup keeps the good one and drops the truncated."""
    database = mini_store.location.path
    fresh = mini_store.safety.take_backup("manual")
    day = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=3)
    good = _named(fresh.parent, database.stem, day, "on-open")
    os.replace(fresh, good)
    truncated = _named(fresh.parent, database.stem, day + timedelta(hours=1), "on-open")
    truncated.write_bytes(good.read_bytes()[: 2 * 4096])  # whole pages: only the header's page count tells
    assert backup_file_problem(truncated) == "truncated"
    listed = [b.path for b in mini_store.safety.backups()]
    assert good in listed and truncated not in listed  # the listing does not offer it

    mini_store.safety.take_backup("next")
    assert good.exists() and not truncated.exists()
    assert good in [b.path for b in mini_store.safety.backups()]


def test_the_backups_command_marks_an_incomplete_file(mini_db_path, capsys):
    """`quadrangle backups` lists a truncated file as INCOMPLETE, not as a backup one could restore."""
    with Store.open(mini_db_path, actor="t") as store:
        (good,) = store.safety.backups()
    broken = _named(good.path.parent, mini_db_path.stem, good.taken_at - timedelta(minutes=5), "manual")
    broken.write_bytes(good.path.read_bytes()[:5000])
    assert main(["backups", "--db", str(mini_db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    (line,) = [x for x in lines if str(broken) in x]
    assert "INCOMPLETE" in line and "manual" not in line.replace(str(broken), "")
    (line,) = [x for x in lines if str(good.path) in x]
    assert "INCOMPLETE" not in line and "on open" in line


def test_a_copy_is_not_listed_until_it_is_verified(mini_store, monkeypatch):
    """While the copy is being written and checked it has a temporary name no listing shows."""
    seen = []
    original = db.backup.copy_into

    def copy_and_look(source, target):
        original(source, target)
        seen.append((Path(target).name, list_backups(mini_store.location.path)))

    monkeypatch.setattr(db.backup, "copy_into", copy_and_look)
    before = mini_store.safety.backups()
    path = mini_store.safety.take_backup("manual")
    ((partial_name, listed),) = seen
    assert partial_name.startswith(".") and partial_name.endswith(".partial")
    assert listed == before
    assert path in [b.path for b in mini_store.safety.backups()]
    assert not [p for p in path.parent.iterdir() if p.name.endswith((".partial", ".partial-journal"))]


def test_a_failed_verification_leaves_no_file_named_as_a_backup(mini_store, monkeypatch):
    """A copy that fails its check is discarded under its temporary name; nothing is listed."""
    from db import StorageError

    monkeypatch.setattr(db.backup, "quick_check_file", lambda path: "page 3 is never used")
    before = sorted(p.name for p in mini_store.safety.backup_folder.iterdir())
    with pytest.raises(StorageError, match="failed its check"):
        mini_store.safety.take_backup("manual")
    assert sorted(p.name for p in mini_store.safety.backup_folder.iterdir()) == before


def test_partial_copies_of_a_killed_backup_are_removed_by_the_next_backup(mini_store):
    """A partial copy left by a process that is gone is never listed and is removed; a live one is left alone."""
    folder = mini_store.safety.backup_folder
    good = mini_store.safety.backups()[0].path
    name = _named(folder, mini_store.location.path.stem, datetime.now(UTC), "manual").name
    dead = folder / f".{name}.{_dead_pid()}.partial"
    dead.write_bytes(good.read_bytes()[:4096])
    dead_journal = Path(f"{dead}-journal")
    dead_journal.write_bytes(b"x")
    alive = folder / f".{name}.{os.getppid()}.partial"  # our parent runs: its copy may still be in progress
    alive.write_bytes(b"")
    assert dead not in [b.path for b in mini_store.safety.backups(include_incomplete=True)]

    mini_store.safety.take_backup("manual")
    assert not dead.exists() and not dead_journal.exists()
    assert alive.exists()


def _record(i: int, when: datetime, *, size: int = 1, verified: bool = True) -> BackupRecord:
    return BackupRecord(Path(f"/b/{i}.db"), when, "auto", size, verified)


def test_thinning_never_keeps_an_unverified_backup_instead_of_the_last_good_one():
    """An unverified newest backup is dropped; the only verified one is kept however old."""
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    unverified = _record(1, now - timedelta(hours=1), verified=False)
    old_good = _record(2, now - timedelta(days=400))
    assert backups_to_thin([unverified, old_good], now) == [unverified]


def test_thinning_bounds_the_count_and_the_total_size():
    """At most MAX_BACKUPS are kept, and at most 20 times the database's size (capped at 2 GB), oldest dropped."""
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    many = [_record(i, now - timedelta(minutes=i)) for i in range(MAX_BACKUPS + 15)]
    dropped = backups_to_thin(many, now)
    assert len(many) - len(dropped) == MAX_BACKUPS
    assert set(dropped) == set(many[MAX_BACKUPS:])  # the oldest go

    mb = 1024 * 1024
    sized = [_record(i, now - timedelta(minutes=i), size=mb) for i in range(25)]
    assert len(sized) - len(backups_to_thin(sized, now, database_size=mb)) == 20

    huge = [_record(i, now - timedelta(minutes=i), size=MAX_BACKUP_BYTES // 3) for i in range(10)]
    assert len(huge) - len(backups_to_thin(huge, now, database_size=MAX_BACKUP_BYTES)) == 3

    giant = [_record(i, now - timedelta(minutes=i), size=3 * MAX_BACKUP_BYTES) for i in range(3)]
    assert backups_to_thin(giant, now, database_size=MAX_BACKUP_BYTES) == giant[1:]  # the newest stays


def test_thinning_after_a_backup_applies_the_bounds(mini_store, monkeypatch):
    """Real backups in one day beyond MAX_BACKUPS are thinned to it after the next backup, and to 20 times
    the database's size."""
    folder = mini_store.safety.backup_folder
    template = mini_store.safety.backups()[0].path
    now = datetime.now(UTC)
    for i in range(MAX_BACKUPS + 5):
        shutil.copyfile(template, _named(folder, mini_store.location.path.stem, now - timedelta(minutes=i + 1), "auto"))
    monkeypatch.setattr(db.backup, "MAX_BACKUP_FACTOR", 1000)  # only the count bounds this time
    mini_store.safety.take_backup("manual")
    assert len(mini_store.safety.backups(include_incomplete=True)) == MAX_BACKUPS
    monkeypatch.setattr(db.backup, "MAX_BACKUP_FACTOR", 20)
    mini_store.safety.take_backup("manual")
    kept = mini_store.safety.backups(include_incomplete=True)
    limit = 20 * db.backup._database_size(mini_store.location.path)
    assert len(kept) < MAX_BACKUPS and sum(b.size for b in kept) <= limit < sum(b.size for b in kept) + kept[0].size
