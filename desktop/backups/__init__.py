"""Backups in the window: File > Backups..., Help > Check database, the 30-minute automatic backup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from db import EventKind
from desktop.backups.auto import AutoBackup
from desktop.qt_build import make_action

if TYPE_CHECKING:
    from desktop.backups.check_dialog import CheckDatabaseDialog
    from desktop.backups.dialog import BackupsDialog

__all__ = ["AutoBackup", "BackupsDialog", "CheckDatabaseDialog", "install_backups"]


def __getattr__(name: str) -> Any:
    # The dialogs load when first opened, not while the window gets ready (issue 22).
    if name == "BackupsDialog":
        from desktop.backups.dialog import BackupsDialog

        return BackupsDialog
    if name == "CheckDatabaseDialog":
        from desktop.backups.check_dialog import CheckDatabaseDialog

        return CheckDatabaseDialog
    raise AttributeError(f"module 'desktop.backups' has no attribute {name!r}")


def install_backups(window) -> AutoBackup:
    """Add the backup menu entries and the automatic backup to a MainWindow; returns the AutoBackup."""
    store = window.store
    auto = AutoBackup(store, window.events, window)
    window.auto_backup = auto
    status = window.statusBar()
    auto.failed.connect(lambda message: status.showMessage(message))
    auto.backed_up.connect(lambda path: status.showMessage("Backed up automatically.", 5000))

    def open_backups() -> BackupsDialog:
        from desktop.backups.dialog import BackupsDialog

        dialog = BackupsDialog(store, window)
        dialog.open()
        return dialog

    def open_check() -> CheckDatabaseDialog:
        from desktop.backups.check_dialog import CheckDatabaseDialog

        dialog = CheckDatabaseDialog(store, window)
        dialog.open()
        return dialog

    def forget_undo(_kind: EventKind, _ids: tuple[str, ...]) -> None:
        window.undo_stack.clear()  # its steps refer to the state that was replaced

    window.events.listen(forget_undo, EventKind.RESTORED, EventKind.REPAIRED)
    backups_action = make_action("&Backups...", window, object_name="backupsAction")
    backups_action.triggered.connect(open_backups)
    actions = window.file_menu.actions()
    window.file_menu.insertAction(actions[-1] if actions else None, backups_action)  # above Quit
    check_action = make_action("&Check database", window, object_name="checkDatabaseAction")
    check_action.triggered.connect(open_check)
    window.help_menu.addAction(check_action)
    window.open_backups = open_backups
    window.open_check = open_check
    if store.backup_on_open_skipped:
        QTimer.singleShot(0, auto.backup_on_open)
    if store.backup_warning:
        status.showMessage(store.backup_warning)
    elif store.read_only:
        status.showMessage(f"{store.location.display} is open read-only: nothing can be saved.")
    return auto
