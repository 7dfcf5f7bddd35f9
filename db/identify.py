"""Knowing a file before anything can write to it: is it a Quadrangle database, and does the `-wal`
beside it belong to it?

Everything here reads with plain `open()` or through SQLite connections that cannot write the file
(`immutable=1` on the file itself, or `mode=ro` on a private copy), so a file that is refused stays
byte-identical with its companions (TECH-NOTES: opening read-write, switching to WAL, migrating or
checkpointing a `-wal` all change a file).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from db.errors import DatabaseOpenError, SchemaTooNewError

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
# `PRAGMA application_id` of every Quadrangle database ("QUAD"), big-endian at offset 68 of the header;
# set by migration 0005 on older files and by the whole migration chain on new ones.
QUADRANGLE_APPLICATION_ID = 0x51554144
WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_HEADER_SIZE = 32
# Tables whose presence (with an Alembic revision we don't know) means "a newer Quadrangle", not "foreign".
QUADRANGLE_MARK_TABLES = frozenset({"organizations", "relationships", "assessments", "meta", "alembic_version"})


@dataclass(frozen=True)
class SchemaLook:
    """What an SQLite file holds, read without the power to change it."""

    tables: tuple[str, ...]
    revision: str | None
    database_id: str | None
    application_id: int


def companion(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def read_uri(path: Path, *, immutable: bool = False) -> str:
    """An SQLite URI that opens `path` read-only (`immutable=1`: no locks, no -wal/-shm, nothing written)."""
    uri = f"file:{quote(os.fspath(path))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def read_only_uri(path: Path) -> str:
    """The URI a read-only store opens: `mode=ro`, or `immutable=1` when nothing can change the file (its
    folder is read-only or on read-only media, so no writer can create a -wal or journal, and none is
    there). `mode=ro` alone fails there: a WAL database needs its -shm (TECH-NOTES)."""
    nothing_can_change = not folder_is_writable(path) and not Path(f"{path}-wal").exists()
    return read_uri(path, immutable=nothing_can_change)


def folder_is_writable(path: Path) -> bool:
    """Whether SQLite could create a -wal, -shm or journal beside `path` (False on read-only media too)."""
    return os.access(path.parent, os.W_OK | os.X_OK)


def read_header(path: Path) -> bytes:
    """The first 100 bytes of `path` (fewer for a short file), read with plain `open()`."""
    try:
        with path.open("rb") as handle:
            return handle.read(HEADER_SIZE)
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot read {path}: {exc.strerror or exc}. Check its permissions.") from None


def application_id(header: bytes) -> int:
    return int.from_bytes(header[68:72], "big") if len(header) >= 72 else 0


def _known_revisions() -> tuple[str, ...]:
    from db.migrate import KNOWN_REVISIONS

    return KNOWN_REVISIONS


def look_at_schema(uri: str) -> SchemaLook:
    """The tables, Alembic revision and database id seen through a read-only URI (sqlite3.Error on failure)."""
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        tables = tuple(
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        )
        revision = database_id = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if "meta" in tables:
            row = connection.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()
            database_id = row[0] if row else None
        (app_id,) = connection.execute("PRAGMA application_id").fetchone()
        return SchemaLook(tables, revision, database_id, int(app_id) & 0xFFFFFFFF)
    finally:
        connection.close()


def _foreign(path: Path, what: str) -> DatabaseOpenError:
    return DatabaseOpenError(
        f"{path} is not a Quadrangle database ({what}); it was not changed: choose a Quadrangle database or a new file."
    )


def _tables_shown(tables: tuple[str, ...]) -> str:
    return ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "")


def classify(path: Path, look: SchemaLook) -> None:
    """Raise for a schema that is not Quadrangle's (DatabaseOpenError) or is a newer one (SchemaTooNewError)."""
    known = _known_revisions()
    ours = look.application_id == QUADRANGLE_APPLICATION_ID
    if look.application_id not in (0, QUADRANGLE_APPLICATION_ID):
        raise _foreign(path, f"an SQLite database of another program, application id {look.application_id:#010x}")
    if look.revision is not None and look.revision not in known:
        if ours or QUADRANGLE_MARK_TABLES <= set(look.tables):
            raise SchemaTooNewError(
                f"{path} was written by a newer version of Quadrangle (schema {look.revision}); "
                "it was not changed. Install the newer version to open it."
            )
        raise _foreign(path, f"an SQLite database of another program, tables: {_tables_shown(look.tables)}")
    if look.revision is None and look.tables and not ours:
        raise _foreign(path, f"an SQLite database of another program, tables: {_tables_shown(look.tables)}")


def identify_database(path: Path) -> SchemaLook | None:
    """Refuse an existing SQLite file that is not a Quadrangle database (or one from a newer version).

    Reads the header with `open()` and the schema through an `immutable=1` connection, which takes no
    lock and creates no file. Returns what was seen (None for a missing or empty file, or a file already
    marked with Quadrangle's application id, which needs no schema look). A file whose schema cannot be
    read is let through: the quick check that follows reports it as damaged, read-only.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None
    header = read_header(path)
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise DatabaseOpenError(f"{path} is not a Quadrangle database (not an SQLite file): choose another file.")
    app_id = application_id(header)
    if app_id == QUADRANGLE_APPLICATION_ID:
        return None  # the revision is checked (without writing) before any migration
    if app_id != 0:
        raise _foreign(path, f"an SQLite database of another program, application id {app_id:#010x}")
    try:
        look = look_at_schema(read_uri(path, immutable=True))
    except sqlite3.Error:
        return None
    classify(path, look)
    return look


def check_companion_wal(path: Path, header: bytes, *, writer_alive: bool) -> None:
    """Refuse to let SQLite replay a `-wal` beside `path` that does not belong to it.

    SQLite replays any -wal whose header and checksums are valid (TECH-NOTES): nothing in it names its
    database. A -wal of a live Quadrangle (it holds the writer lock) is that process's own and was
    checked when it opened. Otherwise the page sizes must agree, and a private copy of the file and
    its -wal, opened read-only, must still be a Quadrangle database (with the same database id as the
    file alone), pass `quick_check`, and hold every table the file alone holds.
    Raises DatabaseOpenError with one line; nothing beside the file is touched.
    """
    wal = companion(path, "-wal")
    try:
        wal_size = wal.stat().st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot read {wal}: {exc.strerror or exc}.") from None
    if wal_size < WAL_HEADER_SIZE or writer_alive:
        return  # SQLite ignores a -wal without a whole header (it holds no frame it could replay)
    try:
        with wal.open("rb") as handle:
            wal_header = handle.read(WAL_HEADER_SIZE)
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot read {wal}: {exc.strerror or exc}.") from None
    if int.from_bytes(wal_header[0:4], "big") not in WAL_MAGICS:
        return  # not a WAL SQLite would replay: it is reset on the next write, never merged
    if not header:
        raise _not_ours(path, wal, "the database file is empty")
    wal_page_size = int.from_bytes(wal_header[8:12], "big")
    db_page_size = int.from_bytes(header[16:18], "big")
    db_page_size = 65536 if db_page_size == 1 else db_page_size
    if wal_page_size != db_page_size:
        raise _not_ours(path, wal, f"its pages are {wal_page_size} bytes, the database's {db_page_size}")
    try:
        alone = look_at_schema(read_uri(path, immutable=True))
    except sqlite3.Error:
        alone = None
    import shutil  # here: the first paint reads the snapshot through this module (issue 22)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="quadrangle-wal-") as folder:
        copy = Path(folder) / "copy.db"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, companion(copy, "-wal"))
        except OSError as exc:
            raise DatabaseOpenError(
                f"Cannot check the {wal.name} beside {path} ({exc.strerror or exc}); nothing was changed."
            ) from None
        try:
            combined = look_at_schema(read_uri(copy))
            connection = sqlite3.connect(read_uri(copy), uri=True)
            try:
                rows = connection.execute("PRAGMA quick_check").fetchall()
            finally:
                connection.close()
        except sqlite3.Error as exc:
            raise _not_ours(path, wal, f"together they are unreadable: {' '.join(str(exc).split())[:120]}") from None
    if rows != [("ok",)]:
        first = " ".join(str(rows[0][0]).split())[:120]
        raise _not_ours(path, wal, f"together they fail SQLite's check: {first}")
    try:
        classify(path, combined)
    except DatabaseOpenError as exc:
        raise _not_ours(path, wal, "with it the file would no longer be a Quadrangle database") from exc
    if alone is not None:
        if alone.database_id and combined.database_id != alone.database_id:
            raise _not_ours(path, wal, "it was written for another Quadrangle database")
        missing = set(alone.tables) - set(combined.tables)
        if missing and alone.revision is not None:
            raise _not_ours(path, wal, f"with it the tables {_tables_shown(tuple(sorted(missing)))} would vanish")


def _not_ours(path: Path, wal: Path, why: str) -> DatabaseOpenError:
    return DatabaseOpenError(
        f"The {wal.name} beside {path} does not belong to it ({why}); it was not merged and nothing was changed: "
        f"move {wal.name} out of the folder, or restore a backup."
    )
