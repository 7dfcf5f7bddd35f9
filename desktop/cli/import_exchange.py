"""`quadrangle import-exchange FILE`: preview (with --dry-run) or merge an exchange file."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import add_db_option

EXIT_CONFLICTS = 2


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import-exchange",
        help="preview or import an exchange file",
        description="Import an exchange file: new records are added, versions join the history, and items "
        "edited on both sides need --on-conflict (or the app's import wizard).",
    )
    add_db_option(parser)
    parser.add_argument("file", metavar="FILE", help="the exchange file (.json)")
    parser.add_argument("--dry-run", action="store_true", help="print the preview and write nothing")
    parser.add_argument(
        "--on-conflict",
        choices=("theirs", "mine", "both"),
        help="answer for every item edited on both sides (default: stop and list them)",
    )
    parser.set_defaults(func=run)


def preview_text(preview) -> str:
    m = preview.manifest
    lines = [
        f"{_one_line(m.path.name)}: exported by {_one_line(m.exported_by)} on {m.exported_at:%Y-%m-%d %H:%M} UTC "
        f"(Quadrangle {m.app_version}, format {m.format_version})"
    ]
    if m.withheld:
        lines.append("Left out by the sender: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in m.withheld))
    lines.append(f"{'Kind':<22}{'new':>6}{'identical':>11}{'different':>11}")
    for summary in preview.kinds:
        if summary.items:
            lines.append(f"{summary.label:<22}{summary.new:>6}{summary.identical:>11}{summary.different:>11}")
    for item in preview.items:
        if item.status.value == "different":
            lines.append(
                f"  {item.action.value:<12} {item.kind.replace('_', ' ')}: {_one_line(item.label)}"
                + (f" ({_one_line(item.note)})" if item.note else "")
            )
            if item.is_conflict:
                for diff in item.differences:
                    lines.append(
                        f'      {diff.label}: theirs "{_one_line(diff.theirs)}" / mine "{_one_line(diff.mine)}"'
                    )
    lines.append(f"{len(preview.conflicts)} conflict(s); {preview.changes} item(s) would be written.")
    return "\n".join(lines) + "\n"


def _one_line(text: str, limit: int = 100) -> str:
    """Text from the file on one line, control and direction characters escaped (no terminal tricks)."""
    flat = " ".join(text.split())
    flat = flat[:limit] + ("…" if len(flat) > limit else "")
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in flat)


def run(args: argparse.Namespace, open_store) -> int:
    with open_store(args) as store:
        preview = store.exchange.preview(args.file)
        if args.dry_run:
            sys.stdout.write(preview_text(preview))
            return 0
        if preview.conflicts and not args.on_conflict:
            sys.stdout.write(preview_text(preview))
            sys.stderr.write(
                f"quadrangle: {len(preview.conflicts)} item(s) were edited on both sides: "
                "rerun with --on-conflict theirs|mine|both, or use File > Import exchange file.\n"
            )
            return EXIT_CONFLICTS
        result = store.exchange.import_file(args.file, on_conflict=args.on_conflict)
    if not result.changed:
        sys.stdout.write(f"{_one_line(result.file_name)}: nothing new; nothing was written.\n")
    else:
        sys.stdout.write(
            f"Imported {_one_line(result.file_name)} from {_one_line(result.exported_by)}: {result.counts_line}. "
            f"Backup: {result.backup_path}\n"
        )
    return 0
