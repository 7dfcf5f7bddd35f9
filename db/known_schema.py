"""The schema Quadrangle itself creates at the current revision, and what an SQLite file holds beyond it.

The expected schema is derived from the models' metadata plus the objects the migrations add on SQLite
(the FTS5 table `lesson_search` with its shadow tables, the theme overview's counts, Alembic's version
table). Anything else — a trigger, a view, a table, a column, an index — was put there by another tool
or an attacker: a trigger on `audit_log` can rewrite every record on the next save, so `check` reports
it, `check --repair` drops triggers and views (after a backup), and a restore refuses such a backup.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache

from db import migrate

SEARCH_TABLE = "lesson_search"
# FTS5 creates these beside its table; their columns are FTS5's business, not ours.
SEARCH_SHADOW_TABLES = frozenset(
    f"{SEARCH_TABLE}_{suffix}" for suffix in ("config", "content", "data", "docsize", "idx")
)
# Tables the migrations create outside the models (frozen DDL in 0002_lesson_search and Alembic's own).
_MIGRATION_TABLES: dict[str, frozenset[str]] = {
    "alembic_version": frozenset({"version_num"}),
    SEARCH_TABLE: frozenset({"lesson_id", "finding", "recommendation", "quotes"}),
    "lesson_search_overview": frozenset({"theme_id", "relationship_id", "lessons"}),
}


@dataclass(frozen=True)
class ExpectedSchema:
    """Quadrangle's own SQLite objects at the current revision: tables with their columns, and the
    names of the indexes it creates (SQLite's automatic `sqlite_autoindex_*` come with the tables).
    On SQLite Quadrangle creates no triggers and no views."""

    tables: dict[str, frozenset[str]]
    indexes: frozenset[str]
    triggers: frozenset[str] = frozenset()
    views: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ForeignObject:
    """One schema object of a file that the expected schema does not have (or lacks): its kind
    (`trigger`, `view`, `table`, `index`, `column`, `missing-table`, `missing-column`), its name, the
    table it belongs to, and whether the safe repair removes it (triggers and views)."""

    kind: str
    name: str
    table: str = ""

    @property
    def removable(self) -> bool:
        return self.kind in ("trigger", "view")

    def describe(self) -> str:
        name, table = printable(self.name), printable(self.table)
        if self.kind == "trigger":
            return f"The trigger {name} on {table} is not Quadrangle's: it could change records behind your back"
        if self.kind == "view":
            return f"The view {name} is not Quadrangle's"
        if self.kind == "table":
            return f"The table {name} is not Quadrangle's"
        if self.kind == "index":
            return f"The index {name} on {table} is not Quadrangle's"
        if self.kind == "column":
            return f"The table {table} has a column {name} that is not Quadrangle's (renamed or added by another tool?)"
        if self.kind == "missing-table":
            return f"Quadrangle's table {name} is missing"
        return f"The table {table} lacks Quadrangle's column {name} (renamed or removed by another tool?)"


@cache
def expected_schema() -> ExpectedSchema:
    """The expected schema of the current revision (computed once from the models' metadata)."""
    from db.models import Base  # only needed here; keeps `import db.known_schema` light

    tables = {t.name: frozenset(c.name for c in t.columns) for t in Base.metadata.sorted_tables}
    tables.update(_MIGRATION_TABLES)
    indexes = frozenset(str(i.name) for t in Base.metadata.sorted_tables for i in t.indexes if i.name)
    return ExpectedSchema(tables=tables, indexes=indexes)


def printable(name: str) -> str:
    """A schema name as it can be shown on one terminal line: control characters escaped."""
    text = name if name.isprintable() else name.encode("unicode_escape").decode("ascii")
    return f'"{text}"' if text else '""'


def foreign_objects(connection: sqlite3.Connection) -> list[ForeignObject]:
    """What the database on `connection` holds beyond (or lacks from) Quadrangle's schema.

    Triggers and views are reported at every revision (no revision ever created one on SQLite);
    tables, columns and indexes are compared only when the file is at the current revision (an older
    file is brought up to date by its migration first). Reads sqlite_master only; runs nothing.
    """
    rows = connection.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
    names = [(_text(kind), _text(name), _text(table)) for kind, name, table in rows]
    expected = expected_schema()
    found: list[ForeignObject] = []
    for kind, name, table in names:
        if kind == "trigger" and name not in expected.triggers:
            found.append(ForeignObject("trigger", name, table))
        elif kind == "view" and name not in expected.views:
            found.append(ForeignObject("view", name, table))
    if _revision(connection) != migrate.HEAD_REVISION:
        return found
    present_tables = {name for kind, name, _ in names if kind == "table"}
    for kind, name, table in names:
        if kind == "table" and name not in expected.tables and name not in SEARCH_SHADOW_TABLES:
            if not name.startswith("sqlite_"):  # sqlite_sequence, sqlite_stat1: SQLite's own
                found.append(ForeignObject("table", name, name))
        elif kind == "index" and name not in expected.indexes and not name.startswith("sqlite_autoindex_"):
            found.append(ForeignObject("index", name, table))
    for table, columns in sorted(expected.tables.items()):
        if table not in present_tables:
            found.append(ForeignObject("missing-table", table, table))
            continue
        present = {_text(row[1]) for row in connection.execute(f"PRAGMA table_info({quote(table)})")}
        found += [ForeignObject("missing-column", c, table) for c in sorted(columns - present)]
        found += [ForeignObject("column", c, table) for c in sorted(present - columns)]
    return found


def drop_statement(item: ForeignObject) -> str:
    """The statement that removes a removable foreign object (a trigger or a view)."""
    if not item.removable:
        raise ValueError(f"{item.kind} {item.name} is not removed by the safe repair")
    return f"DROP {item.kind.upper()} IF EXISTS {quote(item.name)}"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return _text(row[0]) if row else None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)
