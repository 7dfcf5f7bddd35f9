"""The Compare dialog: "Highest marking to include" (starting at the window's view ceiling) filters what
it shows and exports; "Relationships side by side" shows any ticked relationships on one date; Export
writes PDF, Word, CSV or Excel through the same code as `quadrangle compare`."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from docx import Document as WordDocument
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from db import EventKind, Store
from desktop.assessments.compare import CompareDialog
from desktop.events import StoreEvents
from tests.desktop.briefing_helpers import body_text
from tests.markings_helpers import AS_OF, CONFIDENTIAL_TEXT, SECRET_TEXTS, add_marked_material


def _window_with_ceiling(qtbot, ceiling):
    """A stand-in main window: the dialog reads only its `markings.ceiling`."""
    window = QWidget()
    window.markings = SimpleNamespace(ceiling=ceiling)  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    return window


def _cells(model) -> list[str]:
    return [str(model.index(r, c).data() or "") for r in range(model.rowCount()) for c in range(model.columnCount())]


@pytest.fixture
def marked(mini_db_path):
    store = Store.open(mini_db_path, actor="tester")
    ids = add_marked_material(store)
    yield store, ids
    store.close()


def test_the_dialog_starts_at_the_window_ceiling_and_shows_nothing_above_it(qtbot, marked):
    """Ceiling RESTRICTED: the CONFIDENTIAL version is not offered, the dates view shows the older one."""
    store, ids = marked
    window = _window_with_ceiling(qtbot, "RESTRICTED")
    dialog = CompareDialog(store, StoreEvents(store), ids["relationship"], parent=window)
    assert dialog.limit_combo.currentText() == "RESTRICTED" and dialog.max_marking == "RESTRICTED"
    offered = [dialog.before_combo.itemData(i) for i in range(dialog.before_combo.count())]
    assert ids["version"] not in offered
    dialog.compare_dates(date(2007, 1, 1), AS_OF)
    shown = "\n".join(_cells(dialog.model))
    assert CONFIDENTIAL_TEXT not in shown and "Secretauthor" not in shown
    dialog.limit_combo.setCurrentIndex(dialog.limit_combo.findText("Everything"))
    assert CONFIDENTIAL_TEXT in "\n".join(_cells(dialog.model))
    assert ids["version"] in [dialog.after_combo.itemData(i) for i in range(dialog.after_combo.count())]


@pytest.mark.parametrize("suffix", ["pdf", "xlsx"])
def test_the_dialog_exports_at_its_limit(qtbot, marked, tmp_path, suffix):
    """Export of the two-date view at RESTRICTED: marked UNCLASSIFIED, nothing of the withheld items."""
    store, ids = marked
    window = _window_with_ceiling(qtbot, "RESTRICTED")
    dialog = CompareDialog(store, StoreEvents(store), ids["relationship"], parent=window)
    dialog.compare_dates(date(2007, 1, 1), AS_OF)
    target = tmp_path / f"d.{suffix}"
    dialog.choose_report_path = lambda suggestion: str(target)
    dialog.export_button.click()
    assert dialog.summary_label.text().startswith(f"Wrote {target}") and "UNCLASSIFIED" in dialog.summary_label.text()
    if suffix == "pdf":
        text = body_text(target, dates=r"[^ ]+ \w+ \d{4} → [^ ]+ \w+ \d{4}")
    else:
        sheet = openpyxl.load_workbook(target).active
        assert sheet["A1"].value == "UNCLASSIFIED"
        text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert not [t for t in (*SECRET_TEXTS, CONFIDENTIAL_TEXT) if t in text]


def test_relationships_side_by_side_in_the_dialog_and_its_export(qtbot, default_store, tmp_path):
    """Tick UN–EU and NATO–EU on 31 December 2007: both side by side on screen, and in Word and Excel."""
    un_eu = default_store.quadrangle.find_relationship("UN-EU")
    dialog = CompareDialog(default_store, StoreEvents(default_store), un_eu.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.side_by_side.chosen_keys() == ("UN-EU",)  # its own relationship ticked to start with
    dialog.compare_relationships(("UN-EU", "NATO-EU"), date(2007, 12, 31))
    assert not dialog.table.isVisible() and dialog.side_by_side.isVisible()
    model = dialog.side_by_side.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Field", "UN–EU", "NATO–EU"]  # in the list's order
    cells = _cells(model)
    assert "Maintenance" in "".join(cells) and "2 relationship(s) as of 2007-12-31" in dialog.summary_label.text()
    dialog.grab().save(str(tmp_path / "compare-side-by-side.png"))
    for suffix in ("docx", "xlsx"):
        target = tmp_path / f"s.{suffix}"
        dialog.choose_report_path = lambda suggestion, target=target: str(target)
        dialog.export_button.click()
        assert dialog.summary_label.text().startswith(f"Wrote {target}")
    word = WordDocument(str(tmp_path / "s.docx"))
    assert [c.text for c in word.tables[0].rows[0].cells][1:] == ["UN–EU", "NATO–EU"]
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    assert [sheet.cell(row=r, column=1).value for r in (3, 4)] == ["UN–EU", "NATO–EU"]


def test_side_by_side_with_nothing_ticked_says_so_and_writes_nothing(qtbot, default_store, tmp_path):
    """No relationship ticked: a sentence saying what to do, and Export asks for no file."""
    un_eu = default_store.quadrangle.find_relationship("UN-EU")
    dialog = CompareDialog(default_store, StoreEvents(default_store), un_eu.id)
    qtbot.addWidget(dialog)
    dialog.compare_relationships(())
    assert dialog.summary_label.text() == "Tick the relationships to compare side by side."
    dialog.choose_report_path = lambda suggestion: pytest.fail("no file should be asked for")
    dialog.export_button.click()
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_new_limit_or_a_save_keeps_the_chosen_dates(qtbot, marked):
    """Changing "Highest marking to include" (or another window saving a version) re-reads the
    versions but leaves the two dates the user picked."""
    store, ids = marked
    window = _window_with_ceiling(qtbot, None)
    events = StoreEvents(store)
    dialog = CompareDialog(store, events, ids["relationship"], parent=window)
    dialog.compare_dates(date(2005, 3, 1), AS_OF)
    dialog.limit_combo.setCurrentIndex(dialog.limit_combo.findText("UNCLASSIFIED"))
    dialog._versions_changed(EventKind.ASSESSMENTS, ())
    assert (dialog.before_date.date().toString("yyyy-MM-dd"), dialog.after_date.date().toString("yyyy-MM-dd")) == (
        "2005-03-01",
        AS_OF.isoformat(),
    )
    assert CONFIDENTIAL_TEXT not in "\n".join(_cells(dialog.model))


def test_file_export_comparison_reports_on_every_relationship(qtbot, default_store, tmp_path):
    """File > Export comparison…: the dialog on two dates a year apart ending on the window's date, and
    its Export writes the two-date report of the whole quadrangle."""
    import csv
    import io

    from PySide6.QtCore import QSettings

    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.as_of = date(2007, 12, 31)
    assert window.briefing.comparison_action in window.file_menu.actions()
    dialog = window.briefing.open_comparison()
    qtbot.addWidget(dialog)
    assert dialog.dates_radio.isChecked() and dialog.every_relationship_check.isChecked()
    assert dialog.before_date.date().toString("yyyy-MM-dd") == "2006-12-31"
    target = tmp_path / "all.csv"
    dialog.choose_report_path = lambda suggestion: str(target)
    dialog.export_button.click()
    assert dialog.summary_label.text().startswith(f"Wrote {target}")
    _, rest = target.read_text(encoding="utf-8-sig").split("\n", 1)
    rows = list(csv.DictReader(io.StringIO(rest)))
    assert len(rows) == len(default_store.quadrangle.relationships()) == 6
