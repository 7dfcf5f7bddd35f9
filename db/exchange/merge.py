"""The merge planner: compares a validated file with this database and decides, item by item, what an
import does. It only reads; the applier (db/exchange/apply.py) writes the plan.

- Reference records (markings, themes, organizations, relationships): new ones are added, known ones
  kept as they are here. A known name under another UUID is refused (the two cannot be told apart).
- Assessment versions are append-only: unknown UUIDs join the history; identical ones are skipped; a
  known UUID with other content means the file was altered, and the whole file is refused.
- Items edited in place (sources, operations, milestones, field cooperation, lessons): new -> added,
  identical -> skipped, different -> decided against the last content both sides agreed on (the
  exchange baseline): changed only on their side -> take theirs; only here -> keep mine; on both
  sides -> a conflict the user resolves (theirs, mine, or keep both for lessons and sources).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.exchange.document import ExchangeFile
from db.exchange.entries import MODELS, EntryError, entries, raw_entries, rows_by_id
from db.exchange.format import (
    COPYABLE_KINDS,
    ENTRY_MODELS,
    IN_PLACE_KINDS,
    KIND_LABELS,
    KINDS,
    STAMP_FIELDS,
    ExchangeFileError,
    content_hash,
    content_of,
)
from db.exchange.records import (
    ExchangeItem,
    ExchangeKindSummary,
    ExchangeManifestRecord,
    ExchangePreview,
    FieldDifference,
    ItemAction,
    ItemStatus,
)
from db.records import short_authors
from db.references.model import creator_of

DASH = "–"
FIELD_LABELS = {
    "key": "Key",
    "authors": "Authors",
    "year": "Year",
    "title": "Title",
    "container": "In",
    "publisher": "Publisher",
    "place": "Place",
    "reference": "Reference",
    "marking": "Marking",
    "acronym": "Acronym",
    "name": "Name",
    "location": "Location",
    "lead_org_id": "Lead",
    "start": "Start",
    "end": "End",
    "status": "Status",
    "mandate": "Mandate",
    "notes": "Notes",
    "organization_ids": "Organizations",
    "relationship_id": "Relationship",
    "date": "Date",
    "kind": "Kind",
    "description": "Description",
    "citations": "Citations",
    "start_year": "Start year",
    "end_year": "End year",
    "planned_since": "Planned since",
    "position": "Position",
    "note": "Note",
    "operation_ids": "Operations",
    "operation_id": "Operation",
    "finding": "Finding",
    "recommendation": "Recommendation",
    "recorded_on": "Recorded on",
    "relationship_ids": "Relationships",
    "theme_ids": "Themes",
    "item_type": "Type",
    "creators": "Creators",
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "url": "URL",
    "founded": "Founded",
}
BASELINE_FILE_KIND = "exchange_file"
# Columns that must stay unique: an item arriving with a value taken here by another item gets a suffix.
UNIQUE_COLUMNS = {"lessons": "key", "sources": "key", "operations": "acronym"}


@dataclass
class PlannedItem:
    kind: str
    id: str
    status: ItemStatus
    action: ItemAction
    theirs: dict
    mine: dict | None = None
    their_hash: str = ""
    note: str = ""
    label: str = ""
    differences: tuple[FieldDifference, ...] = ()


@dataclass
class Plan:
    document: ExchangeFile
    payload: dict[str, dict[str, dict]]
    items: list[PlannedItem] = field(default_factory=list)
    recorded_hashes: dict[tuple[str, str], str] = field(default_factory=dict)  # baselines already held for this peer
    file_received: bool = False
    older_file: bool = False  # a newer file from the same database was imported already
    # Their mandate changes not held here, as (operation id, change entry): added to the operation's
    # history whatever is chosen for its fields, as long as the operation is here after the import.
    new_mandate_changes: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def peer_id(self) -> str:
        return self.document.manifest.database_id

    def by_kind(self, kind: str) -> list[PlannedItem]:
        return [item for item in self.items if item.kind == kind]


def _columns(model: type[Any], *names: str):
    return select(model.id, *(getattr(model, name) for name in names))


class _Names:
    """Display names for ids, from this database and the file (for labels and field values)."""

    def __init__(self, s: Session, payload: dict[str, dict[str, dict]]) -> None:
        # Plain columns, not ORM objects: a large database has thousands of sources.
        self.orgs = {
            i: (code, position) for i, code, position in s.execute(_columns(models.Organization, "code", "position"))
        }
        self.orgs.update(
            {i: (e["code"], e["position"]) for i, e in payload["organizations"].items() if i not in self.orgs}
        )
        self.rels = {i: (a, b) for i, a, b in s.execute(_columns(models.Relationship, "org_a_id", "org_b_id"))}
        self.rels.update(
            {i: (e["org_a_id"], e["org_b_id"]) for i, e in payload["relationships"].items() if i not in self.rels}
        )
        self.themes = {i: key for i, key in s.execute(_columns(models.Theme, "key"))}
        self.themes.update({i: e["key"] for i, e in payload["themes"].items() if i not in self.themes})
        self._local_sources = {
            i: (authors, year) for i, authors, year in s.execute(_columns(models.Source, "authors", "year"))
        }
        self._file_sources = payload["sources"]
        self.ops = {i: acronym for i, acronym in s.execute(_columns(models.Operation, "acronym"))}
        self.ops.update({i: e["acronym"] for i, e in payload["operations"].items() if i not in self.ops})

    def source(self, source_id: str) -> str:
        """ "Gya (2007)", from this database or else the file (only citations of conflicts need it)."""
        if source_id in self._local_sources:
            authors, year = self._local_sources[source_id]
        elif source_id in self._file_sources:
            authors, year = self._file_sources[source_id]["authors"], self._file_sources[source_id]["year"]
        else:
            return source_id
        return f"{short_authors(authors)} ({year})"

    def org(self, org_id: str | None) -> str:
        if org_id is None:
            return ""
        return self.orgs.get(org_id, (org_id, 0))[0]

    def relationship(self, rel_id: str) -> str:
        pair = self.rels.get(rel_id)
        if pair is None:
            return rel_id
        a, b = sorted(pair, key=lambda o: (self.orgs.get(o, ("", 0))[1], self.org(o)))
        return f"{self.org(a)}{DASH}{self.org(b)}"

    def label(self, kind: str, item_id: str, entry: dict) -> str:
        """How the preview and the error messages name an item: one line, whatever the file holds."""
        return one_line(self._label(kind, item_id, entry))

    def _label(self, kind: str, item_id: str, entry: dict) -> str:
        if kind == "markings":
            return item_id
        if kind == "themes":
            return entry["name"]
        if kind == "organizations":
            return entry["code"]
        if kind == "relationships":
            return self.relationship(item_id)
        if kind == "sources":
            return f"{short_authors(entry['authors'])} ({entry['year']}) {entry['title']}"[:120]
        if kind == "operations":
            return f"{entry['acronym']} ({entry['name']})"[:120]
        if kind == "assessment_versions":
            return f"{self.relationship(entry['relationship_id'])} as of {entry['as_of']}, by {entry['recorded_by']}"
        if kind == "milestones":
            return f"{self.relationship(entry['relationship_id'])} {entry['date']}: {entry['title']}"[:120]
        if kind == "field_cooperation":
            return f"{self.relationship(entry['relationship_id'])}: {entry['location']}"
        if kind == "lessons":
            return _opening(entry["finding"], 100)
        return item_id

    def value(self, name: str, value) -> str:
        if value is None:
            return "(none)"
        if name == "relationship_id":
            return self.relationship(value)
        if name == "relationship_ids":
            return ", ".join(self.relationship(v) for v in value)
        if name == "theme_ids":
            return ", ".join(self.themes.get(v, v) for v in value)
        if name in ("lead_org_id",):
            return self.org(value)
        if name == "organization_ids":
            return ", ".join(self.org(v) for v in value)
        if name == "operation_id":
            return self.ops.get(value, value)
        if name == "operation_ids":
            return ", ".join(self.ops.get(v, v) for v in value)
        if name == "creators":
            people = [creator_of(c) for c in value]
            return "; ".join(c.sort_name + ("" if c.role == "author" else f" ({c.role})") for c in people) or "(none)"
        if name == "citations":
            return (
                "\n".join(
                    self.source(c["source_id"])
                    + (f": {c['locator']}" if c["locator"] else "")
                    + (f" “{c['quote']}”" if c["quote"] else "")
                    for c in value
                )
                or "(none)"
            )
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _opening(text: str, size: int) -> str:
    """The first `size` characters of `text` with its white space folded, "…" when there is more. Only
    the start is folded when that is enough: a finding can be 20,000 characters, and every lesson of a
    file is labelled (twice, for an import)."""
    head = " ".join(text[: size * 4].split())
    if len(head) <= size and len(text) > size * 4:
        head = " ".join(text.split())  # mostly white space at the start: fold it all
    return head[:size] + ("…" if len(head) > size else "")


def differences(kind: str, theirs: dict, mine: dict, names: _Names) -> tuple[FieldDifference, ...]:
    """The fields whose content differs, in the entry's order, as display text."""
    a, b = content_of(kind, theirs), content_of(kind, mine)
    return tuple(
        FieldDifference(
            field=name,
            label=FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
            theirs=names.value(name, theirs.get(name)),
            mine=names.value(name, mine.get(name)),
        )
        for name in ENTRY_MODELS[kind].model_fields
        if name not in STAMP_FIELDS and a.get(name) != b.get(name)
    )


def _local_entries(s: Session, kind: str, rows: list) -> dict[str, dict]:
    """This database's rows as entries; a row the file format could not carry is compared as it is."""
    try:
        return entries(s, kind, rows)
    except EntryError:
        raw = raw_entries(s, kind, rows)
        return {key: json.loads(json.dumps(value, default=str)) for key, value in raw.items()}


def plan_import(s: Session, document: ExchangeFile) -> Plan:
    """Decide what importing `document` does, in the caller's (read) transaction.

    Set-based: the items already here are read 500 ids to a query, the natural keys and unique values
    a new item may clash with once per kind; nothing is read per item.
    Raises ExchangeFileError when the file cannot be merged at all (an altered assessment version, a
    known name under another UUID); the message names the first such item.
    """
    payload = document.payload
    plan = Plan(document=document, payload=payload)
    names = _Names(s, payload)
    held = _HeldValues(s)
    manifest = document.manifest
    peers = {manifest.database_id, *manifest.received}
    baselines: dict[tuple[str, str], tuple] = {}
    table = models.ExchangeBaseline
    for agreed in s.execute(
        select(table.peer_id, table.entity_kind, table.entity_id, table.content_hash, table.agreed_at).where(
            table.peer_id.in_(peers)
        )
    ):
        key = (agreed.entity_kind, agreed.entity_id)
        if agreed.peer_id == manifest.database_id:
            plan.recorded_hashes[key] = agreed.content_hash
            if agreed.entity_kind == BASELINE_FILE_KIND:
                # for a file, agreed_at is when it was exported: what the peer held at that moment
                plan.file_received |= agreed.entity_id == manifest.export_id
                plan.older_file |= agreed.agreed_at > manifest.exported_at
        if key not in baselines or agreed.agreed_at > baselines[key][0]:
            baselines[key] = (agreed.agreed_at, agreed.content_hash)

    for kind in KINDS:
        theirs_all = payload[kind]
        ids = list(theirs_all)
        # A chunk of ids at a time: the rows here and their entries never all stand in memory at once.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            local_rows = rows_by_id(s, kind, chunk)
            local = _local_entries(s, kind, list(local_rows.values())) if local_rows else {}
            for item_id in chunk:
                theirs = theirs_all[item_id]
                mine, row = local.get(item_id), local_rows.get(item_id)
                _plan_item(plan, kind, item_id, theirs, mine, row, names, held, baselines)
    plan.new_mandate_changes = _new_mandate_changes(s, payload["operations"])
    return plan


def _new_mandate_changes(s: Session, operations: dict[str, dict]) -> list[tuple[str, dict]]:
    """The file's mandate changes whose ids this database does not hold, oldest first."""
    offered = [(op_id, c) for op_id, entry in operations.items() for c in entry.get("mandate_changes", ())]
    ids = [c["id"] for _, c in offered]
    table = models.OperationMandateChange
    held: set[str] = set()
    for start in range(0, len(ids), 500):
        held.update(s.scalars(select(table.id).where(table.id.in_(ids[start : start + 500]))))
    fresh = [(op_id, c) for op_id, c in offered if c["id"] not in held]
    return sorted(fresh, key=lambda pair: (pair[1]["effective_on"], pair[1]["recorded_at"]))


def _plan_item(
    plan: Plan,
    kind: str,
    item_id: str,
    theirs: dict,
    mine: dict | None,
    row: Any,
    names: _Names,
    held: _HeldValues,
    baselines: dict[tuple[str, str], tuple],
) -> None:
    """Decide one item (see the module's docstring) and add it to `plan`."""
    document = plan.document
    label = names.label(kind, item_id, theirs)
    their_hash = document.content_hash(kind, item_id)
    item = PlannedItem(
        kind=kind,
        id=item_id,
        status=ItemStatus.NEW,
        action=ItemAction.INSERT,
        theirs=theirs,
        their_hash=their_hash,
        label=label,
    )
    plan.items.append(item)
    if mine is None:
        held.check_new_reference(kind, item_id, theirs, label)
        column = UNIQUE_COLUMNS.get(kind)
        if column and theirs.get(column) is not None and theirs[column] in held.values(kind, column):
            item.note = f"its {column} '{theirs[column]}' is taken here: it arrives with a suffix"
        return
    my_hash = content_hash(kind, mine)
    same = my_hash == their_hash
    item.status = ItemStatus.IDENTICAL if same else ItemStatus.DIFFERENT
    item.action = ItemAction.SKIP
    trashed = getattr(row, "deleted_at", None) is not None
    if same:
        item.note = "in your trash; stays there" if trashed else ""
        return
    item.mine = mine  # kept only where the two differ: a repeat import holds no second copy of the file
    if kind == "assessment_versions":
        raise ExchangeFileError(
            f"{manifest_name(document)}: the assessment version {label} differs from the one here with the "
            "same id; assessments are never edited, so the file was altered or is corrupt. Nothing was imported."
        )
    if kind not in IN_PLACE_KINDS:
        item.note = "kept as it is here"
        return
    item.differences = differences(kind, theirs, mine, names)
    base = baselines.get((kind, item_id))
    if base is not None:
        theirs_changed = their_hash != base[1]
        mine_changed = trashed or my_hash != base[1]
    else:
        # Never exchanged: fall back on the stamps that travel with the content. A row never
        # edited here keeps revision 1; theirs was edited if stamped after the row was created
        # (copies seeded from one dataset share the creation stamp).
        their_stamp = theirs.get("updated_at") or theirs.get("created_at")
        theirs_changed = their_stamp is None or datetime.fromisoformat(their_stamp) > row.created_at
        mine_changed = trashed or getattr(row, "revision", 1) > 1
    if plan.older_file:
        # Their newer file already spoke for this item: an older one must not bring back the past.
        item.action, item.note = ItemAction.KEEP_MINE, "the file is older than one already imported from there"
    elif mine_changed and not theirs_changed:
        item.action, item.note = ItemAction.KEEP_MINE, "changed only here since you last agreed"
    elif theirs_changed and not mine_changed:
        item.action, item.note = ItemAction.TAKE_THEIRS, "changed only on their side"
    else:
        item.action = ItemAction.CONFLICT
        item.note = (
            "in your trash here, edited on their side" if trashed else "edited on both sides since you last agreed"
        )


def manifest_name(document: ExchangeFile) -> str:
    return f"The file from {one_line(document.manifest.exported_by)}"


def one_line(text: str) -> str:
    """`text` with every run of white space (line breaks included) as one space: names taken from a
    file go into one-line messages."""
    return " ".join(str(text).split())


class _HeldValues:
    """The natural keys and unique values this database holds, read once per kind when first asked."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self._sets: dict[tuple[str, str], set] = {}
        self._maps: dict[str, dict] = {}

    def values(self, kind: str, column: str) -> set:
        key = (kind, column)
        if key not in self._sets:
            self._sets[key] = set(self.s.scalars(select(getattr(MODELS[kind], column))))
        return self._sets[key]

    def _natural(self, kind: str) -> dict:
        if kind not in self._maps:
            if kind == "markings":
                query = select(models.Marking.rank, models.Marking.name)
                self._maps[kind] = {rank: name for rank, name in self.s.execute(query)}
            elif kind == "relationships":
                table = models.Relationship
                rows = self.s.execute(select(table.org_a_id, table.org_b_id, table.id))
                self._maps[kind] = {(a, b): i for a, b, i in rows}
            else:
                model = MODELS[kind]
                column = "key" if kind == "themes" else "code"
                self._maps[kind] = {value: i for value, i in self.s.execute(select(getattr(model, column), model.id))}
        return self._maps[kind]

    def check_new_reference(self, kind: str, item_id: str, entry: dict, label: str) -> None:
        """Refuse a new reference record whose natural key is taken here by another UUID."""
        if kind == "markings":
            clash = self._natural(kind).get(entry["rank"])
            what = f"the marking {item_id} ranks {entry['rank']}, which is {clash} here"
        elif kind == "themes":
            clash = self._natural(kind).get(entry["key"])
            what = f"the theme '{entry['key']}' exists here under another id"
        elif kind == "organizations":
            clash = self._natural(kind).get(entry["code"])
            what = f"the organization {entry['code']} exists here under another id"
        elif kind == "relationships":
            clash = self._natural(kind).get((entry["org_a_id"], entry["org_b_id"]))
            what = f"the relationship {label} exists here under another id"
        else:
            return
        if clash is not None:
            raise ExchangeFileError(f"Cannot merge this file: {what}. Nothing was imported.")


def preview_of(plan: Plan, manifest: ExchangeManifestRecord) -> ExchangePreview:
    kinds = []
    for kind in KINDS:
        items = tuple(
            ExchangeItem(
                kind=p.kind,
                id=p.id,
                label=p.label,
                status=p.status,
                action=p.action,
                note=p.note,
                differences=p.differences,
                can_keep_both=p.kind in COPYABLE_KINDS,
            )
            for p in plan.by_kind(kind)
        )
        kinds.append(ExchangeKindSummary(kind=kind, label=KIND_LABELS[kind], items=items))
    return ExchangePreview(manifest=manifest, kinds=tuple(kinds))
