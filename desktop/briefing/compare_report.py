"""One entry point for every comparison report, shared by `quadrangle compare` and the Compare dialog:
two dates (comparison.py) or relationships side by side on one date (side_by_side.py), written as
PDF, Word, CSV or Excel by the file's extension, marked and limited the same way. Plain Python."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db import Store
from desktop.briefing.content import BriefingOptions

FORMATS = (".pdf", ".docx", ".csv", ".xlsx")


def write_report(
    store: Store,
    path: Path,
    *,
    relationships: tuple[str, ...] = (),
    dates: tuple[date, date] | None = None,
    as_of: date | None = None,
    max_marking: str | None = None,
    paper: str = "a4",
    analyst: str = "",
) -> tuple[int, str, str]:
    """With `dates` (earlier, later): the two-date comparison of `relationships` (all when empty);
    without: `relationships` side by side as of `as_of`. Returns (pages, 0 for CSV, Word and Excel;
    the marking the file carries; what was left out above `max_marking`, "" when nothing was).
    Raises ValidationError (nothing written) or OSError."""
    if dates is None:
        from desktop.briefing.side_by_side import write_side_by_side

        pages, side = write_side_by_side(
            store,
            relationships,
            Path(path),
            as_of,
            max_marking=max_marking,
            analyst=analyst,
            paper=paper,
        )
        return pages, side.marking, side.note
    from desktop.briefing.comparison import write_comparison
    from desktop.briefing.diagram import diagram_svg

    options = BriefingOptions(relationships=relationships, max_marking=max_marking, paper=paper, analyst=analyst)
    pages, comparison = write_comparison(store, dates[0], dates[1], Path(path), options=options, diagram=diagram_svg)
    after = comparison.after
    note = f"{after.left_out_total} item(s) above {after.max_marking} left out" if after.left_out_total else ""
    return pages, comparison.marking, note
