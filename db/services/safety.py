"""The safety service: taking and listing backups, restoring one, the full check and the safe repair;
and the same on a database file without opening a store (for the command line and a damaged file).

The writer lock and the backups taken while opening live in db/store.py, because opening needs them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db.backup import (
    BackupRecord,
    copy_into,
    list_backups,
    quick_check_file,
    set_aside,
    verify_backup_file,
)
from db.backup import take_backup as take_backup_file
from db.database import Service
from db.engine import BUSY_TIMEOUT_MS, check_sqlite_file, create_private_file, locate
from db.errors import DatabaseOpenError, StorageError
from db.events import EventKind
from db.integrity import IntegrityProblem, check_file, one_line, repair_connection
from db.locking import WriterLock
from db.migrate import upgrade_to_head


@dataclass(frozen=True)
class RepairResult:
    """What `Store.repair` did: the backup taken first (None when nothing needed repair), the fixes
    in words, and the problems that remain (which need a backup or a person)."""

    backup: Path | None
    done: tuple[str, ...]
    remaining: tuple[IntegrityProblem, ...]


class SafetyService(Service):
    """Backups, restore, check and repair of an SQLite store (a server database has its own tools)."""

    @property
    def backup_folder(self) -> Path | None:
        """Where this database's backups go: a `backups` folder beside an SQLite file (None for a server)."""
        return self.location.file.parent / "backups" if self.location.is_sqlite else None

    def take_backup(self, reason: str) -> Path | None:
        """Copy a consistent snapshot of the database with SQLite's online backup, verify it with
        `quick_check`, and return its path (None on a server database, which its own tools back up).

        Raises StorageError when the copy cannot be written or fails its check (the bad copy is removed).
        """
        if not self.location.is_sqlite:
            return None
        return self._take_file_backup(reason)

    def _take_file_backup(self, reason: str) -> Path:
        # db/backup.py does the work: fsync, reopen + quick_check, 0600 file, thinning of old ones.
        return take_backup_file(self.location.file, reason, display=self.location.display)

    def backups(self, *, include_incomplete: bool = False) -> list[BackupRecord]:
        """This database's verified backups, newest first (empty for a server database); with
        `include_incomplete`, also the unusable files named as backups, marked `verified=False`."""
        if not self.location.is_sqlite:
            return []
        return list_backups(self.location.file, include_incomplete=include_incomplete)

    def backup_before_import(self, origin: str) -> Path | None:
        """The verified backup every bulk import takes first (importers call it before writing);
        raises StorageError, and the import must then not run."""
        return self.take_backup(f"before import {Path(origin).name}")

    def restore_backup(self, backup: Path) -> Path:
        """Replace the database's content with `backup` and return the backup taken of the state
        before it (so the restore itself can be undone by restoring that one).

        The file is verified first: it must be a sound Quadrangle database (quick_check, its tables,
        a schema this version knows) that passes the full check; otherwise DatabaseOpenError (or
        SchemaTooNewError) is raised and nothing changes. The copy is one SQLite backup into the live
        file under this store's writer lock, then migrated to the current schema. Emits RESTORED.
        """
        self._require_sqlite_writer()
        backup = Path(backup)
        verify_backup_file(backup)
        problems = check_file(backup)
        if problems:
            raise DatabaseOpenError(f"{backup} fails its check ({problems[0].message}): choose another backup.")
        if backup.resolve() == self.location.file.resolve():
            raise DatabaseOpenError("That is the open database itself: choose a backup file.")
        before = self._take_file_backup("before restore")
        try:
            source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            target = sqlite3.connect(self.location.file, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(
                f"Could not restore {backup.name} ({one_line(str(exc))}); the database is as before "
                f"(a copy of it is in {before.name})."
            ) from None
        upgrade_to_head(self._db.engine, self.location.display)
        with self._write() as session:
            self._audit(session, "restore", "database", None, f"Restored from backup {backup.name}", origin=str(backup))
        self._emit(EventKind.RESTORED)
        return before

    def check(self) -> list[IntegrityProblem]:
        """The full check of this database (see db/integrity.py); an empty list means it is sound."""
        if not self.location.is_sqlite:
            return []
        return check_file(self.location.file)

    def repair(self) -> RepairResult:
        """Apply the safe repairs (rebuild indexes and the search index, remove rows whose owner is
        gone), after a verified backup; idempotent. Raises StorageError when the file itself is
        damaged (restore a backup instead). Emits REPAIRED when anything changed."""
        self._require_sqlite_writer()
        problems = self.check()
        if any(p.kind == "damaged" for p in problems):
            raise StorageError(
                f"{self.location.display} is damaged and cannot be repaired safely: restore a backup (File > Backups)."
            )
        if not any(p.repairable for p in problems):
            return RepairResult(None, (), tuple(problems))
        backup = self.take_backup("before repair")
        connection = sqlite3.connect(self.location.file, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys=ON")
            done = repair_connection(connection, problems)
        except sqlite3.Error as exc:
            raise StorageError(f"The repair failed ({one_line(str(exc))}); nothing was changed.") from None
        finally:
            connection.close()
        with self._write() as session:
            self._audit(session, "repair", "database", None, " ".join(done))
        self._emit(EventKind.REPAIRED)
        return RepairResult(backup, tuple(done), tuple(self.check()))

    def _require_sqlite_writer(self) -> None:
        if not self.location.is_sqlite:
            raise StorageError("Backups of a server database are made with the server's own tools.")
        if self.read_only:
            raise StorageError(f"{self.location.display} is open read-only: nothing can be changed.")


def check_database(target: str | Path) -> list[IntegrityProblem]:
    """The full check of a database file, read-only and without the writer lock (so it also works
    on a file the store refuses to open, or one another Quadrangle has open)."""
    location = locate(target)
    if not location.is_sqlite:
        return []
    check_sqlite_file(location.file, must_exist=True)
    return check_file(location.file)


def list_database_backups(target: str | Path, *, include_incomplete: bool = False) -> list[BackupRecord]:
    """The verified backups of the database at `target`, newest first, without opening it (and, with
    `include_incomplete`, the unusable files named as backups, marked `verified=False`)."""
    location = locate(target)
    return list_backups(location.file, include_incomplete=include_incomplete) if location.is_sqlite else []


def recover_database(target: str | Path, backup: Path) -> Path:
    """Put `backup` in place of a damaged (or missing) database file at `target`; the damaged file
    and its -wal/-shm are moved into a `damaged` folder beside it, never deleted. Returns where the
    damaged file went (or the target itself when there was none). Raises DatabaseOpenError."""
    location = locate(target)
    if not location.is_sqlite:
        raise DatabaseOpenError("Only a database file can be recovered from a backup.")
    backup = Path(backup)
    verify_backup_file(backup)
    problems = check_file(backup)
    if problems:
        raise DatabaseOpenError(f"{backup} fails its check ({problems[0].message}): choose another backup.")
    lock = WriterLock(location.file).acquire()
    try:
        aside = set_aside(location.file) if location.file.exists() else location.file
        create_private_file(location.file)
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            copy_into(source, location.file)
        finally:
            source.close()
        verdict = quick_check_file(location.file)
        if verdict != "ok":
            raise DatabaseOpenError(f"The restored copy failed its check ({verdict}).")
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseOpenError(
            f"Could not put {backup.name} in place of {location.path}: {one_line(str(exc))}."
        ) from None
    finally:
        lock.release()
    return aside
