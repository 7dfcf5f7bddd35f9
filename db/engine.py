"""Engines for the two back-ends: an SQLite file (the default) and a PostgreSQL server.

SQLite connections get their pragmas on every connect and explicit BEGIN statements (TECH-NOTES:
the stdlib driver does not emit BEGIN for DDL or SAVEPOINT), so every transaction really is one.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from db.errors import DatabaseOpenError
from db.identify import check_companion_wal, read_header, read_only_uri
from db.redaction import redact

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
PG_CONNECT_TIMEOUT_S = 10

# Pragmas every connection must carry, read back by the tests and by `quadrangle check`.
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: a saved assessment survives a power cut
    "busy_timeout": BUSY_TIMEOUT_MS,
    "trusted_schema": 0,
    # A 16 MiB page cache (the default is 2 MiB): joins over 100,000 lessons re-read their index pages
    # from the OS a third less often (the lesson-date index loads in 195 ms instead of 300 ms).
    "cache_size": -16384,
}


@dataclass(frozen=True)
class DatabaseLocation:
    """Where a store lives: an SQLite file path, or a server URL (kept with its password)."""

    url: str = field(repr=False)  # may hold a password: never in a repr, a log line or a traceback
    path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def file(self) -> Path:
        """The SQLite file, for code that has checked `is_sqlite` (a server location has none)."""
        if self.path is None:
            raise DatabaseOpenError(f"{self.display} is a server database, not a file.")
        return self.path

    @property
    def display(self) -> str:
        """The location as shown to a user: a path, or a URL with its password masked."""
        if self.path is not None:
            return str(self.path)
        # Both masks: SQLAlchemy's for the user:password@ form, ours for ?password= and libpq keywords.
        return redact(make_url(self.url).render_as_string(hide_password=True))


def locate(target: str | os.PathLike[str]) -> DatabaseLocation:
    """Turn a `--db` argument (a file path or a database URL) into a location."""
    text = os.fspath(target)
    if "://" in text:
        url = make_url(text)
        if url.get_backend_name() == "sqlite":
            if not url.database:
                raise DatabaseOpenError("An in-memory SQLite URL cannot hold a store: give a file path.")
            return locate(url.database)
        if url.get_backend_name() == "postgresql":
            if url.drivername == "postgresql":
                text = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
            return DatabaseLocation(url=text)
        raise DatabaseOpenError(
            f"Unsupported database '{url.get_backend_name()}': use a file path or a postgresql:// URL."
        )
    path = Path(text).expanduser().absolute()
    return DatabaseLocation(url=f"sqlite:///{path}", path=path)


def check_sqlite_file(path: Path, *, must_exist: bool = False) -> bool:
    """Check a database path before SQLite touches it; True when the file already holds data.

    Raises DatabaseOpenError naming the problem: a missing folder, a folder where a file is
    expected, an unreadable file, a file that is not an SQLite database, or a `-wal` beside it that
    does not belong to it (never merged: db/identify.py).
    """
    from db.locking import writer_alive

    if path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder, not a database file: give the path of a .db file.")
    if not path.parent.is_dir():
        raise DatabaseOpenError(f"The folder {path.parent} does not exist: create it first or choose another location.")
    if not path.exists():
        if must_exist:
            raise DatabaseOpenError(f"{path} does not exist: check the path.")
        return False
    header = read_header(path)
    if header and not header.startswith(SQLITE_HEADER):
        raise DatabaseOpenError(f"{path} is not a Quadrangle database (not an SQLite file): choose another file.")
    if Path(f"{path}-wal").exists():
        check_companion_wal(path, header, writer_alive=writer_alive(path))
    return bool(header)  # an empty file is a new database


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only; the -wal and -shm files inherit the mode."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot create {path}: {exc.strerror or exc}.") from None
    os.close(fd)


def _configure_sqlite_connection(dbapi_conn, _record, *, read_only: bool = False) -> None:
    # Pragmas are ignored inside a transaction: take the driver out of its implicit transactions.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        for name, value in SQLITE_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}={value}")
        if not read_only:  # a reader never changes the file, not even its journal mode
            (mode,) = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
            if str(mode).lower() != "wal" and not _is_read_only(dbapi_conn):
                raise sqlite3.OperationalError(f"could not switch the journal to WAL (still {mode})")
    finally:
        cursor.close()
    # SQLite ignores a pragma it cannot apply without saying so: read each one back.
    actual = read_pragmas(dbapi_conn)
    wrong = [f"{name}={actual[name]}" for name, value in SQLITE_PRAGMAS.items() if actual[name] != value]
    if wrong:
        raise sqlite3.OperationalError(f"the connection's safety settings did not apply ({', '.join(wrong)})")


def read_pragmas(dbapi_conn) -> dict[str, object]:
    """The safety pragmas as an open SQLite connection really has them (plus its journal mode)."""
    values: dict[str, object] = {}
    for name in (*SQLITE_PRAGMAS, "journal_mode"):
        (value,) = dbapi_conn.execute(f"PRAGMA {name}").fetchone()
        values[name] = value.lower() if isinstance(value, str) else value
    return values


def _is_read_only(dbapi_conn) -> bool:
    try:
        dbapi_conn.execute("PRAGMA user_version")
        return bool(dbapi_conn.execute("PRAGMA query_only").fetchone()[0])
    except sqlite3.Error:
        return True


def _begin_sqlite_transaction(conn) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def build_engine(location: DatabaseLocation, *, read_only: bool = False) -> Engine:
    """An engine for the location, with the back-end's safety settings applied to every connection."""
    if location.is_sqlite:
        url = location.url
        connect_args: dict = {"timeout": BUSY_TIMEOUT_MS / 1000}
        # NullPool: a connection per transaction keeps no file handle open between user actions,
        # which the backup and restore code relies on; opening an SQLite connection costs ~50 µs.
        if read_only and location.path is not None:
            uri = read_only_uri(location.path)
            engine = create_engine(
                "sqlite://",
                creator=lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000),
                poolclass=NullPool,
            )
        else:
            engine = create_engine(url, connect_args=connect_args, poolclass=NullPool)
        event.listen(
            engine, "connect", lambda conn, record: _configure_sqlite_connection(conn, record, read_only=read_only)
        )
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    # A bounded connect timeout turns an unreachable server into an error instead of a frozen window;
    # pre-ping replaces connections the server dropped (restart, idle timeout) before they are used.
    return create_engine(
        location.url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=2,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "quadrangle"},
    )
