"""The exchange service: files between offline workstations: export a file, preview it, import it.

The exchange machinery (its pydantic file format, the merge planner, reader and writer) is imported by
the methods that use it, not with the store: opening a database does not pay for it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from db import models
from db.database import Database, Service
from db.errors import StorageError, ValidationError
from db.events import EventKind
from db.exchange.records import ExchangeChoice, ExchangeManifestRecord, ExchangePreview, ImportResult
from db.services.lessons import LessonService
from db.services.operations import OperationService
from db.services.quadrangle import QuadrangleService
from db.services.safety import SafetyService
from db.types import new_id, utc_now

if TYPE_CHECKING:
    from db.exchange.format import Manifest

# The event announced for each kind of record an import changed.
EVENT_KINDS = {
    "markings": EventKind.MARKINGS,
    "themes": EventKind.THEMES,
    "organizations": EventKind.ORGANIZATIONS,
    "relationships": EventKind.ORGANIZATIONS,
    "sources": EventKind.SOURCES,
    "operations": EventKind.OPERATIONS,
    "assessment_versions": EventKind.ASSESSMENTS,
    "milestones": EventKind.MILESTONES,
    "field_cooperation": EventKind.COOPERATION,
    "lessons": EventKind.LESSONS,
}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file is read, planned and written: an import makes a
    few million short-lived objects and no cycles, and every full collection walks all that is alive
    (it was half the time of a 45 MB import). Reference counting frees as usual; the collector resumes
    afterwards (it is left off if it was off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def application_version() -> str:
    """This Quadrangle's version from the installed package's metadata ("unknown" when not installed)."""
    try:
        from importlib.metadata import version

        return version("quadrangle")
    except Exception:  # PackageNotFoundError, or metadata unreadable
        return "unknown"


def manifest_record(m: Manifest, path: Path) -> ExchangeManifestRecord:
    from db.exchange.format import KINDS

    return ExchangeManifestRecord(
        path=Path(path),
        format_version=m.format_version,
        app_version=m.app_version,
        exported_by=m.exported_by,
        exported_at=m.exported_at,
        database_id=m.database_id,
        export_id=m.export_id,
        payload_sha256=m.payload_sha256,
        counts=tuple((k, m.counts.get(k, 0)) for k in KINDS),
        withheld=tuple((k, n) for k, n in m.withheld.items() if n),
        relationships=tuple(m.selection.relationships) if m.selection.relationships is not None else None,
        since=m.selection.since,
        max_marking=m.selection.max_marking,
    )


class ExchangeService(Service):
    """Exchange files: what leaves, what arrives, and merging without losing anyone's work."""

    def __init__(
        self,
        database: Database,
        quadrangle: QuadrangleService,
        operations: OperationService,
        safety: SafetyService,
        lessons: LessonService,
    ) -> None:
        super().__init__(database)
        self._quadrangle = quadrangle
        self._operations = operations
        self._safety = safety
        self._lessons = lessons

    def database_id(self) -> str:
        """This database's own UUID (stored in the meta table; every exchange file names its source by it)."""
        with self._read() as s:
            row = s.get(models.Meta, "database_id")
            if row is not None:
                return row.value
        with self._write() as s:
            row = s.get(models.Meta, "database_id")
            if row is None:
                row = models.Meta(key="database_id", value=new_id())
                s.add(row)
            return row.value

    def export(
        self,
        path: str | Path,
        *,
        relationships: Iterable[str] | None = None,
        since: date | None = None,
        max_marking: str | None = None,
        app_version: str | None = None,
        operations: Iterable[str] | None = None,
        until: date | None = None,
    ) -> ExchangeManifestRecord:
        """Write an exchange file of the selected relationships (ids or names like "UN-EU"; None: all)
        and/or the lessons of the selected operations (ids or acronyms; None: no restriction), of what
        was recorded or changed between `since` and `until` (inclusive, either open), leaving out items
        above `max_marking`.

        One write transaction: the file is written atomically, then the content of every in-place item
        sent is recorded as a baseline for this export, and the export is logged in the audit log.
        Returns the manifest. Raises ValidationError (unknown relationship or marking), StorageError.
        """
        from pydantic import ValidationError as PydanticValidationError

        from db.exchange.format import KIND_LABELS, ExchangeDocument
        from db.exchange.writer import ExportSelection, build_document, collect, write_document

        path = Path(path)
        database_id = self.database_id()
        rel_ids = None
        labels = None
        if relationships is not None:
            records = {r.id: r for r in self._quadrangle.relationships()}
            chosen = [
                records[text] if text in records else self._quadrangle.find_relationship(text) for text in relationships
            ]
            if not chosen:
                raise ValidationError("Choose at least one relationship to export.")
            rel_ids = tuple(dict.fromkeys(r.id for r in chosen))
            labels = [r.key for r in dict.fromkeys(chosen)]
        op_ids = None
        op_labels = None
        if operations is not None:
            known = {o.id: o for o in self._operations.all()}
            by_acronym = {o.acronym.casefold(): o for o in known.values()}
            chosen_ops = []
            for text in operations:
                record = known.get(text) or by_acronym.get(str(text).strip().casefold())
                if record is None:
                    raise ValidationError(f"No operation '{text}': name operations by their acronym, e.g. EUPM.")
                chosen_ops.append(record)
            if not chosen_ops:
                raise ValidationError("Choose at least one operation to export.")
            op_ids = tuple(dict.fromkeys(o.id for o in chosen_ops))
            op_labels = [o.acronym for o in dict.fromkeys(chosen_ops)]
        if since is not None and until is not None and until < since:
            raise ValidationError("The end of the date range is before its start: swap the dates.")
        selection = ExportSelection(
            relationship_ids=rel_ids, since=since, max_marking=max_marking, operation_ids=op_ids, until=until
        )
        export_id = new_id()
        now = utc_now()
        with self._write() as s:
            content = collect(s, selection)
            received = [
                row.entity_id
                for row in s.scalars(
                    select(models.ExchangeBaseline).where(models.ExchangeBaseline.entity_kind == "exchange_file")
                )
            ]
            document = build_document(
                content,
                actor=self.actor,
                app_version=app_version or application_version(),
                database_id=database_id,
                export_id=export_id,
                received=received,
                exported_at=now,
                selection_labels={
                    "relationships": labels,
                    "since": since.isoformat() if since else None,
                    "max_marking": max_marking,
                    "operations": op_labels,
                    "until": until.isoformat() if until else None,
                },
            )
            try:
                checked = ExchangeDocument.model_validate(document)
            except PydanticValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                raise ValidationError(
                    f"The export does not fit the exchange format ({where}: {first['msg']}); nothing was written."
                ) from None
            write_document(document, path, protect=(self.location.file,) if self.location.is_sqlite else ())
            for kind, item_id, digest in content.in_place_hashes():
                s.add(
                    models.ExchangeBaseline(
                        peer_id=export_id, entity_kind=kind, entity_id=item_id, content_hash=digest, agreed_at=now
                    )
                )
            counts = ", ".join(f"{n} {KIND_LABELS[k].lower()}" for k, n in document["manifest"]["counts"].items() if n)
            self._audit(
                s, "export", "exchange", export_id, f"Exported {path.name}: {counts or 'nothing'}", origin=path.name
            )
        return manifest_record(checked.manifest, path)

    def preview(self, path: str | Path) -> ExchangePreview:
        """What importing the file would do, grouped by kind (new / identical / different), with the
        per-field values of items edited on both sides. Reads only. Raises ExchangeFileError (bad,
        tampered, newer or oversized file) with a one-line reason."""
        from db.exchange.merge import plan_import, preview_of
        from db.exchange.reader import read_exchange_file

        with collector_paused():
            document = read_exchange_file(Path(path))
            with self._read() as s:
                plan = plan_import(s, document)
        return preview_of(plan, manifest_record(document.manifest, Path(path)))

    def import_file(
        self,
        path: str | Path,
        choices: Mapping[str, ExchangeChoice | str] | None = None,
        *,
        on_conflict: ExchangeChoice | str | None = None,
    ) -> ImportResult:
        """Merge an exchange file: `choices` maps the id of each conflicting item to theirs, mine or both
        (`on_conflict` answers every conflict not in `choices`).

        All or nothing: the file is checked first; then one write transaction plans the import (it
        holds the write lock from its first statement, so nothing can move between the plan and its
        writing), takes a verified backup of that very state (read through its own connection), then
        adds new items, takes theirs where only they changed, applies the choices, records the
        baselines, and logs each change with the file and its analyst as origin. A file already
        imported with nothing new writes nothing (no backup either). Emits "exchange" and the kinds
        changed. Raises ExchangeFileError, ValidationError (a conflict without a choice), StorageError.
        """
        from db.exchange.apply import Applier, needs_writing, resolve_choices
        from db.exchange.merge import plan_import
        from db.exchange.reader import read_exchange_file

        path = Path(path)
        if self.read_only:
            raise StorageError(f"{self.location.display} is open read-only: nothing can be imported.")
        with collector_paused():
            document = read_exchange_file(path)
            manifest = document.manifest
            answers: dict[str, ExchangeChoice | str] = dict(choices or {})
            origin = f"{path.name} from {manifest.exported_by}"
            with self._write() as s:
                plan = plan_import(s, document)
                if on_conflict is not None:
                    for item in plan.items:
                        answers.setdefault(item.id, on_conflict)
                resolve_choices(plan, answers)
                if not needs_writing(plan):
                    return ImportResult(file_name=path.name, exported_by=manifest.exported_by, skipped=len(plan.items))
                backup = self._safety.backup_before_import(str(path))
                applier = Applier(s, plan, actor=self.actor, origin=origin)
                applier.run()
                c = applier.counts
                self._audit(
                    s,
                    "import",
                    "exchange",
                    manifest.export_id,
                    f"Imported {path.name} from {manifest.exported_by}: {c['inserted']} new, {c['updated']} "
                    f"updated, {c['copied']} kept as copies, {c['kept']} kept as here, {c['skipped']} unchanged",
                    origin=origin[:300],
                )
                changed = applier.changed_kinds
        result = ImportResult(file_name=path.name, exported_by=manifest.exported_by, backup_path=backup, **c)
        self._emit(EventKind.EXCHANGE, manifest.export_id)
        for kind in sorted({EVENT_KINDS[k] for k in changed}):
            self._emit(kind)
        return result
