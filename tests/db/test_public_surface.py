"""db's public surface: the lazily exported names and the imports type checkers see agree."""

import ast
from pathlib import Path

import db


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(Path(db.__file__).read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in ast.walk(node):
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        found[alias.asname or alias.name] = statement.module
    return found


def test_every_export_is_imported_for_type_checkers_from_the_same_module():
    """Each name in db._EXPORTS has a TYPE_CHECKING import from the module it is loaded from, and no other."""
    assert _type_checking_imports() == db._EXPORTS


def test_every_export_resolves():
    """Every exported name loads from its module."""
    for name in db._EXPORTS:
        assert getattr(db, name) is not None
