"""The layer rules, checked on the source: db/ never imports Qt, desktop/ only uses db's public API."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "pytestqt")
STORE_INTERNALS = ("sqlalchemy", "alembic", "psycopg", "sqlite3")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "db":
                found.extend(
                    (node.lineno, f"db.{alias.name}")
                    for alias in node.names
                    if alias.name[0].islower() and alias.name not in PUBLIC_LOWERCASE
                )
    return found


# Lower-case names that db/__init__.py exports on purpose (functions), as opposed to its submodules.
PUBLIC_LOWERCASE = {
    "comparison_rows",
    "default_actor",
    "load_dataset",
    "locate",
    "parse_partial_date",
    "phases_are_adjacent",
    "read_startup_snapshot",
}
PUBLIC_LOWERCASE |= {"without_password", "copy_store", "init_database"}
PUBLIC_LOWERCASE |= {"list_database_backups"}
PUBLIC_LOWERCASE |= {"short_citation", "bibliography", "citation_styles", "export_format_of"}
PUBLIC_LOWERCASE |= {"check_database_path", "check_target", "redact", "strip_password", "write_file"}
PUBLIC_LOWERCASE |= {"view_as_of", "withhold", "resolve_marking", "output_marking"}  # db/markings.py (issue 17)
# the start-up snapshot with the fingerprint it matched, and today's table from it (issue 22)
PUBLIC_LOWERCASE |= {"read_startup_snapshot_with_fingerprint", "read_only_snapshot"}
PUBLIC_LOWERCASE |= {"existing_on", "operation_confirmation", "quadrangle_staleness"}


def violations(folder: str, forbidden) -> list[str]:
    problems = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for line, module in imported_modules(path):
            if forbidden(module):
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


def test_db_never_imports_qt():
    """The store layer stays usable by scripts and tests without Qt."""
    assert violations("db", lambda m: m.split(".")[0] in QT_MODULES) == []


def test_desktop_uses_only_the_public_store_api():
    """desktop/ imports `db` itself, never its submodules, SQLAlchemy, Alembic or a database driver."""

    def forbidden(module: str) -> bool:
        return module.split(".")[0] in STORE_INTERNALS or module.startswith("db.")

    assert violations("desktop", forbidden) == []


def test_the_check_catches_a_forbidden_import(tmp_path):
    """The walker really sees imports, including ones nested in functions."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from db.models import Lesson\n    import sqlalchemy.orm\n", encoding="utf-8")
    modules = [m for _, m in imported_modules(sample)]
    assert "db.models" in modules and "sqlalchemy.orm" in modules
