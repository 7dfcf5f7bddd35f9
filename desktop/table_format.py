"""Rendering the comparison table (the report's Figure 2) as text, CSV or JSON for the command line
and exports. Plain Python: no Qt, so headless commands start fast."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from db import ComparisonRow

TEXT_COLUMNS = (("Relationship", 12), ("Phase", 22), ("Motives", 34), ("Cooperation on the ground", 44))
CSV_HEADER = ("relationship", "phase", "motives", "cooperation", "last_assessed", "confidence")


def rows_as_json(rows: list[ComparisonRow]) -> str:
    return json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2) + "\n"


def rows_as_csv(rows: list[ComparisonRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            (
                row.label,
                row.phase_label,
                "; ".join(row.motives),
                "; ".join(row.cooperation),
                row.last_assessed.isoformat() if row.last_assessed else "",
                row.confidence,
            )
        )
    return buffer.getvalue()


def rows_as_text(rows: list[ComparisonRow], title: str = "") -> str:
    """A fixed-width table, wrapped within its columns, one block per relationship."""
    lines = [title, ""] if title else []
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
    return "\n".join(lines)
