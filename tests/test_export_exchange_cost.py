"""Commands that cost nothing beyond their work (issue 22): `export-exchange` writes its baselines but
takes no backup of the whole database first."""

from __future__ import annotations

import os
import subprocess
import sys

from db import Store

PROBE = (
    "import sys; from desktop.cli import main; status = main(sys.argv[1:]); "
    "print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr); sys.exit(status)"
)


def _table(*argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120, env=env, check=True
    )


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
