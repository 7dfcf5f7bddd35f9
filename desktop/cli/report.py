"""`quadrangle report`: write the briefing (PDF, or Word for OUT.docx) as of a date, without opening the window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option, parse_day
from desktop.output import add_force_option, check_output, write_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the briefing PDF or Word file",
        description="Write the briefing: cover, contents, key judgements, diagram, tables, one section per "
        "relationship, cross-cutting lessons, changes, sources and an annex of every lesson. OUT.docx writes Word.",
    )
    parser.add_argument("out", metavar="OUT.pdf|OUT.docx", type=Path, help="the file to write (the extension chooses)")
    add_db_option(parser)
    parser.add_argument("--as-of", type=parse_day, metavar="YYYY-MM-DD", help="the date described (default today)")
    parser.add_argument("--since", type=parse_day, metavar="YYYY-MM-DD", help="add what changed after this date")
    parser.add_argument("--marking", metavar="TEXT", help="overall marking (default: the highest among included items)")
    parser.add_argument("--relationships", metavar="UN-EU,NATO-AU,...", help="only these relationships (default: all)")
    parser.add_argument("--max-marking", metavar="LEVEL", help="leave out items marked above LEVEL")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    add_force_option(parser)
    parser.add_argument("--review-months", type=int, default=12, metavar="N", help="review interval (default 12)")
    parser.add_argument("--no-annex", action="store_true", help="leave out the annex of every lesson in full")
    parser.set_defaults(func=run)
    compare = subparsers.add_parser(
        "compare",
        help="write a comparison report of two dates",
        description="The quadrangle at two dates side by side: both diagrams, phase, motives and confidence then "
        "and now with the changes marked, the evidence in between and reversals. The extension chooses PDF, "
        "Word (.docx) or CSV.",
    )
    compare.add_argument("out", metavar="OUT.pdf|OUT.docx|OUT.csv", type=Path, help="the file to write")
    add_db_option(compare)
    compare.add_argument("--from", dest="start", required=True, type=parse_day, metavar="YYYY-MM-DD")
    compare.add_argument("--to", dest="end", required=True, type=parse_day, metavar="YYYY-MM-DD")
    compare.add_argument("--relationships", metavar="UN-EU,NATO-AU,...", help="only these relationships")
    compare.add_argument("--max-marking", metavar="LEVEL", help="leave out items marked above LEVEL")
    compare.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    add_force_option(compare)
    compare.set_defaults(func=run_compare)


def _offscreen_app():
    import os

    if "QT_QPA_PLATFORM" not in os.environ:
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.instance() is None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # painting needs Qt, not a display
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["quadrangle"])


def run_compare(args: argparse.Namespace, open_store) -> int:
    from desktop.briefing.comparison import write_comparison
    from desktop.briefing.content import BriefingOptions
    from desktop.briefing.diagram import diagram_svg

    app = _offscreen_app()  # noqa: F841 - fonts and scenes need it
    relationships = tuple(r.strip() for r in (args.relationships or "").split(",") if r.strip())
    options = BriefingOptions(
        relationships=relationships,
        max_marking=args.max_marking,
        paper=args.paper,
        analyst=getattr(args, "analyst", None) or "",
    )
    out = args.out.expanduser()
    if not out.parent.is_dir():
        print(f"quadrangle: the folder {out.parent} does not exist.", file=sys.stderr)
        return 1
    check_output(args, out)  # the database, a device, an existing file without --force: refused before any work
    with open_store(args) as store:
        try:
            pages, content = write_comparison(store, args.start, args.end, out, options=options, diagram=diagram_svg)
        except OSError as exc:
            print(f"quadrangle: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    print(f"Wrote {out} ({f'{pages} pages, ' if pages else ''}{content.marking})")
    return 0


def run(args: argparse.Namespace, open_store) -> int:
    from desktop.briefing.build import write_briefing
    from desktop.briefing.content import BriefingOptions
    from desktop.briefing.diagram import diagram_svg

    app = _offscreen_app()  # noqa: F841 - fonts and scenes need it
    relationships = tuple(r.strip() for r in (args.relationships or "").split(",") if r.strip())
    options = BriefingOptions(
        as_of=args.as_of,
        since=args.since,
        marking=args.marking,
        relationships=relationships,
        max_marking=args.max_marking,
        paper=args.paper,
        analyst=getattr(args, "analyst", None) or "",
        review_months=args.review_months,
        annex=not args.no_annex,
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
    pages = f"{result.pages} pages, " if result.pages else ""
    print(f"Wrote {out} ({pages}{content.marking}{note})")
    return 0
