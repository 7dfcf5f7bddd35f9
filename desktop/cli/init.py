"""`quadrangle init`: prepare a database for a team: create it on the server if it is missing, build
the current schema and seed it; a database that already holds Quadrangle is only brought up to date."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import add_db_option
from desktop.paths import resolve_database


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "init",
        help="create and seed an empty (shared) database",
        description=(
            "Create, migrate and seed an empty database, e.g. --db postgresql://analyst@team-db/quadrangle. "
            "A database holding other tables is refused. Give passwords through ~/.pgpass or PGPASSWORD, "
            "not on the command line."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--dataset", type=Path, metavar="FILE", help="dataset to seed from (default: the report's)")
    parser.add_argument("--analyst", metavar="NAME", default=argparse.SUPPRESS, help="name recorded on the seeding")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from db import DEFAULT_DATASET_PATH, init_database

    target, _ = resolve_database(getattr(args, "db", None))
    report = init_database(
        target, dataset_path=args.dataset or DEFAULT_DATASET_PATH, actor=getattr(args, "analyst", None)
    )
    if report.created:
        print(f"Created the Quadrangle database at {report.location} (schema {report.revision}) and seeded it.")
    else:
        print(f"{report.location} already holds Quadrangle; its schema is current ({report.revision}).")
    return 0
