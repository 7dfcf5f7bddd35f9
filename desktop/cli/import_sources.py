"""`quadrangle import-sources FILE`: bring a BibTeX, RIS or CSL-JSON file (a Zotero, Mendeley or
EndNote export) into the sources library, duplicates found first; `--dry-run` prints the preview only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_db_option


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import-sources",
        help="import sources from a BibTeX, RIS or CSL-JSON file",
        description=(
            "Import sources from a .bib, .ris or .json (CSL-JSON) file. Every entry is compared with the "
            "library first (DOI, ISBN, or title + year + first author): new entries are added, duplicates "
            "handled as --on-duplicate says. One transaction after a backup; nothing is written on --dry-run."
        ),
    )
    add_db_option(parser)
    parser.add_argument("file", metavar="FILE", type=Path, help="the file to import (.bib, .ris or .json)")
    parser.add_argument("--dry-run", action="store_true", help="print the preview and write nothing")
    parser.add_argument(
        "--on-duplicate",
        choices=("skip", "merge", "add"),
        default="skip",
        help="for an entry already in the library: skip it (default), merge it (fill what the library lacks), "
        "or add it anyway",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, open_store) -> int:
    from db import ImportAction, ImportStatus

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"quadrangle: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    with open_store(args) as store:
        preview = store.references.preview_import(data, origin=str(args.file))
        out = sys.stdout
        out.write(f"{args.file.name}: {preview.summary()}.\n")
        for entry in preview.entries:
            out.write(f"  {entry.index + 1:>3}. [{entry.status.value}] {_one_line(entry.label)}\n")
            if entry.status != ImportStatus.NEW:
                out.write(f"       {_one_line(entry.describe(), 300)}\n")
        for problem in preview.problems:
            out.write(f"  problem: {_one_line(problem, 300)}\n")
        if args.dry_run:
            out.write("Dry run: nothing was written.\n")
            return 0
        result = store.references.apply_import(preview, on_duplicate=ImportAction(args.on_duplicate))
    out.write(f"Imported {len(result.sources)} source(s), merged {len(result.merged)}, skipped {result.skipped}.\n")
    for merge in result.merged:
        out.write(f"  merged into {_one_line(merge.after.key)}: filled {', '.join(merge.filled) or 'nothing'}\n")
    if result.backup_path:
        out.write(f"Backup taken first: {result.backup_path}\n")
    return 0


def _one_line(text: str, limit: int = 120) -> str:
    """Text from the file on one line, control and direction characters escaped (no terminal tricks)."""
    flat = " ".join(text.split())
    flat = flat[:limit] + ("…" if len(flat) > limit else "")
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in flat)
