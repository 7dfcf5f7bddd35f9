"""`quadrangle export-exchange OUT`: write an exchange file for another offline workstation."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import add_db_option, parse_day
from desktop.output import add_force_option, check_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export-exchange",
        help="export assessments and lessons to an exchange file",
        description="Write an exchange file (records with their UUIDs, authorship and a checksummed manifest).",
    )
    add_db_option(parser)
    parser.add_argument("out", metavar="OUT", help="the file to write (.json)")
    parser.add_argument("--relationships", metavar="UN-EU,...", help="only these relationships (default: all)")
    parser.add_argument(
        "--operations",
        metavar="EUPM,AMIS,...",
        help="only the lessons of these operations (with --relationships: of both)",
    )
    parser.add_argument(
        "--since", type=parse_day, metavar="YYYY-MM-DD", help="only what was recorded or changed since that day"
    )
    parser.add_argument(
        "--until", type=parse_day, metavar="YYYY-MM-DD", help="only what was recorded or changed until that day"
    )
    parser.add_argument("--max-marking", metavar="LEVEL", help="leave out items marked above LEVEL")
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from desktop import __version__

    relationships = [r for r in args.relationships.split(",") if r.strip()] if args.relationships else None
    operations = [o.strip() for o in args.operations.split(",") if o.strip()] if args.operations else None
    # The exchange writer itself writes atomically and 0600; the target is checked here first.
    check_output(args, args.out)
    # Opened for writing: the export records, in the transaction that writes the file, the baseline of
    # every item it sends (what the merge of the reply compares with) and an audit row (issue 22: this
    # cannot wait for a later session without risking a wrong baseline). Those rows are only added, in
    # one transaction, so the export takes no backup of the whole database first.
    with open_store(args, backup_on_open=False) as store:
        limit = store.catalog.marking_scheme().resolve_limit(args.max_marking)  # exactly a level, or refused
        manifest = store.exchange.export(
            args.out,
            relationships=relationships,
            since=args.since,
            max_marking=limit,
            app_version=__version__,
            operations=operations,
            until=args.until,
        )
    counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in manifest.counts if n)
    sys.stdout.write(f"Wrote {args.out}: {counts or 'nothing'}.\n")
    if manifest.withheld:
        left = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in manifest.withheld)
        sys.stdout.write(f"Left out above {limit} (or citing what was left out): {left}.\n")
    sys.stdout.write(f"SHA-256 of the payload: {manifest.payload_sha256}\n")
    return 0
