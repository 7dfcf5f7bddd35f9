"""`quadrangle backups`: list the database's backups, newest first, with dates and sizes."""

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
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def run(args: argparse.Namespace, open_store) -> int:
    from db import Store, locate

    target, _ = resolve_database(getattr(args, "db", None))
    location = locate(target)
    if not location.is_sqlite:
        print("A server database is backed up with the server's own tools (pg_dump).")
        return 0
    # Listing needs neither the writer lock nor a sound database: it works while the window is open.
    backups = Store.list_backups(target)
    if not backups:
        print(f"No backups of {location.display} yet.")
        return 0
    for backup in backups:
        when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        print(f"{when}  {format_size(backup.size):>10}  {backup.reason:<28}  {backup.path}")
    return 0
