"""Verified backups of an SQLite database file: taking, listing, thinning, checking and restoring.

Every copy is made with SQLite's online backup API (a consistent snapshot, never an OS copy of a live
file), written to an owner-only file, fsynced, reopened and `quick_check`ed before it counts.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.engine import SQLITE_HEADER, create_private_file
from db.errors import DatabaseOpenError, SchemaTooNewError, StorageError
from db.integrity import one_line
from db.migrate import HEAD_REVISION, KNOWN_REVISIONS

log = logging.getLogger(__name__)

BACKUP_FOLDER_NAME = "backups"
DAMAGED_FOLDER_NAME = "damaged"
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<slug>[a-z0-9-]+)\.db$")

# Thinning: keep everything from the last day, the newest of each day for two weeks, the newest of each
# week for three months; older backups go. The newest backup is always kept.
KEEP_ALL_FOR = timedelta(days=1)
KEEP_DAILY_FOR = timedelta(days=14)
KEEP_WEEKLY_FOR = timedelta(days=92)


@dataclass(frozen=True)
class BackupRecord:
    """One verified backup file: where it is, when it was taken (UTC), why, and its size in bytes."""

    path: Path
    taken_at: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def backup_folder_for(database: Path) -> Path:
    return database.parent / BACKUP_FOLDER_NAME


def folder_vanished_message(database: Path) -> str:
    return (
        f"The folder {database.parent} holding {database.name} has disappeared (an unplugged drive or a moved "
        "folder?): put it back and try again; nothing was saved."
    )


def slug_for(reason: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in reason.lower()).strip("-")[:40] or "backup"


def list_backups(database: Path) -> list[BackupRecord]:
    """The backups of `database` in its backup folder, newest first (files of other databases ignored)."""
    folder = backup_folder_for(database)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != database.stem or not path.is_file():
            continue
        taken_at = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
        found.append(BackupRecord(path, taken_at, match["slug"].replace("-", " "), path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def backups_to_thin(backups: list[BackupRecord], now: datetime) -> list[BackupRecord]:
    """The backups the thinning policy drops (a pure function of the list and the time)."""
    kept: set[Path] = set()
    days: set = set()
    weeks: set = set()
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    if ordered:
        kept.add(ordered[0].path)
    for backup in ordered:
        age = now - backup.taken_at
        if age <= KEEP_ALL_FOR:
            kept.add(backup.path)
        elif age <= KEEP_DAILY_FOR:
            day = backup.taken_at.date()
            if day not in days:
                days.add(day)
                kept.add(backup.path)
        elif age <= KEEP_WEEKLY_FOR:
            week = backup.taken_at.isocalendar()[:2]
            if week not in weeks:
                weeks.add(week)
                kept.add(backup.path)
    return [b for b in ordered if b.path not in kept]


def thin_backups(database: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups the policy drops; returns their paths. Failures are logged, not raised."""
    removed = []
    for backup in backups_to_thin(list_backups(database), now or datetime.now(UTC)):
        try:
            backup.path.unlink()
            removed.append(backup.path)
        except OSError as exc:
            log.warning("could not thin backup %s: %s", backup.path, exc)
    return removed


def take_backup(database: Path, reason: str, *, display: str | None = None) -> Path:
    """Copy `database` into its backup folder with the online backup API, verify the copy and thin old
    ones. Returns the new file. Raises StorageError (the unfinished copy removed) when it cannot be
    written or fails its check."""
    display = display or str(database)
    if not database.parent.is_dir():
        raise StorageError(folder_vanished_message(database))
    folder = backup_folder_for(database)
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    target = folder / f"{database.stem}-{stamp}-{slug_for(reason)}.db"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        create_private_file(target)
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            copy_into(source, target)
        finally:
            source.close()
        verdict = quick_check_file(target)
    except (OSError, sqlite3.Error, DatabaseOpenError) as exc:
        remove_database_files(target)
        raise StorageError(f"Could not back up {display} to {folder}: {_reason(exc)}; nothing was changed.") from None
    if verdict != "ok":
        remove_database_files(target)
        raise StorageError(f"The backup of {display} failed its check ({verdict}); it was discarded.")
    thin_backups(database)
    return target


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """Write a snapshot of `source` into the file `target` (rollback journal, fsynced)."""
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        copy.commit()
    finally:
        copy.close()
    fsync_file(target)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if os.name == "posix":
        try:
            folder_fd = os.open(path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(folder_fd)
        except OSError:
            pass
        finally:
            os.close(folder_fd)


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

    Raises DatabaseOpenError (SchemaTooNewError for a newer Quadrangle's file) with a one-line reason.
    Opens the file read-only with `trusted_schema=OFF`: nothing in it is run or changed.
    """
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
        raise DatabaseOpenError(f"Cannot open {path}: {_reason(exc)}.") from None
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        rows = connection.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise DatabaseOpenError(f"{path} is damaged ({one_line(str(rows[0][0]))}): choose another backup.")
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "meta", "assessment_versions"} <= tables:
            raise DatabaseOpenError(f"{path} is not a Quadrangle database: choose a Quadrangle backup.")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path} cannot be read as a Quadrangle backup ({_reason(exc)}).") from None
    finally:
        connection.close()
    if revision is None:
        raise DatabaseOpenError(f"{path} has no schema version: it is not a usable Quadrangle backup.")
    if revision[0] not in KNOWN_REVISIONS:
        raise SchemaTooNewError(
            f"{path} was written by a newer version of Quadrangle (schema {revision[0]}): "
            "install that version to restore it."
        )
    if revision[0] == HEAD_REVISION:
        missing = missing_columns(path)
        if missing:
            raise DatabaseOpenError(
                f"{path} does not have the tables this version expects (missing {', '.join(missing[:3])}): "
                "it is damaged or was altered; choose another backup."
            )
    return revision[0]


def newest_good_backup(database: Path) -> BackupRecord | None:
    """The newest backup of `database` that passes verification, or None."""
    for backup in list_backups(database):
        try:
            verify_backup_file(backup.path)
        except DatabaseOpenError:
            continue
        return backup
    return None


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


def set_aside(database: Path) -> Path:
    """Move a damaged database (with its -wal and -shm) into a `damaged` folder beside it, never
    deleting anything; returns the new path of the main file."""
    folder = database.parent / DAMAGED_FOLDER_NAME
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    aside = folder / f"{database.stem}-{stamp}{database.suffix}"
    for suffix in ("-wal", "-shm", "-journal", ""):
        source = Path(f"{database}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{aside}{suffix}"))
    return aside


def remove_database_files(path: Path) -> None:
    """Remove a database file this process created moments ago and could not finish."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not remove %s: %s", candidate, exc)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    text = one_line(str(exc))
    return text or type(exc).__name__
