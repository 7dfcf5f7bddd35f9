"""What the window does when the database cannot be opened for writing: offer read-only when another
Quadrangle has it, offer the newest good backup when it is damaged (the damaged file is kept aside)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from db import DatabaseDamagedError, DatabaseInUseError, DatabaseNotWritableError

if TYPE_CHECKING:
    from db import Store

Ask = Callable[[str, str], bool]


def open_with_recovery(args, open_store, ask: Ask) -> Store:
    """Open the store named by `args`; on "in use" or "damaged", `ask(title, text)` the user what to do.
    Re-raises the original error when the user declines (or no backup exists).

    The backup on opening is left to the window (install_backups), which takes it after the first paint.
    """
    try:
        return open_store(args, backup_on_open=False)
    except (DatabaseInUseError, DatabaseNotWritableError) as exc:
        title = "Database in use" if isinstance(exc, DatabaseInUseError) else "Database cannot be written"
        if ask(title, f"{exc}\n\nOpen it read-only? You can read everything but not save changes."):
            return open_store(args, read_only=True)
        raise
    except DatabaseDamagedError as exc:
        if exc.backup is None or exc.path is None:
            raise
        if ask(
            "Database damaged",
            f"{exc}\n\nPut that backup in place now? The damaged file is moved into a "
            "'damaged' folder beside it, never deleted.",
        ):
            from db import Store

            Store.recover(exc.path, exc.backup)
            return open_store(args, backup_on_open=False)
        raise


def ask_with_message_box(title: str, text: str) -> bool:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box.exec() == QMessageBox.StandardButton.Yes
