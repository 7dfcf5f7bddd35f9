"""Checks of one database file: is it a sound Quadrangle database this version can restore?

Every check opens the file read-only with `trusted_schema=OFF`, so nothing in it runs or changes.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from db.engine import SQLITE_HEADER
from db.errors import DatabaseOpenError, SchemaTooNewError
from db.integrity import one_line
from db.known_schema import ForeignObject, foreign_objects
from db.migrate import HEAD_REVISION, KNOWN_REVISIONS

PARTIAL_NAME = re.compile(r"^\.(?P<final>.+\.db)\.(?P<pid>\d+)\.partial(?:-journal|-wal|-shm)?$")
QUADRANGLE_CORE_TABLES = frozenset({"alembic_version", "meta", "assessment_versions"})


def quick_check_file(path: Path) -> str:
    """`PRAGMA quick_check` of a closed database file opened read-only: "ok" or the first problem."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        rows = connection.execute("PRAGMA quick_check").fetchall()
    finally:
        connection.close()
    return "ok" if rows == [("ok",)] else one_line("; ".join(str(r[0]) for r in rows[:3]))


def verify_backup_file(path: Path) -> str:
    """Check that `path` is a sound Quadrangle database this version can read; return its revision.

    A file carrying a trigger or a view that is not Quadrangle's (db/known_schema.py) is refused: it
    would run on the next save. Raises DatabaseOpenError (SchemaTooNewError for a newer Quadrangle's
    file) with a one-line reason. Opens the file read-only with `trusted_schema=OFF`: nothing in it is
    run or changed.
    """
    if PARTIAL_NAME.match(path.name):
        raise DatabaseOpenError(f"{path} is an unfinished backup (its copy was never verified): choose another backup.")
    try:
        if not path.is_file():
            raise DatabaseOpenError(f"{path} is not a file: choose a backup file.")
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise DatabaseOpenError(f"{path} is not a Quadrangle backup (not an SQLite database): choose another file.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"Cannot open {path}: {failure_reason(exc)}.") from None
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        rows = connection.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise DatabaseOpenError(f"{path} is damaged ({one_line(str(rows[0][0]))}): choose another backup.")
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not QUADRANGLE_CORE_TABLES <= tables:
            raise DatabaseOpenError(f"{path} is not a Quadrangle database: choose a Quadrangle backup.")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path} cannot be read as a Quadrangle backup ({failure_reason(exc)}).") from None
    finally:
        connection.close()
    if revision is None:
        raise DatabaseOpenError(f"{path} has no schema version: it is not a usable Quadrangle backup.")
    if revision[0] not in KNOWN_REVISIONS:
        raise SchemaTooNewError(
            f"{path} was written by a newer version of Quadrangle (schema {revision[0]}): "
            "install that version to restore it."
        )
    try:
        foreign = [item for item in foreign_schema_of(path) if item.removable]
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path} cannot be read as a Quadrangle backup ({failure_reason(exc)}).") from None
    if foreign:
        raise DatabaseOpenError(
            f"{path} carries {len(foreign)} trigger(s) or view(s) that are not Quadrangle's "
            f"({foreign[0].describe()}): choose another backup."
        )
    if revision[0] == HEAD_REVISION:
        missing = missing_columns(path)
        if missing:
            raise DatabaseOpenError(
                f"{path} does not have the tables this version expects (missing {', '.join(missing[:3])}): "
                "it is damaged or was altered; choose another backup."
            )
    return revision[0]


def foreign_schema_of(path: Path) -> list[ForeignObject]:
    """The schema objects of the file at `path` that are not Quadrangle's (read-only, nothing run)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        return foreign_objects(connection)
    finally:
        connection.close()


def missing_columns(path: Path) -> list[str]:
    """The `table.column`s of the current models that the file at the current revision lacks.

    A bit flip in the schema text passes quick_check yet breaks every query (found by the fuzz test).
    Extra tables (e.g. a search index) are fine. Older revisions are checked by their migration instead.
    """
    from db.models import Base  # only needed here; keeps `import db.backup` light

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        missing = []
        for table in Base.metadata.sorted_tables:
            present = {row[1] for row in connection.execute(f'PRAGMA table_info("{table.name}")')}
            missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
        return missing
    except sqlite3.Error as exc:
        return [f"(unreadable schema: {one_line(str(exc))})"]
    finally:
        connection.close()


def failure_reason(exc: BaseException) -> str:
    """An error in a few words, for a one-line message."""
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    text = one_line(str(exc))
    return text or type(exc).__name__
