"""`quadrangle check`: the full database check, each problem in words; `--repair` applies the safe fixes."""

from __future__ import annotations

import argparse

from desktop.cli.common import add_db_option
from desktop.paths import resolve_database

EXIT_PROBLEMS = 3


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check the database for damage and broken rules",
        description="Run SQLite's integrity and foreign-key checks, the search index check and Quadrangle's own "
        "rules; exit status 3 when problems remain.",
    )
    add_db_option(parser)
    parser.add_argument("--repair", action="store_true", help="apply the safe repairs (after a verified backup)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from db import Store, locate

    target, _ = resolve_database(getattr(args, "db", None))
    location = locate(target)
    shown = location.display  # never print a server password
    if not location.is_sqlite:
        print(f"{shown}: a server database is checked with the server's own tools (amcheck, pg_dump).")
        return 0
    if args.repair:
        with open_store(args, backup_on_open=False) as store:
            result = store.safety.repair()
        if result.backup is not None:
            print(f"Backed up to {result.backup}")
        for line in result.done:
            print(line)
        problems = list(result.remaining)
    else:
        problems = Store.check_database(target)
    if not problems:
        print(f"{shown}: no problems found.")
        return 0
    print(f"{shown}: {len(problems)} problem(s):")
    for problem in problems:
        hint = " (run: quadrangle check --repair)" if problem.repairable else ""
        print(f"- {problem.message}{hint}")
    return EXIT_PROBLEMS
