"""Argument helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from datetime import date


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a `--db` given before the subcommand from being reset by the subparser.
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file or postgresql:// URL (default: the one in your data folder)",
    )


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
