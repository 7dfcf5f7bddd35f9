"""`quadrangle export-lessons`: the lessons as CSV (to a file or standard output) or as an Excel workbook
(OUT.xlsx), filtered like the briefing, marked and up to a limit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option, add_marking_options, parse_day
from desktop.output import add_force_option, check_output, write_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export-lessons",
        help="write the lessons as CSV or Excel",
        description="Write the lessons as CSV, or as an Excel workbook when OUT ends in .xlsx.",
    )
    parser.add_argument(
        "out", metavar="OUT.csv|OUT.xlsx", type=Path, nargs="?", help="file to write (default: CSV on standard output)"
    )
    add_db_option(parser)
    parser.add_argument(
        "--as-of", type=parse_day, metavar="YYYY-MM-DD", help="lessons recorded by this date (default today)"
    )
    parser.add_argument("--relationships", metavar="UN-EU,NATO-AU,...", help="only these relationships (default: all)")
    add_marking_options(parser)
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from desktop.marked_exports import lessons_export, lessons_sheet

    relationships = tuple(r.strip() for r in (args.relationships or "").split(",") if r.strip())
    workbook = args.out is not None and args.out.suffix.lower() == ".xlsx"
    if args.out is not None:
        check_output(args, args.out)  # before the database is opened: a refused name costs nothing
    options = {"relationships": relationships, "max_marking": args.max_marking, "marking": args.marking}
    with open_store(args) as store:
        if workbook:
            sheet, result = lessons_sheet(store, args.as_of, **options)
        else:
            result = lessons_export(store, args.as_of, **options)
    if result.note:
        print(f"{result.note}.", file=sys.stderr)
    if args.out is None:
        sys.stdout.write(result.text)
        return 0
    if workbook:
        from desktop.briefing.xlsx_export import workbook_writer

        write_output(args, args.out, workbook_writer(sheet))
        return 0
    write_output(args, args.out, "\ufeff" + result.text)  # a byte-order mark: Excel then reads UTF-8
    return 0
