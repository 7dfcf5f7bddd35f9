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
        help="write a comparison report of two dates, or of relationships side by side",
        description="With --from and --to: the quadrangle at two dates side by side (both diagrams, phase, "
        "motives and confidence then and now with the changes marked, the evidence in between and reversals). "
        "With --relationships alone: those relationships side by side on one date (--as-of), Figure 2 style, "
        "with their rationales. The extension chooses PDF, Word (.docx), CSV or Excel (.xlsx).",
    )
    compare.add_argument("out", metavar="OUT.pdf|OUT.docx|OUT.csv|OUT.xlsx", type=Path, help="the file to write")
    add_db_option(compare)
    compare.add_argument("--from", dest="start", type=parse_day, metavar="YYYY-MM-DD", help="the earlier date")
    compare.add_argument("--to", dest="end", type=parse_day, metavar="YYYY-MM-DD", help="the later date")
    compare.add_argument(
        "--relationships",
        metavar="UN-EU,NATO-AU,...",
        help="only these relationships; without --from/--to, these side by side",
    )
    compare.add_argument(
        "--as-of", type=parse_day, metavar="YYYY-MM-DD", help="the date of a side-by-side comparison (default today)"
    )
    compare.add_argument("--max-marking", metavar="LEVEL", help="leave out items marked above LEVEL")
    compare.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    add_force_option(compare)
    compare.set_defaults(func=run_compare)


def _compare_mode(args: argparse.Namespace) -> str | None:
    """ "dates" or "side-by-side", or None after saying (one line) which options do not fit together."""
    dates = (args.start is not None, args.end is not None)
    if dates == (True, True):
        if args.as_of is not None:
            print(
                "quadrangle: --as-of is for a side-by-side comparison: drop it, or drop --from and --to.",
                file=sys.stderr,
            )
            return None
        return "dates"
    if any(dates):
        print("quadrangle: give both --from and --to (two dates), or neither.", file=sys.stderr)
        return None
    from desktop.briefing.side_by_side import parse_relationships

    if not parse_relationships(args.relationships):
        print(
            'quadrangle: give --from and --to (two dates), or --relationships "UN-EU,NATO-EU" (side by side).',
            file=sys.stderr,
        )
        return None
    return "side-by-side"


def _offscreen_app():
    import os

    if "QT_QPA_PLATFORM" not in os.environ:
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.instance() is None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # painting needs Qt, not a display
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["quadrangle"])


def run_compare(args: argparse.Namespace, open_store) -> int:
    from desktop.briefing.compare_report import write_report
    from desktop.briefing.side_by_side import parse_relationships

    mode = _compare_mode(args)
    if mode is None:
        return 1
    app = _offscreen_app()  # noqa: F841 - fonts and scenes need it
    out = args.out.expanduser()
    if not out.parent.is_dir():
        print(f"quadrangle: the folder {out.parent} does not exist.", file=sys.stderr)
        return 1
    check_output(args, out)  # the database, a device, an existing file without --force: refused before any work
    relationships = parse_relationships(args.relationships)
    dates = (args.start, args.end) if mode == "dates" else None
    with open_store(args) as store:
        try:
            pages, marking, note = write_report(
                store,
                out,
                relationships=relationships,
                dates=dates,
                as_of=args.as_of,
                max_marking=args.max_marking,
                paper=args.paper,
                analyst=getattr(args, "analyst", None) or "",
            )
        except OSError as exc:
            print(f"quadrangle: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    print(f"Wrote {out} ({f'{pages} pages, ' if pages else ''}{marking}{f', {note}' if note else ''})")
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
