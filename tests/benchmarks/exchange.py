"""`python -m tests.benchmarks.exchange [EXTRA_LESSONS]`: export, preview, import and repeat-import times
for the default dataset plus EXTRA_LESSONS generated lessons (default 5000), and the file's size.
Not part of the test run."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from db import Store, models
from db.types import new_id, utc_now


def _timed(label: str, call):
    started = time.perf_counter()
    result = call()
    print(f"{label:<22}{time.perf_counter() - started:8.2f} s")
    return result


def main(extra: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    try:
        a_path, b_path = folder / "a.db", folder / "b.db"
        Store.open(a_path, actor="alice", backup_on_open=False).close()
        shutil.copyfile(a_path, b_path)
        connection = sqlite3.connect(b_path)
        connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
        connection.commit()
        connection.close()
        with (
            Store.open(a_path, actor="alice", backup_on_open=False) as alice,
            Store.open(b_path, actor="bob", backup_on_open=False) as bob,
        ):
            relationship = alice.quadrangle.relationships()[0].id
            theme = alice.catalog.themes()[0].id  # the store (and so an import) refuses a lesson with no theme
            with alice.database.write() as s:
                for i in range(extra):
                    lesson_id, now = new_id(), utc_now()
                    s.add(
                        models.Lesson(
                            id=lesson_id,
                            kind="challenge",
                            finding=f"finding {i} " + "x" * 500,
                            recommendation="r",
                            recorded_on=date(2024, 1, 1),
                            marking="UNCLASSIFIED",
                            created_at=now,
                            updated_at=now,
                            created_by="alice",
                            updated_by="alice",
                        )
                    )
                    s.flush()
                    s.add(models.LessonRelationship(lesson_id=lesson_id, relationship_id=relationship))
                    s.add(models.LessonTheme(lesson_id=lesson_id, theme_id=theme))
            print(f"default dataset + {extra} lessons")
            _timed("export", lambda: alice.exchange.export(folder / "a.json"))
            print(f"{'file size':<22}{(folder / 'a.json').stat().st_size / 1024:8.0f} KiB")
            _timed("preview", lambda: bob.exchange.preview(folder / "a.json"))
            _timed("import", lambda: bob.exchange.import_file(folder / "a.json"))
            _timed("repeat import (no-op)", lambda: bob.exchange.import_file(folder / "a.json"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
