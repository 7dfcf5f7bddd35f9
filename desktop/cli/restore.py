"""`quadrangle restore BACKUP --db PATH`: put a backup back, after backing up the current state.

The database to replace must be named (`--db`, or QUADRANGLE_DB): a restore never falls back on the
default database. A damaged database that cannot be opened is moved aside (never deleted) and the
backup put in its place.
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
        description="Replace the database named by --db with BACKUP; the current state is backed up first.",
    )
    parser.add_argument("backup", metavar="BACKUP", type=Path, help="the backup file (see `quadrangle backups`)")
    add_db_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from db import DatabaseDamagedError, DatabaseOpenError, Store, locate

    target, is_default = resolve_database(getattr(args, "db", None))
    if is_default:
        raise DatabaseOpenError(
            "A restore replaces a database: name it with --db (quadrangle restore BACKUP --db PATH); "
            f"the default one is {target}."
        )
    shown = locate(target).display
    print(f"Replacing the database {shown} with the backup {args.backup}")
    try:
        store = open_store(args, backup_on_open=False)
    except DatabaseDamagedError:
        aside = Store.recover(target, args.backup)
        print(f"Restored {args.backup.name} into {shown}; the damaged database was kept at {aside}")
        return 0
    with store:
        before = store.safety.restore_backup(args.backup)
    print(f"Restored {args.backup.name} into {shown}; the state before the restore is in {before}")
    return 0
