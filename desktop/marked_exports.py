"""The text exports that carry a marking and honour a limit: the comparison table (text, CSV, JSON),
the lessons CSV and the sources (BibTeX). Each reads `db.view_as_of` (the one filter), computes its
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
from desktop.table_format import comparison_table_text

if TYPE_CHECKING:
    from db import Store


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
    wanted = [store.quadrangle.find_relationship(key).id for key in relationships]
    view = view_as_of(store, as_of, max_marking)
    labels = {r.relationship.id: r.relationship.label for r in view.state.relationships}
    theme_names = {t.key: t.name for t in store.catalog.themes()}
    lessons = [lesson for lesson in view.lessons if not wanted or any(r in wanted for r in lesson.relationship_ids)]
    scheme = view.scheme
    contained = [lesson.marking for lesson in lessons] + view.cited_source_markings(lessons)
    level = scheme.output_marking(contained, marking)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as Excel expects
    writer.writerow((scheme.banner(level),))
    writer.writerow(LESSON_COLUMNS)
    for lesson in lessons:
        writer.writerow(
            cell(value)  # every column guarded against formulas, not only the free text
            for value in (
                "; ".join(labels[r] for r in lesson.relationship_ids if r in labels),
                lesson.kind.value,
                "; ".join(theme_names.get(k, k) for k in lesson.theme_keys),
                lesson.finding,
                lesson.recommendation,
                lesson.recorded_on.isoformat(),
                lesson.marking,
                "; ".join(c.text for c in lesson.citations),
            )
        )
    return MarkedText(buffer.getvalue(), level, view, ("lessons",))


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
