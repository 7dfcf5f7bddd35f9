"""The text exports that carry a marking and honour a limit: the comparison table (text, CSV, JSON, and
an Excel sheet), the lessons CSV (and Excel sheet) and the sources (BibTeX). Each reads `db.view_as_of` (the one filter), computes its
own marking from what it prints, raised but never lowered by a requested one, and returns the text
with what was left out. Plain Python: the command line and the window share it.

A requested marking or limit that is not exactly a level is refused (ValidationError, one line)
before any text exists, so nothing is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from db import MarkedView, comparison_rows, view_as_of
from desktop.briefing.csv_export import LESSON_COLUMNS, cell
from desktop.table_format import CSV_HEADER, comparison_table_text, row_values, table_marking

if TYPE_CHECKING:
    from db import LessonRecord, Store
    from desktop.briefing.xlsx_export import Sheet


@dataclass(frozen=True)
class MarkedText:
    """An export's text, the marking it carries and the view it was made from (its `left_out`)."""

    text: str
    marking: str
    view: MarkedView
    kinds: tuple[str, ...] = ()  # what this output could have held (for the note)

    @property
    def note(self) -> str:
        """What this output left out, e.g. "2 lessons, 1 citation above RESTRICTED left out"."""
        return self.view.left_out_note(self.kinds)


def table_export(
    store: Store,
    as_of: date | None = None,
    fmt: str = "csv",
    *,
    max_marking: str | None = None,
    marking: str | None = None,
) -> MarkedText:
    """The comparison table as "text", "csv" or "json", as of `as_of`, up to `max_marking`."""
    view = view_as_of(store, as_of, max_marking)
    text, level = comparison_table_text(
        comparison_rows(view.state),
        view.scheme,
        fmt,
        as_of=as_of,
        limit=view.limit,
        withheld=view.left_out.get("assessments", 0),
        marking=marking,
    )
    return MarkedText(text, level, view, ("assessments",))


def lessons_export(
    store: Store,
    as_of: date | None = None,
    *,
    relationships: tuple[str, ...] = (),
    max_marking: str | None = None,
    marking: str | None = None,
) -> MarkedText:
    """The lessons recorded by `as_of` up to `max_marking` as CSV: the banner alone on the first line,
    then one row per lesson with its marking; citations of withheld sources are dropped, and a theme
    only withheld lessons carry is never named. `relationships` ("UN-EU"...) narrows the rows."""
    view, lessons, level, values = _lesson_selection(store, as_of, relationships, max_marking, marking)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as Excel expects
    writer.writerow((view.scheme.banner(level),))
    writer.writerow(LESSON_COLUMNS)
    for lesson in lessons:
        writer.writerow(cell(value) for value in values(lesson))  # every column guarded, not only free text
    return MarkedText(buffer.getvalue(), level, view, ("lessons",))


def _lesson_selection(store: Store, as_of, relationships, max_marking, marking):
    """The lessons an export holds, its marking and a function giving a lesson's LESSON_COLUMNS cells."""
    wanted = [store.quadrangle.find_relationship(key).id for key in relationships]
    view = view_as_of(store, as_of, max_marking)
    labels = {r.relationship.id: r.relationship.label for r in view.state.relationships}
    theme_names = {t.key: t.name for t in store.catalog.themes()}
    lessons = [lesson for lesson in view.lessons if not wanted or any(r in wanted for r in lesson.relationship_ids)]
    contained = [lesson.marking for lesson in lessons] + view.cited_source_markings(lessons)
    level = view.scheme.output_marking(contained, marking)

    def values(lesson: LessonRecord) -> tuple[str, ...]:
        return (
            "; ".join(labels[r] for r in lesson.relationship_ids if r in labels),
            lesson.kind.value,
            "; ".join(theme_names.get(k, k) for k in lesson.theme_keys),
            lesson.finding,
            lesson.recommendation,
            lesson.recorded_on.isoformat(),
            lesson.marking,
            "; ".join(c.text for c in lesson.citations),
        )

    return view, lessons, level, values


def lessons_sheet(
    store: Store,
    as_of: date | None = None,
    *,
    relationships: tuple[str, ...] = (),
    max_marking: str | None = None,
    marking: str | None = None,
) -> tuple[Sheet, MarkedText]:
    """The lessons of `lessons_export` as an Excel sheet (the same selection, marking and columns);
    the MarkedText (its text empty) carries the marking and what was left out."""
    from desktop.briefing.xlsx_export import Sheet

    view, lessons, level, values = _lesson_selection(store, as_of, relationships, max_marking, marking)
    when = view.as_of.isoformat()
    sheet = Sheet(
        title="Lessons",
        banner=view.scheme.banner(level),
        marking=level,
        columns=LESSON_COLUMNS,
        rows=tuple(values(lesson) for lesson in lessons),
        subject=f"{level} lessons recorded by {when}",
    )
    return sheet, MarkedText("", level, view, ("lessons",))


def table_sheet(
    store: Store, as_of: date | None = None, *, max_marking: str | None = None, marking: str | None = None
) -> tuple[Sheet, MarkedText]:
    """The comparison table of `table_export` as an Excel sheet (the CSV's columns and marking)."""
    from desktop.briefing.xlsx_export import Sheet

    view = view_as_of(store, as_of, max_marking)
    rows = comparison_rows(view.state)
    level = table_marking(rows, view.scheme, marking)
    sheet = Sheet(
        title="Comparison table",
        banner=view.scheme.banner(level),
        marking=level,
        columns=CSV_HEADER,
        rows=tuple(row_values(row, view.scheme) for row in rows),
        subject=f"{level} comparison table as of {view.as_of.isoformat()}",
    )
    return sheet, MarkedText("", level, view, ("assessments",))


def sources_export(
    store: Store, fmt: str = "bibtex", *, max_marking: str | None = None, marking: str | None = None
) -> MarkedText:
    """The sources library up to `max_marking` as "bibtex", "ris" or "csl-json" text, marked: the
    banner in the file's own place (a BibTeX @comment first and last; RIS and CSL-JSON, which have no
    header, carry it on every record). Sources above the limit are left out and counted."""
    view = view_as_of(store, None, max_marking)
    scheme = view.scheme
    level = scheme.output_marking([s.marking for s in view.sources], marking)
    banner = scheme.banner(level)
    if fmt != "bibtex":
        text = store.references.export_text(fmt, [source.id for source in view.sources], marking=banner)
        return MarkedText(text, level, view, ("sources",))
    # BibTeX: the banner first and last, and each entry after its own (portion) marking.
    mark = f"@comment{{Marking: {banner}}}\n"
    entries = [
        f"@comment{{Marking: {source.marking}}}\n{store.references.export_text(fmt, [source.id], marking='').strip()}\n"
        for source in sorted(view.sources, key=lambda s: s.key)
    ]
    text = mark + "\n" + "\n".join(entries) + ("\n" if entries else "") + mark
    return MarkedText(text, level, view, ("sources",))
