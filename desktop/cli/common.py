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


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None
