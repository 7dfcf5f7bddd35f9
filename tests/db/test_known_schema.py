"""`check` knows Quadrangle's schema: foreign triggers, views, tables, columns and indexes are reported,
the safe repair removes foreign triggers and views after a backup, and a restore refuses a backup carrying them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import DatabaseOpenError, Store
from db.backup import verify_backup_file
from db.known_schema import expected_schema
from desktop.cli import main
from tests.db.safety_helpers import digest, draft

pytestmark = pytest.mark.sqlite_only

REWRITING_TRIGGER = (
    "CREATE TRIGGER audit_rewrites AFTER INSERT ON audit_log BEGIN UPDATE sources SET title = 'pwned'; END"
)


def _execute(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def _titles(store: Store) -> set[str]:
    return {s.title for s in store.sources.all()}


def test_a_trigger_on_audit_log_that_rewrites_source_titles_is_reported_and_removed_by_repair(mini_db_path, capsys):
    """The attacker's trigger is named by `check`, dropped by `check --repair` after a backup, and titles survive."""
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        titles = _titles(store)
    _execute(mini_db_path, REWRITING_TRIGGER)

    assert main(["check", "--db", str(mini_db_path)]) == 3
    out = capsys.readouterr().out
    assert '"audit_rewrites" on "audit_log" is not Quadrangle\'s' in out and "quadrangle check --repair" in out

    assert main(["check", "--repair", "--db", str(mini_db_path)]) == 0
    out = capsys.readouterr().out
    assert "Backed up to" in out and "Removed 1 trigger(s) or view(s)" in out
    backup = Path(out.split("Backed up to ", 1)[1].splitlines()[0])
    assert "audit_rewrites" in {r[0] for r in sqlite3.connect(backup).execute("SELECT name FROM sqlite_master")}

    assert main(["check", "--db", str(mini_db_path)]) == 0
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        store.assessments.save(draft(store.quadrangle.relationships()[0].id, 3))  # writes an audit row
        assert _titles(store) == titles
        assert "pwned" not in _titles(store)


def test_a_foreign_view_is_reported_and_removed_by_repair(mini_store):
    """A view is not Quadrangle's: reported as repairable, and the repair drops it."""
    _execute(mini_store.location.path, "CREATE VIEW peek AS SELECT title FROM sources")
    problems = mini_store.safety.check()
    assert [(p.kind, p.repairable) for p in problems] == [("foreign-view", True)]
    result = mini_store.safety.repair()
    assert result.backup is not None and result.remaining == ()
    assert mini_store.safety.check() == []


def test_a_renamed_column_is_reported(mini_db_path):
    """A column renamed by another tool shows as Quadrangle's column missing and an unknown one present."""
    _execute(mini_db_path, "ALTER TABLE sources RENAME COLUMN title TO titel")
    messages = [p.message for p in Store.check_database(mini_db_path)]
    assert any('lacks Quadrangle\'s column "title"' in m for m in messages), messages
    assert any('column "titel" that is not Quadrangle\'s' in m for m in messages), messages


def test_foreign_tables_and_indexes_are_reported_not_removed(mini_store):
    """An extra table and an extra index are reported; the safe repair leaves them (they may hold someone's data)."""
    _execute(
        mini_store.location.path,
        "CREATE TABLE notes (x)",
        "CREATE INDEX ix_sneaky ON lessons (finding)",
    )
    problems = mini_store.safety.check()
    assert sorted((p.kind, p.row) for p in problems) == [("foreign-schema", "ix_sneaky"), ("foreign-schema", "notes")]
    assert not any(p.repairable for p in problems)
    assert mini_store.safety.repair().backup is None  # nothing it may do


def test_a_restore_refuses_a_backup_carrying_a_foreign_trigger(mini_store):
    """A backup with a trigger that is not Quadrangle's is refused by restore, and the database is unchanged."""
    backup = mini_store.safety.take_backup("manual")
    _execute(backup, REWRITING_TRIGGER)
    before = digest(mini_store.location.path)
    with pytest.raises(DatabaseOpenError, match="not Quadrangle's"):
        verify_backup_file(backup)
    with pytest.raises(DatabaseOpenError, match="not Quadrangle's"):
        mini_store.safety.restore_backup(backup)
    assert digest(mini_store.location.path) == before
    assert backup not in [b.path for b in mini_store.safety.backups() if b.reason == "before restore"]


def test_a_fresh_database_matches_the_expected_schema_exactly(mini_store):
    """No false alarms: a database made by the migrations has exactly the expected tables and columns."""
    assert mini_store.safety.check() == []
    connection = sqlite3.connect(f"file:{mini_store.location.path}?mode=ro", uri=True)
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    connection.close()
    assert set(expected_schema().tables) <= tables


def test_a_control_character_in_a_foreign_name_is_shown_escaped(mini_store):
    """A trigger named with an escape sequence is reported on one line with the sequence escaped."""
    _execute(mini_store.location.path, 'CREATE TRIGGER "x\x1b[2Jy" AFTER INSERT ON meta BEGIN SELECT 1; END')
    (problem,) = mini_store.safety.check()
    assert "\x1b" not in problem.message and "\\x1b[2J" in problem.message
    mini_store.safety.repair()
    assert mini_store.safety.check() == []
