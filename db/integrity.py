"""The full database check: SQLite's own checks, the schema against Quadrangle's own, the search index,
and Quadrangle's rules, in words.

Works on a plain sqlite3 connection (so `quadrangle check` can examine a file the store refuses to
open) and never changes anything; `repair` applies only fixes that cannot lose information.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db.known_schema import ForeignObject, drop_statement, foreign_objects
from db.vocabulary import Phase, phases_are_adjacent


def one_line(text: str) -> str:
    """SQLite's check reports span lines ("*** in database main ***\nPage 63: ..."): make them one."""
    return " ".join(text.replace("*** in database main ***", "").split())


PHASES = {p.value: p for p in Phase}
MAX_PROBLEMS_PER_CHECK = 50


@dataclass(frozen=True)
class IntegrityProblem:
    """One problem found by the check: what kind, where, a sentence for the user, and whether the
    safe repair fixes it."""

    kind: str
    message: str
    table: str = ""
    row: str = ""
    repairable: bool = False


def check_connection(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    """Run every check on an open connection; an empty list means the database is sound."""
    problems = _integrity(connection)
    if any(p.kind == "damaged" for p in problems):
        return problems  # rules read through damaged pages would only report noise or fail
    checks = (_schema, _foreign_keys, _search_indexes, _relationship_rules, _phase_rules, _citation_rules, _text_rules)
    for check in checks:
        try:
            problems.extend(check(connection))
        except sqlite3.Error as exc:
            problems.append(
                IntegrityProblem("unreadable", f"Part of the database cannot be read ({one_line(str(exc))}).")
            )
    return problems


def check_file(path: Path) -> list[IntegrityProblem]:
    """Open `path` (nothing in it is trusted or run; nothing is committed) and check it.

    Read-write when the file allows it, because FTS5's integrity-check is an INSERT (rolled back);
    otherwise read-only, and the search index is not checked.
    """
    try:
        connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        return check_connection(connection)
    except sqlite3.DatabaseError as exc:
        return [IntegrityProblem("damaged", f"The database file is damaged: {one_line(str(exc))}.")]
    finally:
        connection.close()


def repair_connection(connection: sqlite3.Connection, problems: list[IntegrityProblem]) -> list[str]:
    """Apply the safe repairs for `problems` in one transaction; returns what was done, in words.

    Safe means nothing anyone could see is lost: indexes and the search index are rebuilt from the
    tables, and rows whose owner is gone are removed exactly as SQLite's ON DELETE CASCADE would have
    removed them. Running it again does nothing.
    """
    done: list[str] = []
    todo = [p for p in problems if p.repairable]
    if not todo:
        return done
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Foreign triggers go first: the repairs below delete rows, which would fire them.
        foreign = [p for p in todo if p.kind in FOREIGN_REMOVABLE]
        for problem in foreign:
            connection.execute(
                drop_statement(ForeignObject(FOREIGN_REMOVABLE[problem.kind], problem.row, problem.table))
            )
        if foreign:
            done.append(f"Removed {len(foreign)} trigger(s) or view(s) that were not Quadrangle's.")
        if any(p.kind == "index" for p in todo):
            connection.execute("REINDEX")
            done.append("Rebuilt the indexes.")
        for table in sorted({p.table for p in todo if p.kind == "search-index"}):
            connection.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'rebuild\')')
            done.append(f"Rebuilt the search index {table}.")
        orphans = [p for p in todo if p.kind in ("orphan", "orphan-citation")]
        for problem in orphans:
            connection.execute(f'DELETE FROM "{problem.table}" WHERE rowid = ?', (int(problem.row),))
        if orphans:
            done.append(f"Removed {len(orphans)} row(s) whose owner no longer exists.")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return done


# -- the checks ------------------------------------------------------------------------------------

# Problem kinds of foreign schema objects the safe repair drops, and the object kind they name.
FOREIGN_REMOVABLE = {"foreign-trigger": "trigger", "foreign-view": "view"}


def _schema(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    """Triggers, views, tables, columns and indexes that are not Quadrangle's (see db/known_schema.py)."""
    problems = []
    for item in foreign_objects(connection)[:MAX_PROBLEMS_PER_CHECK]:
        if item.removable:
            kind, advice = f"foreign-{item.kind}", "; the safe repair removes it (after a backup)."
        elif item.kind.startswith("missing-"):
            kind, advice = "missing-schema", "; restore a backup."
        else:
            kind, advice = "foreign-schema", "; restore a backup or remove it by hand."
        problems.append(
            IntegrityProblem(kind, item.describe() + advice, table=item.table, row=item.name, repairable=item.removable)
        )
    return problems


def _integrity(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    rows = [one_line(str(r[0])) for r in connection.execute(f"PRAGMA integrity_check({MAX_PROBLEMS_PER_CHECK})")]
    if rows == ["ok"]:
        return []
    problems = []
    for text in rows:
        if text.startswith(("row ", "wrong # of entries in index", "non-unique entry in index")):
            problems.append(IntegrityProblem("index", f"An index does not match its table ({text}).", repairable=True))
        elif text.startswith(("CHECK constraint failed", "NULL value in")):
            problems.append(IntegrityProblem("constraint", f"A record breaks a rule of the database ({text})."))
        else:
            problems.append(IntegrityProblem("damaged", f"The database file is damaged: {text}."))
    return problems


def _foreign_keys(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    problems = []
    actions: dict[str, dict[int, str]] = {}
    for table, rowid, parent, fkid in connection.execute("PRAGMA foreign_key_check").fetchmany(MAX_PROBLEMS_PER_CHECK):
        if table not in actions:
            actions[table] = {r[0]: r[6] for r in connection.execute(f'PRAGMA foreign_key_list("{table}")')}
        cascade = actions[table].get(fkid, "").upper() == "CASCADE"
        where = f"row {rowid}" if rowid is not None else "a row"
        problems.append(
            IntegrityProblem(
                "orphan" if cascade else "missing-reference",
                f"{_label(table)} ({where}) refers to {_article(_label(parent, singular=True))} that no longer exists"
                + ("; the safe repair removes it." if cascade else "; restore a backup or fix it by hand."),
                table=table,
                row=str(rowid),
                repairable=cascade and rowid is not None,
            )
        )
    return problems


def _search_indexes(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    problems = []
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
    ).fetchall()
    for (name,) in tables:
        connection.execute("BEGIN")
        try:
            # rank = 1 also compares an external-content index with its table (FTS5 docs).
            connection.execute(f'INSERT INTO "{name}"("{name}", rank) VALUES (\'integrity-check\', 1)')
        except sqlite3.Error as exc:
            if "readonly" in str(exc):
                continue
            problems.append(
                IntegrityProblem(
                    "search-index",
                    f"The search index {name} does not match the records ({one_line(str(exc))}); it can be rebuilt.",
                    table=name,
                    repairable=True,
                )
            )
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
    return problems


def _relationship_rules(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    rows = connection.execute(
        "SELECT r.rowid, r.id, r.org_a_id, r.org_b_id, a.id, b.id FROM relationships r "
        "LEFT JOIN organizations a ON a.id = r.org_a_id LEFT JOIN organizations b ON b.id = r.org_b_id "
        "WHERE r.org_a_id = r.org_b_id OR a.id IS NULL OR b.id IS NULL OR r.org_a_id IS NULL OR r.org_b_id IS NULL"
    ).fetchmany(MAX_PROBLEMS_PER_CHECK)
    problems = []
    for rowid, rel_id, org_a, org_b, _found_a, _found_b in rows:
        if org_a is not None and org_a == org_b:
            text = f"Relationship {rel_id} links an organization to itself; a relationship needs two different organizations."
        else:
            text = f"Relationship {rel_id} names an organization that does not exist."
        problems.append(IntegrityProblem("relationship", text, table="relationships", row=str(rowid)))
    return problems


def _phase_rules(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    problems = []
    for rowid, version_id, phase, phase_to in connection.execute(
        "SELECT rowid, id, phase, phase_to FROM assessment_versions"
    ):
        first = PHASES.get(phase)
        second = PHASES.get(phase_to) if phase_to is not None else None
        if first is None:
            text = f"Assessment version {version_id} has an unknown phase '{phase}'."
        elif phase_to is not None and (second is None or not phases_are_adjacent(first, second)):
            text = f"Assessment version {version_id} has an invalid second phase '{phase_to}' (after '{phase}')."
        else:
            continue
        problems.append(IntegrityProblem("phase", text, table="assessment_versions", row=str(rowid)))
        if len(problems) >= MAX_PROBLEMS_PER_CHECK:
            break
    return problems


def _citation_rules(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    rows = connection.execute(
        "SELECT c.rowid, c.id, c.assessment_version_id, c.lesson_id, c.milestone_id, "
        "v.id, l.id, m.id, s.id FROM citations c "
        "LEFT JOIN assessment_versions v ON v.id = c.assessment_version_id "
        "LEFT JOIN lessons l ON l.id = c.lesson_id "
        "LEFT JOIN milestones m ON m.id = c.milestone_id "
        "LEFT JOIN sources s ON s.id = c.source_id"
    ).fetchall()
    problems = []
    for rowid, citation_id, version_ref, lesson_ref, milestone_ref, version, lesson, milestone, source in rows:
        refs = [r for r in (version_ref, lesson_ref, milestone_ref) if r is not None]
        found = [r for r in (version, lesson, milestone) if r is not None]
        if source is None:
            problems.append(
                IntegrityProblem(
                    "citation-source",
                    f"Citation {citation_id} cites a source that does not exist.",
                    table="citations",
                    row=str(rowid),
                )
            )
        elif len(refs) != 1:
            problems.append(
                IntegrityProblem(
                    "citation-owner",
                    f"Citation {citation_id} belongs to {len(refs)} records instead of exactly one.",
                    table="citations",
                    row=str(rowid),
                )
            )
        elif not found:
            # A foreign-key orphan is reported (and removed) by the foreign-key check already.
            continue
        if len(problems) >= MAX_PROBLEMS_PER_CHECK:
            break
    return problems


def _text_rules(connection: sqlite3.Connection) -> list[IntegrityProblem]:
    """Text that is not valid UTF-8 would make every screen showing that record fail."""
    problems = []
    previous = connection.text_factory
    connection.text_factory = bytes
    try:
        # Only ordinary rowid tables: virtual tables and FTS shadow tables (WITHOUT ROWID) hold no user text.
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND sql NOT LIKE 'CREATE VIRTUAL%' AND sql NOT LIKE '%WITHOUT ROWID%'"
            )
        ]
        # FTS5 shadow tables (lesson_search_data, ..._docsize) are rowid tables of binary blocks.
        virtual = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")]
        tables = [t for t in tables if not any(bytes(t).startswith(bytes(v) + b"_") for v in virtual)]
        for table in tables:
            table = table.decode("utf-8", "replace") if isinstance(table, bytes) else table
            columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
            columns = [c.decode("utf-8", "replace") if isinstance(c, bytes) else c for c in columns]
            selected = ", ".join(f'"{c}"' for c in columns)
            for row in connection.execute(f'SELECT _rowid_, {selected} FROM "{table}"'):
                for column, value in zip(columns, row[1:], strict=True):
                    if isinstance(value, bytes):
                        try:
                            value.decode("utf-8")
                        except UnicodeDecodeError:
                            problems.append(
                                IntegrityProblem(
                                    "text",
                                    f"{_label(table)} (row {row[0]}) holds unreadable text in its {column}.",
                                    table=table,
                                    row=str(row[0]),
                                )
                            )
                if len(problems) >= MAX_PROBLEMS_PER_CHECK:
                    return problems
    finally:
        connection.text_factory = previous
    return problems


_LABELS = {
    "assessment_versions": ("assessment versions", "assessment version"),
    "assessment_motives": ("A motive of an assessment", "motive"),
    "citations": ("A citation", "citation"),
    "relationships": ("A relationship", "relationship"),
    "organizations": ("An organization", "organization"),
    "lessons": ("A lesson", "lesson"),
    "milestones": ("A milestone", "milestone"),
    "sources": ("A source", "source"),
    "operations": ("An operation", "operation"),
    "markings": ("A marking", "marking"),
    "themes": ("A theme", "theme"),
}


def _label(table: str, *, singular: bool = False) -> str:
    plural, one = _LABELS.get(table, (f"A row of {table}", table))
    if table == "assessment_versions" and not singular:
        return "An assessment version"
    return one if singular else plural


def _article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
