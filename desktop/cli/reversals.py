"""`quadrangle reversals` and `quadrangle history`: the reversals across all relationships and one
relationship's versions, printed so anyone can rerun the report's "no relationship was reversed"."""

from __future__ import annotations

import argparse
import json
import sys

from desktop.cli.common import add_db_option


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reversals",
        help="list versions that moved a relationship back a phase or into ending",
        description="List every version flagged as a reversal, across all relationships.",
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(func=run_reversals)

    history = subparsers.add_parser(
        "history",
        help="list the versions of one relationship's assessment",
        description="List every version of one relationship's assessment, oldest first.",
    )
    add_db_option(history)
    history.add_argument("relationship", help="two organizations, e.g. UN-EU")
    history.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    history.set_defaults(func=run_history)


def run_reversals(args: argparse.Namespace, open_store) -> int:
    with open_store(args) as store:
        rows = store.history.reversals()
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
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    elif not rows:
        sys.stdout.write("No relationship has been reversed.\n")
    else:
        for r in rows:
            sys.stdout.write(
                f"{r.relationship_label}  {r.version.as_of.isoformat()}  {r.previous_phase_label} -> "
                f"{r.version.phase_label}  ({r.version.recorded_by}): {r.version.reversal_rationale}\n"
            )
    return 0


def run_history(args: argparse.Namespace, open_store) -> int:
    with open_store(args) as store:
        relationship = store.quadrangle.find_relationship(args.relationship)
        versions = store.assessments.history(relationship.id)
    if args.format == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "id": v.id,
                        "as_of": v.as_of.isoformat(),
                        "phase": [p.value for p in v.phases],
                        "confidence": v.confidence.value,
                        "recorded_by": v.recorded_by,
                        "recorded_at": v.recorded_at.isoformat(),
                        "reversal": v.is_reversal,
                        "restored_from": v.restored_from_id,
                    }
                    for v in versions
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return 0
    sys.stdout.write(f"{relationship.label}: {len(versions)} version{'s' if len(versions) != 1 else ''}\n")
    for v in versions:
        notes = (" [reversal]" if v.is_reversal else "") + (" [restored]" if v.restored_from_id else "")
        sys.stdout.write(
            f"  {v.as_of.isoformat()}  {v.phase_label:<24} {v.confidence.label:<9} "
            f"recorded {v.recorded_at:%Y-%m-%d %H:%M} UTC by {v.recorded_by}{notes}\n"
        )
    return 0
