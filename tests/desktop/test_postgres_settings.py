"""A team database chosen in the preferences: kept without its password, shown masked in the window,
and never preferred over an explicit `--db` or environment variable."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from db import Store
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.paths import prefer_database
from desktop.settings import AppSettings

PASSWORD = "s3cret-Pa55word"


def _settings(tmp_path) -> tuple[AppSettings, QSettings]:
    raw = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppSettings(raw), raw


def test_preferences_keep_the_connection_without_its_password(tmp_path):
    """A URL typed with a password is stored without it: neither the value nor the settings file holds it."""
    settings, raw = _settings(tmp_path)
    settings.database_url = f"postgresql://analyst:{PASSWORD}@team-db:5433/quadrangle"
    settings.sync()
    assert settings.database_url == "postgresql://analyst@team-db:5433/quadrangle"
    assert PASSWORD not in (tmp_path / "settings.ini").read_text()
    raw.setValue("preferences/database", f"postgresql://analyst:{PASSWORD}@team-db/quadrangle")  # an old file
    assert PASSWORD not in settings.database_url


def test_flag_and_environment_win_over_the_preference(monkeypatch):
    """The preferred database is used only when neither `--db` nor an environment variable names one."""
    preferred = "postgresql://analyst@team-db/quadrangle"
    assert prefer_database(None, preferred) == preferred
    assert prefer_database("/tmp/mine.db", preferred) == "/tmp/mine.db"
    assert prefer_database(None, "") is None
    monkeypatch.setenv("QUADRANGLE_DATABASE_URL", "postgresql://other@db/x")
    assert prefer_database(None, preferred) is None


def test_window_title_masks_the_password(qtbot, tmp_path, pg_database):
    """The main window on a team database shows where it is connected without the password."""
    url = pg_database("mini").replace("quadrangle@", f"quadrangle:{PASSWORD}@")
    settings, _ = _settings(tmp_path)
    with Store.open(url, actor="a") as store:
        window = MainWindow(store, settings, StoreEvents(store))
        qtbot.addWidget(window)
        assert PASSWORD not in window.windowTitle()
        assert "127.0.0.1" in window.windowTitle() and "***" in window.windowTitle()
        assert PASSWORD not in window.statusBar().currentMessage()
        window.close()


def test_team_database_dialog_keeps_the_url_without_its_password(qtbot, tmp_path, mini_store):
    """File > Team database...: a URL typed with a password is saved without it, and the window says so."""
    settings, _ = _settings(tmp_path)
    window = MainWindow(mini_store, settings, StoreEvents(mini_store))
    qtbot.addWidget(window)
    action = window.findChild(QAction, "teamDatabaseAction")
    assert action in window.file_menu.actions()
    dialog = window.open_team_database()
    qtbot.keyClicks(dialog.url, f"postgresql://analyst:{PASSWORD}@team-db/quadrangle")
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert settings.database_url == "postgresql://analyst@team-db/quadrangle"
    assert PASSWORD not in (tmp_path / "settings.ini").read_text()
    assert window.statusBar().currentMessage() == (
        "Quadrangle will open postgresql://analyst@team-db/quadrangle next time it starts. "
        "The password was not kept: put it in ~/.pgpass."
    )
    window.close()


def test_team_database_dialog_refuses_what_is_not_a_server(qtbot, tmp_path):
    """Another engine or a file path is refused in the dialog, which stays open; empty means this computer."""
    from desktop.teamserver.dialog import TeamDatabaseDialog

    settings, _ = _settings(tmp_path)
    settings.database_url = "postgresql://analyst@team-db/quadrangle"
    dialog = TeamDatabaseDialog(settings)
    qtbot.addWidget(dialog)
    dialog.open()
    for typed, expected in (
        ("mysql://a@b/c", "Unsupported database 'mysql'"),
        ("/tmp/x.db", "Give a postgresql:// URL"),
    ):
        dialog.url.setText(typed)
        dialog.submit()
        assert dialog.isVisible() and dialog.error.text().startswith(expected)
        assert settings.database_url == "postgresql://analyst@team-db/quadrangle"
    dialog.url.clear()
    with qtbot.waitSignal(dialog.accepted):
        dialog.submit()
    assert settings.database_url == ""
