"""The export dialog, its worker thread and the File menu's export actions, driven as a user would."""

from __future__ import annotations

import csv
import io
from datetime import date

from PySide6.QtCore import Qt, QTimer

from desktop.briefing.content import BriefingOptions
from desktop.briefing.dialog import BriefingDialog
from desktop.briefing.worker import BriefingExportThread
from desktop.events import StoreEvents
from tests.desktop.briefing_helpers import lesson, page_texts, store_with_lessons


def test_preview_shows_what_is_included_and_left_out(qtbot, tmp_path):
    """Choosing a marking limit updates the preview with the lessons left out and the marking."""
    store = store_with_lessons(tmp_path, [lesson("Restricted finding QQQ", key="r1", marking="RESTRICTED")])
    with store:
        dialog = BriefingDialog(store, as_of=date(2007, 12, 31), folder=str(tmp_path))
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitUntil(lambda: "Overall marking: RESTRICTED" in dialog.preview.toPlainText())
        dialog.max_marking.setCurrentText("UNCLASSIFIED")
        qtbot.waitUntil(lambda: "Left out (above UNCLASSIFIED): 1 lessons" in dialog.preview.toPlainText())
        assert "Overall marking: UNCLASSIFIED" in dialog.preview.toPlainText()
        for row in range(dialog.relationship_list.count()):
            dialog.relationship_list.item(row).setCheckState(Qt.CheckState.Unchecked)
        qtbot.waitUntil(lambda: not dialog.export_button.isEnabled())
        assert dialog.preview.toPlainText() == "Choose at least one relationship."


def test_export_runs_off_the_interface_thread(qtbot, default_store, tmp_path):
    """Export writes the PDF from a worker while the interface keeps handling events."""
    dialog = BriefingDialog(default_store, as_of=date(2007, 12, 31), folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.path_edit.setText(str(tmp_path / "out.pdf"))
    dialog.relationship_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    ticks = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    ticks_when_done = []
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.export_thread is not None and dialog.cancel_button.text() == "Cancel"
    dialog.export_thread.succeeded.connect(lambda *_: ticks_when_done.append(len(ticks)))
    qtbot.waitUntil(lambda: dialog.export_thread is None, timeout=60_000)
    timer.stop()
    assert ticks_when_done and ticks_when_done[0] > 0
    assert dialog.status.text().startswith(f"Wrote {tmp_path / 'out.pdf'}")
    pages = page_texts(tmp_path / "out.pdf")
    assert "UN–EU" not in pages[1] and "NATO–EU" in pages[1]
    assert dialog.cancel_button.text() == "Close" and dialog.export_button.isEnabled()


def test_cancel_button_stops_the_export(qtbot, default_store, tmp_path):
    """Cancel while exporting asks the worker to stop; a cancelled export leaves no file."""
    dialog = BriefingDialog(default_store, as_of=date(2007, 12, 31), folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.path_edit.setText(str(tmp_path / "cancelled.pdf"))
    dialog.start_export()
    thread = dialog.export_thread
    outcomes = []
    thread.cancelled.connect(lambda: outcomes.append("cancelled"))
    thread.succeeded.connect(lambda *_: outcomes.append("written"))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert thread._cancel.is_set() and dialog.status.text() == "Cancelling…"
    qtbot.waitUntil(lambda: dialog.export_thread is None, timeout=60_000)
    if outcomes == ["cancelled"]:
        assert not (tmp_path / "cancelled.pdf").exists()
        assert dialog.status.text() == "Export cancelled; no file was written."
    else:  # the worker finished its last page before it looked at the flag
        assert outcomes == ["written"]


def test_cancelled_worker_writes_nothing(qtbot, default_store, tmp_path):
    """A worker cancelled before it starts reports cancelled and leaves no file or temporary file."""
    folder = tmp_path / "out"
    folder.mkdir()
    thread = BriefingExportThread(default_store, BriefingOptions(as_of=date(2007, 12, 31)), folder / "x.pdf", None)
    thread.cancel()
    with qtbot.waitSignal(thread.cancelled, timeout=30_000):
        thread.start()
    thread.wait()
    assert list(folder.iterdir()) == []


def test_file_menu_exports_table_and_lessons_as_csv(qtbot, default_store, tmp_path):
    """The main window's File menu has the three exports; the CSV actions write what the store holds."""
    from PySide6.QtCore import QSettings

    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.as_of = date(2007, 12, 31)
    names = [a.text() for a in window.file_menu.actions() if a.text()]
    first = names.index("Export &briefing…")
    assert names[first - 1 : first + 3] == [
        "&Export diagram...",
        "Export &briefing…",
        "Export &table (CSV or Excel)…",
        "Export &lessons (CSV or Excel)…",
    ]
    assert names[-1] == "&Quit"
    assert window.briefing.briefing_action.shortcut().toString() == "Ctrl+P"

    window.briefing.choose_csv_path = lambda title, name: str(tmp_path / name)
    window.briefing.table_action.trigger()
    text = (tmp_path / "comparison-2007-12-31.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text  # Excel reads UTF-8 with a byte-order mark (issue 18)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["UNCLASSIFIED"]  # the marking first (issue 17)
    assert rows[1][:2] == ["relationship", "phase"]
    assert [r[0] for r in rows[2:]] == [r.label for r in default_store.quadrangle.comparison_table(date(2007, 12, 31))]

    window.briefing.lessons_action.trigger()
    lines = (tmp_path / "lessons-2007-12-31.csv").read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    assert lines[0] == "UNCLASSIFIED\r\n"
    rows = list(csv.DictReader(io.StringIO("".join(lines[1:]))))
    assert len(rows) == len(default_store.lessons.all())
    assert {r["finding"] for r in rows} == {item.finding for item in default_store.lessons.all()}
    assert settings.last_export_folder == str(tmp_path)

    window.briefing.briefing_action.trigger()
    dialog = window.briefing.dialog
    assert dialog.isVisible() and dialog.as_of_edit.date().year() == 2007
    dialog.reject()


def test_lessons_csv_neutralises_formulas(tmp_path, capsys):
    """A lesson starting with "=" is exported with a leading quote so a spreadsheet shows it as text."""
    from desktop.cli import main

    store = store_with_lessons(tmp_path, [lesson('=HYPERLINK("x")', key="formula")])
    store.close()
    assert main(["--db", str(tmp_path / "extra.db"), "export-lessons", "--relationships", "UN-EU"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "UNCLASSIFIED"  # the marking first (issue 17)
    rows = list(csv.DictReader(io.StringIO(out.split("\n", 1)[1])))
    assert '\'=HYPERLINK("x")' in [r["finding"] for r in rows]
    assert all(r["relationships"].startswith("UN–EU") for r in rows)


def test_dialog_writes_word_without_annex_when_unticked(qtbot, default_store, tmp_path):
    """Unticking the annex and naming a .docx file writes the Word briefing without Annex A; the
    review interval goes into the options."""
    from docx import Document as WordDocument

    dialog = BriefingDialog(default_store, as_of=date(2007, 12, 31), folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.annex_check.isChecked() and dialog.options().annex
    dialog.annex_check.setChecked(False)
    dialog.review_months.setValue(6)
    assert not dialog.options().annex and dialog.options().review_months == 6
    dialog.path_edit.setText(str(tmp_path / "out.docx"))
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.export_thread is None, timeout=60_000)
    assert dialog.status.text() == f"Wrote {tmp_path / 'out.docx'}."
    headings = [p.text for p in WordDocument(str(tmp_path / "out.docx")).paragraphs if p.style.name == "Heading 1"]
    assert "1  Key judgements" in headings and not any("Annex" in h for h in headings)
