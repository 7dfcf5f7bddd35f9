"""`quadrangle table`: print the comparison table (the report's Figure 2) as of a date."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import add_db_option, parse_day
from desktop.paths import resolve_database
from desktop.table_format import rows_as_csv, rows_as_json, rows_as_text


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "table", help="print the comparison table (Figure 2)", description="Print the comparison table."
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text", help="output format")
    parser.add_argument("--as-of", type=parse_day, metavar="YYYY-MM-DD", help="the date to show (default today)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    # Today's table is in the start-up snapshot while it matches the database: answered from it, the
    # command needs neither SQLAlchemy nor the store (issue 22); any doubt goes through the store.
    rows = _rows_from_snapshot(args)
    if rows is None:
        with open_store(args) as store:
            rows = store.quadrangle.comparison_table(args.as_of)
    if args.format == "json":
        sys.stdout.write(rows_as_json(rows))
    elif args.format == "csv":
        sys.stdout.write(rows_as_csv(rows))
    else:
        when = args.as_of.isoformat() if args.as_of else "today"
        sys.stdout.write(rows_as_text(rows, title=f"Inter-organizational cooperation as of {when}"))
    return 0


def _rows_from_snapshot(args: argparse.Namespace):
    from db import comparison_table_from_snapshot

    target, _ = resolve_database(getattr(args, "db", None))
    return comparison_table_from_snapshot(target, args.as_of)
