"""`quadrangle backups`: list the database's backups, newest first, with dates and sizes.

A file named as a backup that is not usable (truncated, not SQLite) is listed as INCOMPLETE, never as
a backup one could restore; partial copies of a backup still being written (or killed) are not listed.
"""

from __future__ import annotations

import argparse

from desktop.cli.common import add_db_option
from desktop.paths import resolve_database


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "backups", help="list the database's backups", description="List the backups of the database, newest first."
    )
    add_db_option(parser)
    parser.set_defaults(func=run)


def format_size(size: int) -> str:
    scaled: float = size
    for unit in ("bytes", "KB", "MB", "GB"):
        if scaled < 1024 or unit == "GB":
            return f"{scaled} {unit}" if unit == "bytes" else f"{scaled:.1f} {unit}"
        scaled /= 1024
    return str(scaled)


def run(args: argparse.Namespace, open_store) -> int:
    from db import list_database_backups, locate

    target, _ = resolve_database(getattr(args, "db", None))
    location = locate(target)
    if not location.is_sqlite:
        print("A server database is backed up with the server's own tools (pg_dump).")
        return 0
    # Listing needs neither the writer lock nor a sound database: it works while the window is open.
    backups = list_database_backups(target, include_incomplete=True)
    if not backups:
        print(f"No backups of {location.display} yet.")
        return 0
    for backup in backups:
        when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        reason = backup.reason if backup.verified else "INCOMPLETE (not usable)"
        print(f"{when}  {format_size(backup.size):>10}  {reason:<28}  {backup.path}")
    return 0
