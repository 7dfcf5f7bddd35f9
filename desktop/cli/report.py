"""`quadrangle report`: write the briefing PDF as of a date, without opening the window."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import add_db_option, parse_day
from desktop.output import add_force_option, check_output, write_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the briefing PDF",
        description="Write the briefing PDF: cover, contents, summary, diagram, tables, one section per "
        "relationship, cross-cutting lessons, changes and sources.",
    )
    parser.add_argument("out", metavar="OUT.pdf", type=Path, help="the PDF file to write")
    add_db_option(parser)
    parser.add_argument("--as-of", type=parse_day, metavar="YYYY-MM-DD", help="the date described (default today)")
    parser.add_argument("--since", type=parse_day, metavar="YYYY-MM-DD", help="add what changed after this date")
    parser.add_argument("--marking", metavar="TEXT", help="overall marking (default: the highest among included items)")
    parser.add_argument("--relationships", metavar="UN-EU,NATO-AU,...", help="only these relationships (default: all)")
    parser.add_argument("--max-marking", metavar="LEVEL", help="leave out items marked above LEVEL")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    import os

    if "QT_QPA_PLATFORM" not in os.environ:
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.instance() is None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # painting needs Qt, not a display
    from PySide6.QtWidgets import QApplication

    from desktop.briefing.build import write_briefing
    from desktop.briefing.content import BriefingOptions
    from desktop.briefing.diagram import diagram_svg

    app = QApplication.instance() or QApplication(["quadrangle"])  # noqa: F841 - fonts and scenes need it
    relationships = tuple(r.strip() for r in (args.relationships or "").split(",") if r.strip())
    options = BriefingOptions(
        as_of=args.as_of,
        since=args.since,
        marking=args.marking,
        relationships=relationships,
        max_marking=args.max_marking,
        paper=args.paper,
        analyst=getattr(args, "analyst", None) or "",
    )
    out = args.out.expanduser()
    check_output(args, out)  # the database, a device, an existing file without --force: refused before any work
    results = []
    with open_store(args) as store:
        # Written to a temporary file, checked (the %%EOF trailer) and only then renamed onto `out`.
        write_output(args, out, lambda temp: results.append(write_briefing(store, options, temp, diagram=diagram_svg)))
    result = results[0]
    content = result.content
    note = f", {content.left_out_total} item(s) above {content.max_marking} left out" if content.max_marking else ""
    print(f"Wrote {out} ({result.pages} pages, {content.marking}{note})")
    return 0
