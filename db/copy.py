"""Moving a whole store between engines (an SQLite file and a PostgreSQL database, either way), and
preparing an empty shared database for a team.

A copy keeps every row as it is (UUIDs, timestamps, authors, the audit log): the target is a new or
empty database, gets the current schema from the migrations, and receives all rows in one
transaction whose per-table counts are checked against the source before it commits.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from db import models
from db.backup import remove_database_files
from db.database import describe_db_error
from db.dataset import DEFAULT_DATASET_PATH
from db.engine import DatabaseLocation, build_engine, check_sqlite_file, create_private_file, locate
from db.errors import DatabaseOpenError, QuadrangleError, StorageError
from db.migrate import HEAD_REVISION, KNOWN_REVISIONS, current_revision, upgrade_to_head
from db.server import existing_revision

BATCH_ROWS = 1000


class CopyError(QuadrangleError):
    """A copy was refused or failed; the target holds nothing of it (a new file is removed again)."""


@dataclass(frozen=True)
class TableCount:
    """Rows of one table in the source and, after the copy, in the target."""

    table: str
    source: int
    target: int

    @property
    def matches(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class CopyReport:
    """What a copy moved: the two locations as shown to a user, and the counts per table."""

    source: str
    target: str
    counts: tuple[TableCount, ...]

    @property
    def total_rows(self) -> int:
        return sum(c.target for c in self.counts)

    def lines(self) -> list[str]:
        """The counts as aligned text lines, one per table, for the command line."""
        width = max(len(c.table) for c in self.counts)
        return [
            f"{c.table:<{width}}  {c.source:>7}  {c.target:>7}  {'ok' if c.matches else 'MISMATCH'}"
            for c in self.counts
        ]


@dataclass(frozen=True)
class InitReport:
    """What `init_database` found and did."""

    location: str
    created: bool  # False: it already was a Quadrangle database (brought up to the current schema)
    revision: str


def store_tables() -> list[Table]:
    """The store's tables, parents before children (the order rows can be inserted in)."""
    return list(models.Base.metadata.sorted_tables)


# -- preparing a shared database -----------------------------------------------------------------


def init_database(
    target: str | os.PathLike[str],
    *,
    dataset_path: Path = DEFAULT_DATASET_PATH,
    actor: str | None = None,
    create: bool = True,
) -> InitReport:
    """Create (if the server lets us and `create`), migrate and seed a database for a team.

    An empty database gets the current schema and the dataset; one that already holds Quadrangle is
    only migrated to the current schema; one that holds other tables is refused untouched.
    Raises DatabaseOpenError (unreachable, refused, not empty) or DatasetError.
    """
    from db.store import Store

    location = locate(target)
    if not location.is_sqlite and create:
        _create_server_database(location)
    engine = build_engine(location, read_only=False) if not location.is_sqlite else None
    revision = None
    if engine is not None:
        try:
            with engine.connect() as connection:
                revision = _existing_revision(connection, location)
        except (OperationalError, DBAPIError) as exc:
            raise DatabaseOpenError(describe_db_error(exc, location)) from None
        finally:
            engine.dispose()
    elif location.file.exists() and check_sqlite_file(location.file):
        revision = _sqlite_revision(location)
    with Store.open(target, actor=actor, dataset_path=dataset_path):
        pass
    return InitReport(location=location.display, created=revision is None, revision=HEAD_REVISION)


def _existing_revision(connection: Connection, location: DatabaseLocation) -> str | None:
    return existing_revision(connection, location.display)


def _sqlite_revision(location: DatabaseLocation) -> str | None:
    engine = build_engine(location, read_only=True)
    try:
        with engine.connect() as connection:
            return _existing_revision(connection, location)
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseOpenError(describe_db_error(exc, location)) from None
    finally:
        engine.dispose()


def _create_server_database(location: DatabaseLocation) -> bool:
    """Create the URL's database on its server when it does not exist yet; True when created.

    Connects to the server's maintenance database "postgres" with the same credentials; a user
    without the CREATEDB privilege is told what to ask the administrator for.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url(location.url)
    name = url.database
    if not name:
        raise DatabaseOpenError("The URL names no database: add one, e.g. postgresql://user@host/quadrangle.")
    maintenance = create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10}
    )
    try:
        with maintenance.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if exists:
                return False
            quoted = '"' + name.replace('"', '""') + '"'
            connection.exec_driver_sql(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
            return True
    except (OperationalError, DBAPIError) as exc:
        sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
        if sqlstate == "42501":
            raise DatabaseOpenError(
                f"'{url.username}' may not create the database '{name}': ask the server's administrator to run "
                f"`createdb -O {url.username} {name}`, then run init again."
            ) from None
        if sqlstate == "3D000":
            return False  # no maintenance database to ask: the target itself is tried next
        raise DatabaseOpenError(describe_db_error(exc, location)) from None
    finally:
        maintenance.dispose()


# -- copying a store ------------------------------------------------------------------------------


def copy_store(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every row of the store at `source` into the new or empty database `target`.

    The source is only read (one consistent snapshot) and must be at this version's schema. The
    target gets the schema from the migrations, then all rows in one transaction; before it commits,
    each table's row count must equal the source's. `progress(table, rows)` is called after each
    table. Returns the counts. Raises CopyError (refused, or a count differs: nothing committed),
    DatabaseOpenError (either side cannot be opened).
    """
    source_location, target_location = locate(source), locate(target)
    if source_location.url == target_location.url:
        raise CopyError("The source and the target are the same database: choose another target.")
    source_engine = _open_source(source_location)
    created_file = False
    target_engine = None
    try:
        if target_location.is_sqlite:
            if check_sqlite_file(target_location.file):
                if not _sqlite_has_store(target_location.file):
                    raise DatabaseOpenError(
                        f"{target_location.display} already holds data and is not a Quadrangle database: "
                        "give the name of a new file."
                    )
                _refuse_unless_empty_store(target_location)
            if not target_location.file.exists():
                create_private_file(target_location.file)
                created_file = True
        target_engine = build_engine(target_location)
        _prepare_target(target_engine, target_location)
        counts = _copy_rows(source_engine, target_engine, source_location, target_location, progress)
    except BaseException:
        if target_engine is not None:
            target_engine.dispose()
            target_engine = None
        if created_file:
            remove_database_files(target_location.file)
        raise
    finally:
        source_engine.dispose()
        if target_engine is not None:
            target_engine.dispose()
    return CopyReport(source=source_location.display, target=target_location.display, counts=tuple(counts))


def _open_source(location: DatabaseLocation) -> Engine:
    if location.is_sqlite and not _sqlite_has_store(location.file):
        raise CopyError(f"{location.display} is not a Quadrangle database: nothing to copy.")
    engine = build_engine(location, read_only=True)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise DatabaseOpenError(describe_db_error(exc, location)) from None
    if revision != HEAD_REVISION:
        engine.dispose()
        if revision is None:
            raise CopyError(f"{location.display} is not a Quadrangle database: nothing to copy.")
        if revision not in KNOWN_REVISIONS:
            raise CopyError(
                f"{location.display} was written by a newer Quadrangle (schema {revision}): use that version."
            )
        raise CopyError(
            f"{location.display} has an older schema ({revision}): open it once with this version of "
            "Quadrangle to bring it up to date, then copy it."
        )
    return engine


def _sqlite_has_store(path: Path) -> bool:
    """Whether an SQLite file holds Quadrangle's schema, read without the store's pragmas (a foreign
    file in rollback-journal mode cannot be switched to WAL through a read-only connection)."""
    if not check_sqlite_file(path, must_exist=True):
        return False
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return (
                connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                ).fetchone()
                is not None
            )
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"Cannot read {path}: {exc}.") from None


def _refuse_unless_empty_store(location: DatabaseLocation) -> None:
    engine = build_engine(location, read_only=location.is_sqlite)
    try:
        with engine.connect() as connection:
            _check_target_empty(connection, location)
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseOpenError(describe_db_error(exc, location)) from None
    finally:
        engine.dispose()


def _check_target_empty(connection: Connection, location: DatabaseLocation) -> None:
    """Accept a database with no tables, or a Quadrangle schema whose tables are all empty."""
    revision = _existing_revision(connection, location)  # refuses foreign tables
    if revision is None:
        return
    for table in store_tables():
        if connection.scalar(select(func.count()).select_from(table)):
            raise CopyError(
                f"{location.display} already holds a store (table {table.name} has rows): copy into a new, "
                "empty database instead."
            )


def _prepare_target(engine: Engine, location: DatabaseLocation) -> None:
    try:
        with engine.connect() as connection:
            _check_target_empty(connection, location)
        upgrade_to_head(engine, location.display)
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseOpenError(describe_db_error(exc, location)) from None


def _copy_rows(source_engine, target_engine, source_location, target_location, progress) -> list[TableCount]:
    counts: list[TableCount] = []
    source_options = {} if source_location.is_sqlite else {"isolation_level": "REPEATABLE READ"}
    try:
        with source_engine.connect().execution_options(**source_options) as reader, target_engine.begin() as writer:
            for table in store_tables():
                expected = reader.scalar(select(func.count()).select_from(table))
                for batch in _batches(reader, table):
                    writer.execute(insert(table), batch)
                copied = writer.scalar(select(func.count()).select_from(table))
                counts.append(TableCount(table.name, expected, copied))
                if progress is not None:
                    progress(table.name, copied)
            _rebuild_search_index(writer)
            wrong = [c for c in counts if not c.matches]
            if wrong:
                raise CopyError(
                    "The copy was rolled back: "
                    + ", ".join(f"{c.table} has {c.target} rows instead of {c.source}" for c in wrong)
                    + "."
                )
    except IntegrityError as exc:
        raise CopyError(f"The copy was rolled back: {describe_db_error(exc, target_location)}") from None
    except (OperationalError, DBAPIError) as exc:
        side = target_location if _is_target_error(exc, target_engine) else source_location
        raise StorageError(f"The copy was rolled back: {describe_db_error(exc, side)}") from None
    return counts


def _rebuild_search_index(writer: Connection) -> None:
    """SQLite's FTS5 index is written by the store, not by triggers: fill it for the copied lessons.
    (On PostgreSQL the triggers of 0003_pg_search indexed every lesson as it was inserted.)"""
    from sqlalchemy.orm import Session

    from db import search

    with Session(bind=writer) as session:
        search.rebuild_index(session)


def _is_target_error(exc: DBAPIError, target_engine: Engine) -> bool:
    module = type(getattr(exc, "orig", exc)).__module__
    return module.startswith(target_engine.dialect.driver) or target_engine.dialect.name in module


def _batches(reader: Connection, table: Table):
    """The table's rows as lists of dicts; rows that refer to another row of the same table come after it."""
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    result = reader.execute(select(table).order_by(*table.primary_key.columns))
    if not self_refs:
        for chunk in result.partitions(BATCH_ROWS):
            yield [dict(row._mapping) for row in chunk]
        return
    rows = [dict(row._mapping) for row in result]
    key = next(iter(table.primary_key.columns)).name
    placed: set = set()
    pending = rows
    while pending:
        ready = [r for r in pending if all(r[c] is None or r[c] in placed or r[c] == r[key] for c in self_refs)]
        if not ready:  # a cycle cannot come from the store; let the database report it
            ready = pending
        placed.update(r[key] for r in ready)
        ready_ids = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in ready_ids]
        for start in range(0, len(ready), BATCH_ROWS):
            yield ready[start : start + BATCH_ROWS]
