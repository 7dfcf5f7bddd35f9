"""`quadrangle export-sources OUT`: the sources library as BibTeX (.bib), RIS (.ris) or CSL-JSON
(.json), in the form Zotero imports unchanged."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option
from desktop.output import add_force_option, check_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export-sources",
        help="export the sources library to BibTeX, RIS or CSL-JSON",
        description="Write the sources library; the extension picks the format: .bib, .ris or .json (CSL-JSON).",
    )
    add_db_option(parser)
    parser.add_argument("out", metavar="OUT", type=Path, help="the file to write (.bib, .ris or .json)")
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    check_output(args, args.out)  # before the database is opened: a refused name costs nothing
    with open_store(args) as store:
        count = store.references.export_to(args.out, overwrite=args.force)
    sys.stdout.write(f"Wrote {count} source(s) to {args.out}.\n")
    return 0
