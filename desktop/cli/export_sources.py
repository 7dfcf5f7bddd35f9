"""`quadrangle export-sources`: the sources library as BibTeX (to a file or standard output), marked,
up to a limit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option, add_marking_options


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export-sources",
        help="write the sources library as BibTeX",
        description="Write the sources as BibTeX, the marking on the first and last lines and before each entry.",
    )
    parser.add_argument("out", metavar="OUT.bib", type=Path, nargs="?", help="file to write (default: standard output)")
    add_db_option(parser)
    add_marking_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from desktop.marked_exports import sources_export

    with open_store(args) as store:
        result = sources_export(store, max_marking=args.max_marking, marking=args.marking)
    if result.note:
        print(f"{result.note}.", file=sys.stderr)
    if args.out is None:
        sys.stdout.write(result.text)
        return 0
    try:
        args.out.write_text(result.text, encoding="utf-8")
    except OSError as exc:
        print(f"quadrangle: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
