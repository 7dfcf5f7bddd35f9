"""The Compare dialog's Export button: the comparison report the dialog shows (one relationship between
two dates, or the ticked relationships side by side on one date), as PDF, Word, CSV or Excel by the
file's extension, through the same code as `quadrangle compare` (compare_report.write_report)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from db import QuadrangleError, Store, check_target

FILTERS = "PDF files (*.pdf);;Word documents (*.docx);;CSV files (*.csv);;Excel workbooks (*.xlsx)"
SUFFIXES = (".pdf", ".docx", ".csv", ".xlsx")


def choose_report_path(parent: QWidget, suggestion: str) -> str:
    """Ask where to write; a name without a known extension takes the chosen filter's (PDF by default)."""
    name, chosen = QFileDialog.getSaveFileName(parent, "Export comparison report", suggestion, FILTERS)
    if name and not name.lower().endswith(SUFFIXES):
        name += next((s for s in SUFFIXES if f"*{s})" in chosen), ".pdf")
    return name


def export_report(
    store: Store,
    path: Path,
    *,
    relationships: tuple[str, ...],
    dates: tuple[date, date] | None = None,
    as_of: date | None = None,
    max_marking: str | None = None,
) -> str:
    """Write the report (`dates`: two-date comparison; without: side by side as of `as_of`), never
    onto the open database; returns the sentence to show (what was written, or why not)."""
    from desktop.briefing.compare_report import write_report

    if dates is not None and dates[0] > dates[1]:
        dates = (dates[1], dates[0])
    protect = [store.location.file] if store.location.is_sqlite else []
    try:
        check_target(path, protect=protect, overwrite=True)  # the file dialog has asked about replacing
        pages, marking, note = write_report(
            store,
            Path(path),
            relationships=relationships,
            dates=dates,
            as_of=as_of,
            max_marking=max_marking,
            analyst=store.actor or "",
        )
    except QuadrangleError as exc:
        return str(exc)
    except OSError as exc:
        return f"Cannot write {path}: {exc.strerror or exc}"
    details = ", ".join(part for part in (f"{pages} pages" if pages else "", marking, note) if part)
    return f"Wrote {path} ({details})."
