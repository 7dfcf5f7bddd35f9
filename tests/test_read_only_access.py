"""Read-only access (issue 16 item 10, issue 22): read-only commands take no lock and no backup and
change no file, even while the window holds the database; a database in a read-only place opens
read-only instead of being reported as damaged."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db import DatabaseNotWritableError, Store


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *argv], capture_output=True, text=True, timeout=180)


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    """Hash and mtime of the database, its -wal, lock file and every backup (the -shm is SQLite's shared
    memory index, rewritten by any reader, and is left out)."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm")
    }


def _same_but_for_an_empty_wal(before: dict, after: dict) -> None:
    # SQLite's read-only connection creates an empty -wal when none exists; it holds nothing.
    created = {name: value for name, value in after.items() if name not in before}
    assert all(name.endswith("-wal") and value[0] == hashlib.sha256(b"").hexdigest() for name, value in created.items())
    assert {name: value for name, value in after.items() if name in before} == before


HOLDER = textwrap.dedent(
    """
    import sys
    from db import Store
    store = Store.open(sys.argv[1], actor="window", backup_on_open=False)
    print("ready", flush=True)
    sys.stdin.read()
    store.close()
    """
)


@pytest.fixture
def held_db(tmp_path, default_db_path):
    """The default dataset in its own folder (with one backup), held for writing by another process."""
    folder = tmp_path / "case"
    folder.mkdir()
    path = Path(shutil.copyfile(default_db_path, folder / "q.db"))
    Store.open(path, actor="t").close()  # takes the backup "on open": backups/ is part of the state
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"ready"
        yield path
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def test_read_only_commands_work_while_the_window_holds_the_database_and_change_nothing(held_db, tmp_path):
    """table, report, compare, export-lessons, export-sources, history, reversals, backups and check run
    beside a writer, take no lock and no backup, and leave the database, its -wal and backups/ as they were."""
    out = tmp_path / "out"
    out.mkdir()
    folder = held_db.parent
    before = _state(folder)
    commands = [
        ["table"],
        ["table", "--format", "csv"],
        ["report", str(out / "b.pdf")],
        ["compare", "--from", "2004-01-01", "--to", "2008-06-30", str(out / "c.csv")],
        ["export-lessons", str(out / "l.csv")],
        ["export-sources", str(out / "s.bib")],
        ["history", "UN-EU"],
        ["reversals"],
        ["backups"],
        ["check"],
    ]
    for command in commands:
        result = run("--db", str(held_db), *command)
        assert result.returncode == 0, (command, result.stderr)
        assert "in use" not in result.stderr
    _same_but_for_an_empty_wal(before, _state(folder))
    assert (out / "b.pdf").stat().st_size > 0 and (out / "l.csv").stat().st_size > 0


READ_ONLY_COMMANDS = (
    ["table"],
    ["table", "--format", "json", "--as-of", "2008-06-30"],
    ["report", "OUT/b.pdf"],
    ["compare", "--from", "2004-01-01", "--to", "2008-06-30", "OUT/c.csv"],
    ["export-lessons", "OUT/l.csv"],
    ["export-sources", "OUT/s.bib"],
    ["history", "UN-EU"],
    ["reversals"],
    ["backups"],
    ["check"],
)


def test_every_read_only_command_leaves_a_closed_database_as_it_was(tmp_path, default_db_path):
    """On a database closed cleanly (sealed, with its start-up snapshot and a backup), each read-only
    command writes no backup, takes no lock and changes no file: not the database, not the seal in its
    lock file, not backups/ (at most SQLite's empty -wal appears)."""
    folder = tmp_path / "case"
    folder.mkdir()
    path = Path(shutil.copyfile(default_db_path, folder / "q.db"))
    Store.open(path, actor="t").close()  # the seal, the snapshot and the backup "on open"
    out = tmp_path / "out"
    out.mkdir()
    before = _state(folder)
    for command in READ_ONLY_COMMANDS:
        argv = [word.replace("OUT", str(out)) for word in command]
        result = run("--db", str(path), *argv)
        assert result.returncode == 0, (command, result.stderr)
        _same_but_for_an_empty_wal(before, _state(folder))
    assert sorted(p.name for p in out.iterdir()) == ["b.pdf", "c.csv", "l.csv", "s.bib"]


def test_table_takes_no_backup_and_no_lock(tmp_path, default_db_path):
    """`quadrangle table` on an existing database neither backs it up nor creates its lock file."""
    path = Path(shutil.copyfile(default_db_path, tmp_path / "q.db"))
    before = _state(tmp_path)
    for _ in range(2):
        result = run("--db", str(path), "table")
        assert result.returncode == 0, result.stderr
    assert not (tmp_path / "backups").exists() and not (tmp_path / "q.db.lock").exists()
    _same_but_for_an_empty_wal(before, _state(tmp_path))


@pytest.fixture
def read_only_folder(tmp_path, default_db_path):
    """A folder holding a healthy database that nobody can write: a read-only bind mount for root (who
    ignores permissions), a 0555 folder otherwise."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copyfile(default_db_path, source / "q.db")
    os.chmod(source / "q.db", 0o444)
    if os.geteuid() != 0:
        os.chmod(source, 0o555)
        yield source
        os.chmod(source, 0o755)
        return
    mounted = tmp_path / "media"
    mounted.mkdir()
    bind = subprocess.run(["mount", "--bind", str(source), str(mounted)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip("cannot make a read-only folder here (no bind mount for root)")
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)], capture_output=True)
        if remount.returncode != 0 or os.access(mounted, os.W_OK):
            pytest.skip("cannot make a read-only folder here")
        yield mounted
    finally:
        subprocess.run(["umount", str(mounted)], check=True)


def test_a_database_in_a_read_only_folder_opens_read_only(read_only_folder):
    """The window's "open read-only" and the read-only commands work on read-only media, never "damaged"."""
    path = read_only_folder / "q.db"
    before = _state(read_only_folder)
    with pytest.raises(DatabaseNotWritableError):
        Store.open(path, actor="t")
    with Store.open(path, actor="t", read_only=True) as store:
        assert store.read_only and len(store.quadrangle.comparison_table(None)) == 6
    for command in (["table"], ["history", "UN-EU"], ["check"]):
        result = run("--db", str(path), *command)
        assert result.returncode == 0, (command, result.stderr)
        assert "damaged" not in result.stdout + result.stderr
    assert _state(read_only_folder) == before
