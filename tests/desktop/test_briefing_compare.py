"""Comparison reports: `quadrangle compare --from --to OUT` (PDF, Word or CSV by extension) and the
Compare dialog's Export button."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from docx import Document as WordDocument

from db import ValidationError
from desktop.briefing.comparison import gather_comparison
from desktop.events import StoreEvents
from tests.desktop.briefing_helpers import body_text, page_texts, split_pages

DATES = "30 June 2004 → 31 December 2007"


def test_compare_pdf_has_both_diagrams_the_table_and_the_evidence(qapp, default_db_path, tmp_path, capsys):
    """Mid-2004 (UN–EU in start-up, before its maintenance) against 2007: changed phases marked, both dates' diagrams, milestones, operations and lessons between."""
    from desktop.cli import main

    out = tmp_path / "c.pdf"
    assert main(["--db", str(default_db_path), "compare", "--from", "2004-06-30", "--to", "2007-12-31", str(out)]) == 0
    assert "pages, UNCLASSIFIED)" in capsys.readouterr().out
    pages = page_texts(out)
    split_pages(pages, dates=DATES)
    text = body_text(out, dates=DATES)
    assert "1 What changed" in text and "Phase then Phase now" in text
    assert "UN–EU Start-up Maintenance" in text
    assert "NATO–AU not assessed" in text
    assert any("Quadrangle as of 2004-06-30" in p for p in pages)
    assert any("Quadrangle as of 2007-12-31" in p for p in pages)
    assert "4 Evidence in between" in text and "EUFOR RD Congo" in text
    assert "No relationship moved back" in text or "reversal" in text


def test_compare_csv_and_docx(qapp, default_db_path, tmp_path):
    """The CSV has its marking alone on the first line, then one row per relationship with then, now, what
    changed and its marking; the Word file the same table."""
    from desktop.cli import main

    assert (
        main(
            [
                "--db",
                str(default_db_path),
                "compare",
                "--from",
                "2004-06-30",
                "--to",
                "2007-12-31",
                str(tmp_path / "c.csv"),
            ]
        )
        == 0
    )
    data = (tmp_path / "c.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    banner, rest = data.decode("utf-8-sig").split("\r\n", 1)
    assert banner == "UNCLASSIFIED"
    rows = list(csv.DictReader(io.StringIO(rest, newline="")))
    un_eu = next(r for r in rows if r["relationship"] == "UN–EU")
    assert (un_eu["phase_then"], un_eu["phase_now"]) == ("Start-up", "Maintenance") and "phase" in un_eu["changed"]
    assert {r["marking"] for r in rows} == {"UNCLASSIFIED"}
    assert len(rows) == 6
    assert (
        main(
            [
                "--db",
                str(default_db_path),
                "compare",
                "--from",
                "2004-06-30",
                "--to",
                "2007-12-31",
                str(tmp_path / "c.docx"),
            ]
        )
        == 0
    )
    word = WordDocument(str(tmp_path / "c.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "1  What changed" in headings and "4  Evidence in between" in headings
    assert word.tables[0].rows[0].cells[1].text == "Phase then"


def test_compare_refuses_dates_in_the_wrong_order(default_store):
    """--from must be before --to."""
    with pytest.raises(ValidationError, match="is not before"):
        gather_comparison(default_store, date(2007, 1, 1), date(2006, 1, 1))


def test_compare_command_refuses_bad_dates_and_extensions(default_db_path, tmp_path, capsys):
    """The command ends in one line and writes nothing for equal dates or an unknown extension."""
    from desktop.cli import main

    assert (
        main(
            [
                "--db",
                str(default_db_path),
                "compare",
                "--from",
                "2007-01-01",
                "--to",
                "2007-01-01",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 1
    )
    assert (
        main(
            [
                "--db",
                str(default_db_path),
                "compare",
                "--from",
                "2001-01-01",
                "--to",
                "2007-01-01",
                str(tmp_path / "x.txt"),
            ]
        )
        == 1
    )
    assert "must end in .pdf or .docx or .csv or .xlsx" in capsys.readouterr().err
    assert list(tmp_path.glob("x.*")) == [] and list(tmp_path.glob(".briefing-*")) == []


def test_compare_dialog_exports_the_report(qtbot, default_store, tmp_path):
    """The Compare dialog's Export button writes the report of its relationship between its two dates."""
    from desktop.assessments.compare import CompareDialog

    un_eu = default_store.quadrangle.find_relationship("UN-EU")
    dialog = CompareDialog(default_store, StoreEvents(default_store), un_eu.id)
    qtbot.addWidget(dialog)
    dialog.compare_dates(date(2004, 6, 30), date(2007, 12, 31))
    target = tmp_path / "d.pdf"
    dialog.choose_report_path = lambda suggestion: str(target)
    dialog.export_button.click()
    assert target.is_file() and dialog.summary_label.text().startswith(f"Wrote {target}")
    text = body_text(target, dates=DATES)
    assert "UN–EU Start-up Maintenance" in text and "NATO–EU" not in text.split("4 Evidence in between")[0]


def test_compare_xlsx_is_the_csv_table_as_text_cells(qapp, default_db_path, tmp_path):
    """OUT.xlsx: the banner in A1, the bold frozen header, the same rows as the CSV, all as text."""
    import openpyxl

    from desktop.cli import main

    for suffix in ("csv", "xlsx"):
        args = ["--db", str(default_db_path), "compare", "--from", "2004-06-30", "--to", "2007-12-31"]
        assert main([*args, str(tmp_path / f"c.{suffix}")]) == 0
    _, rest = (tmp_path / "c.csv").read_text(encoding="utf-8-sig").split("\n", 1)
    expected = [[v or None for v in row] for row in csv.reader(io.StringIO(rest.replace("\r", ""), newline=""))]
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "UNCLASSIFIED" and rows[1:] == expected
    assert sheet.freeze_panes == "A3" and sheet["A2"].font.b
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value is not None)
    assert book.properties.keywords == "UNCLASSIFIED" and "comparison report" in book.properties.subject
