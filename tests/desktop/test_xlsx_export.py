"""Excel workbooks (issue 18 item 8): the comparison table and the lessons as .xlsx wherever CSV is
offered (command line and File menu), marked like the CSV (issue 17), every cell text, never a formula.
Each test reads the workbook back with openpyxl."""

from __future__ import annotations

import zipfile
from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import QSettings

from db import LessonKind, Store
from db.lesson_records import LessonInput
from desktop.cli import main
from desktop.events import StoreEvents
from tests.markings_helpers import AS_OF, CONFIDENTIAL_TEXT, SECRET_TEXTS, add_marked_material

HOSTILE = ('=HYPERLINK("http://x.example","click")', "+1+1", "-2", "@SUM(A1)", "Bell\x07ring")


def _values(path) -> list[list[object]]:
    return [[cell.value for cell in row] for row in openpyxl.load_workbook(path).active.iter_rows()]


def _records(path) -> tuple[str, list[dict[str, object]]]:
    rows = _values(path)
    header = rows[1]
    return str(rows[0][0]), [dict(zip(header, row, strict=True)) for row in rows[2:]]


@pytest.fixture
def marked_db(mini_db_path):
    with Store.open(mini_db_path, actor="tester") as store:
        add_marked_material(store)
    return str(mini_db_path)


def test_the_table_workbook_has_its_marking_first_a_frozen_bold_header_and_a_marking_column(marked_db, tmp_path):
    """`table --format xlsx --out`: banner in A1 and the properties, header bold and frozen, widths set."""
    out = tmp_path / "t.xlsx"
    assert main(["table", "--db", marked_db, "--format", "xlsx", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book.active
    assert sheet["A1"].value == "CONFIDENTIAL" and sheet["A1"].font.b
    assert [c.value for c in sheet[2]][:2] == ["relationship", "phase"] and all(c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["A"].width >= 10 and sheet.column_dimensions["C"].width > 20
    assert book.properties.keywords == "CONFIDENTIAL" and book.properties.subject.startswith("CONFIDENTIAL")
    _, rows = _records(out)
    assert [r["marking"] for r in rows][:1] == ["CONFIDENTIAL"] and len(rows) == len(sheet["A"]) - 2
    limited = tmp_path / "u.xlsx"
    assert (
        main(["table", "--db", marked_db, "--format", "xlsx", "--out", str(limited), "--max-marking", "RESTRICTED"])
        == 0
    )
    banner, rows = _records(limited)
    assert banner == "UNCLASSIFIED" and {r["marking"] for r in rows} == {"UNCLASSIFIED"}


def test_a_workbook_cannot_go_to_standard_output(marked_db, tmp_path, capsys):
    """`table --format xlsx` without --out (or with a name not ending in .xlsx): one line, nothing written."""
    assert main(["table", "--db", marked_db, "--format", "xlsx"]) == 1
    assert "add --out FILE.xlsx" in capsys.readouterr().err
    assert main(["table", "--db", marked_db, "--format", "xlsx", "--out", str(tmp_path / "t.csv")]) == 1
    assert capsys.readouterr().err.count("\n") == 1 and not (tmp_path / "t.csv").exists()


def test_the_lessons_workbook_withholds_above_the_limit(marked_db, tmp_path, capsys):
    """`export-lessons OUT.xlsx --max-marking UNCLASSIFIED`: no withheld lesson, source or theme named."""
    out = tmp_path / "l.xlsx"
    assert main(["export-lessons", "--db", marked_db, str(out), "--as-of", AS_OF.isoformat()]) == 0
    banner, rows = _records(out)
    assert banner == "SECRET" and "SECRET" in {r["marking"] for r in rows}
    limited = tmp_path / "u.xlsx"
    args = ["export-lessons", "--db", marked_db, str(limited), "--max-marking", "UNCLASSIFIED"]
    assert main(args) == 0
    assert "above UNCLASSIFIED left out" in capsys.readouterr().err
    banner, rows = _records(limited)
    assert banner == "UNCLASSIFIED" and {r["marking"] for r in rows} == {"UNCLASSIFIED"}
    text = "\n".join(str(v) for row in _values(limited) for v in row if v)
    assert "Open finding citing a secret source" in text
    assert not [t for t in (*SECRET_TEXTS, CONFIDENTIAL_TEXT) if t in text]


def test_cells_that_look_like_formulas_stay_text(mini_db_path, tmp_path):
    """A finding or recommendation beginning with = + - or @ is a text cell with Excel's quote
    prefix, no formula anywhere in the file (the store strips a leading tab itself); a control character XML cannot hold becomes U+FFFD."""
    with Store.open(mini_db_path, actor="tester") as store:
        rel = store.quadrangle.relationships()[0]
        for n, text in enumerate(HOSTILE):
            store.lessons.add(
                LessonInput(
                    finding=text,
                    kind=LessonKind.CHALLENGE,
                    recorded_on=date(2008, 1, 1 + n),
                    relationship_ids=(rel.id,),
                    theme_keys=("mandate",),
                    recommendation=text,
                )
            )
    out = tmp_path / "h.xlsx"
    assert main(["export-lessons", "--db", str(mini_db_path), str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[2]]
    finding = header.index("finding") + 1
    cells = {
        sheet.cell(row=r, column=finding).value: sheet.cell(row=r, column=finding) for r in range(3, sheet.max_row + 1)
    }
    for text in HOSTILE[:-1]:
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert "Bell\ufffdring" in cells
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_the_file_menu_exports_write_a_workbook_for_an_xlsx_name(qtbot, mini_db_path, tmp_path):
    """File > Export lessons / table: a name ending in .xlsx writes the workbook at the chosen limit."""
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    store = Store.open(mini_db_path, actor="tester")
    add_marked_material(store)
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings, StoreEvents(store))
    qtbot.addWidget(window)
    try:

        def choose(title, name):
            window.briefing.limit = "UNCLASSIFIED"
            return str(tmp_path / name.replace(".csv", ".xlsx"))

        window.briefing.choose_csv_path = choose
        lessons = window.briefing.export_lessons()
        assert lessons is not None and lessons.suffix == ".xlsx"
        banner, rows = _records(lessons)
        assert banner == "UNCLASSIFIED" and rows
        assert not [t for row in _values(lessons) for v in row if v for t in SECRET_TEXTS if t in str(v)]
        table = window.briefing.export_table()
        assert table is not None and _records(table)[0] == "UNCLASSIFIED"
    finally:
        store.close()


def test_table_out_writes_the_csv_as_excel_reads_it(marked_db, tmp_path, capsys):
    """`table --format csv --out FILE`: the same marked CSV as on standard output, with a byte-order mark;
    an existing file is replaced only with --force."""
    out = tmp_path / "t.csv"
    assert main(["table", "--db", marked_db, "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    assert main(["table", "--db", marked_db, "--format", "csv", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfCONFIDENTIAL\r\n") and data.decode("utf-8-sig") == printed
    assert main(["table", "--db", marked_db, "--format", "csv", "--out", str(out)]) == 1
    assert main(["table", "--db", marked_db, "--format", "csv", "--out", str(out), "--force"]) == 0


def test_a_text_longer_than_an_excel_cell_is_cut_visibly(tmp_path):
    """Excel holds at most 32,767 characters in a cell: a longer text ends with a note of how much was
    cut, never silently; the other cells and the marking are untouched."""
    from desktop.briefing.xlsx_export import EXCEL_CELL_LIMIT, Sheet, write_xlsx

    long_text = "x" * 40_000
    sheet = Sheet("Lessons", "RESTRICTED", "RESTRICTED", ("finding", "marking"), ((long_text, "RESTRICTED"),))
    write_xlsx(tmp_path / "long.xlsx", sheet)
    cell = openpyxl.load_workbook(tmp_path / "long.xlsx").active["A3"].value
    assert len(cell) <= EXCEL_CELL_LIMIT and cell.startswith("x" * 30_000)
    kept = cell.index(" [cut: ")
    assert cell[kept:] == f" [cut: {40_000 - kept:,} more characters; the CSV export holds them all]"
