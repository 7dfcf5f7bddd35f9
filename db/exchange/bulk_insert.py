"""Many rows into one table with one executemany, for the exchange import (issue 22: a 45 MB file in a
few seconds): on SQLite, without SQLAlchemy's per-row parameter building."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Dialect, Table, insert
from sqlalchemy.orm import Session

from db.types import UTCDateTime


def insert_rows(s: Session, table: Table, rows: list[dict]) -> None:
    """One executemany of `rows` (which share one key set) into `table`, in the session's transaction.

    On a driver taking positional parameters (SQLite) the statement is compiled once and each row
    becomes a tuple converted by the columns' own bind processors: the values SQLAlchemy would send,
    without its per-row parameter building. A table with Python-side defaults for columns the rows
    leave out, and every other driver, go the ordinary way."""
    connection = s.connection()
    dialect = connection.dialect
    names = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    order = compiled.positiontup
    if not dialect.positional or order is None or compiled.insert_prefetch or set(order) != set(names):
        s.execute(insert(table), rows)
        return
    processors = [
        (n, processor)
        for n, name in enumerate(order)
        if (processor := bind_processor(table, name, dialect)) is not None
    ]
    take = itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
    parameters: list[tuple] = [take(row) for row in rows]
    if processors:
        for index, values in enumerate(parameters):
            converted = list(values)
            for n, processor in processors:
                converted[n] = processor(converted[n])
            parameters[index] = tuple(converted)
    connection.exec_driver_sql(compiled.string, parameters)


def bind_processor(table: Table, name: str, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The function turning a column's Python value into what the driver is sent. A UTC moment on
    SQLite is one call to the text SQLite keeps (what UTCDateTime and SQLite's DATETIME make of it
    in two Python functions; tests/db/test_exchange_bulk_insert.py holds them to the same text)."""
    column_type = table.c[name].type
    if dialect.name == "sqlite" and type(column_type) is UTCDateTime:
        return sqlite_utc_text
    return column_type._cached_bind_processor(dialect)


def sqlite_utc_text(value: datetime | None) -> str | None:
    """An aware moment as SQLite's DATETIME column text of its UTC time ("2024-05-01 09:30:00.000000")."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
