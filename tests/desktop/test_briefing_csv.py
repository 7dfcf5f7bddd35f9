"""Excel-friendly CSV: UTF-8 with a byte-order mark, CRLF line ends, every cell guarded against formulas."""

from __future__ import annotations

import csv
import io
from datetime import date

from desktop.briefing.csv_export import cell, csv_text, write_csv
from desktop.marked_exports import lessons_export, table_export
from tests.desktop.briefing_helpers import lesson, store_with_lessons


def test_every_formula_start_is_guarded_in_every_column():
    """=, +, -, @, tab and CR at the start of any cell get a leading quote; other text is untouched."""
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert cell(start + "1+1") == "'" + start + "1+1"
    assert cell("UN–EU") == "UN–EU" and cell(None) == "" and cell(3) == "3"
    text = csv_text(("a", "=b"), [("-2", "@SUM(A1)", "plain")])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["a", "'=b"], ["'-2", "'@SUM(A1)", "plain"]]
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")


def test_file_has_bom_and_crlf_so_excel_reads_the_dash(tmp_path):
    """The written file starts with the UTF-8 byte-order mark and ends rows with CRLF."""
    path = write_csv(tmp_path / "t.csv", csv_text(("relationship",), [("UN–EU",)]))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert data[3:].decode("utf-8") == "relationship\r\nUN–EU\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_lessons_and_table_guard_all_columns(tmp_path):
    """A lesson whose every field could be a formula is exported quoted in all of them."""
    extra = lesson('=HYPERLINK("x")', key="f", recommendation="+CMD|' /C calc'!A0")
    store = store_with_lessons(tmp_path, [extra])
    with store:
        lessons_text = lessons_export(store, date(2007, 12, 31)).text.split("\r\n", 1)[1]  # after the banner
        rows = list(csv.DictReader(io.StringIO(lessons_text, newline="")))
        table = list(csv.reader(io.StringIO(table_export(store).text, newline="")))[1:]  # after the banner
    row = next(r for r in rows if "HYPERLINK" in r["finding"])
    assert row["finding"] == '\'=HYPERLINK("x")' and row["recommendation"].startswith("'+CMD")
    assert all(not value.startswith(("=", "+", "-", "@")) for r in rows for value in r.values())
    assert table[0][0] == "relationship" and len(table) == 7
