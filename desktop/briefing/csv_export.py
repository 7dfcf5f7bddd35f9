"""CSV exports that open cleanly in Excel and LibreOffice: UTF-8 with a byte-order mark (or Excel reads
"UN–EU" as "UNâ€“EU"), CRLF line ends (RFC 4180), and every cell that a spreadsheet would run as a
formula (starting with =, +, -, @, a tab or a CR) prefixed with a quote, in every column. Plain Python.

The lessons as the briefing filters them, the comparison table as on screen, and the comparison
report's table (comparison.py) all go through `csv_text`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from desktop.briefing.content import BriefingContent

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
TABLE_COLUMNS = ("relationship", "phase", "motives", "cooperation", "last_assessed", "confidence")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Keep a spreadsheet from running a value as a formula (a leading quote, as OWASP advises)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


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


def lessons_as_csv(content: BriefingContent) -> str:
    """Every lesson the briefing includes (each once, even when it concerns several relationships)."""
    labels = {s.state.relationship.id: s.label for s in content.sections}
    seen: set[str] = set()
    rows = []
    for section in content.sections:
        for _, lessons in section.lessons_by_theme:
            for lesson in lessons:
                if lesson.id in seen:
                    continue
                seen.add(lesson.id)
                rows.append(
                    (
                        "; ".join(labels[r] for r in lesson.relationship_ids if r in labels),
                        lesson.kind.value,
                        "; ".join(content.theme_names.get(k, k) for k in lesson.theme_keys),
                        lesson.finding,
                        lesson.recommendation,
                        lesson.recorded_on.isoformat(),
                        lesson.marking,
                        "; ".join(c.text for c in lesson.citations),
                    )
                )
    return csv_text(LESSON_COLUMNS, rows)


def comparison_rows_csv(rows) -> str:
    """The comparison table (ComparisonRow records) as on screen."""
    return csv_text(
        TABLE_COLUMNS,
        (
            (
                row.label,
                row.phase_label,
                "; ".join(row.motives),
                "; ".join(row.cooperation),
                row.last_assessed.isoformat() if row.last_assessed else "",
                row.confidence,
            )
            for row in rows
        ),
    )
