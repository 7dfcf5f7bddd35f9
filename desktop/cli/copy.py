"""`quadrangle copy`: copy a whole store from SQLite to PostgreSQL or back (every row, UUIDs and
timestamps kept) into a new or empty database, and print the row counts checked per table."""

from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "copy",
        help="copy a whole store to another database (SQLite <-> PostgreSQL)",
        description=(
            "Copy every record of the store at SOURCE into TARGET, a new file or an empty database, in one "
            "transaction; the row count of each table is checked before it commits."
        ),
    )
    parser.add_argument(
        "--from", dest="source", required=True, metavar="SOURCE", help="database file or postgresql:// URL"
    )
    parser.add_argument("--to", dest="target", required=True, metavar="TARGET", help="new file or empty database")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from db import check_database_path, copy_store

    for path in (args.source, args.target):
        check_database_path(path)  # /dev/null as --to would otherwise gain a -journal in /dev
    report = copy_store(args.source, args.target)
    out = sys.stdout
    width = max(len(c.table) for c in report.counts)
    out.write(f"Copied {report.source} -> {report.target}\n")
    out.write(f"{'table':<{width}}  {'source':>7}  {'target':>7}\n")
    for line in report.lines():
        out.write(line + "\n")
    out.write(f"{report.total_rows} rows in {len(report.counts)} tables; every count matches.\n")
    return 0
