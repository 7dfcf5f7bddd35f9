"""Relationships side by side (issue 18 item 3): `quadrangle compare --relationships "UN-EU,NATO-EU"
[--as-of DATE] OUT` as PDF, Word, CSV and Excel, Figure 2 style with the rationales, marked and
limited like every other output (issue 17)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from docx import Document as WordDocument

from db import Store
from desktop.cli import main
from tests.desktop.briefing_helpers import body_text
from tests.markings_helpers import AS_OF, CONFIDENTIAL_TEXT, SECRET_TEXTS, add_marked_material

SIDE_DATES = r"As of [^ ]+ \w+ \d{4}"


def _compare(db: str, out, *extra: str) -> int:
    return main(["--db", db, "compare", *extra, str(out)])


def _word_text(path) -> str:
    word = WordDocument(str(path))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def _csv_rows(path) -> tuple[str, list[dict[str, str]]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    text = data.decode("utf-8-sig")
    banner, rest = text.split("\r\n", 1)
    return banner, list(csv.DictReader(io.StringIO(rest, newline="")))


def test_side_by_side_pdf_shows_each_relationship_with_its_rationales(qapp, default_db_path, tmp_path, capsys):
    """Phase, confidence and motive weights in columns side by side, then each motive's rationale."""
    out = tmp_path / "s.pdf"
    assert _compare(str(default_db_path), out, "--relationships", "UN-EU, eu/nato", "--as-of", "2007-12-31") == 0
    assert "pages, UNCLASSIFIED)" in capsys.readouterr().out
    text = body_text(out, dates=SIDE_DATES)
    assert "Relationships side by side" in text and "UN–EU, NATO–EU on 31 December 2007" in text
    assert "UN–EU NATO–EU Phase Maintenance Maintenance Confidence High High" in text
    assert "Resource dependence 3 3" in text
    rationales = text.split("2 Rationales", 1)[1]
    assert rationales.index("UN–EU") < rationales.index("NATO–EU")
    assert "Resource dependence (3): UN peacekeeping capacity is overstretched" in rationales
    assert "UN–AU" not in text


def test_side_by_side_word_csv_and_excel_hold_the_same_rows(qapp, default_db_path, tmp_path):
    """Word has the grid and the rationales; CSV and Excel one row per chosen relationship, in order."""
    db = str(default_db_path)
    for suffix in ("docx", "csv", "xlsx"):
        assert _compare(db, tmp_path / f"s.{suffix}", "--relationships", "NATO-EU,UN-EU", "--as-of", "2007-12-31") == 0
    word = _word_text(tmp_path / "s.docx")
    assert "Resource dependence (3): UN peacekeeping capacity is overstretched" in word
    assert WordDocument(str(tmp_path / "s.docx")).tables[0].rows[0].cells[1].text == "NATO–EU"
    banner, rows = _csv_rows(tmp_path / "s.csv")
    assert banner == "UNCLASSIFIED"
    assert [r["relationship"] for r in rows] == ["NATO–EU", "UN–EU"]
    un_eu = rows[1]
    assert (un_eu["phase"], un_eu["confidence"], un_eu["resource_dependence_weight"]) == ("Maintenance", "High", "3")
    assert un_eu["resource_dependence_rationale"].startswith("UN peacekeeping capacity is overstretched")
    assert un_eu["marking"] == "UNCLASSIFIED"
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "UNCLASSIFIED"
    header = values[1]
    assert [dict(zip(header, v, strict=True))["relationship"] for v in values[2:]] == ["NATO–EU", "UN–EU"]
    assert dict(zip(header, values[3], strict=True)) == {k: (v or None) for k, v in un_eu.items()}


@pytest.fixture
def marked_db(mini_db_path):
    with Store.open(mini_db_path, actor="tester") as store:
        ids = add_marked_material(store)
        key = store.quadrangle.relationship(ids["relationship"]).key
    return str(mini_db_path), key


@pytest.mark.parametrize("suffix", ["pdf", "docx", "csv", "xlsx"])
def test_side_by_side_carries_its_marking_and_withholds_above_the_limit(qapp, marked_db, tmp_path, suffix, capsys):
    """Unlimited: the CONFIDENTIAL version citing a SECRET source makes it SECRET; at RESTRICTED the older
    UNCLASSIFIED version is shown instead, nothing of the withheld one remains, and it says so."""
    db, key = marked_db
    as_of = AS_OF.isoformat()
    full, limited = tmp_path / f"full.{suffix}", tmp_path / f"limited.{suffix}"
    assert _compare(db, full, "--relationships", key, "--as-of", as_of) == 0
    assert "SECRET" in capsys.readouterr().out
    assert _compare(db, limited, "--relationships", key, "--as-of", as_of, "--max-marking", "RESTRICTED") == 0
    said = capsys.readouterr().out
    assert "UNCLASSIFIED, 1 assessment above RESTRICTED left out" in said

    def text(path, marking):
        if suffix == "pdf":
            return body_text(path, marking=marking, dates=SIDE_DATES)
        if suffix == "docx":
            word = WordDocument(str(path))
            assert word.sections[0].header.paragraphs[0].text == marking
            assert word.core_properties.subject.startswith(marking)
            return _word_text(path)
        if suffix == "csv":
            banner, rows = _csv_rows(path)
            assert banner == marking and rows[-1]["marking"] == marking
            return path.read_text(encoding="utf-8-sig")
        book = openpyxl.load_workbook(path)
        assert book.active["A1"].value == marking and book.properties.keywords == marking
        return "\n".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)

    secret = text(full, "SECRET")
    assert CONFIDENTIAL_TEXT in secret and "Secretauthor" in secret
    if suffix in ("pdf", "docx"):  # the portion mark before the assessment's facts
        assert "(CONFIDENTIAL) " in secret
    kept = text(limited, "UNCLASSIFIED")
    assert CONFIDENTIAL_TEXT not in kept
    assert not [t for t in SECRET_TEXTS if t in kept]


def test_side_by_side_refusals_write_nothing(default_db_path, tmp_path, capsys):
    """Unknown relationships, mixed modes and a limit that is not a level: one line, exit 1, no file."""
    db = str(default_db_path)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "x.pdf"
    cases = [
        (("--relationships", "UN-XX"), "No relationship 'UN-XX'"),
        (("--relationships", " , "), "give --from and --to (two dates), or --relationships"),
        (("--from", "2004-01-01"), "give both --from and --to"),
        (("--from", "2004-01-01", "--to", "2007-01-01", "--as-of", "2007-01-01"), "--as-of is for a side-by-side"),
        (("--relationships", "UN-EU", "--max-marking", "UNCLASSIFIED\u200b"), "quadrangle: "),
    ]
    for extra, message in cases:
        assert _compare(db, out, *extra) == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
    assert _compare(db, folder / "x.txt", "--relationships", "UN-EU") == 1
    assert "must end in .pdf or .docx or .csv or .xlsx" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_the_two_date_report_says_what_it_left_out(qapp, marked_db, tmp_path, capsys):
    """`compare --from --to --max-marking RESTRICTED`: the lead counts what was left out, none of it shows."""
    db, _ = marked_db
    out = tmp_path / "c.pdf"
    args = ["--from", "2007-01-01", "--to", AS_OF.isoformat(), "--max-marking", "RESTRICTED"]
    assert _compare(db, out, *args) == 0
    assert "left out" in capsys.readouterr().out
    text = body_text(out, dates=r"[^ ]+ \w+ \d{4} → [^ ]+ \w+ \d{4}")
    assert "above RESTRICTED left out (1 assessment, 1 citation, 1 lesson)." in text
    assert CONFIDENTIAL_TEXT not in text and not [t for t in SECRET_TEXTS if t in text]
    assert "Withheld: the assessment in force is marked above the limit, so no change is shown." in text
    assert _compare(db, tmp_path / "c.csv", *args) == 0
    banner, rows = _csv_rows(tmp_path / "c.csv")
    withheld = next(r for r in rows if r["phase_now"] == "withheld")
    assert banner == "UNCLASSIFIED" and withheld["changed"] == "unknown (withheld)"
