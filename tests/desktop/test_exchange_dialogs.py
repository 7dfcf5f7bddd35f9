"""The exchange dialogs driven like a user would: export with a selection, and the import wizard's preview,
side-by-side conflict view and choices, asserted through the store."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from db import ExchangeChoice, Store
from desktop.events import StoreEvents
from desktop.exchange.export_dialog import ExportExchangeDialog
from desktop.exchange.import_dialog import ImportExchangeDialog
from desktop.exchange.summary_model import ExchangeSummaryTableModel
from tests.db.exchange_helpers import edit_lesson, snapshot

SHOTS = Path(os.environ.get("QUADRANGLE_SCREENSHOTS", "/tmp/quadrangle-screens"))


def _grab(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def pair(mini_db_path, tmp_path):
    target = tmp_path / "bob.db"
    shutil.copyfile(mini_db_path, target)
    connection = sqlite3.connect(target)
    connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
    connection.commit()
    connection.close()
    alice = Store.open(mini_db_path, actor="alice")
    bob = Store.open(target, actor="bob")
    yield alice, bob
    alice.close()
    bob.close()


def _conflict_file(alice, bob, tmp_path) -> tuple[str, Path]:
    lesson = alice.lessons.all()[0].id
    alice.exchange.export(tmp_path / "a0.json")
    bob.exchange.import_file(tmp_path / "a0.json")
    edit_lesson(
        alice,
        lesson,
        finding="Alice: <b>not bold</b> and a longer finding about mandates",
        recommendation="Alice's advice",
    )
    edit_lesson(bob, lesson, finding="Bob: his own wording of the finding")
    alice.exchange.export(tmp_path / "a1.json")
    return lesson, tmp_path / "a1.json"


def test_export_dialog_writes_the_selection(qtbot, default_store, tmp_path):
    """Unticking "all", keeping one relationship and a marking limit writes only that relationship's records."""
    dialog = ExportExchangeDialog(default_store, folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.all_relationships.setChecked(False)
    for row in range(dialog.relationship_list.count()):
        item = dialog.relationship_list.item(row)
        item.setCheckState(Qt.CheckState.Checked if item.text() == "UN–EU" else Qt.CheckState.Unchecked)
    dialog.marking_combo.setCurrentIndex(dialog.marking_combo.findData("UNCLASSIFIED"))
    dialog.path_edit.setText(str(tmp_path / "out.json"))
    _grab(dialog, "export-dialog")
    with qtbot.waitSignal(dialog.exported) as signal:
        dialog.export_button.click()
    manifest = signal.args[0]
    assert manifest.relationships == ("UN-EU",) and manifest.max_marking == "UNCLASSIFIED"
    preview = default_store.exchange.preview(tmp_path / "out.json")
    un_eu = default_store.quadrangle.find_relationship("UN-EU").id
    sent = {v.id for v in preview.summary("assessment_versions").items}
    history = default_store.assessments.history(un_eu)
    assert sent == {v.id for v in history if v.marking == "UNCLASSIFIED"} and sent  # UN–EU's, and only those


def test_export_dialog_reports_an_unwritable_folder(qtbot, mini_store, tmp_path):
    """A path in a missing folder shows the store's one-line reason and keeps the dialog open."""
    dialog = ExportExchangeDialog(mini_store)
    qtbot.addWidget(dialog)
    shown = []
    dialog.show_error = shown.append
    dialog.open()
    dialog.path_edit.setText(str(tmp_path / "missing" / "out.json"))
    dialog.export_button.click()
    assert shown and "Cannot write" in shown[0] and dialog.isVisible()


@pytest.mark.parametrize("choice", list(ExchangeChoice))
def test_import_wizard_resolves_a_conflict(qtbot, pair, tmp_path, choice):
    """The preview counts per kind, the conflict page shows theirs and mine side by side, and the chosen
    button decides what the store holds afterwards."""
    alice, bob = pair
    lesson, path = _conflict_file(alice, bob, tmp_path)
    dialog = ImportExchangeDialog(bob, path)
    qtbot.addWidget(dialog)
    dialog.open()
    assert (
        dialog.summary_model.rowCount() > 0 and dialog.next_button.isVisible() and not dialog.import_button.isVisible()
    )
    if choice == ExchangeChoice.THEIRS:
        _grab(dialog, "import-preview")
    dialog.next_button.click()
    assert dialog.conflict_list.count() == 1 and not dialog.import_button.isEnabled()
    table = dialog.field_table
    rows = {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())
    }
    assert rows["Finding"] == (
        "Alice: <b>not bold</b> and a longer finding about mandates",
        "Bob: his own wording of the finding",
    )
    assert dialog.both_radio.isEnabled()
    {
        ExchangeChoice.THEIRS: dialog.theirs_radio,
        ExchangeChoice.MINE: dialog.mine_radio,
        ExchangeChoice.BOTH: dialog.both_radio,
    }[choice].click()
    assert dialog.import_button.isEnabled()
    if choice == ExchangeChoice.BOTH:
        _grab(dialog, "import-conflict")
    with qtbot.waitSignal(dialog.imported) as signal:
        dialog.import_button.click()
    assert signal.args[0].backup_path is not None or choice == ExchangeChoice.MINE
    findings = sorted(x.finding for x in bob.lessons.all())
    expected = {
        ExchangeChoice.THEIRS: ["Alice: <b>not bold</b> and a longer finding about mandates"],
        ExchangeChoice.MINE: ["Bob: his own wording of the finding"],
        ExchangeChoice.BOTH: [
            "Alice: <b>not bold</b> and a longer finding about mandates",
            "Bob: his own wording of the finding",
        ],
    }[choice]
    assert findings == expected
    assert "Imported" in dialog.result_label.text() or "nothing was written" in dialog.result_label.text()


def test_import_wizard_shows_a_bad_file_and_writes_nothing(qtbot, mini_store, tmp_path):
    """A tampered file shows its one-line reason as plain text, with no Import button."""
    path = tmp_path / "a.json"
    mini_store.exchange.export(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace('"finding": "f"', '"finding": "<i>x</i>"'), encoding="utf-8"
    )
    before = snapshot(mini_store.location.path)
    dialog = ImportExchangeDialog(mini_store, path)
    qtbot.addWidget(dialog)
    dialog.open()
    _grab(dialog, "import-refused")
    assert "checksum" in dialog.header_label.text() and not dialog.import_button.isVisible()
    assert dialog.header_label.textFormat() == Qt.TextFormat.PlainText
    assert snapshot(mini_store.location.path) == before


def test_import_wizard_without_conflicts_imports_at_once(qtbot, pair, tmp_path):
    """With only new items, the first page's Import adds them."""
    alice, bob = pair
    from tests.db.exchange_helpers import add_lesson

    added = add_lesson(alice, alice.quadrangle.relationships()[0].id, "a new lesson")
    alice.exchange.export(tmp_path / "a.json")
    dialog = ImportExchangeDialog(bob, tmp_path / "a.json")
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.next_button.isVisible() and dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported):
        dialog.import_button.click()
    _grab(dialog, "import-done")
    assert added in {x.id for x in bob.lessons.all()}
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in dialog.findChildren(QLabel))


def test_summary_model_passes_the_model_tester(qtmodeltester, pair, tmp_path):
    """The preview's table model keeps Qt's model contract."""
    alice, bob = pair
    alice.exchange.export(tmp_path / "a.json")
    model = ExchangeSummaryTableModel()
    model.set_summaries(bob.exchange.preview(tmp_path / "a.json").kinds)
    qtmodeltester.check(model)
    assert model.rowCount() == 10


def test_main_window_file_menu_has_the_exchange_actions(qtbot, mini_store):
    """install_exchange adds Export for exchange... and Import exchange file... to the File menu."""
    from PySide6.QtCore import QSettings

    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    window = MainWindow(mini_store, AppSettings(QSettings("QuadrangleTests", "exchange")), StoreEvents(mini_store))
    qtbot.addWidget(window)
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts[:2] == ["Export for e&xchange...", "&Import exchange file..."]
    window.export_exchange_action.trigger()
    dialog = window.findChild(ExportExchangeDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_export_dialog_can_send_only_some_operations_lessons(qtbot, default_store, tmp_path):
    """Ticking one operation sends that operation's lessons and no assessment."""
    dialog = ExportExchangeDialog(default_store, folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.all_operations.setChecked(False)
    assert dialog.operation_list.isEnabled()
    for row in range(dialog.operation_list.count()):
        item = dialog.operation_list.item(row)
        item.setCheckState(Qt.CheckState.Checked if item.text().startswith("Artemis —") else Qt.CheckState.Unchecked)
    dialog.path_edit.setText(str(tmp_path / "artemis.json"))
    with qtbot.waitSignal(dialog.exported) as signal:
        dialog.export_button.click()
    counts = dict(signal.args[0].counts)
    artemis = next(o for o in default_store.operations.all() if o.acronym == "Artemis")
    assert counts["assessment_versions"] == 0
    assert (
        counts["lessons"] == sum(1 for lesson in default_store.lessons.all() if lesson.operation_id == artemis.id) > 0
    )
