"""File > Backups..., Help > Check database, the automatic backup and the start-up recovery prompts."""

from __future__ import annotations

import argparse
import sqlite3
import uuid

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoCommand

from db import DatabaseInUseError, Store
from desktop.backups import AutoBackup, BackupsDialog, CheckDatabaseDialog
from desktop.backups.startup import open_with_recovery
from desktop.backups.table_model import BackupsTableModel, Column
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings
from tests.db.safety_helpers import checkpoint, corrupt, draft


@pytest.fixture
def window(qtbot, mini_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(mini_store, settings, StoreEvents(mini_store))
    qtbot.addWidget(win)
    return win


def _history_ids(store: Store) -> set[str]:
    return {v.id for v in store.assessments.history(store.quadrangle.relationships()[0].id)}


def test_backups_table_model_passes_the_model_tester(qtmodeltester, mini_store):
    """The model behaves as Qt expects, with a row per backup and its reason shown as text."""
    mini_store.safety.take_backup("manual")
    model = BackupsTableModel()
    model.set_backups(mini_store.safety.backups())
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert {model.index(r, Column.REASON).data() for r in range(2)} == {"manual", "on open"}


def test_the_menus_open_the_backups_and_check_dialogs(window, qtbot):
    """File > Backups... and Help > Check database are in the window's menus and open their dialogs."""
    backups_action = next(a for a in window.file_menu.actions() if a.objectName() == "backupsAction")
    check_action = next(a for a in window.help_menu.actions() if a.objectName() == "checkDatabaseAction")
    assert window.file_menu.actions()[-1].text() == "&Quit"
    backups_action.trigger()
    dialog = window.findChild(BackupsDialog)
    assert dialog is not None and dialog.isVisible()
    check_action.trigger()
    check = window.findChild(CheckDatabaseDialog)
    assert check.summary.text().startswith("No problems found")


def test_back_up_now_adds_a_row(window, qtbot):
    """Clicking "Back up now" takes a verified backup and lists it."""
    dialog = BackupsDialog(window.store, window)
    qtbot.addWidget(dialog)
    dialog.open()
    rows = dialog.model.rowCount()
    with qtbot.waitSignal(dialog.backed_up):
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == rows + 1
    assert [b.reason for b in window.store.safety.backups()].count("manual") == 1
    dialog.grab().save("/tmp/safety_backups_dialog.png")


def test_back_up_now_on_a_server_database_says_so(window, qtbot, monkeypatch):
    """A store that takes no file backup (a server database) gets a message, not a crash or a signal."""
    dialog = BackupsDialog(window.store, window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(window.store.safety, "take_backup", lambda reason: None)
    with qtbot.assertNotEmitted(dialog.backed_up):
        dialog.back_up_now()
    assert dialog.message.text() == "A server database is backed up by its own tools."


def test_restore_backs_up_first_restores_and_refreshes(window, qtbot):
    """Restore... (confirmed) puts the selected backup back, keeps the state before, clears undo, refreshes."""
    store = window.store
    rel = store.quadrangle.relationships()[0]
    backup = store.safety.take_backup("manual")
    later = store.assessments.save(draft(rel.id, 3))
    window.undo_stack.push(QUndoCommand("save"))
    dialog = BackupsDialog(store, window)
    qtbot.addWidget(dialog)
    dialog.open()
    asked = []
    dialog.confirm = lambda title, text: asked.append(text) or True
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.backup_at(r).path == backup)
    dialog.view.selectRow(row)
    with qtbot.waitSignal(dialog.restored):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert asked and "backed up first" in asked[0]
    assert later.id not in _history_ids(store)
    assert "before restore" in [b.reason for b in store.safety.backups()]
    assert "The state before it is kept as" in dialog.message.text()
    assert window.undo_stack.count() == 0


def test_declining_the_restore_changes_nothing(window, qtbot):
    """If the user says no, nothing is restored and no backup is taken."""
    store = window.store
    store.safety.take_backup("manual")
    later = store.assessments.save(draft(store.quadrangle.relationships()[0].id, 3))
    dialog = BackupsDialog(store, window)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda title, text: False
    dialog.view.selectRow(0)
    count = len(store.safety.backups())
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert later.id in _history_ids(store) and len(store.safety.backups()) == count


def test_check_dialog_reports_and_repairs(qtbot, mini_store):
    """The check dialog lists an orphaned citation in words; Repair backs up, fixes it, and shows it is clean."""
    source_id = mini_store.sources.all()[0].id
    c = sqlite3.connect(mini_store.location.path, isolation_level=None)
    c.execute("PRAGMA foreign_keys=OFF")
    c.execute(
        "INSERT INTO citations (id, source_id, locator, quote, position, lesson_id) VALUES (?, ?, '', '', 0, ?)",
        (str(uuid.uuid4()), source_id, str(uuid.uuid4())),
    )
    c.close()
    dialog = CheckDatabaseDialog(mini_store)
    qtbot.addWidget(dialog)
    assert dialog.summary.text().startswith("1 problem(s)")
    assert "refers to a lesson that no longer exists" in dialog.details.toPlainText()
    assert dialog.repair_button.isEnabled()
    qtbot.mouseClick(dialog.repair_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith("No problems found")
    assert "Backed up to" in dialog.details.toPlainText()
    assert not dialog.repair_button.isEnabled()


def test_auto_backup_only_when_something_changed(qtbot, mini_store):
    """The 30-minute tick backs up after a change, and not again until the next change."""
    auto = AutoBackup(mini_store, StoreEvents(mini_store))
    assert auto.timer.interval() == 30 * 60 * 1000 and auto.timer.isActive()
    count = len(mini_store.safety.backups())
    auto.tick()
    assert len(mini_store.safety.backups()) == count
    mini_store.assessments.save(draft(mini_store.quadrangle.relationships()[0].id, 1))
    with qtbot.waitSignal(auto.backed_up):
        auto.tick()
    assert [b.reason for b in mini_store.safety.backups()].count("auto") == 1
    auto.tick()
    assert [b.reason for b in mini_store.safety.backups()].count("auto") == 1
    auto.detach()


def _open(args, **options):
    return Store.open(args.db, actor="t", **options)


def test_a_database_in_use_is_offered_read_only(mini_store):
    """When another Quadrangle writes the file, the user is asked and gets a read-only store on yes."""
    args = argparse.Namespace(db=str(mini_store.location.path))
    with pytest.raises(DatabaseInUseError):
        open_with_recovery(args, _open, lambda title, text: False)
    asked = []
    store = open_with_recovery(args, _open, lambda title, text: asked.append(text) or True)
    try:
        assert store.read_only and "read-only" in asked[0]
    finally:
        store.close()


def test_a_damaged_database_is_offered_its_newest_good_backup(mini_db_path):
    """A damaged file prompts for the newest good backup; yes puts it in place and keeps the damaged file aside."""
    Store.open(mini_db_path, actor="t").close()
    checkpoint(mini_db_path)
    corrupt(mini_db_path)
    args = argparse.Namespace(db=str(mini_db_path))
    store = open_with_recovery(args, _open, lambda title, text: "newest good backup" in text)
    try:
        assert store.safety.check() == [] and not store.read_only
    finally:
        store.close()
    assert list((mini_db_path.parent / "damaged").iterdir())


def test_hostile_file_names_are_shown_as_plain_text(qtbot, mini_db_path, tmp_path):
    """A database named with markup is shown literally in the dialogs, never rendered as HTML."""
    hostile = tmp_path / '<img src="x.png"><b>bold&amp;.db'
    mini_db_path.rename(hostile)
    with Store.open(hostile, actor="t") as store:
        dialog = BackupsDialog(store)
        qtbot.addWidget(dialog)
        dialog.back_up_now()
        assert dialog.message.textFormat() == Qt.TextFormat.PlainText
        assert '<img src="x.png"><b>bold&amp;' in dialog.message.text()
        check = CheckDatabaseDialog(store)
        qtbot.addWidget(check)
        assert check.summary.textFormat() == Qt.TextFormat.PlainText
        assert "<b>bold&amp;.db" in check.summary.text()


def test_the_window_takes_the_opening_backup_after_its_first_paint(qtbot, mini_db_path, tmp_path):
    """The app opens without the backup (to paint sooner); the window takes it right after, from the event loop."""
    store = open_with_recovery(argparse.Namespace(db=str(mini_db_path)), _open, lambda *_: False)
    try:
        assert store.safety.backups() == [] and store.backup_on_open_skipped
        settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(store, settings, StoreEvents(store))
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.auto_backup.backed_up):
            window.show()
        assert [b.reason for b in store.safety.backups()] == ["on open"]
    finally:
        store.close()


def test_a_database_that_cannot_be_written_is_offered_read_only(mini_db_path):
    """A read-only folder (no lock file possible) leads to the same read-only offer."""
    from db import DatabaseNotWritableError

    def opener(args, **options):
        if not options.get("read_only"):
            raise DatabaseNotWritableError("Cannot create the lock file: Read-only file system.")
        return _open(args, **options)

    titles = []
    store = open_with_recovery(argparse.Namespace(db=str(mini_db_path)), opener, lambda t, _: titles.append(t) or True)
    try:
        assert store.read_only and titles == ["Database cannot be written"]
    finally:
        store.close()
