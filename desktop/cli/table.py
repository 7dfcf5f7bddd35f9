"""`quadrangle table`: print the comparison table (the report's Figure 2) as of a date, marked, up to a
limit; or write it to a file (`--out`), which an Excel workbook (`--format xlsx`) needs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option, add_marking_options, parse_day
from desktop.output import add_force_option, check_output, write_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "table", help="print the comparison table (Figure 2)", description="Print the comparison table."
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "csv", "json", "xlsx"), default="text", help="output format")
    parser.add_argument("--as-of", type=parse_day, metavar="YYYY-MM-DD", help="the date to show (default today)")
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output (needed for xlsx)"
    )
    add_marking_options(parser)
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from desktop.marked_exports import table_export, table_sheet

    if args.format == "xlsx" and args.out is None:
        print("quadrangle: an Excel workbook cannot go to standard output: add --out FILE.xlsx.", file=sys.stderr)
        return 1
    if args.format == "xlsx" and args.out.suffix.lower() != ".xlsx":
        print(f"quadrangle: an Excel workbook's name ends in .xlsx, not '{args.out.name}'.", file=sys.stderr)
        return 1
    if args.out is not None:
        check_output(args, args.out)  # before the database is opened: a refused name costs nothing
    with open_store(args) as store:
        if args.format == "xlsx":
            sheet, result = table_sheet(store, args.as_of, max_marking=args.max_marking, marking=args.marking)
        else:
            result = table_export(store, args.as_of, args.format, max_marking=args.max_marking, marking=args.marking)
    if args.out is None:
        sys.stdout.write(result.text)
        return 0
    if args.format == "xlsx":
        from desktop.briefing.xlsx_export import workbook_writer

        write_output(args, args.out, workbook_writer(sheet))
    else:
        write_output(args, args.out, ("\ufeff" if args.format == "csv" else "") + result.text)
    print(f"Wrote {args.out} ({result.marking})")
    return 0
