"""`quadrangle restore BACKUP`: put a backup back, after backing up the current state.

A damaged database that cannot be opened is moved aside (never deleted) and the backup put in its place.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import add_db_option
from desktop.paths import resolve_database


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "restore",
        help="restore the database from a backup",
        description="Restore the database from BACKUP; the current state is backed up first.",
    )
    parser.add_argument("backup", metavar="BACKUP", type=Path, help="the backup file (see `quadrangle backups`)")
    add_db_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from db import DatabaseDamagedError, Store

    try:
        store = open_store(args, backup_on_open=False)
    except DatabaseDamagedError:
        target, _ = resolve_database(getattr(args, "db", None))
        aside = Store.recover(target, args.backup)
        print(f"Restored {args.backup.name}; the damaged database was kept at {aside}")
        return 0
    with store:
        before = store.safety.restore_backup(args.backup)
    print(f"Restored {args.backup.name}; the state before the restore is in {before}")
    return 0
