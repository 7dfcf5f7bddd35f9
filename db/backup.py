"""Verified backups of an SQLite database file: taking, listing, thinning and restoring (the checks of
one file are in db/backup_checks.py).

Every copy is made with SQLite's online backup API (a consistent snapshot, never an OS copy of a live
file) into an owner-only file under a temporary name (`.NAME.PID.partial`), fsynced, reopened,
`quick_check`ed and checked for Quadrangle's tables, and only then renamed to its final name: a file
with a backup's name was complete when it got that name, and a copy killed half-way is never listed.
Partial files whose process is gone are removed by the next backup.

Thinning (run after every backup) keeps everything from the last day, the newest *verified* backup of
each day for two weeks and of each week for three months, then bounds what is kept by count
(MAX_BACKUPS) and by total size (MAX_BACKUP_FACTOR times the database's size, at most
MAX_BACKUP_BYTES), dropping the oldest first. The newest verified backup is always kept, whatever its
age or size; a backup that fails the listing's structural check (truncated, not SQLite) never stands
for its period and is removed.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.backup_checks import (
    PARTIAL_NAME,
    QUADRANGLE_CORE_TABLES,
    failure_reason,
    quick_check_file,
    verify_backup_file,
)
from db.engine import SQLITE_HEADER, create_private_file
from db.errors import DatabaseOpenError, StorageError

log = logging.getLogger(__name__)

BACKUP_FOLDER_NAME = "backups"
DAMAGED_FOLDER_NAME = "damaged"
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<slug>[a-z0-9-]+)\.db$")
# A backup being written: `.` + its final name + the writing process's id; SQLite's companions follow.
_PARTIAL_SUFFIX = ".partial"
# Tables every Quadrangle database has had since its first revision: a copy without them is not one.

# Thinning: keep everything from the last day, the newest of each day for two weeks, the newest of each
# week for three months; older backups go. The newest backup is always kept.
KEEP_ALL_FOR = timedelta(days=1)
KEEP_DAILY_FOR = timedelta(days=14)
KEEP_WEEKLY_FOR = timedelta(days=92)
# Bounds on what thinning keeps: at most this many backups, and at most this many bytes in all
# (MAX_BACKUP_FACTOR times the database's size, capped at MAX_BACKUP_BYTES), the newest first.
MAX_BACKUPS = 30
MAX_BACKUP_FACTOR = 20
MAX_BACKUP_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class BackupRecord:
    """One backup file: where it is, when it was taken (UTC), why, its size in bytes, and whether it
    passed the listing's structural check (`verified`; an unverified one is "incomplete" and unusable)."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    verified: bool = True

    @property
    def status(self) -> str:
        return "verified" if self.verified else "incomplete"

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


def list_backups(database: Path, *, include_incomplete: bool = False) -> list[BackupRecord]:
    """The verified backups of `database` in its backup folder, newest first (files of other databases
    and partial copies ignored); with `include_incomplete`, also the files named as backups that fail
    the structural check, marked `verified=False`. Reads only the files' first 100 bytes and sizes."""
    folder = backup_folder_for(database)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != database.stem or not path.is_file():
            continue
        verified = backup_file_problem(path) is None
        if not verified and not include_incomplete:
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue  # thinned by another process a moment ago
        taken_at = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
        found.append(BackupRecord(path, taken_at, match["slug"].replace("-", " "), size, verified))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def incomplete_backups(database: Path) -> list[BackupRecord]:
    """The files of `database`'s backup folder named as its backups that are not usable (truncated,
    not SQLite), newest first; the next backup's thinning removes them."""
    return [b for b in list_backups(database, include_incomplete=True) if not b.verified]


def backup_file_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be a complete backup, from its header and size alone; None when
    it looks complete. Cheap enough to run on every listing (restore verifies fully)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return "not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged"
    if header[18] != 1 or header[19] != 1:
        return "not a self-contained file (it needs a write-ahead log)"
    if size % page_size:
        return "truncated"
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is valid when its "version-valid-for" equals the change counter.
    if header[92:96] == header[24:28] and pages and size < pages * page_size:
        return "truncated"
    if Path(f"{path}-journal").exists():
        return "unfinished (a journal is beside it)"
    return None


def _total_size_limit(database_size: int | None) -> int:
    if not database_size:
        return MAX_BACKUP_BYTES
    return min(MAX_BACKUP_BYTES, MAX_BACKUP_FACTOR * database_size)


def backups_to_thin(
    backups: list[BackupRecord],
    now: datetime,
    *,
    database_size: int | None = None,
    max_count: int = MAX_BACKUPS,
) -> list[BackupRecord]:
    """The backups the thinning policy drops (a pure function of the list, the time and the size of
    the database). Unverified backups are always dropped and never stand for a day or a week; the
    newest verified backup is always kept."""
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    good = [b for b in ordered if b.verified]
    kept: list[BackupRecord] = good[:1]
    days: set = set()
    weeks: set = set()
    for backup in good:
        age = now - backup.taken_at
        if age <= KEEP_ALL_FOR:
            wanted = True
        elif age <= KEEP_DAILY_FOR:
            wanted = backup.taken_at.date() not in days
            days.add(backup.taken_at.date())
        elif age <= KEEP_WEEKLY_FOR:
            week = backup.taken_at.isocalendar()[:2]
            wanted = week not in weeks
            weeks.add(week)
        else:
            wanted = False
        if wanted and backup not in kept:
            kept.append(backup)
    limit = _total_size_limit(database_size)
    bounded: list[BackupRecord] = []
    total = 0
    for backup in sorted(kept, key=lambda b: b.taken_at, reverse=True):
        if bounded and (len(bounded) >= max_count or total + backup.size > limit):
            break  # the newest first: what is dropped is the oldest
        bounded.append(backup)
        total += backup.size
    keep = {b.path for b in bounded}
    return [b for b in ordered if b.path not in keep]


def _database_size(database: Path) -> int | None:
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += Path(f"{database}{suffix}").stat().st_size
        except OSError:
            pass
    return total or None


def thin_backups(database: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups the policy drops (and partial copies left by a process that is gone);
    returns the paths of the dropped backups. Failures are logged, not raised."""
    remove_partial_backups(database)
    removed = []
    backups = list_backups(database, include_incomplete=True)
    for backup in backups_to_thin(backups, now or datetime.now(UTC), database_size=_database_size(database)):
        try:
            backup.path.unlink()
            removed.append(backup.path)
        except OSError as exc:
            log.warning("could not thin backup %s: %s", backup.path, exc)
    return removed


def partial_backups(database: Path) -> list[Path]:
    """The partial copies (and their SQLite companions) in `database`'s backup folder whose writing
    process no longer runs: what a backup killed half-way leaves behind."""
    folder = backup_folder_for(database)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = PARTIAL_NAME.match(path.name)
        if match is None:
            continue
        final = _NAME.match(match["final"])
        if final is None or final["stem"] != database.stem:
            continue
        if not _process_is_running(int(match["pid"])):
            found.append(path)
    return sorted(found)


def remove_partial_backups(database: Path) -> list[Path]:
    """Remove the partial copies left in `database`'s backup folder by a killed backup; returns them."""
    removed = []
    for path in partial_backups(database):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not remove the unfinished backup %s: %s", path, exc)
    return removed


def _process_is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process's own backup in progress (another thread)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or no way to tell: leave its file alone
    return True


def take_backup(database: Path, reason: str, *, display: str | None = None) -> Path:
    """Copy `database` into its backup folder with the online backup API under a temporary name,
    verify the copy (fsync, reopen, quick_check, Quadrangle's tables), rename it to its final name,
    and thin old ones. Returns the new file. Raises StorageError (the unfinished copy removed) when it
    cannot be written or fails its check; nothing then carries a backup's name."""
    display = display or str(database)
    if not database.parent.is_dir():
        raise StorageError(folder_vanished_message(database))
    folder = backup_folder_for(database)
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    target = folder / f"{database.stem}-{stamp}-{slug_for(reason)}.db"
    partial = folder / f".{target.name}.{os.getpid()}{_PARTIAL_SUFFIX}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        remove_partial_backups(database)
        create_private_file(partial)
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            copy_into(source, partial)
        finally:
            source.close()
        verdict = verify_copy(partial)
        if verdict == "ok":
            os.replace(partial, target)
            fsync_folder(folder)
    except (OSError, sqlite3.Error, DatabaseOpenError) as exc:
        remove_database_files(partial)
        raise StorageError(
            f"Could not back up {display} to {folder}: {failure_reason(exc)}; nothing was changed."
        ) from None
    if verdict != "ok":
        remove_database_files(partial)
        raise StorageError(f"The backup of {display} failed its check ({verdict}); it was discarded.")
    thin_backups(database)
    return target


def verify_copy(path: Path) -> str:
    """ "ok" when the fresh copy at `path` is complete: its header and size, quick_check, and the
    tables every Quadrangle database has; otherwise the first problem in words."""
    problem = backup_file_problem(path)
    if problem is not None:
        return problem
    verdict = quick_check_file(path)
    if verdict != "ok":
        return verdict
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        connection.close()
    missing = sorted(QUADRANGLE_CORE_TABLES - tables)
    return "ok" if not missing else f"it lacks Quadrangle's tables ({', '.join(missing)})"


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
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    try:
        folder_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder_fd)
    except OSError:
        pass
    finally:
        os.close(folder_fd)


def newest_good_backup(database: Path) -> BackupRecord | None:
    """The newest backup of `database` that passes verification, or None."""
    for backup in list_backups(database):
        try:
            verify_backup_file(backup.path)
        except DatabaseOpenError:
            continue
        return backup
    return None


def restore_command(database: Path, backup: Path) -> str:
    """The command line that restores `backup` into `database`, as a shell would run it from any
    folder: absolute, shell-quoted paths, and `--db` so it never replaces the default database."""
    return f"quadrangle restore {shlex.quote(str(Path(backup).absolute()))} --db {shlex.quote(str(Path(database).absolute()))}"


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
