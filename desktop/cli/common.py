"""Argument helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

# Commands that only read the database: they open it read-only, take no writer lock and no backup,
# and so work while the window holds it (issue 22). `export-exchange` writes its baselines and an audit
# row into the database, and `check --repair` repairs it: they open it for writing.
READ_ONLY_COMMANDS = frozenset(
    {"table", "report", "compare", "export-lessons", "export-sources", "history", "reversals", "backups"}
)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a `--db` given before the subcommand from being reset by the subparser.
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file or postgresql:// URL (default: the one in your data folder)",
    )
    if parser.prog.split()[-1] in READ_ONLY_COMMANDS:
        parser.set_defaults(open_read_only=True)


def open_options(args: argparse.Namespace, target: Path, options: dict) -> dict:
    """`Store.open` options for the command in `args`: read-only for a read-only command on an existing
    database file (a missing one is created and seeded as before), unless the command asked otherwise."""
    if getattr(args, "open_read_only", False) and "://" not in str(target):
        try:
            exists = Path(target).expanduser().stat().st_size > 0
        except OSError:
            exists = False
        if exists:
            return {"read_only": True, **options}
    return dict(options)


def add_marking_options(parser: argparse.ArgumentParser, *, marking: bool = True) -> None:
    """--max-marking (the limit) and, for outputs with a banner, --marking (raise it, never lower it).
    Both must be exactly a level of the database's vocabulary; checked before anything is written."""
    parser.add_argument("--max-marking", metavar="LEVEL", help="leave out everything marked above LEVEL")
    if marking:
        parser.add_argument(
            "--marking", metavar="LEVEL", help="mark the output LEVEL (default: the highest it contains; never lower)"
        )


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None
