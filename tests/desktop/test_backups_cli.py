"""Headless `quadrangle backup | backups | restore | check` on a database file."""

from __future__ import annotations

import sqlite3
import uuid

from db import Store
from desktop.cli import main
from tests.db.safety_helpers import checkpoint, corrupt, draft


def test_backup_then_backups_lists_it(mini_db_path, capsys):
    """`backup` prints the new file and `backups` lists it with its date, size and reason."""
    assert main(["backup", "--db", str(mini_db_path)]) == 0
    path = capsys.readouterr().out.strip().removeprefix("Backed up to ")
    assert main(["backups", "--db", str(mini_db_path)]) == 0
    listing = capsys.readouterr().out
    assert path in listing and "manual" in listing and "KB" in listing


def test_restore_puts_a_backup_back(mini_db_path, capsys):
    """`restore BACKUP` brings back the backed-up versions and names the backup of the state before."""
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        backup = store.safety.take_backup("manual")
        rel = store.quadrangle.relationships()[0]
        later = store.assessments.save(draft(rel.id, 4))
    assert main(["restore", str(backup), "--db", str(mini_db_path)]) == 0
    assert "the state before the restore is in" in capsys.readouterr().out
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        assert later.id not in {v.id for v in store.assessments.history(rel.id)}


def test_restore_refuses_a_foreign_file_in_one_line(mini_db_path, tmp_path, capsys):
    """A file that is not a Quadrangle backup ends in one line on stderr and exit status 1."""
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    assert main(["restore", str(bogus), "--db", str(mini_db_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("quadrangle: ") and err.count("\n") == 1


def test_restore_recovers_a_damaged_database_and_keeps_it_aside(mini_db_path, capsys):
    """On a damaged file, `restore` moves it into damaged/ and puts the backup in its place."""
    with Store.open(mini_db_path, actor="t") as store:
        (backup,) = store.safety.backups()
    checkpoint(mini_db_path)
    corrupt(mini_db_path)
    assert main(["check", "--db", str(mini_db_path)]) == 3
    assert "The database file is damaged" in capsys.readouterr().out
    assert main(["restore", str(backup.path), "--db", str(mini_db_path)]) == 0
    assert "the damaged database was kept at" in capsys.readouterr().out
    assert list((mini_db_path.parent / "damaged").glob("*.db"))
    assert main(["check", "--db", str(mini_db_path)]) == 0


def test_check_reports_problems_in_words_and_repair_fixes_the_safe_ones(mini_db_path, capsys):
    """`check` lists an orphaned citation; `check --repair` backs up, removes it, and the next check is clean."""
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        version = store.assessments.save(draft(store.quadrangle.relationships()[0].id, 1))
        source_id = store.sources.all()[0].id
    c = sqlite3.connect(mini_db_path, isolation_level=None)
    c.execute("PRAGMA foreign_keys=OFF")
    c.execute(
        "INSERT INTO citations (id, source_id, locator, quote, position, assessment_version_id) "
        "VALUES (?, ?, '', '', 0, ?)",
        (str(uuid.uuid4()), source_id, str(uuid.uuid4())),
    )
    c.close()
    assert version.id
    assert main(["check", "--db", str(mini_db_path)]) == 3
    out = capsys.readouterr().out
    assert "A citation (row" in out and "refers to a assessment version that no longer exists" not in out
    assert "quadrangle check --repair" in out
    assert main(["check", "--repair", "--db", str(mini_db_path)]) == 0
    out = capsys.readouterr().out
    assert "Backed up to" in out and "Removed 1 row(s)" in out
    assert main(["check", "--repair", "--db", str(mini_db_path)]) == 0
    assert "Backed up to" not in capsys.readouterr().out
