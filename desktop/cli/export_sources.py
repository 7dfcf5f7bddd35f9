"""`quadrangle export-sources [OUT]`: the sources library as BibTeX (.bib, and on standard output),
RIS (.ris) or CSL-JSON (.json), in the form Zotero imports unchanged, marked, up to a limit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option, add_marking_options
from desktop.output import add_force_option, check_output, write_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export-sources",
        help="export the sources library to BibTeX, RIS or CSL-JSON",
        description=(
            "Write the sources library; the extension picks the format: .bib, .ris or .json (CSL-JSON). "
            "Without OUT, BibTeX goes to standard output. The marking is in the file."
        ),
    )
    parser.add_argument("out", metavar="OUT", type=Path, nargs="?", help="the file to write (.bib, .ris or .json)")
    add_db_option(parser)
    add_marking_options(parser)
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from db import export_format_of
    from desktop.marked_exports import sources_export

    fmt = export_format_of(str(args.out)) if args.out is not None else "bibtex"
    if args.out is not None:
        check_output(args, args.out)  # before the database is opened: a refused name costs nothing
    with open_store(args) as store:
        result = sources_export(store, fmt, max_marking=args.max_marking, marking=args.marking)
    if result.note:
        print(f"{result.note}.", file=sys.stderr)
    if args.out is None:
        sys.stdout.write(result.text)
        return 0
    write_output(args, args.out, result.text)
    print(f"Wrote {len(result.view.sources)} source(s) to {args.out} ({result.marking}).")
    return 0
