"""`quadrangle table`: print the comparison table (the report's Figure 2) as of a date, marked, up to a limit.

Today's table is read from the start-up snapshot when it still describes the database
(`db.read_only_snapshot`: plain sqlite3, no SQLAlchemy), which costs a fifth of opening the store;
any other date, a limit that withholds something, or a snapshot that cannot be trusted goes through
the store. Both paths render through `comparison_table_text`, and tests/test_table_snapshot.py holds
their outputs equal.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from desktop.cli.common import add_db_option, add_marking_options, parse_day
from desktop.paths import resolve_database


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
    text = table_from_snapshot(args)
    if text is None:
        from desktop.marked_exports import table_export

        with open_store(args) as store:
            text = table_export(store, args.as_of, args.format, max_marking=args.max_marking, marking=args.marking).text
    sys.stdout.write(text)
    return 0


def table_from_snapshot(args: argparse.Namespace) -> str | None:
    """The table for `args` from the start-up snapshot, or None when only the store can make it.

    Today's unfiltered state is the snapshot; under a limit it is the same state as long as no
    assessment in force is above the limit (nothing is then withheld, and the table shows no
    citations, lesson counts or evidence dates, the only other things a limit changes)."""
    if args.as_of not in (None, date.today()):
        return None
    target, _ = resolve_database(getattr(args, "db", None))
    if "://" in target:
        return None
    from db import comparison_rows, read_only_snapshot
    from desktop.table_format import comparison_table_text

    found = read_only_snapshot(Path(target))
    if found is None:
        return None
    scheme = found.scheme
    limit = scheme.resolve_limit(args.max_marking)  # refused exactly as the store's path refuses it
    in_force = [r.assessment for r in found.state.relationships if r.assessment is not None]
    if any(not scheme.allows(a.marking, limit) for a in in_force):
        return None
    text, _ = comparison_table_text(
        comparison_rows(found.state),
        scheme,
        args.format,
        as_of=args.as_of,
        limit=limit,
        withheld=0,
        marking=args.marking,
    )
    return text
