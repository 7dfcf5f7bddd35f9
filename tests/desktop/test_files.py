"""Files from the window: New, Open (Ctrl+O), Open recent, a dropped .db, a bad file offering the
chooser again, the read-only marker, and Open / Show in folder after an export."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from db import DatabaseOpenError, Store
from desktop.events import StoreEvents
from desktop.files import FilesFeature
from desktop.files.startup import open_or_choose
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


def _window(qtbot, store, tmp_path) -> MainWindow:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings, StoreEvents(store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, default_store, tmp_path):
    return _window(qtbot, default_store, tmp_path)


@pytest.fixture
def launched(window, monkeypatch) -> list[str]:
    calls: list[str] = []
    warnings: list[str] = []
    monkeypatch.setattr(window.files_feature, "launch", calls.append)
    monkeypatch.setattr(window.files_feature, "warn", warnings.append)
    window.files_feature.warnings = warnings  # type: ignore[attr-defined]
    return calls


def test_ctrl_o_refuses_a_bad_file_and_offers_the_chooser_again(qtbot, window, launched, tmp_path, mini_db_path):
    """A text file is refused with the reason, the chooser comes back, and the good file opens in a new window."""
    bad = tmp_path / "notes.db"
    bad.write_text("not a database")
    answers = iter([str(bad), str(mini_db_path)])
    window.files_feature.ask_open_path = lambda: next(answers)
    assert window.files_feature.open_action.shortcut().toString() == "Ctrl+O"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert launched == [str(mini_db_path)]
    assert len(window.files_feature.warnings) == 1 and "not a Quadrangle database" in window.files_feature.warnings[0]
    assert window.settings.recent_databases[0] == str(mini_db_path)


def test_open_recent_lists_the_last_databases(window, launched, mini_db_path):
    """A database opened once is in File > Open recent; choosing it opens it again; the current one is not listed."""
    window.files_feature.open_path(str(mini_db_path))
    menu = window.files_feature.recent_menu
    menu.aboutToShow.emit()
    entries = [a.data() for a in menu.actions()]
    assert entries == [str(mini_db_path)]
    menu.actions()[0].trigger()
    assert launched == [str(mini_db_path), str(mini_db_path)]


def test_new_database_starts_quadrangle_on_a_new_file(window, launched, tmp_path):
    """File > New database… launches Quadrangle on the chosen new file; an existing file is refused."""
    target = tmp_path / "sahel.db"
    window.files_feature.ask_new_path = lambda: str(target)
    window.files_feature.new_action.trigger()
    assert launched == [str(target)]
    target.write_bytes(b"")
    window.files_feature.new_action.trigger()
    assert launched == [str(target)] and "already exists" in window.files_feature.warnings[-1]


def test_launch_runs_this_quadrangle_on_the_file(window, monkeypatch, tmp_path):
    """The new window is this interpreter's `quadrangle --db FILE`, the path passed as one argument."""
    seen = {}
    monkeypatch.setattr("subprocess.Popen", lambda argv, **kw: seen.setdefault("argv", argv))
    FilesFeature.launch(window.files_feature, str(tmp_path / "a b.db"))
    assert seen["argv"] == [sys.executable, "-m", "desktop.cli", "--db", str(tmp_path / "a b.db")]


def test_dropping_a_db_file_opens_it(window, launched, mini_db_path):
    """Dragging a .db onto the window is accepted; dropping it opens it; other files are not accepted."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(mini_db_path))])
    enter = QDragEnterEvent(
        QPoint(50, 50), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    assert launched == [str(mini_db_path)]
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(Path(mini_db_path).with_suffix(".txt")))])
    refused = QDragEnterEvent(
        QPoint(50, 50), Qt.DropAction.CopyAction, other, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    refused.ignore()
    QApplication.sendEvent(window, refused)
    assert launched == [str(mini_db_path)]


def test_read_only_is_shown_in_title_and_status_bar(qtbot, mini_db_path, tmp_path):
    """A database opened read-only says so in the window title and in the status bar."""
    store = Store.open(mini_db_path, read_only=True, backup_on_open=False)
    try:
        window = _window(qtbot, store, tmp_path)
        assert window.windowTitle().endswith("— read-only")
        label = window.statusBar().findChild(QLabel, "readOnlyLabel")
        assert label is not None and label.isVisible() and label.text() == "Read-only"
        window.close()
    finally:
        store.close()


def test_a_writable_database_has_no_read_only_marker(window):
    """The marker is only there when it is true."""
    assert "read-only" not in window.windowTitle()
    assert window.statusBar().findChild(QLabel, "readOnlyLabel") is None


def test_after_an_export_open_and_show_in_folder(qtbot, window, monkeypatch, tmp_path):
    """Exporting the diagram offers Open (the file) and Show in folder (its folder)."""
    target = tmp_path / "diagram.png"
    monkeypatch.setattr(window, "ask_export_path", lambda: str(target))
    opened: list[QUrl] = []
    monkeypatch.setattr(window.files_feature, "open_url", lambda url: opened.append(url) or True)
    window.export_action.trigger()
    box = window.findChild(QMessageBox, "exportedBox")
    assert box is not None and str(target) in box.text()
    buttons = {b.text().replace("&", ""): b for b in box.buttons()}
    qtbot.mouseClick(buttons["Open"], Qt.MouseButton.LeftButton)
    assert opened[-1] == QUrl.fromLocalFile(str(target))
    window.files_feature.show_exported(target)
    box = [b for b in window.findChildren(QMessageBox, "exportedBox") if b.isVisible()][-1]
    folder = next(b for b in box.buttons() if "folder" in b.text())
    qtbot.mouseClick(folder, Qt.MouseButton.LeftButton)
    assert opened[-1] == QUrl.fromLocalFile(str(tmp_path))


def test_a_refused_file_at_start_up_offers_the_chooser_again():
    """At start-up a refusal is shown, the chooser offered, and the chosen file opened; cancelling re-raises."""
    targets = ["bad.db"]
    warned: list[str] = []

    def open_once() -> str:
        if targets[-1] == "bad.db":
            raise DatabaseOpenError("bad.db is not a Quadrangle database (not an SQLite file): choose another file.")
        return f"store on {targets[-1]}"

    result = open_or_choose(open_once, targets.append, lambda _reason: "good.db", warned.append)
    assert result == "store on good.db" and len(warned) == 1
    targets.append("bad.db")
    with pytest.raises(DatabaseOpenError):
        open_or_choose(open_once, targets.append, lambda _reason: None, warned.append)


def test_the_database_actions_sit_together_in_the_file_menu(window):
    """New, Open and Open recent are one group, just above Add organization."""
    texts = [a.text() for a in window.file_menu.actions()]
    start = texts.index("&New database…")
    assert texts[start : start + 3] == ["&New database…", "&Open database…", "Open &recent"]
    assert texts[start + 4] == window.add_organization_action.text()
