"""The store's core: opening a database (checking, migrating, seeding), sessions, change events, audit.

Feature mixins (db/store_*.py) add the public methods; `db.store.Store` puts them together.
"""

from __future__ import annotations

import getpass
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import models
from db.backup import (
    folder_vanished_message,
    list_backups,
    one_line,
    quick_check_file,
    remove_database_files,
    verify_backup_file,
)
from db.backup import take_backup as take_backup_file
from db.engine import DatabaseLocation, build_engine, check_sqlite_file, create_private_file, locate
from db.errors import DatabaseDamagedError, DatabaseOpenError, QuadrangleError, StorageError, ValidationError
from db.locking import WriterLock
from db.migrate import upgrade_to_head
from db.paths import DEFAULT_DATASET_PATH
from db.records import ChangeEvent
from db.server import UNSTORABLE_NUL, describe_server_error, existing_revision, is_unstorable_text
from db.snapshot import FINGERPRINT_SQL, SNAPSHOT_KEY, snapshot_payload
from db.state import LessonDateIndex, VersionCache
from db.types import new_id, utc_now

log = logging.getLogger(__name__)

ChangeListener = Callable[[ChangeEvent], None]

# A lone UTF-16 surrogate (a broken paste) cannot be encoded for SQLite; found by the hostile-text test.
UNSTORABLE_TEXT = (
    "The text holds a character that cannot be stored (a broken symbol, often from a paste): remove it and try again."
)


if TYPE_CHECKING:
    from db.dataset import Dataset

def default_actor() -> str:
    """The analyst a change is attributed to when none is configured: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises various errors when no user name can be found
        return "analyst"


def describe_db_error(exc: BaseException, location: DatabaseLocation) -> str:
    """One line for a driver error: what went wrong with which database."""
    if not location.is_sqlite:
        return describe_server_error(exc, location.url, location.display)
    if location.path is not None and not location.path.parent.is_dir():
        return folder_vanished_message(location.path)
    original = getattr(exc, "orig", exc)
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    if "file is not a database" in text or "file is encrypted" in text:
        return f"{location.display} is not a Quadrangle database (not an SQLite file): choose another file."
    if "database is locked" in text:
        return f"{location.display} is locked by another program: close it and try again."
    if "disk is full" in text or "database or disk is full" in text:
        return f"The disk holding {location.display} is full: free some space; nothing was saved."
    if "readonly" in text or "read-only" in text:
        return f"{location.display} is read-only: check the file and folder permissions; nothing was saved."
    if "unable to open" in text:
        return f"Cannot open {location.display}: check the path and its permissions."
    return f"Database error on {location.display}: {text}"


class StoreCore:
    """Owns the engine and the session factories; every public method is one short transaction."""

    def __init__(self, engine: Engine, location: DatabaseLocation, *, actor: str, read_only: bool = False) -> None:
        self._engine = engine
        self.location = location
        self.actor = actor
        self.read_only = read_only
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if location.is_sqlite else engine
        self._write_sessions = sessionmaker(writer, expire_on_commit=False)
        self._listeners: list[ChangeListener] = []
        self._lesson_index = LessonDateIndex()
        self._version_cache = VersionCache()
        self._lock: WriterLock | None = None
        # Why the automatic backup on opening failed (shown by the window), or None.
        self.backup_warning: str | None = None
        # True when an existing database was opened with backup_on_open=False (the window takes that
        # backup right after its first paint, so it does not delay start-up).
        self.backup_on_open_skipped = False

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        target: str | Path,
        *,
        actor: str | None = None,
        seed: bool = True,
        dataset_path: Path = DEFAULT_DATASET_PATH,
        read_only: bool = False,
        before_migration: Callable[[DatabaseLocation, str | None], None] | None = None,
        backup_on_open: bool = True,
    ):
        """Open (creating and seeding if new) the store at `target`, a file path or a database URL.

        A new database is migrated to the current schema and seeded from `dataset_path` (validated
        before anything is written). An existing one is migrated to head after `before_migration`
        ran. Raises DatabaseOpenError (or SchemaTooNewError, DatasetError) with a one-line reason;
        a file that is refused is never modified.

        An SQLite file is opened for writing by one store at a time (DatabaseInUseError otherwise;
        `read_only=True` needs no lock), gets a quick check (DatabaseDamagedError naming the newest good
        backup when it fails), and, when it already holds data, a verified backup (`backup_on_open`;
        a failure there is kept in `backup_warning` rather than refusing to open) and another one
        before any migration (which must succeed).
        """
        location = locate(target)
        created_file = False
        lock: WriterLock | None = None
        has_data = False
        dataset = None
        engine = None
        warning = None
        try:
            if location.is_sqlite:
                has_data = check_sqlite_file(location.path, must_exist=read_only)
                if not read_only:
                    lock = WriterLock(location.path).acquire()
                if has_data:
                    _quick_check_on_open(location)
                dataset = _load_dataset(dataset_path) if (seed and not has_data) else None
                if not location.path.exists():
                    create_private_file(location.path)
                    created_file = True
                if has_data and not read_only:
                    if backup_on_open:
                        warning = _backup_on_open(location)
                    if before_migration is None:
                        before_migration = _backup_before_migration
            engine = build_engine(location, read_only=read_only)
            store = cls._open_engine(engine, location, actor, seed, dataset, dataset_path, read_only, before_migration)
        except BaseException:
            if engine is not None:
                engine.dispose()
            if created_file:
                remove_database_files(location.path)
            if lock is not None:
                lock.release()
            raise
        store._lock = lock
        store.backup_warning = warning
        store.backup_on_open_skipped = location.is_sqlite and has_data and not read_only and not backup_on_open
        return store

    @classmethod
    def _open_engine(cls, engine, location, actor, seed, dataset, dataset_path, read_only, before_migration):
        try:
            if not location.is_sqlite:
                with engine.connect() as connection:
                    existing_revision(connection, location.display)  # never build a store beside other tables
            if not read_only:
                upgrade_to_head(
                    engine,
                    location.display,
                    before_upgrade=(lambda rev: before_migration(location, rev)) if before_migration else None,
                )
            store = cls(engine, location, actor=actor or default_actor(), read_only=read_only)
            if seed and not read_only and store._is_empty():
                store._seed(dataset or _load_dataset(dataset_path))
            return store
        except (OperationalError, DBAPIError, sqlite3.Error) as exc:
            raise DatabaseOpenError(describe_db_error(exc, location)) from None

    def _is_empty(self) -> bool:
        with self._read_sessions() as session:
            return session.scalar(select(func.count()).select_from(models.Organization)) == 0

    def _seed(self, dataset: Dataset) -> None:
        from db.seeding import seed_dataset

        with self._write() as session:
            seed_dataset(session, dataset)
            session.add(
                models.Meta(key="database_id", value=new_id())
            )
            self._audit(session, "seed", "database", None, f"Seeded from {dataset.title}")

    @property
    def backup_folder(self) -> Path | None:
        """Where this database's backups go: a `backups` folder beside an SQLite file (None for a server)."""
        return self.location.path.parent / "backups" if self.location.is_sqlite else None

    def take_backup(self, reason: str) -> Path | None:
        """Copy a consistent snapshot of the database with SQLite's online backup, verify it with
        `quick_check`, and return its path (None on a server database, which its own tools back up).

        Raises StorageError when the copy cannot be written or fails its check (the bad copy is removed).
        """
        if not self.location.is_sqlite:
            return None
        # db/backup.py does the work: fsync, reopen + quick_check, 0600 file, thinning of old ones.
        return take_backup_file(self.location.path, reason, display=self.location.display)

    def save_startup_snapshot(self) -> None:
        """Save today's state for the next start-up's first paint (see db/snapshot.py). SQLite only."""
        if self.read_only or not self.location.is_sqlite:
            return
        state = self.state_as_of(date.today())
        with self._write() as session:
            fingerprint = tuple(session.execute(text(FINGERPRINT_SQL)).one())
            session.merge(models.Meta(key=SNAPSHOT_KEY, value=snapshot_payload(state, fingerprint)))

    def close(self) -> None:
        """Save the start-up snapshot, release the database and its writer lock; the store must not be
        used afterwards."""
        try:
            self.save_startup_snapshot()
        except QuadrangleError as exc:  # a snapshot is an optimisation: never block closing for it
            log.warning("start-up snapshot not saved: %s", exc)
        except Exception:  # damaged content (e.g. an unknown phase) must not keep the file locked either
            log.exception("start-up snapshot not saved")
        finally:
            self._engine.dispose()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- transactions and events ---------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            try:
                yield session
            except (OperationalError, DBAPIError) as exc:
                if is_unstorable_text(exc):
                    raise ValidationError(UNSTORABLE_NUL) from None
                raise StorageError(describe_db_error(exc, self.location)) from None
            except UnicodeEncodeError:
                raise ValidationError(UNSTORABLE_TEXT) from None

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction; driver errors become StorageError and nothing is committed."""
        if self.read_only:
            raise StorageError(f"{self.location.display} is open read-only: nothing can be saved.")
        try:
            with self._write_sessions.begin() as session:
                yield session
        except (OperationalError, DBAPIError) as exc:
            if is_unstorable_text(exc):
                raise ValidationError(UNSTORABLE_NUL) from None
            raise StorageError(describe_db_error(exc, self.location)) from None
        except UnicodeEncodeError:
            raise ValidationError(UNSTORABLE_TEXT) from None

    def subscribe(self, listener: ChangeListener) -> None:
        """Call `listener(ChangeEvent)` after every committed change made through this store."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, kind: str, *ids: str) -> None:
        event = ChangeEvent(kind=kind, ids=tuple(ids))
        for listener in list(self._listeners):
            listener(event)

    def _audit(
        self, session: Session, action: str, entity_kind: str, entity_id: str | None, summary: str, origin: str = ""
    ) -> None:
        session.add(
            models.AuditEntry(
                at=utc_now(), actor=self.actor, action=action, entity_kind=entity_kind,
                entity_id=entity_id, summary=summary, origin=origin,
            )
        )


def _load_dataset(path: Path) -> Dataset:
    # The dataset's validation (pydantic) is imported only to seed a new database, not on every open.
    from db.dataset import load_dataset

    return load_dataset(path)


def _quick_check_on_open(location: DatabaseLocation) -> None:
    """Refuse a damaged file before anything writes to it, naming the newest good backup."""
    try:
        verdict = quick_check_file(location.path)
    except sqlite3.OperationalError as exc:
        raise DatabaseOpenError(describe_db_error(exc, location)) from None
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    if verdict == "ok":
        return
    backup = None
    for candidate in list_backups(location.path):
        try:
            verify_backup_file(candidate.path)
        except DatabaseOpenError:
            continue
        backup = candidate
        break
    offer = (
        f" The newest good backup is from {backup.taken_at.astimezone():%Y-%m-%d %H:%M} ({backup.path});"
        f" restore it with: quadrangle restore \"{backup.path}\"."
        if backup else " No good backup was found."
    )
    raise DatabaseDamagedError(
        f"{location.display} is damaged ({one_line(verdict)[:300]}); it was left untouched.{offer}",
        path=location.path, backup=backup.path if backup else None,
    )


def _backup_on_open(location: DatabaseLocation) -> str | None:
    try:
        take_backup_file(location.path, "on open", display=location.display)
    except StorageError as exc:
        log.warning("%s", exc)
        return str(exc)
    return None


def _backup_before_migration(location: DatabaseLocation, revision: str | None) -> None:
    take_backup_file(location.path, f"before migration from {revision or 'none'}", display=location.display)
