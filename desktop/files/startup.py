"""Opening the database at start-up: a file Quadrangle refuses says why and offers the file chooser
again, instead of ending the application ("choose another file" with no way to choose)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from db import QuadrangleError

T = TypeVar("T")


def open_or_choose(
    open_once: Callable[[], T],
    use_path: Callable[[str], None],
    ask_path: Callable[[str], str | None],
    warn: Callable[[str], None],
) -> T:
    """`open_once()`; on a refusal, `warn(reason)` and `ask_path(reason)` for another file, `use_path`
    it and try again. Cancelling the chooser re-raises the last refusal."""
    while True:
        try:
            return open_once()
        except QuadrangleError as exc:
            warn(str(exc))
            chosen = ask_path(str(exc))
            if not chosen:
                raise
            use_path(chosen)


def ask_with_file_dialog(_reason: str) -> str | None:
    """The file chooser shown after a refusal (no parent: the window may not exist yet)."""
    from PySide6.QtWidgets import QFileDialog

    from desktop.files import DATABASE_FILTER

    path, _ = QFileDialog.getOpenFileName(None, "Choose a Quadrangle database", "", DATABASE_FILTER)
    return path or None
