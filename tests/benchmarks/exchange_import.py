"""The exchange import figure (issue 22): the large database's exchange file (about 45 MB) imported
into a copy of the default database, timed and measured in a child process of its own.

`python -m tests.benchmarks.exchange_import LARGE_DB DEFAULT_DB FOLDER` prints seconds, peak MiB and
the file's size; `python -m tests.benchmarks` runs it. Not part of the test run."""

from __future__ import annotations

import resource
import shutil
import sqlite3
import sys
import time
import uuid
from pathlib import Path

# The whole large database makes a 170 MB file, over the 50 MB an exchange file may be; a quarter of
# its relationships (with their lessons, versions and sources) makes the 45 MB file issue 22 names.
RELATIONSHIPS_EXPORTED = 0.26


def exchange_file(large_db: Path, folder: Path) -> Path:
    """An exchange file of about 45 MB from the large database, written once into `folder`."""
    from db import Store

    out = folder / "large-exchange.json"
    if not out.exists():
        with Store.open(large_db, actor="benchmark", backup_on_open=False) as store:
            relationships = [r.id for r in store.quadrangle.relationships()]
            store.exchange.export(
                out, relationships=relationships[: round(len(relationships) * RELATIONSHIPS_EXPORTED)]
            )
    return out


def child(exchange: Path, default_db: Path, folder: Path) -> None:
    from db import Store

    target = folder / "import-target.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(folder / "backups", ignore_errors=True)
    shutil.copyfile(default_db, target)
    connection = sqlite3.connect(target)
    connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
    connection.commit()
    connection.close()
    with Store.open(target, actor="benchmark", backup_on_open=False) as store:
        started = time.perf_counter()
        store.exchange.import_file(exchange, on_conflict="theirs")
        elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.3f} {peak_mib:.0f} {exchange.stat().st_size / 1e6:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        folder = Path(sys.argv[3])
        print(exchange_file(Path(sys.argv[1]), folder))
