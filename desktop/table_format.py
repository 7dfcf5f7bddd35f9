"""Rendering the comparison table (the report's Figure 2) as text, CSV or JSON for the command line
and exports, each carrying its marking: text between two banner lines, CSV with the banner as its
first line and a marking column, JSON with a `marking` on every row (still an array). Plain Python: no
Qt, so headless commands start fast."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from datetime import date

from db import ComparisonRow, MarkingScheme
from desktop.briefing.csv_export import cell

TEXT_COLUMNS = (("Relationship", 12), ("Phase", 22), ("Motives", 34), ("Cooperation on the ground", 44))
CSV_HEADER = ("relationship", "phase", "motives", "cooperation", "last_assessed", "confidence", "marking")


def row_marking(row: ComparisonRow, scheme: MarkingScheme) -> str:
    """A row's marking: its assessment's, or the lowest level for a row that shows none."""
    return row.marking or scheme.lowest


def table_marking(rows: list[ComparisonRow], scheme: MarkingScheme, requested: str | None = None) -> str:
    """The table's marking: the highest of its rows', raised (never lowered) to `requested`."""
    return scheme.output_marking([row_marking(r, scheme) for r in rows], requested)


def rows_as_json(rows: list[ComparisonRow], scheme: MarkingScheme | None = None) -> str:
    scheme = scheme or MarkingScheme()
    items = [{**row.as_json(), "marking": row_marking(row, scheme)} for row in rows]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def rows_as_csv(rows: list[ComparisonRow], marking: str | None = None, scheme: MarkingScheme | None = None) -> str:
    """The banner (`marking`, default the table's) alone on the first line, then the header and rows."""
    scheme = scheme or MarkingScheme()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as Excel expects
    writer.writerow((scheme.banner(marking or table_marking(rows, scheme)),))
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(cell(value) for value in row_values(row, scheme))  # every column guarded against formulas
    return buffer.getvalue()


def row_values(row: ComparisonRow, scheme: MarkingScheme) -> tuple[str, ...]:
    """A row's cells in CSV_HEADER order (the CSV and the Excel workbook share them)."""
    return (
        row.label,
        row.phase_label,
        "; ".join(row.motives),
        "; ".join(row.cooperation),
        row.last_assessed.isoformat() if row.last_assessed else "",
        row.confidence,
        row_marking(row, scheme),
    )


def rows_as_text(
    rows: list[ComparisonRow],
    title: str = "",
    marking: str | None = None,
    scheme: MarkingScheme | None = None,
    note: str = "",
) -> str:
    """A fixed-width table, wrapped within its columns, one block per relationship, between two
    banner lines (`marking`, default the table's); `note` (what was left out) under the title."""
    scheme = scheme or MarkingScheme()
    banner = scheme.banner(marking or table_marking(rows, scheme))
    lines = [banner, ""]
    if title:
        lines += [title, ""]
    if note:
        lines += [note, ""]
    lines.append("  ".join(name.ljust(width) for name, width in TEXT_COLUMNS).rstrip())
    lines.append("  ".join("-" * width for _, width in TEXT_COLUMNS))
    for row in rows:
        cells = (
            [row.label],
            textwrap.wrap(row.phase_label, TEXT_COLUMNS[1][1]) or [""],
            [m.capitalize() for m in row.motives] or ["—"],
            row.cooperation or ["—"],
        )
        wrapped = [
            [piece for item in cell for piece in (textwrap.wrap(item, width) or [""])]
            for cell, (_, width) in zip(cells, TEXT_COLUMNS, strict=True)
        ]
        for i in range(max(len(c) for c in wrapped)):
            parts = [(c[i] if i < len(c) else "").ljust(w) for c, (_, w) in zip(wrapped, TEXT_COLUMNS, strict=True)]
            lines.append("  ".join(parts).rstrip())
        lines.append("")
    lines.append(banner)
    return "\n".join(lines) + "\n"


def comparison_table_text(
    rows: list[ComparisonRow],
    scheme: MarkingScheme,
    fmt: str,
    *,
    as_of: date | None,
    limit: str | None,
    withheld: int,
    marking: str | None = None,
) -> tuple[str, str]:
    """The comparison table as "text", "csv" or "json" and the marking it carries (the highest of its
    rows', raised to `marking`: ValidationError before any text exists). `as_of` None reads "today" in the
    text's title; `withheld` assessments above `limit` are named under it. The one rendering of the
    `quadrangle table` output, whether its rows came from the store or the start-up snapshot."""
    level = table_marking(rows, scheme, marking)
    if fmt == "json":
        return rows_as_json(rows, scheme), level
    if fmt == "csv":
        return rows_as_csv(rows, level, scheme), level
    when = as_of.isoformat() if as_of else "today"
    note = f"{withheld} assessment(s) above {limit} withheld." if withheld else ""
    title = f"Inter-organizational cooperation as of {when}"
    return rows_as_text(rows, title=title, marking=level, scheme=scheme, note=note), level
