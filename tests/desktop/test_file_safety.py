"""The window's writes go through the safe writer (issue 16, items 1, 5 and 11): the diagram export,
the exchange export dialog and the BibTeX export never replace the database, write 0600 files, and
the preferences keep no password and are their owner's only."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop.events import StoreEvents
from desktop.exchange.export_dialog import ExportExchangeDialog
from desktop.main_window import MainWindow
from desktop.settings import AppSettings

PASSWORD = "Pa55-word"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def settings(tmp_path):
    return AppSettings(QSettings(str(tmp_path / "settings" / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, mini_store, settings, monkeypatch):
    window = MainWindow(mini_store, settings, StoreEvents(mini_store))
    qtbot.addWidget(window)
    warnings: list[str] = []
    monkeypatch.setattr(
        "desktop.diagram.export_action.QMessageBox.warning", lambda _parent, _title, text: warnings.append(text)
    )
    window.warnings = warnings
    return window


@pytest.mark.parametrize(("companion", "link"), [("", "hard"), ("", "symbolic"), ("-wal", "symbolic")])
def test_the_diagram_export_never_replaces_the_database(window, tmp_path, monkeypatch, companion, link):
    """An export name that is another name of the database (or of its -wal) is refused in one line."""
    database = Path(f"{window.store.location.path}{companion}")
    database.touch(exist_ok=True)
    before = digest(database)
    target = tmp_path / "elsewhere" / "diagram.png"
    target.parent.mkdir()
    if link == "hard":
        os.link(database, target)
    else:
        target.symlink_to(database)
    monkeypatch.setattr(window, "ask_export_path", lambda: str(target))
    window.export_action.trigger()
    assert window.warnings and "\n" not in window.warnings[0] and "choose another name" in window.warnings[0]
    assert digest(database) == before


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_diagram_files_are_owner_only_under_umask_000(window, tmp_path, monkeypatch, suffix):
    """PNG, SVG and PDF are written 0600 even under umask 000, and are complete files."""
    target = tmp_path / f"diagram{suffix}"
    monkeypatch.setattr(window, "ask_export_path", lambda: str(target))
    old = os.umask(0)
    try:
        window.export_action.trigger()
    finally:
        os.umask(old)
    assert window.warnings == []
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_suffix_added_to_the_chosen_name_does_not_replace_a_file(window, tmp_path, monkeypatch):
    """The file dialog confirmed "diagram", not "diagram.png": an existing diagram.png is kept."""
    existing = tmp_path / "diagram.png"
    existing.write_bytes(b"mine")
    monkeypatch.setattr(window, "ask_export_path", lambda: str(tmp_path / "diagram"))
    window.export_action.trigger()
    assert window.warnings and "already exists" in window.warnings[0]
    assert existing.read_bytes() == b"mine"


def test_the_exchange_dialog_refuses_the_lock_file(qtbot, mini_store):
    """The exchange export dialog refuses the database's lock file and keeps it as it was."""
    dialog = ExportExchangeDialog(mini_store)
    qtbot.addWidget(dialog)
    shown: list[str] = []
    dialog.show_error = shown.append
    dialog.open()
    lock = Path(f"{mini_store.location.path}.lock")
    existed = lock.exists()
    before = digest(lock) if existed else None
    dialog.path_edit.setText(str(lock))
    dialog.export_button.click()
    assert shown and "lock file" in shown[0] and dialog.isVisible()
    assert lock.exists() == existed and (digest(lock) if existed else None) == before


def test_the_exchange_dialog_asks_before_replacing_a_typed_name(qtbot, mini_store, tmp_path):
    """A typed-in name of an existing file is replaced only after the question is answered yes."""
    dialog = ExportExchangeDialog(mini_store)
    qtbot.addWidget(dialog)
    asked: list[str] = []
    dialog.confirm_replace = lambda path: asked.append(path) or False
    dialog.open()
    target = tmp_path / "out.json"
    target.write_text("mine")
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    assert asked == [str(target)] and target.read_text() == "mine"


def test_the_bibtex_export_refuses_the_database(qtbot, mini_store):
    from PySide6.QtGui import QUndoStack

    from desktop.sources.window import SourcesWindow

    window = SourcesWindow(mini_store, QUndoStack())
    qtbot.addWidget(window)
    reports: list[str] = []
    window._report = reports.append
    before = digest(mini_store.location.path)
    window.export_file(mini_store.location.path, replace=True)
    assert reports and "database" in reports[0] and digest(mini_store.location.path) == before


@pytest.mark.parametrize(
    "typed",
    [
        f"postgresql://analyst:{PASSWORD}@team-db/q",
        f"postgresql://analyst@team-db/q?password={PASSWORD}",
        f"host=team-db dbname=q password={PASSWORD}",
    ],
)
def test_no_password_form_reaches_the_preferences_file(tmp_path, typed):
    """URL, query and keyword passwords are all left out of the preferences file."""
    path = tmp_path / "settings.ini"
    settings = AppSettings(QSettings(str(path), QSettings.Format.IniFormat))
    settings.database_url = typed
    settings.sync()
    assert PASSWORD not in path.read_text() and PASSWORD not in settings.database_url
    assert "team-db" in settings.database_url


def test_the_preferences_are_owner_only_whatever_the_umask(tmp_path):
    """Under umask 000 the preferences file is 0600 and its folder 0700."""
    path = tmp_path / "config" / "Quadrangle" / "Quadrangle.conf"
    old = os.umask(0)
    try:
        settings = AppSettings(QSettings(str(path), QSettings.Format.IniFormat))
        settings.analyst_name = "Kristin"
        settings.sync()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert "Kristin" in path.read_text()


def test_the_window_title_masks_a_query_password(qtbot, tmp_path, mini_db_path, settings):
    """A location with ?password= (shown before the store is attached) never shows the password."""
    from db import read_startup_snapshot

    snapshot = read_startup_snapshot(str(mini_db_path))
    if snapshot is None:
        pytest.skip("the mini database holds no start-up snapshot")
    window = MainWindow(
        None, settings, StoreEvents(), first_state=snapshot, location_display=f"postgresql://a@db/q?password={PASSWORD}"
    )
    qtbot.addWidget(window)
    assert PASSWORD not in window.windowTitle() and PASSWORD not in window.statusBar().currentMessage()


@pytest.mark.parametrize("folder_name", ["shared", "config"])
def test_a_preferences_file_in_a_shared_folder_leaves_that_folder_alone(tmp_path, folder_name):
    """A preferences file put straight into a folder that is not Quadrangle's own (such as /tmp or
    ~/.config) is made private, and the folder keeps its mode: /tmp was once left 0700 this way."""
    folder = tmp_path / folder_name
    folder.mkdir()
    os.chmod(folder, 0o1777)
    path = folder / "settings.ini"
    settings = AppSettings(QSettings(str(path), QSettings.Format.IniFormat))
    settings.analyst_name = "Kristin"
    settings.sync()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o1777
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_an_existing_quadrangle_folder_is_made_private(tmp_path):
    """Quadrangle's own settings folder made by an older version with the umask's 0755 becomes 0700."""
    folder = tmp_path / "config" / "Quadrangle"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o755)
    AppSettings(QSettings(str(folder / "Quadrangle.conf"), QSettings.Format.IniFormat)).sync()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
