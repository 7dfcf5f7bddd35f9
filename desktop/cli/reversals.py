"""`quadrangle reversals` and `quadrangle history`: the reversals across all relationships and one
relationship's versions, printed so anyone can rerun the report's "no relationship was reversed".
Both are outputs like any other: `--max-marking` leaves out what is above it (a withheld version of
the history is listed as "withheld" with its date only), the text sits between two banner lines and
each JSON row carries its `marking`."""

from __future__ import annotations

import argparse
import json
import sys

from desktop.cli.common import add_db_option, add_marking_options


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reversals",
        help="list versions that moved a relationship back a phase or into ending",
        description="List every version flagged as a reversal, across all relationships.",
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_marking_options(parser)
    parser.set_defaults(func=run_reversals)

    history = subparsers.add_parser(
        "history",
        help="list the versions of one relationship's assessment",
        description="List every version of one relationship's assessment, oldest first.",
    )
    add_db_option(history)
    history.add_argument("relationship", help="two organizations, e.g. UN-EU")
    history.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_marking_options(history)
    history.set_defaults(func=run_history)


def _between_banners(banner: str, lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in (banner, *lines, banner))


def run_reversals(args: argparse.Namespace, open_store) -> int:
    from db import MarkingFilter

    with open_store(args) as store:
        reader = MarkingFilter(store, args.max_marking)
        rows = reader.reversals()
        banner = reader.scheme.banner(reader.scheme.output_marking([r.version.marking for r in rows], args.marking))
    if args.format == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "relationship": r.relationship_label,
                        "as_of": r.version.as_of.isoformat(),
                        "from": r.previous_phase_label,
                        "to": r.version.phase_label,
                        "rationale": r.version.reversal_rationale,
                        "recorded_by": r.version.recorded_by,
                        "recorded_at": r.version.recorded_at.isoformat(),
                        "marking": r.version.marking,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    elif not rows:
        sys.stdout.write(_between_banners(banner, ["No relationship has been reversed."]))
    else:
        lines = [
            f"{r.relationship_label}  {r.version.as_of.isoformat()}  {r.previous_phase_label} -> "
            f"{r.version.phase_label}  ({r.version.recorded_by}): {r.version.reversal_rationale}"
            for r in rows
        ]
        sys.stdout.write(_between_banners(banner, lines))
    return 0


def run_history(args: argparse.Namespace, open_store) -> int:
    from db import WITHHELD, MarkingFilter

    with open_store(args) as store:
        reader = MarkingFilter(store, args.max_marking)
        relationship = store.quadrangle.find_relationship(args.relationship)
        versions, withheld = reader.history(relationship.id)
        shown = [v.marking for v in versions if v.id not in withheld]
        banner = reader.scheme.banner(reader.scheme.output_marking(shown, args.marking))
    if args.format == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {"id": v.id, "as_of": v.as_of.isoformat(), "withheld": True}
                    if v.id in withheld
                    else {
                        "id": v.id,
                        "as_of": v.as_of.isoformat(),
                        "phase": [p.value for p in v.phases],
                        "confidence": v.confidence.value,
                        "recorded_by": v.recorded_by,
                        "recorded_at": v.recorded_at.isoformat(),
                        "reversal": v.is_reversal,
                        "restored_from": v.restored_from_id,
                        "marking": v.marking,
                    }
                    for v in versions
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return 0
    hidden = f" ({len(withheld)} withheld above {reader.limit})" if withheld else ""
    lines = [f"{relationship.label}: {len(versions)} version{'s' if len(versions) != 1 else ''}{hidden}"]
    for v in versions:
        if v.id in withheld:
            lines.append(f"  {v.as_of.isoformat()}  {WITHHELD}")
            continue
        notes = (" [reversal]" if v.is_reversal else "") + (" [restored]" if v.restored_from_id else "")
        lines.append(
            f"  {v.as_of.isoformat()}  {v.phase_label:<24} {v.confidence.label:<9} "
            f"recorded {v.recorded_at:%Y-%m-%d %H:%M} UTC by {v.recorded_by}{notes}"
        )
    sys.stdout.write(_between_banners(banner, lines))
    return 0
