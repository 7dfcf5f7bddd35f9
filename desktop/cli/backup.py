"""`quadrangle backup`: take a verified backup of the database now."""

from __future__ import annotations

import argparse

from desktop.cli.common import add_db_option


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "backup",
        help="take a verified backup of the database now",
        description="Copy the database into its backups folder (SQLite's online backup, checked before it counts).",
    )
    add_db_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    with open_store(args, backup_on_open=False) as store:
        path = store.safety.take_backup("manual")
    if path is None:
        print("A server database is backed up with the server's own tools (pg_dump).")
        return 0
    print(f"Backed up to {path}")
    return 0
