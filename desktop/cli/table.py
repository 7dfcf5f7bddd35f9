"""`quadrangle table`: print the comparison table (the report's Figure 2) as of a date, marked, up to a
limit; or write it to a file (`--out`), which an Excel workbook (`--format xlsx`) needs.

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
from desktop.output import add_force_option, check_output, write_output
from desktop.paths import resolve_database


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
    if args.format == "xlsx" and args.out is None:
        print("quadrangle: an Excel workbook cannot go to standard output: add --out FILE.xlsx.", file=sys.stderr)
        return 1
    if args.format == "xlsx" and args.out.suffix.lower() != ".xlsx":
        print(f"quadrangle: an Excel workbook's name ends in .xlsx, not '{args.out.name}'.", file=sys.stderr)
        return 1
    if args.out is not None:
        check_output(args, args.out)  # before the database is opened: a refused name costs nothing
    if args.format == "xlsx":
        from desktop.briefing.xlsx_export import workbook_writer
        from desktop.marked_exports import table_sheet

        with open_store(args) as store:
            sheet, result = table_sheet(store, args.as_of, max_marking=args.max_marking, marking=args.marking)
        write_output(args, args.out, workbook_writer(sheet))
        print(f"Wrote {args.out} ({result.marking})")
        return 0
    found = table_from_snapshot(args)
    if found is None:
        from desktop.marked_exports import table_export

        with open_store(args) as store:
            result = table_export(store, args.as_of, args.format, max_marking=args.max_marking, marking=args.marking)
        found = (result.text, result.marking)
    text, level = found
    if args.out is None:
        sys.stdout.write(text)
        return 0
    write_output(args, args.out, ("\ufeff" if args.format == "csv" else "") + text)
    print(f"Wrote {args.out} ({level})")
    return 0


def table_from_snapshot(args: argparse.Namespace) -> tuple[str, str] | None:
    """The table for `args` (its text and marking) from the start-up snapshot, or None when only the
    store can make it.

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
    return comparison_table_text(
        comparison_rows(found.state),
        scheme,
        args.format,
        as_of=args.as_of,
        limit=limit,
        withheld=0,
        marking=args.marking,
    )
