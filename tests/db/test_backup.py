"""Automatic, verified backups; thinning; restore (and its refusals); recovery of a damaged file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import db.migrate
from db import DatabaseDamagedError, DatabaseOpenError, SchemaTooNewError, Store
from db.backup import BackupRecord, backups_to_thin, quick_check_file
from tests.db.safety_helpers import checkpoint, corrupt, digest, draft

pytestmark = pytest.mark.sqlite_only  # backups of the SQLite file; a server is checked and backed up by its own tools


def _ids(store: Store) -> set[str]:
    rel = store.quadrangle.relationships()[0]
    return {v.id for v in store.assessments.history(rel.id)}


def test_opening_an_existing_database_takes_a_verified_backup(mini_db_path):
    """Opening a database that holds data leaves a backup that passes quick_check and holds the same rows."""
    before = digest(mini_db_path)
    with Store.open(mini_db_path, actor="t") as store:
        (backup,) = store.safety.backups()
        assert backup.reason == "on open" and backup.size > 0
        assert quick_check_file(backup.path) == "ok"
        assert digest(backup.path) == before


def test_a_new_database_takes_no_backup(tmp_path):
    """A brand-new database has nothing worth a backup yet."""
    with Store.open(tmp_path / "new.db", actor="t", dataset_path=Path("tests/data/mini_dataset.json")) as store:
        assert store.safety.backups() == []


def test_a_migration_is_preceded_by_a_backup(mini_db_path, monkeypatch):
    """When the schema must be upgraded, a verified backup is taken first."""
    head = db.migrate.HEAD_REVISION
    monkeypatch.setattr(db.migrate, "HEAD_REVISION", "9999")  # pretend the file is one revision behind
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        assert [b.reason for b in store.safety.backups()] == [f"before migration from {head}".replace("_", " ")]


def test_a_bulk_import_backup_is_named_after_the_file(mini_store):
    """Importers call backup_before_import, which leaves a verified backup named after the file."""
    path = mini_store.safety.backup_before_import("/somewhere/report.ris")
    assert "before-import-report-ris" in path.name and quick_check_file(path) == "ok"


def test_thinning_keeps_today_then_daily_then_weekly():
    """All of the last day, the newest per day for two weeks, per week for three months; nothing older."""
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    times = [now - timedelta(hours=h) for h in range(0, 24 * 120, 6)]
    backups = [BackupRecord(Path(f"/b/{i}.db"), t, "auto", 1) for i, t in enumerate(times)]
    dropped = {b.path for b in backups_to_thin(backups, now)}
    kept = [b for b in backups if b.path not in dropped]
    assert all(b in kept for b in backups if now - b.taken_at <= timedelta(days=1))
    daily = [b for b in kept if timedelta(days=1) < now - b.taken_at <= timedelta(days=14)]
    assert len({b.taken_at.date() for b in daily}) == len(daily) >= 13
    weekly = [b for b in kept if timedelta(days=14) < now - b.taken_at <= timedelta(days=92)]
    assert len({b.taken_at.isocalendar()[:2] for b in weekly}) == len(weekly) >= 10
    assert not [b for b in kept if now - b.taken_at > timedelta(days=92)]
    assert backups_to_thin(backups[-1:], now) == []  # the newest is always kept, however old


def test_restore_brings_back_the_backup_and_keeps_the_state_before(mini_store):
    """Restoring first backs up the current state, then the database equals the backup again."""
    rel = mini_store.quadrangle.relationships()[0]
    first = mini_store.assessments.save(draft(rel.id, 1))
    backup = mini_store.safety.take_backup("manual")
    second = mini_store.assessments.save(draft(rel.id, 2))
    events = []
    mini_store.subscribe(events.append)
    before = mini_store.safety.restore_backup(backup)
    assert first.id in _ids(mini_store) and second.id not in _ids(mini_store)
    assert second.id in {r[0] for r in sqlite3.connect(before).execute("SELECT id FROM assessment_versions")}
    assert [e.kind for e in events] == ["restored"]
    assert mini_store.safety.check() == []
    mini_store.safety.restore_backup(before)  # and the restore itself can be undone
    assert second.id in _ids(mini_store)


def _refused(store: Store, path: Path, error=DatabaseOpenError, match=None) -> None:
    before = digest(store.location.path)
    count = len(store.safety.backups())
    with pytest.raises(error, match=match) as caught:
        store.safety.restore_backup(path)
    assert "\n" not in str(caught.value)
    assert digest(store.location.path) == before
    assert len(store.safety.backups()) == count  # refused before anything was done


def test_restore_refuses_files_that_are_not_quadrangle_backups(mini_store, tmp_path):
    """A text file, an empty file, a truncated backup and another program's SQLite file are refused."""
    text = tmp_path / "notes.db"
    text.write_text("hello")
    _refused(mini_store, text, match="not an SQLite database")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    _refused(mini_store, empty, match="not an SQLite database")
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(mini_store.safety.take_backup("manual").read_bytes()[:5000])
    _refused(mini_store, truncated)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    _refused(mini_store, other, match="not a Quadrangle database")
    _refused(mini_store, tmp_path / "missing.db", match="not a file")


def test_restore_refuses_a_newer_schema(mini_store):
    """A backup written by a newer Quadrangle is refused, naming the reason."""
    backup = mini_store.safety.take_backup("manual")
    connection = sqlite3.connect(backup)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    _refused(mini_store, backup, SchemaTooNewError, match="newer version of Quadrangle")


def test_a_damaged_database_is_refused_untouched_and_the_newest_good_backup_offered(mini_db_path):
    """A damaged file is neither opened nor changed; the error names the newest good backup."""
    with Store.open(mini_db_path, actor="t") as store:
        (good,) = store.safety.backups()
    checkpoint(mini_db_path)
    corrupt(mini_db_path)
    damaged_bytes = mini_db_path.read_bytes()
    with pytest.raises(DatabaseDamagedError, match="is damaged .* left untouched. The newest good backup") as caught:
        Store.open(mini_db_path, actor="t")
    assert caught.value.backup == good.path
    assert mini_db_path.read_bytes() == damaged_bytes
    assert any(p.kind == "damaged" for p in Store.check_database(mini_db_path))

    aside = Store.recover(mini_db_path, caught.value.backup)
    assert aside.parent.name == "damaged" and aside.read_bytes() == damaged_bytes
    with Store.open(mini_db_path, actor="t") as store:
        assert store.safety.check() == []
        assert store.quadrangle.relationships()


def test_every_revision_fits_in_a_migration_backups_name():
    """The backup before a migration is named "before migration from <revision>" in full: a revision id
    too long for the name would make the backup list say "0009 mandate histo"."""
    from db.backup import slug_for

    for revision in db.migrate.KNOWN_REVISIONS:
        reason = f"before migration from {revision}".replace("_", " ")
        assert slug_for(reason) == reason.replace(" ", "-"), revision
