"""Choosing what an export carries and writing the file.

An export holds the selected relationships' assessment versions, milestones and field cooperation,
the lessons about them, and everything those refer to (organizations, relationships, sources,
operations, themes, markings) so the file stands on its own. Trashed items, settings, drafts and the
audit log never leave; items above the chosen marking (or citing a withheld or trashed source) are
left out and counted in the manifest, and so is an operation or theme only withheld lessons refer to.
The manifest carries the file's marking: the highest marking of what the payload holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.errors import ValidationError
from db.exchange.entries import MODELS, entries
from db.exchange.format import (
    EXCHANGE_FORMAT,
    EXCHANGE_FORMAT_VERSION,
    IN_PLACE_KINDS,
    KINDS,
    content_hash,
    payload_sha256,
)
from db.markings import MarkingScheme


@dataclass(frozen=True)
class ExportSelection:
    """What to export: some relationships and/or some operations' lessons (None: no restriction), only
    what was recorded or changed within a date range (either end open), up to a marking."""

    relationship_ids: tuple[str, ...] | None = None
    since: date | None = None
    max_marking: str | None = None
    operation_ids: tuple[str, ...] | None = None
    until: date | None = None


@dataclass
class ExportContent:
    payload: dict[str, dict[str, dict]]
    withheld: dict[str, int] = field(default_factory=dict)
    marking: str = ""  # the highest marking of what the payload holds

    def in_place_hashes(self) -> list[tuple[str, str, str]]:
        return [
            (kind, item_id, content_hash(kind, entry))
            for kind in IN_PLACE_KINDS
            for item_id, entry in self.payload[kind].items()
        ]


def collect(s: Session, selection: ExportSelection) -> ExportContent:
    """The payload for `selection`, read in the caller's transaction."""
    ranks = {m.name: m.rank for m in s.scalars(select(models.Marking))}
    scheme = MarkingScheme(levels=tuple(sorted(ranks, key=ranks.__getitem__)))
    limit = None
    if selection.max_marking is not None:
        limit = ranks[scheme.resolve(selection.max_marking, what="limit")]  # exactly a level, or refused
    since = datetime.combine(selection.since, time.min, UTC) if selection.since else None
    # `until` is inclusive: everything stamped before the start of the next day.
    before = datetime.combine(selection.until + timedelta(days=1), time.min, UTC) if selection.until else None
    everything = (
        selection.relationship_ids is None and selection.operation_ids is None and since is None and before is None
    )
    withheld: dict[str, int] = dict.fromkeys(KINDS, 0)

    def allowed(marking: str) -> bool:
        return limit is None or ranks.get(marking, 10**6) <= limit

    def recent(stamp: datetime | None) -> bool:
        if since is None and before is None:
            return True
        return stamp is not None and (since is None or stamp >= since) and (before is None or stamp < before)

    all_rels = {r.id: r for r in s.scalars(select(models.Relationship))}
    operation_filter = set(selection.operation_ids) if selection.operation_ids is not None else None
    if selection.relationship_ids is None and operation_filter is not None:
        rel_ids = set()  # only those operations' lessons: no assessments, milestones or cooperation
        lesson_rel_ids = set(all_rels)
    elif selection.relationship_ids is None:
        rel_ids = set(all_rels)
    else:
        unknown = [r for r in selection.relationship_ids if r not in all_rels]
        if unknown:
            raise ValidationError(f"No relationship with id {unknown[0]}: choose the relationships again.")
        rel_ids = set(selection.relationship_ids)
    if selection.relationship_ids is not None or operation_filter is None:
        lesson_rel_ids = rel_ids

    sources = {r.id: r for r in s.scalars(select(models.Source))}
    blocked_sources = {i for i, r in sources.items() if r.deleted_at is not None or not allowed(r.marking)}
    citations: dict[str, set[str]] = {}
    for c in s.scalars(select(models.Citation)):
        owner = c.assessment_version_id or c.lesson_id or c.milestone_id
        if owner is not None:  # always: the one_owner constraint gives every citation exactly one owner
            citations.setdefault(owner, set()).add(c.source_id)

    def cites_blocked(owner_id: str) -> bool:
        return bool(citations.get(owner_id, set()) & blocked_sources)

    # Assessment versions, with the versions they restore (whatever their date), all or none.
    all_versions = {v.id: v for v in s.scalars(select(models.AssessmentVersion))}
    blocked_versions = {i for i, v in all_versions.items() if not allowed(v.marking) or cites_blocked(i)}
    changed = True
    while changed:
        changed = False
        for i, v in all_versions.items():
            if i not in blocked_versions and v.restored_from_id in blocked_versions:
                blocked_versions.add(i)
                changed = True
    versions: set[str] = set()
    for i, v in all_versions.items():
        if v.relationship_id in rel_ids and recent(v.recorded_at):
            if i in blocked_versions:
                withheld["assessment_versions"] += 1
            else:
                versions.add(i)
    pending = list(versions)
    while pending:
        target = all_versions[pending.pop()].restored_from_id
        if target is not None and target not in versions:
            versions.add(target)
            pending.append(target)

    milestones: set[str] = set()
    for m in s.scalars(select(models.Milestone).where(models.Milestone.deleted_at.is_(None))):
        if m.relationship_id in rel_ids and recent(m.updated_at):
            if cites_blocked(m.id):
                withheld["milestones"] += 1
            else:
                milestones.add(m.id)

    cooperation = {
        c.id: c
        for c in s.scalars(select(models.FieldCooperation))
        if c.relationship_id in rel_ids and recent(c.created_at)
    }
    coop_ops: dict[str, list[str]] = {}
    for coop_id, op_id in s.execute(
        select(models.FieldCooperationOperation.field_cooperation_id, models.FieldCooperationOperation.operation_id)
    ):
        coop_ops.setdefault(coop_id, []).append(op_id)
    operations = {o.id: o for o in s.scalars(select(models.Operation))}
    if operation_filter is not None:
        unknown_ops = operation_filter - set(operations)
        if unknown_ops:
            raise ValidationError(f"No operation with id {sorted(unknown_ops)[0]}: choose the operations again.")

    lesson_rels: dict[str, set[str]] = {}
    for lesson_id, rel_id in s.execute(
        select(models.LessonRelationship.lesson_id, models.LessonRelationship.relationship_id)
    ):
        lesson_rels.setdefault(lesson_id, set()).add(rel_id)
    lesson_themes: dict[str, set[str]] = {}
    for lesson_id, theme_id in s.execute(select(models.LessonTheme.lesson_id, models.LessonTheme.theme_id)):
        lesson_themes.setdefault(lesson_id, set()).add(theme_id)
    lessons: set[str] = set()
    withheld_lessons: set[str] = set()
    for lesson in s.scalars(select(models.Lesson).where(models.Lesson.deleted_at.is_(None))):
        if not (lesson_rels.get(lesson.id, set()) & lesson_rel_ids) or not recent(lesson.updated_at):
            continue
        if operation_filter is not None and lesson.operation_id not in operation_filter:
            continue
        op = operations.get(lesson.operation_id) if lesson.operation_id else None
        if not allowed(lesson.marking) or cites_blocked(lesson.id) or (op is not None and op.deleted_at is not None):
            withheld["lessons"] += 1
            withheld_lessons.add(lesson.id)
        else:
            lessons.add(lesson.id)

    for coop_id in list(cooperation):
        if any(operations[o].deleted_at is not None for o in coop_ops.get(coop_id, [])):
            withheld["field_cooperation"] += 1
            del cooperation[coop_id]

    # What the chosen items refer to, so the file stands on its own.
    op_ids = {o for c in cooperation for o in coop_ops.get(c, [])}
    op_ids |= {
        row.operation_id
        for row in s.scalars(select(models.Lesson).where(models.Lesson.id.in_(lessons)))
        if row.operation_id
    }
    # Under a limit, an operation or theme that only withheld lessons refer to is not named either.
    only_withheld_ops: set[str] = set()
    only_withheld_themes: set[str] = set()
    if limit is not None:
        live_lessons = {row.id: row.operation_id for row in s.scalars(select(models.Lesson))}
        kept_refs = {op for lesson_id, op in live_lessons.items() if lesson_id not in withheld_lessons and op}
        only_withheld_ops = {
            ref for i in withheld_lessons if (ref := live_lessons.get(i)) is not None and ref not in kept_refs
        }
        kept_themes = {t for lesson_id, ts in lesson_themes.items() if lesson_id not in withheld_lessons for t in ts}
        only_withheld_themes = {t for i in withheld_lessons for t in lesson_themes.get(i, set())} - kept_themes
    if everything:
        op_ids |= {i for i, o in operations.items() if o.deleted_at is None and i not in only_withheld_ops}
    exported_rels = set(rel_ids) | {r for lesson in lessons for r in lesson_rels.get(lesson, set())}
    exported_rels |= {all_versions[v].relationship_id for v in versions}  # a restored version may be another's
    source_ids = {src for owner in versions | milestones | lessons for src in citations.get(owner, set())}
    if everything:
        source_ids |= set(sources) - blocked_sources
        withheld["sources"] += sum(1 for i in blocked_sources if sources[i].deleted_at is None)
    members: dict[str, set[str]] = {}
    for op_id, org_id in s.execute(
        select(models.OperationOrganization.operation_id, models.OperationOrganization.organization_id)
    ):
        members.setdefault(op_id, set()).add(org_id)
    org_ids = {o for r in exported_rels for o in (all_rels[r].org_a_id, all_rels[r].org_b_id)}
    for op_id in op_ids:
        org_ids |= members.get(op_id, set())
        if lead_org_id := operations[op_id].lead_org_id:
            org_ids.add(lead_org_id)
    theme_ids = {t for lesson in lessons for t in lesson_themes.get(lesson, set())}
    organizations = list(s.scalars(select(models.Organization)))
    if everything:
        theme_ids |= {t.id for t in s.scalars(select(models.Theme))} - only_withheld_themes
        org_ids |= {o.id for o in organizations if o.deleted_at is None}

    chosen = {
        "themes": theme_ids,
        "organizations": org_ids,
        "relationships": exported_rels,
        "sources": source_ids,
        "operations": op_ids,
        "assessment_versions": versions,
        "milestones": milestones,
        "field_cooperation": set(cooperation),
        "lessons": lessons,
    }
    payload: dict[str, dict[str, dict]] = {}
    for kind, ids in chosen.items():
        model = MODELS[kind]
        rows = [row for row in s.scalars(select(model)) if row.id in ids]
        payload[kind] = entries(s, kind, rows)
    used_markings = {
        e["marking"] for kind in ("sources", "assessment_versions", "lessons") for e in payload[kind].values()
    }
    if everything:
        used_markings |= {m for m in ranks if allowed(m)}
    payload["markings"] = entries(
        s, "markings", [m for m in s.scalars(select(models.Marking)) if m.name in used_markings]
    )
    return ExportContent(
        payload={kind: payload[kind] for kind in KINDS},
        withheld={k: v for k, v in withheld.items() if v},
        marking=scheme.highest(
            e["marking"] for kind in ("sources", "assessment_versions", "lessons") for e in payload[kind].values()
        ),
    )


def build_document(
    content: ExportContent,
    *,
    selection_labels: dict,
    actor: str,
    app_version: str,
    database_id: str,
    export_id: str,
    received: list[str],
    exported_at: datetime,
) -> dict:
    """The whole file as JSON-ready values: manifest (with the payload's checksum) and payload."""
    return {
        "manifest": {
            "format": EXCHANGE_FORMAT,
            "format_version": EXCHANGE_FORMAT_VERSION,
            "app_version": app_version[:40],
            "exported_by": actor[:200],
            "exported_at": exported_at.astimezone(UTC).isoformat(),
            "database_id": database_id,
            "export_id": export_id,
            "selection": selection_labels,
            "counts": {kind: len(content.payload[kind]) for kind in KINDS},
            "withheld": content.withheld,
            "marking": content.marking or None,
            "received": sorted(received),
            "payload_sha256": payload_sha256(content.payload),
        },
        "payload": content.payload,
    }


def write_document(document: dict, path: Path, protect: tuple[Path, ...] = ()) -> None:
    """Write the file through the one safe writer (db/safe_write.py): never onto the database in
    `protect` or its companions, owner-only, fsynced, read back as JSON, then renamed into place."""
    from db.safe_write import write_file

    data = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    write_file(path, data, protect=protect, overwrite=True)
