"""The start-up snapshot: today's QuadrangleState saved as JSON when the store closes, so the window
can paint its first frame from the file with the stdlib `sqlite3` module before SQLAlchemy loads.

The snapshot is trusted only when its format, its fingerprint (schema revision, number and time of the
latest audit-log entry) and its date still match; anything else falls back to the full path. The format
is derived from the record definitions themselves (see `snapshot_format`): records are encoded by
position, so a snapshot written before two fields were swapped or renamed must never be decoded.
It is plain JSON decoded into the frozen records, never pickle: a database file may come from elsewhere.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sqlite3
import types
import typing
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from db import records
from db.markings import MarkingScheme
from db.records import QuadrangleState

SNAPSHOT_KEY = "startup_snapshot"
# Bump when the encoding itself changes (how a date, an enum or a record is written), not when a record
# does: record changes are caught by the description in `snapshot_format`.
CODEC_REVISION = 3
FINGERPRINT_SQL = (
    "SELECT (SELECT version_num FROM alembic_version), (SELECT count(*) FROM audit_log),"
    " (SELECT max(at) FROM audit_log)"
)


def encode(value):
    """Records to JSON-ready values: a dataclass as the list of its fields' values in declaration order
    (half the size of named fields, and decoded positionally), dates as ISO text, enums as their value."""
    if dataclasses.is_dataclass(value):
        return [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    return value


def decode(kind, value):
    """The inverse of `encode` for a value of type `kind`; ValueError/TypeError when it does not fit."""
    return _decoder(kind)(value)


_DECODERS: dict = {}


def _decoder(kind) -> typing.Callable:
    """A function decoding encoded values of type `kind`, built once per type from the records' type
    hints: the start-up path decodes thousands of records and cannot afford to inspect hints each time."""
    if kind not in _DECODERS:
        _DECODERS[kind] = _build_decoder(kind)
    return _DECODERS[kind]


def _build_decoder(kind) -> typing.Callable:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner_kind,) = [k for k in typing.get_args(kind) if k is not type(None)]
        inner = _decoder(inner_kind)
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        item = _decoder(typing.get_args(kind)[0])  # tuple[X, ...] and tuple[X, X]: one item type
        return lambda value: tuple(map(item, _expect(list, value)))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):  # a record class, never an instance
        return _record_decoder(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        members = dict(kind._value2member_map_)
        return lambda value: members[value]  # KeyError for an unknown value
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is float:
        return lambda value: float(_expect((int, float), value))
    if kind in (str, int, bool):
        return lambda value: _expect(kind, value)
    raise TypeError(f"no snapshot decoder for {kind!r}")


def _record_decoder(kind: type) -> typing.Callable:
    """A function written for this record class: the thousands of records of a large quadrangle are
    decoded before the first paint, and one generated function with each field's check written inline
    decodes them twice as fast as a chain of per-field decoder calls (issue 22: 4 ms of 435
    relationships). What it accepts is what the per-type decoders (`_build_decoder`) accept."""
    hints = typing.get_type_hints(kind, vars(records))
    names = [f.name for f in dataclasses.fields(kind)]
    env: dict[str, typing.Any] = {
        "_new": object.__new__,
        "_kind": kind,
        "_bad": _unexpected,
        "_list": list,
        "_numbers": (int, float),
        "_float": float,
        "_str": str,
        "_int": int,
        "_bool": bool,
    }
    values = [f"v{n}" for n in range(len(names))]
    fields = ", ".join(
        f"{name!r}: {_field_code(hints[name], value, env)}" for name, value in zip(names, values, strict=True)
    )
    source = (
        "def decode_record(value):\n"
        f"    if type(value) is not _list or len(value) != {len(names)}:\n"
        f"        raise ValueError('a {kind.__name__} has {len(names)} fields')\n"
        f"    {', '.join(values)}, = value\n"
        "    record = _new(_kind)\n"
        # Frozen records: fill the instance dict directly (every field is present, so no default
        # applies), several times faster than calling the generated __init__ for each of them.
        f"    record.__dict__.update({{{fields}}})\n"
        "    return record\n"
    )
    exec(compile(source, f"<snapshot decoder of {kind.__qualname__}>", "exec"), env)
    return env["decode_record"]


def _field_code(kind, name: str, env: dict) -> str:
    """An expression decoding the encoded value in variable `name` as `kind` (helpers go into `env`)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner_kind,) = [k for k in typing.get_args(kind) if k is not type(None)]
        return f"(None if {name} is None else {_field_code(inner_kind, name, env)})"
    if kind in (str, int, bool):
        return f"({name} if type({name}) is _{kind.__name__} else _bad({name}))"
    if kind is float:
        return f"(_float({name}) if type({name}) in _numbers else _bad({name}))"
    helper = f"_d{len(env)}"
    if isinstance(kind, type) and issubclass(kind, Enum):
        env[helper] = dict(kind._value2member_map_)
        return f"{helper}[{name}]"  # KeyError for an unknown value
    env[helper] = _decoder(kind)  # records, tuples, dates and times
    return f"{helper}({name})"


def _unexpected(value):
    raise ValueError(f"unexpected {type(value).__name__}")


def _expect(kind, value):
    if type(value) is bool and kind is not bool:
        raise ValueError("unexpected true/false")
    if not isinstance(value, kind):
        raise ValueError(f"unexpected {type(value).__name__}")
    return value


def describe(kind, seen: dict[str, str] | None = None) -> str:
    """A canonical text of type `kind` as the codec sees it: a record by its qualified name, with the
    names and described types of its fields in declaration order (the order they are encoded in), every
    nested record described once in `seen`; an enum with its values; built-in types by name. Nothing
    in it depends on the process (no ids, no hash seeds), so every run computes the same text."""
    seen = {} if seen is None else seen
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return "|".join(sorted(describe(k, seen) for k in typing.get_args(kind)))
    if origin is tuple:
        return "tuple[" + ",".join("..." if k is Ellipsis else describe(k, seen) for k in typing.get_args(kind)) + "]"
    if kind is type(None):
        return "None"
    name = f"{kind.__module__}.{kind.__qualname__}"
    if dataclasses.is_dataclass(kind):
        if name not in seen:
            seen[name] = ""  # placeholder first: a record that refers to itself stops here
            hints = typing.get_type_hints(kind, vars(records))
            fields = ",".join(f"{f.name}:{describe(hints[f.name], seen)}" for f in dataclasses.fields(kind))
            seen[name] = f"{name}({fields})"
        return name
    if isinstance(kind, type) and issubclass(kind, Enum):
        if name not in seen:
            seen[name] = f"{name}{{" + ",".join(repr(m.value) for m in kind) + "}"
        return name
    return name


def format_description(kind=QuadrangleState) -> str:
    """Every definition the snapshot of `kind` depends on, one per line, sorted, after the codec revision."""
    seen: dict[str, str] = {}
    root = describe(kind, seen)
    return "\n".join([f"codec {CODEC_REVISION}", f"root {root}", *sorted(seen.values())])


@functools.cache
def snapshot_format() -> str:
    """The snapshot's format: the codec revision and a digest of `format_description()`. Reordering,
    renaming or retyping any field of any record in the state gives another format, so a snapshot
    written before the change is a cache miss, never decoded into the wrong fields.

    The digest is a CRC-32 and the length of the description, not a cryptographic hash: it only has to
    change when the description does (nobody forges it: a snapshot that does not fit is decoded into
    nothing, as every record's field count and every value's type are checked), and hashlib's OpenSSL
    would add 2-3 ms to the first paint (issue 22)."""
    description = format_description().encode("utf-8")
    return f"{CODEC_REVISION}:{zlib.crc32(description):08x}{len(description):x}"


def snapshot_payload(state: QuadrangleState, fingerprint: tuple) -> str:
    return json.dumps(
        {"format": snapshot_format(), "fingerprint": [str(v) for v in fingerprint], "state": encode(state)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def read_startup_snapshot(path: str | Path, today: date | None = None) -> QuadrangleState | None:
    """Today's state from the snapshot in the SQLite file at `path`, or None when there is none
    that can be trusted (no file, other schema, changes since it was written, another day, any error)."""
    found = read_startup_snapshot_with_fingerprint(path, today)
    return found[0] if found is not None else None


def read_startup_snapshot_with_fingerprint(
    path: str | Path, today: date | None = None
) -> tuple[QuadrangleState, tuple[str, ...]] | None:
    """`read_startup_snapshot` and the database fingerprint it was checked against, which the store
    is given (`Store.adopt_startup_snapshot`) so it can answer today's state from it while nothing changed."""
    target = Path(path)
    if not target.is_file():
        return None
    try:
        connection = _read_connection(target)
        try:
            found = _snapshot_in(connection, today)
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return found


@dataclass(frozen=True)
class ReadOnlySnapshot:
    """Today's state from a trusted snapshot and the marking scheme read in the same transaction: what a
    read-only command that shows today's state needs, without SQLAlchemy (`read_only_snapshot`)."""

    state: QuadrangleState
    scheme: MarkingScheme


# The scheme's caveats and handling statement, as db/services/catalog.py keeps them in `meta`
# (tests/test_table_snapshot.py holds the two readings equal).
CAVEATS_KEY = "marking_caveats"
HANDLING_KEY = "marking_handling"


def read_only_snapshot(path: str | Path, today: date | None = None) -> ReadOnlySnapshot | None:
    """Today's state and the marking scheme of the Quadrangle database file at `path`, read as a
    read-only store would read them, or None whenever a read-only `Store.open` would do anything
    more than read: a file it would refuse or check first (not a Quadrangle file, a `-wal` that does
    not belong to it, a writer under another name, a file not sealed by a clean close), a schema other
    than this version's, or a snapshot that is missing, stale or from another day. Writes nothing,
    takes no lock; the caller falls back to the store, which reports whatever is wrong."""
    from db.errors import QuadrangleError
    from db.identify import (
        QUADRANGLE_APPLICATION_ID,
        SQLITE_MAGIC,
        application_id,
        check_companion_wal,
        read_header,
    )
    from db.locking import writer_alive, writer_under_another_name
    from db.migrate import HEAD_REVISION
    from db.open_check import needs_full_check

    target = Path(path)
    try:
        if not target.is_file() or target.stat().st_size == 0:
            return None
        header = read_header(target)
        if not header.startswith(SQLITE_MAGIC) or application_id(header) != QUADRANGLE_APPLICATION_ID:
            return None
        if Path(f"{target}-wal").exists():
            check_companion_wal(target, header, writer_alive=writer_alive(target))
        if writer_under_another_name(target) or needs_full_check(target):
            return None
        connection = _read_connection(target)
        try:
            connection.execute("BEGIN")  # one read transaction: the scheme goes with the snapshot
            found = _snapshot_in(connection, today)
            if found is None or found[1][0] != HEAD_REVISION:
                return None
            levels = tuple(row[0] for row in connection.execute("SELECT name FROM markings ORDER BY rank"))
            meta = dict(
                connection.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", (CAVEATS_KEY, HANDLING_KEY))
            )
            connection.execute("COMMIT")
        finally:
            connection.close()
    except (OSError, sqlite3.Error, QuadrangleError):
        return None
    scheme = MarkingScheme(levels=levels, caveats=meta.get(CAVEATS_KEY, ""), handling=meta.get(HANDLING_KEY, ""))
    return ReadOnlySnapshot(found[0], scheme)


def _read_connection(target: Path) -> sqlite3.Connection:
    """A connection that cannot write `target` (the read-only store's URI), without implicit transactions."""
    from db.identify import read_only_uri

    connection = sqlite3.connect(read_only_uri(target), uri=True, timeout=0.2, isolation_level=None)
    connection.execute("PRAGMA trusted_schema=OFF")  # a file from elsewhere runs none of its own SQL
    return connection


def _snapshot_in(connection: sqlite3.Connection, today: date | None) -> tuple[QuadrangleState, tuple[str, ...]] | None:
    """The trusted snapshot read through `connection` and the fingerprint it matched, or None."""
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (SNAPSHOT_KEY,)).fetchone()
    fingerprint = connection.execute(FINGERPRINT_SQL).fetchone()
    if row is None:
        return None
    try:
        payload = json.loads(row[0])
        if payload.get("format") != snapshot_format() or payload.get("fingerprint") != [str(v) for v in fingerprint]:
            return None
        state = decode(QuadrangleState, payload["state"])
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    return (state, tuple(payload["fingerprint"])) if state.as_of == (today or date.today()) else None


def current_fingerprint(connection) -> tuple[str, ...]:
    """The database's fingerprint as a snapshot records it, through a SQLAlchemy connection or session."""
    from sqlalchemy import text

    return tuple(str(v) for v in connection.execute(text(FINGERPRINT_SQL)).one())
