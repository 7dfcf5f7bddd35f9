"""The applier: writes a merge plan into the database inside the caller's one transaction.

Rows are written directly (not through the feature stores' editing methods) so the whole import is
one transaction; every write gets an audit entry whose origin names the file and its analyst, and
the baselines record what both sides now agree on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from db import models, search
from db.errors import ValidationError
from db.exchange.bulk_insert import insert_rows
from db.exchange.entries import MODELS
from db.exchange.format import COPYABLE_KINDS, IN_PLACE_KINDS, KINDS
from db.exchange.merge import BASELINE_FILE_KIND, UNIQUE_COLUMNS, Plan, PlannedItem
from db.exchange.records import ExchangeChoice, ItemAction, ItemStatus
from db.references.model import creator_of, creators_to_json
from db.types import new_id, utc_now

# A set: every key of every entry is looked up in it.
LINK_FIELDS = frozenset(
    (
        "organization_ids",
        "operation_ids",
        "relationship_ids",
        "theme_ids",
        "citations",
        "motives",
        "mandate_changes",
    )
)
DATETIME_FIELDS = ("created_at", "updated_at", "recorded_at")
DATE_FIELDS = ("as_of", "recorded_on", "founded")
CITATION_OWNERS = {"assessment_versions": "assessment_version_id", "lessons": "lesson_id", "milestones": "milestone_id"}
# Every citation row names all three owner columns: the rows of one executemany share one column list.
NO_OWNER = dict.fromkeys(CITATION_OWNERS.values())
SINGULAR = {
    "markings": "marking",
    "themes": "theme",
    "organizations": "organization",
    "relationships": "relationship",
    "sources": "source",
    "operations": "operation",
    "assessment_versions": "assessment",
    "milestones": "milestone",
    "field_cooperation": "cooperation",
    "lessons": "lesson",
}


def resolve_choices(plan: Plan, choices: Mapping[str, ExchangeChoice | str]) -> None:
    """Turn every conflict into the user's choice; ValidationError if one is missing or impossible."""
    missing = 0
    for item in plan.items:
        if item.action != ItemAction.CONFLICT:
            continue
        raw = choices.get(item.id)
        if raw is None:
            missing += 1
            continue
        try:
            choice = ExchangeChoice(raw)
        except ValueError:
            raise ValidationError(f"'{raw}' is not a choice: use theirs, mine or both.") from None
        if choice == ExchangeChoice.BOTH and item.kind not in COPYABLE_KINDS:
            raise ValidationError(
                f"{item.label}: keeping both is possible only for lessons and sources; choose theirs or mine."
            )
        item.action = {
            ExchangeChoice.THEIRS: ItemAction.TAKE_THEIRS,
            ExchangeChoice.MINE: ItemAction.KEEP_MINE,
            ExchangeChoice.BOTH: ItemAction.KEEP_BOTH,
        }[choice]
    if missing:
        raise ValidationError(
            f"{missing} item(s) were edited on both sides: choose theirs, mine or keep both for each; nothing was imported."
        )


def needs_writing(plan: Plan) -> bool:
    """True when the import would change something: a record (new, theirs taken, a copy kept), or a
    disagreement to remember (an item that differs here, kept as mine, whose baseline does not yet say
    so). An import whose every item is identical to this database (or was already agreed) writes
    nothing at all: no audit row, no baseline, no backup, even the first time that file is seen."""
    if plan.new_mandate_changes:
        return True
    for item in plan.items:
        if item.action in (ItemAction.INSERT, ItemAction.TAKE_THEIRS, ItemAction.KEEP_BOTH):
            return True
        if (
            item.kind in IN_PLACE_KINDS
            and item.status == ItemStatus.DIFFERENT
            and not plan.older_file
            and plan.recorded_hashes.get((item.kind, item.id)) != item.their_hash
        ):
            return True
    return False


def _values(kind: str, entry: dict) -> dict:
    values = {k: v for k, v in entry.items() if k not in LINK_FIELDS}
    for name in DATETIME_FIELDS:
        if name in values and values[name] is not None:
            values[name] = datetime.fromisoformat(values[name])
    for name in DATE_FIELDS:
        if name in values and values[name] is not None:
            values[name] = date.fromisoformat(values[name])
    if kind == "organizations":
        values["updated_at"], values["updated_by"] = values["created_at"], values["created_by"]
    if kind == "sources":
        values["creators"] = creators_to_json(tuple(creator_of(c) for c in values["creators"]))
    return values


def _table(model: type[Any]) -> Table:
    """A model's table, for Core statements: an executemany of plain rows, past the ORM's bookkeeping."""
    return models.Base.metadata.tables[model.__tablename__]


class _Rows:
    """Rows waiting to be written, one list per table, so each table gets one executemany per batch
    (batches keep the parameter lists of a 100,000-row import small)."""

    BATCH = 5000

    def __init__(self, s: Session) -> None:
        self.s = s
        self.by_table: dict[str, list[dict]] = {}
        self.pending = 0

    def add(self, model: type[Any], row: dict) -> None:
        self.by_table.setdefault(model.__tablename__, []).append(row)
        self.pending += 1
        if self.pending >= self.BATCH:
            self.write()

    def write(self) -> None:
        """Insert every table's rows, parent tables before the tables referring to them."""
        for table in models.Base.metadata.sorted_tables:
            rows = self.by_table.pop(table.name, None)
            if rows:
                insert_rows(self.s, table, rows)
        self.pending = 0


class Applier:
    """Writes one plan; `counts` afterwards says what was done.

    Rows are inserted kind by kind with one executemany per table (an import of 100,000 records is
    a few dozen statements, not 100,000 ORM objects); updates of items edited in place go one by one."""

    def __init__(self, s: Session, plan: Plan, *, actor: str, origin: str) -> None:
        self.s = s
        self.plan = plan
        self.actor = actor
        self.origin = origin[:300]
        self.now = utc_now()
        self.counts = {"inserted": 0, "updated": 0, "copied": 0, "kept": 0, "skipped": 0, "mandate_changes": 0}
        self.changed_kinds: set[str] = set()
        self.lessons_written: list[str] = []  # inserted or updated: their search index rows are redone
        self._taken: dict[str, dict[str, str]] = {}
        self._held: dict[str, dict[str, str]] = {}  # per kind, the unique value each item holds in `_taken`
        self._rows = _Rows(s)

    def audit(self, action: str, kind: str, entity_id: str | None, summary: str) -> None:
        self._rows.add(
            models.AuditEntry,
            {
                "id": new_id(),
                "at": self.now,
                "actor": self.actor,
                "action": action,
                "entity_kind": SINGULAR.get(kind, kind),
                "entity_id": entity_id,
                "summary": summary[:2000],
                "origin": self.origin,
            },
        )

    def run(self) -> None:
        for kind in KINDS:
            items = self.plan.by_kind(kind)
            if kind == "assessment_versions":
                items = self._restore_order(items)
            for item in items:
                self._apply(item)
            self._rows.write()  # this kind's rows (in order), then what hangs on them
            if kind == "operations":
                self._add_mandate_changes()
        if self.lessons_written:
            self._index_lessons()
        self._rows.write()  # the audit rows
        self._record_baselines()

    def _add_mandate_changes(self) -> None:
        """Their mandate changes this database lacks join the history of operations that are here now
        (an operation they have and this import skipped brings none), each logged."""
        fresh = self.plan.new_mandate_changes
        if not fresh:
            return
        wanted = sorted({op_id for op_id, _ in fresh})
        here: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = select(models.Operation.id, models.Operation.acronym).where(models.Operation.id.in_(chunk))
            here.update((op_id, acronym) for op_id, acronym in self.s.execute(query))
        for op_id, change in fresh:
            if op_id not in here:
                continue
            self._rows.add(
                models.OperationMandateChange,
                {
                    "id": change["id"],
                    "operation_id": op_id,
                    "effective_on": date.fromisoformat(change["effective_on"]),
                    "old_mandate": change["old_mandate"],
                    "new_mandate": change["new_mandate"],
                    "recorded_by": change["recorded_by"],
                    "recorded_at": datetime.fromisoformat(change["recorded_at"]),
                },
            )
            self.counts["mandate_changes"] += 1
            self.changed_kinds.add("operations")
            self.audit(
                "import",
                "operations",
                op_id,
                f"Imported the mandate change of {here[op_id]} in effect from {change['effective_on']}",
            )
        self._rows.write()

    def _index_lessons(self) -> None:
        """The search index rows and theme-overview counts of the lessons written, in this transaction
        as every lesson writer does (an updated lesson's old counts were taken away before it changed).
        When most of the lessons here are ones just written, building the index afresh costs less
        than adding them one chunk at a time."""
        written = self.lessons_written
        if len(written) * 2 > (self.s.scalar(select(func.count()).select_from(models.Lesson)) or 0):
            search.rebuild_index(self.s)
            return
        search.reindex_lessons(self.s, written)
        for start in range(0, len(written), 5000):  # under SQLite's limit on bound parameters
            search.adjust_overview(self.s, written[start : start + 5000], 1)

    def _restore_order(self, items: list[PlannedItem]) -> list[PlannedItem]:
        """Versions that restore another come after it (the file was checked to have no cycles)."""
        by_id = {item.id: item for item in items}
        ordered: list[PlannedItem] = []
        done: set[str] = set()

        def visit(item: PlannedItem) -> None:
            if item.id in done:
                return
            done.add(item.id)
            target = item.theirs.get("restored_from_id")
            if target in by_id:
                visit(by_id[target])
            ordered.append(item)

        for item in sorted(items, key=lambda i: i.theirs["recorded_at"]):
            visit(item)
        return ordered

    def _apply(self, item: PlannedItem) -> None:
        action = item.action
        if action in (ItemAction.SKIP, ItemAction.KEEP_MINE):
            self.counts["kept" if action == ItemAction.KEEP_MINE else "skipped"] += 1
            return
        self.changed_kinds.add(item.kind)
        if action == ItemAction.INSERT:
            self._insert(item.kind, item.id, item.theirs)
            self.counts["inserted"] += 1
            self.audit("import", item.kind, item.id, f"Imported {SINGULAR[item.kind]} {item.label}")
        elif action == ItemAction.TAKE_THEIRS:
            self._update(item.kind, item.id, item.theirs)
            self.counts["updated"] += 1
            self.audit("import", item.kind, item.id, f"Took their version of {SINGULAR[item.kind]} {item.label}")
        elif action == ItemAction.KEEP_BOTH:
            copy_id = new_id()
            self._insert(item.kind, copy_id, item.theirs, copy=True)
            self.counts["copied"] += 1
            self.audit(
                "import",
                item.kind,
                copy_id,
                f"Kept both versions of {SINGULAR[item.kind]} {item.label}: theirs added as a copy of {item.id}",
            )
        else:  # pragma: no cover - the planner and resolve_choices leave no other action
            raise ValidationError(f"{item.label}: no choice was made.")

    def _unique(self, kind: str, item_id: str, values: dict) -> None:
        column_name = UNIQUE_COLUMNS.get(kind)
        if column_name is None or values.get(column_name) is None:
            return
        if kind not in self._taken:
            model = MODELS[kind]
            pairs = list(self.s.execute(select(model.id, getattr(model, column_name))))
            self._taken[kind] = {value: row_id for row_id, value in pairs if value is not None}
            self._held[kind] = {row_id: value for row_id, value in pairs if value is not None}
        taken, held = self._taken[kind], self._held[kind]
        base = values[column_name]
        candidate, n = base, 1
        while taken.get(candidate, item_id) != item_id:
            n += 1
            suffix = f"-{n}" if kind != "operations" else f" ({n})"
            candidate = base[: (120 if kind != "operations" else 60) - len(suffix)] + suffix
        previous = held.get(item_id)
        if previous is not None and taken.get(previous) == item_id:
            del taken[previous]  # an item taken from them gives up the value it held here
        taken[candidate] = item_id
        held[item_id] = candidate
        values[column_name] = candidate

    def _insert(self, kind: str, item_id: str, entry: dict, *, copy: bool = False) -> None:
        if kind == "markings":
            self._rows.add(models.Marking, {"name": item_id, "rank": entry["rank"]})
            return
        values = _values(kind, entry)
        self._unique(kind, item_id, values)
        model = MODELS[kind]
        row = {"id": item_id, **values}
        if hasattr(model, "revision"):
            row["revision"], row["deleted_at"] = 1, None
        self._rows.add(model, row)
        if kind == "lessons":
            self.lessons_written.append(item_id)
        self._add_links(kind, item_id, entry, fresh_citation_ids=copy)

    def _update(self, kind: str, item_id: str, entry: dict) -> None:
        model = MODELS[kind]
        values = _values(kind, entry)
        self._unique(kind, item_id, values)
        if kind == "lessons":
            self.lessons_written.append(item_id)
            search.adjust_overview(self.s, [item_id], -1)  # its old themes, relationships and trash state
        self._clear_links(kind, item_id)
        table = _table(model)
        if hasattr(model, "revision"):
            # an editor holding the old revision must reload; a trashed item taken from them is restored
            values["revision"] = func.coalesce(table.c.revision, 1) + 1
            values["deleted_at"] = None
        # Core, not the ORM: the plan's row objects are not written back (they are not used again).
        self.s.execute(update(table).where(table.c.id == item_id).values(**values))
        self._add_links(kind, item_id, entry, fresh_citation_ids=False)

    def _clear_links(self, kind: str, item_id: str) -> None:
        s = self.s
        if kind == "operations":
            s.execute(delete(models.OperationOrganization).where(models.OperationOrganization.operation_id == item_id))
        elif kind == "field_cooperation":
            s.execute(
                delete(models.FieldCooperationOperation).where(
                    models.FieldCooperationOperation.field_cooperation_id == item_id
                )
            )
        elif kind == "lessons":
            s.execute(delete(models.LessonRelationship).where(models.LessonRelationship.lesson_id == item_id))
            s.execute(delete(models.LessonTheme).where(models.LessonTheme.lesson_id == item_id))
            s.execute(delete(models.Citation).where(models.Citation.lesson_id == item_id))
        elif kind == "milestones":
            s.execute(delete(models.Citation).where(models.Citation.milestone_id == item_id))

    def _add_links(self, kind: str, item_id: str, entry: dict, *, fresh_citation_ids: bool) -> None:
        rows = self._rows
        for org_id in dict.fromkeys(entry.get("organization_ids", [])):
            rows.add(models.OperationOrganization, {"operation_id": item_id, "organization_id": org_id})
        if kind == "field_cooperation":
            for op_id in dict.fromkeys(entry["operation_ids"]):
                rows.add(models.FieldCooperationOperation, {"field_cooperation_id": item_id, "operation_id": op_id})
        for rel_id in dict.fromkeys(entry.get("relationship_ids", [])):
            rows.add(models.LessonRelationship, {"lesson_id": item_id, "relationship_id": rel_id})
        for theme_id in dict.fromkeys(entry.get("theme_ids", [])):
            rows.add(models.LessonTheme, {"lesson_id": item_id, "theme_id": theme_id})
        for motive in entry.get("motives", []):
            rows.add(models.AssessmentMotive, {"version_id": item_id, **motive})
        owner = CITATION_OWNERS.get(kind)
        if owner is None:  # only these kinds' entries carry citations
            return
        for citation in entry.get("citations", []):
            values = {**NO_OWNER, "motive": None, **citation, owner: item_id}  # one key set per executemany
            if fresh_citation_ids:
                values["id"] = new_id()
            rows.add(models.Citation, values)

    def _record_baselines(self) -> None:
        peer = self.plan.peer_id
        known = self.plan.recorded_hashes
        table = _table(models.ExchangeBaseline)
        fresh: list[dict] = []
        for item in self.plan.items:
            if item.kind not in IN_PLACE_KINDS or known.get((item.kind, item.id)) == item.their_hash:
                continue
            if self.plan.older_file:
                break  # what an older file held was never the latest agreement
            if (item.kind, item.id) in known:
                self.s.execute(
                    update(table)
                    .where(table.c.peer_id == peer, table.c.entity_kind == item.kind, table.c.entity_id == item.id)
                    .values(content_hash=item.their_hash, agreed_at=self.now)
                )
            else:
                fresh.append(
                    {
                        "peer_id": peer,
                        "entity_kind": item.kind,
                        "entity_id": item.id,
                        "content_hash": item.their_hash,
                        "agreed_at": self.now,
                    }
                )
        manifest = self.plan.document.manifest
        if not self.plan.file_received:
            fresh.append(
                {
                    "peer_id": peer,
                    "entity_kind": BASELINE_FILE_KIND,
                    "entity_id": manifest.export_id,
                    "content_hash": manifest.payload_sha256,
                    "agreed_at": manifest.exported_at,
                }
            )
        if fresh:
            insert_rows(self.s, table, fresh)
