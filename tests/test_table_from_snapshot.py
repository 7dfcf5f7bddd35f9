"""`quadrangle table` for today is answered from the start-up snapshot while it matches the database:
the same table, without SQLAlchemy or the store (issue 22); anything else goes through the store."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from db import Store, comparison_table_from_snapshot
from desktop.table_format import rows_as_text

PROBE = (
    "import sys; from desktop.cli import main; status = main(sys.argv[1:]); "
    "print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr); sys.exit(status)"
)


def _table(*argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120, env=env, check=True
    )


def test_todays_table_comes_from_the_snapshot_without_sqlalchemy(default_db_path):
    """The snapshot's table is the store's table, printed without importing SQLAlchemy."""
    Store.open(default_db_path, backup_on_open=False).close()  # closing leaves the snapshot
    with Store.open(default_db_path, read_only=True) as store:
        expected = rows_as_text(
            store.quadrangle.comparison_table(), title="Inter-organizational cooperation as of today"
        )
    result = _table("--db", str(default_db_path), "table")
    assert result.stdout == expected
    assert "SQLALCHEMY False" in result.stderr


def test_another_date_or_a_stale_snapshot_goes_through_the_store(default_db_path):
    """A past date, or a change since the snapshot was written, is answered by the store."""
    with Store.open(default_db_path, backup_on_open=False) as store:
        first = store.quadrangle.organizations()[0]
    assert comparison_table_from_snapshot(default_db_path) is not None
    assert comparison_table_from_snapshot(default_db_path, date(2005, 1, 1)) is None
    assert "SQLALCHEMY True" in _table("--db", str(default_db_path), "table", "--as-of", "2005-01-01").stderr
    store = Store.open(default_db_path, backup_on_open=False)
    try:
        store.quadrangle.set_layout({first.id: (3.0, 4.0)})  # audited: the snapshot no longer matches
        assert comparison_table_from_snapshot(default_db_path) is None
    finally:
        store.database.engine.dispose()
        store._lock.release()
        store._lock = None


def test_export_exchange_records_its_baselines_but_takes_no_backup(default_db_path, tmp_path, capsys):
    """`export-exchange` still writes its baselines and audit row (opened for writing), but no longer
    copies the whole database into a backup first."""
    from desktop.cli import main

    Store.open(default_db_path, backup_on_open=False).close()
    backups = default_db_path.parent / "backups"
    before = sorted(p.name for p in backups.iterdir()) if backups.exists() else []
    assert main(["--db", str(default_db_path), "export-exchange", str(tmp_path / "out.json")]) == 0
    after = sorted(p.name for p in backups.iterdir()) if backups.exists() else []
    assert after == before
    with Store.open(default_db_path, read_only=True) as store:
        assert any(entry.action == "export" for entry in store.audit.entries())
