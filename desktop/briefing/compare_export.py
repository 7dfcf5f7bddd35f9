"""The Compare dialog's Export button: the comparison report of one relationship between the two
dates (or the two versions' dates) the dialog shows, as PDF, Word or CSV by the file's extension."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from db import QuadrangleError, Store
from desktop.briefing.content import BriefingOptions

FILTERS = "PDF files (*.pdf);;Word documents (*.docx);;CSV files (*.csv)"


def choose_report_path(parent: QWidget, suggestion: str) -> str:
    name, _ = QFileDialog.getSaveFileName(parent, "Export comparison report", suggestion, FILTERS)
    if name and not name.lower().endswith((".pdf", ".docx", ".csv")):
        name += ".pdf"
    return name


def export_comparison(store: Store, relationship_key: str, start: date, end: date, path: Path) -> str:
    """Write the report; returns the sentence to show (what was written, or why not)."""
    from desktop.briefing.comparison import write_comparison
    from desktop.briefing.diagram import diagram_svg

    if start > end:
        start, end = end, start
    try:
        pages, content = write_comparison(
            store,
            start,
            end,
            Path(path),
            options=BriefingOptions(relationships=(relationship_key,)),
            diagram=diagram_svg,
        )
    except QuadrangleError as exc:
        return str(exc)
    except OSError as exc:
        return f"Cannot write {path}: {exc.strerror or exc}"
    return f"Wrote {path}" + (f" ({pages} pages, {content.marking})." if pages else f" ({content.marking}).")
