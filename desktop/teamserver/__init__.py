"""The team database in the window: File > Team database... chooses the shared PostgreSQL database
Quadrangle opens at start (kept in the preferences without its password)."""

from __future__ import annotations

from desktop.qt_build import make_action

__all__ = ["install_team_server"]


def install_team_server(window) -> None:
    """Add File > Team database... to a MainWindow (above Quit); `window.open_team_database()` opens it."""

    def open_team_database():
        # Imported on use: the dialog needs the store's URL parsing, which must not load before first paint.
        from desktop.teamserver.dialog import TeamDatabaseDialog

        dialog = TeamDatabaseDialog(window.settings, window)
        dialog.accepted.connect(lambda: window.statusBar().showMessage(dialog.outcome))
        dialog.open()
        return dialog

    action = make_action("Team &database...", window, object_name="teamDatabaseAction")
    action.triggered.connect(open_team_database)
    actions = window.file_menu.actions()
    window.file_menu.insertAction(actions[-1] if actions else None, action)
    window.open_team_database = open_team_database
