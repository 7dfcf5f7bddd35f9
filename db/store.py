"""The Store: the one public entry to the database.

`Store.open()` checks, locks, backs up, migrates and seeds a database; the store then *has* one service
per concern (`store.lessons`, `store.sources`, ...; db/services/), all over one shared `Database`
handle (db/database.py). Every public method runs one short transaction and returns frozen records;
committed changes are announced on the store's EventHub (db/events.py).

Integrity on opening (issue 22): the full `quick_check` reads the whole file (0.3 s at 326 MB), so it
runs only when the file may not be as Quadrangle left it: after an unclean shutdown (no seal in the
lock file, or a `-wal` left behind) or when anything changed the file since its last clean close.
A clean close seals the file (size, times, inode, a CRC of 64 sampled pages); db/open_check.py says
why that is enough, and backups (each read whole and checked) catch the rest.
"""

from __future__ import annotations

import getpass
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from db import models
from db.backup import (
    BackupRecord,
    newest_good_backup,
    remove_database_files,
    restore_command,
)
from db.backup import take_backup as take_backup_file
from db.database import Database, describe_db_error
from db.engine import (
    DatabaseLocation,
    build_engine,
    check_sqlite_file,
    create_private_file,
    locate,
    read_only_uri,
)
from db.errors import DatabaseDamagedError, DatabaseInUseError, DatabaseOpenError, QuadrangleError, StorageError
from db.events import ChangeListener, EventHub
from db.identify import identify_database
from db.integrity import IntegrityProblem, one_line
from db.locking import WriterLock, writer_under_another_name
from db.migrate import upgrade_to_head
from db.open_check import file_seal, needs_full_check
from db.paths import DEFAULT_DATASET_PATH
from db.server import existing_revision
from db.services.assessments import AssessmentService
from db.services.audit import AuditService
from db.services.catalog import CatalogService
from db.services.drafts import DraftService
from db.services.history import HistoryService
from db.services.lessons import LessonService
from db.services.operations import OperationService
from db.services.quadrangle import QuadrangleService
from db.services.safety import SafetyService, check_database, list_database_backups, recover_database
from db.services.sources import SourceService
from db.snapshot import FINGERPRINT_SQL, SNAPSHOT_KEY, snapshot_payload
from db.types import new_id

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from db.dataset import Dataset
    from db.records import QuadrangleState
    from db.services.exchange import ExchangeService
    from db.services.references import ReferenceService


def default_actor() -> str:
    """The analyst a change is attributed to when none is configured: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises various errors when no user name can be found
        return "analyst"


class Store:
    """A Quadrangle database and its services. Open with `Store.open(path_or_url)`; close with
    `close()` or use it as a context manager.

    Services: `quadrangle` (organizations, relationships, layout, the state as of a date), `catalog`
    (themes, markings, milestones, cooperation), `assessments`, `history` (comparisons, restores,
    reversals), `drafts`, `lessons`, `operations`, `sources`, `references` (reference files in and
    out of the sources library, duplicate merges), `safety` (backups, check, repair),
    `exchange` (files between offline workstations) and `audit` (the audit log).
    """

    def __init__(self, engine: Engine, location: DatabaseLocation, *, actor: str, read_only: bool = False) -> None:
        self.events = EventHub()
        self.database = Database(engine, location, actor=actor, read_only=read_only, events=self.events)
        db = self.database
        self.quadrangle = QuadrangleService(db)
        self.catalog = CatalogService(db)
        self.assessments = AssessmentService(db)
        self.history = HistoryService(db, self.assessments)
        self.drafts = DraftService(db)
        self.safety = SafetyService(db)
        self.operations = OperationService(db)
        self.lessons = LessonService(db)
        self.sources = SourceService(db, self.safety)
        self.audit = AuditService(db)
        self._lock: WriterLock | None = None
        # Why the automatic backup on opening failed (shown by the window), or None.
        self.backup_warning: str | None = None
        # True when an existing database was opened with backup_on_open=False (the window takes that
        # backup right after its first paint, so it does not delay start-up).
        self.backup_on_open_skipped = False

    # The two services no window needs to be ready (reference files in and out, exchange files) are
    # built, and their modules imported, on first use: 10 ms of every start-up (issue 22).
    @cached_property
    def references(self) -> ReferenceService:
        from db.services.references import ReferenceService

        return ReferenceService(self.database, self.safety, self.sources)

    @cached_property
    def exchange(self) -> ExchangeService:
        from db.services.exchange import ExchangeService

        return ExchangeService(self.database, self.quadrangle, self.operations, self.safety, self.lessons)

    @property
    def location(self) -> DatabaseLocation:
        """Where the database is (file path or server URL without password) and how to name it."""
        return self.database.location

    @property
    def actor(self) -> str:
        """The analyst changes are attributed to (the window sets it from Preferences)."""
        return self.database.actor

    @actor.setter
    def actor(self, name: str) -> None:
        self.database.actor = name

    @property
    def read_only(self) -> bool:
        """True when opened read-only: every write is refused with StorageError."""
        return self.database.read_only

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
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

        An SQLite file is identified before any connection that can write to it (db/identify.py): a
        foreign SQLite file, or a -wal beside it that belongs to another database, is refused untouched.
        It is opened for writing by one store at a time, whatever name it is reached by
        (DatabaseInUseError otherwise; `read_only=True` needs no lock, takes no backup and changes no
        file, and uses `immutable=1` on read-only media), gets a quick check (DatabaseDamagedError naming the newest good
        backup when it fails) unless Quadrangle closed it cleanly and nothing changed it since
        (db/open_check.py), and, when it already holds data, a verified backup (`backup_on_open`;
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
                # Know the file (and its -wal) before any connection that can write to it.
                has_data = check_sqlite_file(location.file, must_exist=read_only)
                identify_database(location.file)
                if read_only and writer_under_another_name(location.file):
                    raise DatabaseInUseError(
                        f"{location.display} is being written by another Quadrangle under another name (a hard "
                        "link): open it under the name that Quadrangle uses."
                    )
                dataset = _load_dataset(dataset_path) if (seed and not has_data) else None
                # Before the lock is taken: taking it replaces the last writer's seal (db/open_check.py).
                full_check = has_data and needs_full_check(location.file)
                if not read_only:
                    if not location.file.exists():
                        create_private_file(location.file)
                        created_file = True
                    lock = WriterLock(location.file).acquire()  # on the file's identity: created first
                if full_check:
                    _quick_check_on_open(location)
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
                remove_database_files(location.file)
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
        with self.database.read() as session:
            return session.scalar(select(func.count()).select_from(models.Organization)) == 0

    def _seed(self, dataset: Dataset) -> None:
        from db.seeding import seed_dataset

        with self.database.write() as session:
            seed_dataset(session, dataset)
            session.add(models.Meta(key="database_id", value=new_id()))
            self.database.audit(session, "seed", "database", None, f"Seeded from {dataset.title}")
        # Seeding writes lessons directly: index them in a second short transaction.
        self.lessons.rebuild_search()

    def adopt_startup_snapshot(self, state: QuadrangleState, fingerprint: tuple[str, ...]) -> None:
        """Take the start-up snapshot the window painted from (`read_startup_snapshot_with_fingerprint`)
        as today's state while the database still matches `fingerprint`, so attaching the window does
        not recompute it (and build the lesson-date index) before the analyst can work."""
        if self.location.is_sqlite:
            self.quadrangle.trust_state(state, fingerprint)

    def save_startup_snapshot(self) -> None:
        """Save today's state for the next start-up's first paint (see db/snapshot.py). SQLite only.
        Nothing is written when the snapshot it was opened with still holds."""
        if self.read_only or not self.location.is_sqlite:
            return
        if self.quadrangle.trusted_state_is_current():
            return
        state = self.quadrangle.state_as_of(date.today())
        with self.database.write() as session:
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
            self.database.engine.dispose()
            if self._lock is not None:
                # Every connection is closed: seal the file as it is left (db/open_check.py), so the next
                # open can skip the full quick_check.
                self._lock.release(seal=file_seal(self._lock.database))
                self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- working on a database file without opening a store --------------------------------------

    @staticmethod
    def check_database(target: str | Path) -> list[IntegrityProblem]:
        """The full check of a database file, read-only and without the writer lock (so it also works
        on a file the store refuses to open, or one another Quadrangle has open)."""
        path = locate(target).path
        if path is not None and path.is_file() and "immutable=1" in read_only_uri(path):
            # On read-only media SQLite cannot open a WAL file without its -shm: check a private copy
            # (nothing can change the original, so the copy is the file).
            check_sqlite_file(path, must_exist=True)
            with tempfile.TemporaryDirectory(prefix="quadrangle-check-") as folder:
                copy = Path(folder) / path.name
                shutil.copyfile(path, copy)
                return check_database(copy)
        return check_database(target)

    @staticmethod
    def list_backups(target: str | Path) -> list[BackupRecord]:
        """The backups of the database at `target`, newest first, without opening it."""
        return list_database_backups(target)

    @staticmethod
    def recover(target: str | Path, backup: Path) -> Path:
        """Put `backup` in place of a damaged (or missing) database file at `target` (the damaged file is
        moved aside, never deleted); returns where it went. Raises DatabaseOpenError."""
        return recover_database(target, backup)

    # -- events and the audit log -------------------------------------------------------------

    def subscribe(self, listener: ChangeListener) -> None:
        """Call `listener(ChangeEvent)` after every committed change made through this store; a
        listener that raises is logged and never undoes or fails the change (db/events.py)."""
        self.events.subscribe(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        """Stop calling `listener`."""
        self.events.unsubscribe(listener)


def _load_dataset(path: Path) -> Dataset:
    # The dataset's validation (pydantic) is imported only to seed a new database, not on every open.
    from db.dataset import load_dataset

    return load_dataset(path)


def _quick_check_on_open(location: DatabaseLocation) -> None:
    """Refuse a damaged file before anything writes to it, naming the newest good backup."""
    try:
        verdict = _quick_check(location.file)
    except sqlite3.OperationalError as exc:
        raise DatabaseOpenError(describe_db_error(exc, location)) from None
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    if verdict == "ok":
        return
    backup = newest_good_backup(location.file)
    offer = (
        f" The newest good backup is from {backup.taken_at.astimezone():%Y-%m-%d %H:%M} ({backup.path});"
        f" restore it with: {restore_command(location.file, backup.path)}"
        if backup
        else " No good backup was found."
    )
    raise DatabaseDamagedError(
        f"{location.display} is damaged ({one_line(verdict)[:300]}); it was left untouched.{offer}",
        path=location.path,
        backup=backup.path if backup else None,
    )


def _quick_check(path: Path) -> str:
    # Through the read-only store's URI, so a database on read-only media is checked, not "damaged".
    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        rows = connection.execute("PRAGMA quick_check").fetchall()
    finally:
        connection.close()
    return "ok" if rows == [("ok",)] else one_line("; ".join(str(r[0]) for r in rows[:3]))


def _backup_on_open(location: DatabaseLocation) -> str | None:
    try:
        take_backup_file(location.file, "on open", display=location.display)
    except StorageError as exc:
        log.warning("%s", exc)
        return str(exc)
    return None


def _backup_before_migration(location: DatabaseLocation, revision: str | None) -> None:
    take_backup_file(location.file, f"before migration from {revision or 'none'}", display=location.display)
