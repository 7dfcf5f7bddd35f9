"""The lessons as CSV, for spreadsheets: one row per lesson, filtered like the briefing. Plain Python.

The comparison table's CSV is desktop.table_format.rows_as_csv (also `quadrangle table --format csv`).
"""

from __future__ import annotations

import csv
import io

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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Keep a spreadsheet from running user text as a formula (a leading quote, as OWASP advises)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def lessons_as_csv(content: BriefingContent) -> str:
    """Every lesson the briefing includes (each once, even when it concerns several relationships)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LESSON_COLUMNS)
    labels = {s.state.relationship.id: s.label for s in content.sections}
    seen: set[str] = set()
    for section in content.sections:
        for _, lessons in section.lessons_by_theme:
            for lesson in lessons:
                if lesson.id in seen:
                    continue
                seen.add(lesson.id)
                writer.writerow(
                    (
                        "; ".join(labels[r] for r in lesson.relationship_ids if r in labels),
                        lesson.kind.value,
                        "; ".join(content.theme_names.get(k, k) for k in lesson.theme_keys),
                        cell(lesson.finding),
                        cell(lesson.recommendation),
                        lesson.recorded_on.isoformat(),
                        lesson.marking,
                        "; ".join(c.text for c in lesson.citations),
                    )
                )
    return buffer.getvalue()
