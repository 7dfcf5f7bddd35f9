"""A module holds one thing: no module in db/ or desktop/ grows past 500 lines (migrations aside)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 500


def test_no_module_is_over_the_limit() -> None:
    """Every Python module of the two layers stays under the limit, so each keeps to one concern."""
    too_long = {
        str(path.relative_to(ROOT)): lines
        for layer in ("db", "desktop")
        for path in (ROOT / layer).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}, f"split these modules (one concern each): {too_long}"


def test_the_check_sees_the_modules() -> None:
    """The walk finds the store and the window, so an empty walk cannot pass the limit test by accident."""
    found = {p.name for layer in ("db", "desktop") for p in (ROOT / layer).rglob("*.py")}
    assert {"store.py", "main_window.py", "database.py"} <= found
