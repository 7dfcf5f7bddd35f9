"""The one database handle every store service shares: sessions, the audit log rows, change events.

`Store` builds one `Database` when it opens a file or server and hands it to each service
(db/services/); a service never opens an engine or a session factory of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db import models
from db.backup import folder_vanished_message
from db.engine import DatabaseLocation
from db.errors import StorageError, ValidationError
from db.events import EventHub, EventKind
from db.server import UNSTORABLE_NUL, describe_server_error, is_unstorable_text
from db.state import LessonDateIndex, VersionCache
from db.types import utc_now

# A lone UTF-16 surrogate (a broken paste) cannot be encoded for SQLite; found by the hostile-text test.
UNSTORABLE_TEXT = (
    "The text holds a character that cannot be stored (a broken symbol, often from a paste): remove it and try again."
)

# The undo or redo step being replayed (verb, step text), set by `AuditService.step`; a context
# variable, so a worker thread's writes are never mistaken for the GUI thread's undo.
AUDIT_STEP: ContextVar[tuple[str, str] | None] = ContextVar("audit_step", default=None)


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


class Database:
    """The engine, its two session factories (reads, and writes that begin IMMEDIATE on SQLite), the
    analyst changes are attributed to, the event hub and the caches of dated state."""

    def __init__(
        self, engine: Engine, location: DatabaseLocation, *, actor: str, read_only: bool, events: EventHub
    ) -> None:
        self.engine = engine
        self.location = location
        self.actor = actor
        self.read_only = read_only
        self.events = events
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if location.is_sqlite else engine
        self._write_sessions = sessionmaker(writer, expire_on_commit=False)
        # Derived from committed data only; kept here because several services read and update them.
        self.lesson_index = LessonDateIndex()
        self.version_cache = VersionCache()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read transaction; driver errors become StorageError (or ValidationError for unstorable text)."""
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
    def write(self) -> Iterator[Session]:
        """One write transaction, committed when the block ends; driver errors become StorageError and
        nothing is committed. Refused with StorageError on a store opened read-only."""
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

    def audit(
        self, session: Session, action: str, entity_kind: str, entity_id: str | None, summary: str, origin: str = ""
    ) -> None:
        """Add one audit-log row to the open write transaction, attributed to the store's analyst.

        Inside `store.audit.step("undo" | "redo", text)` (an undo or redo of the step `text`) the row
        says so: action "undo"/"redo", summary "Undid “text”: <what the store did>"."""
        step = AUDIT_STEP.get()
        if step is not None:
            verb, text = step
            summary = f"{'Undid' if verb == 'undo' else 'Redid'} “{text}”: {summary}"
            action = verb
        session.add(
            models.AuditEntry(
                at=utc_now(),
                actor=self.actor,
                action=action,
                entity_kind=entity_kind,
                entity_id=entity_id,
                summary=summary,
                origin=origin,
            )
        )

    def emit(self, kind: EventKind, *ids: str) -> None:
        """Announce a committed change (call after the write block ends)."""
        self.events.emit(kind, *ids)


class Service:
    """Base of the store's services: each is one concern (lessons, sources...) over the shared Database.

    Only the transaction and audit plumbing lives here; a service that needs another concern gets that
    service passed to its constructor and calls it explicitly.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    @property
    def actor(self) -> str:
        return self._db.actor

    @property
    def location(self) -> DatabaseLocation:
        return self._db.location

    @property
    def read_only(self) -> bool:
        return self._db.read_only

    def _read(self):
        return self._db.read()

    def _write(self):
        return self._db.write()

    def _audit(
        self, session: Session, action: str, entity_kind: str, entity_id: str | None, summary: str, origin: str = ""
    ) -> None:
        self._db.audit(session, action, entity_kind, entity_id, summary, origin)

    def _emit(self, kind: EventKind, *ids: str) -> None:
        self._db.emit(kind, *ids)
