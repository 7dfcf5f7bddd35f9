"""CSV exports that open cleanly in Excel and LibreOffice: UTF-8 with a byte-order mark (or Excel reads
"UN–EU" as "UNâ€“EU"), CRLF line ends (RFC 4180), and every cell that a spreadsheet would run as a
formula (starting with =, +, -, @, a tab or a CR) prefixed with a quote, in every column. Plain Python.

The cell guard and the lesson columns here are shared by the marked exports (desktop/marked_exports.py,
desktop/table_format.py); the comparison report's table (comparison.py) goes through `csv_text`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

LESSON_COLUMNS = (
    "relationships",
    "kind",
    "themes",
    "finding",
    "recommendation",
    "recorded_on",
    "marking",
    "citations",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Keep a spreadsheet from running a value as a formula (a leading quote, as OWASP advises)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text with CRLF line ends, every cell guarded (the header too)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(c) for c in columns])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue()


def write_csv(path: Path, text: str, protect: tuple = ()) -> Path:
    """Write CSV text as UTF-8 with a byte-order mark (so Excel reads it as UTF-8) through the one
    safe writer, never onto a database in `protect`."""
    from desktop.briefing.build import write_atomically

    def write(tmp: Path) -> int:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(text)
        return 0

    write_atomically(Path(path), write, protect)
    return Path(path)
