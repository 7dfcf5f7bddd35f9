"""`restore` names the database it replaces, and the hint printed for a damaged database works as printed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db import DatabaseDamagedError, Store
from desktop.cli import main
from desktop.paths import resolve_database
from tests.db.safety_helpers import checkpoint, corrupt, digest

pytestmark = pytest.mark.sqlite_only


def _damaged_case(tmp_path: Path, mini_db_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "work"
    (folder / "my cases").mkdir(parents=True)
    database = folder / "my cases" / "q's.db"  # a space and a quote: the hint must quote them
    shutil.copyfile(mini_db_path, database)
    Store.open(database, actor="t").close()  # leaves its "on open" backup
    checkpoint(database)
    corrupt(database)
    return folder, database


def test_the_hint_for_a_damaged_database_restores_that_database_when_run_as_printed(
    tmp_path, mini_db_path, monkeypatch
):
    """Run from another folder, the printed command restores the damaged file given as a relative --db, not the default."""
    folder, database = _damaged_case(tmp_path, mini_db_path)
    default, _ = resolve_database(None)
    monkeypatch.chdir(folder)
    with pytest.raises(DatabaseDamagedError) as caught:
        Store.open(Path("my cases") / "q's.db", actor="t")
    hint = re.search(r"restore it with: (quadrangle restore .*)$", str(caught.value))
    assert hint, str(caught.value)
    command = hint.group(1)
    assert "--db" in command

    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"Replacing the database {database.absolute()}" in result.stdout
    assert not Path(default).exists()  # the default database was neither created nor replaced
    assert Store.check_database(database) == []
    assert list((database.parent / "damaged").iterdir())


def test_restore_without_a_named_database_is_refused(mini_db_path, capsys):
    """`quadrangle restore BACKUP` alone would replace the default database: it is refused in one line."""
    with Store.open(mini_db_path, actor="t") as store:
        (backup,) = store.safety.backups()
    default, _ = resolve_database(None)
    assert main(["restore", str(backup.path)]) == 1
    captured = capsys.readouterr()
    assert "--db" in captured.err and captured.err.count("\n") == 1
    assert not Path(default).exists()


def test_restore_names_the_database_it_replaces(mini_db_path, capsys):
    """Before doing anything, restore prints which database it replaces and with which backup."""
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        backup = store.safety.take_backup("manual")
    before = digest(backup)
    assert main(["--db", str(mini_db_path), "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Replacing the database {mini_db_path} with the backup {backup}\n")
    assert f"into {mini_db_path}" in out
    assert digest(backup) == before
