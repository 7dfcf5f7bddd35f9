"""The start-up snapshot: today's QuadrangleState saved as JSON when the store closes, so the window
can paint its first frame from the file with the stdlib `sqlite3` module before SQLAlchemy loads.

The snapshot is trusted only when its fingerprint (schema revision, number and time of the latest
audit-log entry) and its date still match the database; anything else falls back to the full path.
It is plain JSON decoded into the frozen records, never pickle: a database file may come from elsewhere.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import types
import typing
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from db import records
from db.records import QuadrangleState

SNAPSHOT_KEY = "startup_snapshot"
SNAPSHOT_FORMAT = 1
FINGERPRINT_SQL = (
    "SELECT (SELECT version_num FROM alembic_version), (SELECT count(*) FROM audit_log),"
    " (SELECT max(at) FROM audit_log)"
)


def encode(value):
    """Records to JSON-ready values: dataclasses as dicts, dates as ISO text, enums as their value."""
    if dataclasses.is_dataclass(value):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    return value


def decode(kind, value):
    """The inverse of `encode`, guided by the record classes' type hints."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return None if value is None else decode(options[0], value)
    if origin is tuple:
        item_kind = typing.get_args(kind)[0]
        return tuple(decode(item_kind, item) for item in value)
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: decode(hints[name], item) for name, item in value.items()})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind in (str, int, float, bool) and not isinstance(value, kind):
        raise ValueError(f"expected {kind.__name__}")
    return value


_HINTS: dict[type, dict] = {}


def _hints(kind: type) -> dict:
    if kind not in _HINTS:
        _HINTS[kind] = typing.get_type_hints(kind, vars(records))
    return _HINTS[kind]


def snapshot_payload(state: QuadrangleState, fingerprint: tuple) -> str:
    return json.dumps(
        {"format": SNAPSHOT_FORMAT, "fingerprint": [str(v) for v in fingerprint], "state": encode(state)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def read_startup_snapshot(path: str | Path, today: date | None = None) -> QuadrangleState | None:
    """Today's state from the snapshot in the SQLite file at `path`, or None when there is none
    that can be trusted (no file, other schema, changes since it was written, another day, any error)."""
    target = Path(path)
    if not target.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=0.2)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (SNAPSHOT_KEY,)).fetchone()
            fingerprint = connection.execute(FINGERPRINT_SQL).fetchone()
        finally:
            connection.close()
        if row is None:
            return None
        payload = json.loads(row[0])
        if payload.get("format") != SNAPSHOT_FORMAT or payload.get("fingerprint") != [str(v) for v in fingerprint]:
            return None
        state = decode(QuadrangleState, payload["state"])
    except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError):
        return None
    return state if state.as_of == (today or date.today()) else None
