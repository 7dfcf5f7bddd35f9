"""`quadrangle table`: print the comparison table (the report's Figure 2) as of a date, marked, up to a limit."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import add_db_option, add_marking_options, parse_day


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "table", help="print the comparison table (Figure 2)", description="Print the comparison table."
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text", help="output format")
    parser.add_argument("--as-of", type=parse_day, metavar="YYYY-MM-DD", help="the date to show (default today)")
    add_marking_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from desktop.marked_exports import table_export

    with open_store(args) as store:
        result = table_export(store, args.as_of, args.format, max_marking=args.max_marking, marking=args.marking)
    sys.stdout.write(result.text)
    return 0
