"""The reference files service (`store.references`): bibliographic files in and out of the sources
library. Imports of BibTeX, RIS and CSL-JSON go through a preview (duplicates found before anything
is written) and then one transaction after a verified backup, undoable; stored duplicates can be
merged (citations move to the kept source) and unmerged; the library is exported in each format
through the one safe writer."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, update

from db import models
from db.convert import source_record
from db.database import Database, Service
from db.errors import ConflictError, ImportFormatError, NotFoundError, ValidationError
from db.events import EventKind
from db.lesson_records import (
    SourceImportResult,
    SourceInput,
    SourceMergeRecord,
    SourceRecord,
)
from db.references.columns import source_columns
from db.references.decode import decode_reference_file
from db.references.formats import FORMAT_NAMES, WRITERS, export_format_of, format_of, read_text
from db.references.matching import LibraryIndex, compare, merged
from db.references.preview import ImportAction, ImportStatus, SourceImportPreview, build_preview
from db.services.safety import SafetyService
from db.services.sources import SourceService, display_name
from db.types import utc_now
from db.validation import validate_source

EMPTY_FILE = {
    "bibtex": "BibTeX entries (@article{...}, @book{...})",
    "ris": "RIS records ('TY  - ...' to 'ER  -')",
    "csl-json": "CSL-JSON items",
}


class ReferenceService(Service):
    """Reference files in and out of the sources library (the records themselves: `store.sources`)."""

    def __init__(self, database: Database, safety: SafetyService, sources: SourceService) -> None:
        super().__init__(database)
        self._safety = safety
        self._sources = sources

    def preview_import(self, data: bytes | str, origin: str = "import", fmt: str | None = None) -> SourceImportPreview:
        """What importing a BibTeX, RIS or CSL-JSON file would do, entry by entry (new, duplicate of a
        stored source, conflicting), and the problems found (blocks that failed to parse, entries
        without a title). Reads only; writes nothing. The format comes from `fmt`, else the origin's
        extension, else the text. Raises ImportFormatError (one line) for a file that cannot be read
        as text or holds no entry and no problem."""
        text = data if isinstance(data, str) else decode_reference_file(data, display_name(origin))
        if "\x00" in text:
            raise ImportFormatError(f"{display_name(origin)} holds binary data, not text; nothing was imported.")
        if len(text.encode("utf-8", "surrogatepass")) > 5_000_000:
            raise ImportFormatError(f"{display_name(origin)} is larger than 5 MB; nothing was imported.")
        fmt = fmt or format_of(origin, text)
        parsed = read_text(text, fmt)
        if not parsed.entries and not parsed.problems:
            raise ImportFormatError(f"The file holds no {EMPTY_FILE[fmt]}; nothing was imported.")
        return build_preview(parsed, self._sources.all() + self._sources.all(in_trash=True), origin)

    def apply_import(
        self,
        preview: SourceImportPreview,
        choices: dict[int, ImportAction] | None = None,
        *,
        on_duplicate: ImportAction | None = None,
    ) -> SourceImportResult:
        """Import a previewed file: new entries are added; a duplicate or conflicting entry is merged,
        skipped or added anyway as `choices[index]` says, else as `on_duplicate` says, else skipped.
        One write transaction after a verified backup; audited (one entry per import and per merge).
        Returns what was added and merged (`revert_import(result)` undoes it). Emits SOURCES. Raises
        ConflictError when a matched source changed since the preview (nothing is written), StorageError
        when the backup fails, ValidationError for an entry the library refuses."""
        choices = choices or {}
        plan = []
        for entry in preview.entries:
            action = choices.get(entry.index)
            if action is None:
                action = on_duplicate if (on_duplicate and entry.status != ImportStatus.NEW) else entry.default_action
            if action == ImportAction.MERGE and entry.match is None:
                action = ImportAction.SKIP
            if action != ImportAction.SKIP:
                try:
                    validate_source(entry.draft)
                except ValidationError as exc:
                    raise ValidationError(
                        f"'{entry.draft.key or entry.draft.title[:40]}': {exc} Nothing was imported."
                    ) from None
            plan.append((entry, action))
        backup = self._safety.backup_before_import(preview.origin)  # a verified backup named after the file
        notes: list[str] = list(preview.problems)
        added, merges, skipped = [], [], 0
        with self._write() as s:
            taken = set(s.scalars(select(models.Source.key)))
            self._sources._markings = set(s.scalars(select(models.Marking.name)))
            for entry, action in plan:
                if action == ImportAction.SKIP:
                    skipped += 1
                    what = entry.describe() if entry.status != ImportStatus.NEW else "new"
                    notes.append(f"Skipped '{entry.draft.key or entry.draft.title[:40]}': {what}.")
                elif action == ImportAction.ADD:
                    row = self._sources._insert_source(s, entry.draft, taken=taken)
                    if entry.draft.key and row.key != entry.draft.key:
                        notes.append(f"The key '{entry.draft.key}' was taken: imported as '{row.key}'.")
                    added.append(source_record(row))
                else:
                    assert entry.match is not None  # MERGE without a stored match became SKIP above
                    row = s.get(models.Source, entry.match.id)
                    if row is None or row.revision != entry.match.revision:
                        raise ConflictError(
                            f"The source {entry.match.key} changed since the preview: preview the file again. "
                            "Nothing was imported."
                        )
                    before = source_record(row)
                    fills, conflicts = compare(before, entry.draft)
                    for column, value in source_columns(merged(before, entry.draft)).items():
                        setattr(row, column, value)
                    row.revision += 1
                    row.updated_at, row.updated_by = utc_now(), self.actor
                    s.flush()
                    after = source_record(row)
                    merges.append(SourceMergeRecord(before=before, after=after, filled=fills))
                    change = ", ".join(fills) if fills else "nothing"
                    kept = f"; kept the library's {', '.join(c.field for c in conflicts)}" if conflicts else ""
                    notes.append(
                        f"Merged '{entry.draft.key or entry.draft.title[:40]}' into {row.key}: filled {change}{kept}."
                    )
                    self._audit(
                        s,
                        "merge",
                        "source",
                        row.id,
                        f"Merged an imported entry into {row.key}: filled {change}",
                        origin=preview.origin,
                    )
            self._audit(
                s,
                "import",
                "source",
                None,
                f"Imported {len(added)} source(s), merged {len(merges)}, skipped {skipped}",
                origin=preview.origin,
            )
        self._emit(EventKind.SOURCES, *(r.id for r in added), *(m.after.id for m in merges))
        return SourceImportResult(
            sources=tuple(added),
            notes=tuple(notes),
            backup_path=str(backup) if backup else None,
            merged=tuple(merges),
            skipped=skipped,
        )

    def revert_import(self, result: SourceImportResult) -> SourceImportResult:
        """Undo an import: remove the sources it added and put back what merged sources held. Refused
        (changing nothing) when an added source is cited since or a merged one was edited since. One
        transaction, audited. Returns the result as `redo_import` needs it now. Emits SOURCES."""
        merges = []
        with self._write() as s:
            for merge in result.merged:
                row = s.get(models.Source, merge.after.id)
                if row is None or row.revision != merge.after.revision:
                    raise ConflictError(
                        f"The source {merge.after.key} was edited since the import: it cannot be undone."
                    )
                merges.append(replace(merge, before=self._put_back(s, row, merge.before)))
            if result.sources:
                self._sources._retract(s, [r.id for r in result.sources])
            self._audit(s, "retract", "source", None, f"Undid an import of {len(result.sources)} source(s)")
        self._emit(EventKind.SOURCES, *(r.id for r in result.sources), *(m.after.id for m in result.merged))
        return replace(result, merged=tuple(merges))

    def redo_import(self, result: SourceImportResult) -> SourceImportResult:
        """Apply an undone import again exactly (the same ids, the same merged values). One
        transaction, audited. Returns the result as `revert_import` needs it now. Emits SOURCES."""
        merges = []
        with self._write() as s:
            for record in result.sources:
                s.add(models.Source(**self._row_columns(record), created_by=self.actor, updated_by=self.actor))
            for merge in result.merged:
                row = s.get(models.Source, merge.before.id)
                if row is None or row.revision != merge.before.revision:
                    raise ConflictError(f"The source {merge.before.key} was edited since: the import cannot be redone.")
                merges.append(replace(merge, after=self._put_back(s, row, merge.after)))
            self._audit(s, "import", "source", None, f"Redid an import of {len(result.sources)} source(s)")
        self._emit(EventKind.SOURCES, *(r.id for r in result.sources), *(m.after.id for m in result.merged))
        return replace(result, merged=tuple(merges))

    def _row_columns(self, record: SourceRecord) -> dict:
        columns = source_columns(SourceInput.from_record(record))
        columns.update(id=record.id, key=record.key, authors=record.authors, reference=record.reference)
        columns["revision"] = record.revision
        return columns

    def _put_back(self, s, row: models.Source, record: SourceRecord) -> SourceRecord:
        """Give a row a record's content (a merge undone or redone) as a new revision; its record."""
        for column, value in self._row_columns(record).items():
            if column not in ("id", "revision"):
                setattr(row, column, value)
        row.revision += 1
        row.updated_at, row.updated_by = utc_now(), self.actor
        s.flush()
        return source_record(row)

    def import_file(
        self, data: bytes | str, origin: str, *, on_duplicate: ImportAction = ImportAction.SKIP
    ) -> SourceImportResult:
        """Preview and apply in one call (scripts): every duplicate handled as `on_duplicate`."""
        return self.apply_import(self.preview_import(data, origin), on_duplicate=on_duplicate)

    def import_bibtex(self, text: str, origin: str = "BibTeX file") -> SourceImportResult:
        """Add every entry of a BibTeX text: all or nothing (a problem in the file refuses it whole,
        ImportFormatError naming the line), after a backup; duplicates of stored sources are skipped.
        Returns what was added (`retract` or `revert_import` undoes it). Emits SOURCES."""
        return self._import_strict(text, origin, "bibtex")

    def import_ris(self, text: str, origin: str = "RIS file") -> SourceImportResult:
        """As `import_bibtex`, for a RIS text (keys derived from the first author and the year)."""
        return self._import_strict(text, origin, "ris")

    def _import_strict(self, text: str, origin: str, fmt: str) -> SourceImportResult:
        preview = self.preview_import(text, origin, fmt)
        if preview.problems:
            raise ImportFormatError(
                f"Not a valid {FORMAT_NAMES[fmt]} file: {preview.problems[0].rstrip('.')}. Nothing was imported."
            )
        return self.apply_import(preview)

    # -- stored duplicates --------------------------------------------------------------------

    def duplicates(self) -> list[tuple[SourceRecord, SourceRecord, str]]:
        """Pairs of stored sources (kept, duplicate, why) that are the same work, the older kept."""
        found: list[tuple[SourceRecord, SourceRecord, str]] = []
        index = LibraryIndex([])
        for source in sorted(self._sources.all(), key=lambda r: r.key):
            match, reason = index.find(source)
            if match is not None:
                found.append((match, source, reason))
            else:
                index.add(source)
        return found

    def merge_sources(self, keep_id: str, duplicate_id: str) -> SourceMergeRecord:
        """Merge a stored duplicate into the kept source: the kept one gets the fields it lacks, every
        citation of the duplicate moves to it, the duplicate is removed. One transaction, audited.
        Returns what `unmerge_sources` needs to undo it. Emits SOURCES. Raises NotFoundError,
        ValidationError (a source merged with itself)."""
        if keep_id == duplicate_id:
            raise ValidationError("A source cannot be merged with itself.")
        with self._write() as s:
            keep, duplicate = s.get(models.Source, keep_id), s.get(models.Source, duplicate_id)
            if keep is None or duplicate is None:
                raise NotFoundError("That source no longer exists.")
            before, removed = source_record(keep), source_record(duplicate)
            fills, _ = compare(before, SourceInput.from_record(removed))
            for column, value in source_columns(merged(before, SourceInput.from_record(removed))).items():
                setattr(keep, column, value)
            keep.key = before.key
            keep.revision += 1
            keep.updated_at, keep.updated_by = utc_now(), self.actor
            moved = tuple(s.scalars(select(models.Citation.id).where(models.Citation.source_id == duplicate_id)))
            if moved:
                s.execute(update(models.Citation).where(models.Citation.id.in_(moved)).values(source_id=keep_id))
            s.delete(duplicate)
            s.flush()
            after = source_record(keep)
            self._audit(
                s,
                "merge",
                "source",
                keep_id,
                f"Merged source {removed.key} into {before.key} ({len(moved)} citation(s) moved; filled {', '.join(fills) or 'nothing'})",
            )
        self._emit(EventKind.SOURCES, keep_id, duplicate_id)
        return SourceMergeRecord(before=before, after=after, filled=fills, removed=removed, moved_citation_ids=moved)

    def unmerge_sources(self, merge: SourceMergeRecord) -> None:
        """Undo `merge_sources`: the removed source comes back with its id, its citations move back,
        the kept source gets its old fields. Refused when the kept source was edited since. One
        transaction, audited. Emits SOURCES."""
        if merge.removed is None:
            raise ValidationError("This merge did not remove a source.")
        with self._write() as s:
            keep = s.get(models.Source, merge.after.id)
            if keep is None or keep.revision != merge.after.revision:
                raise ConflictError(f"The source {merge.after.key} was edited since the merge: it cannot be undone.")
            self._put_back(s, keep, merge.before)
            s.add(models.Source(**self._row_columns(merge.removed), created_by=self.actor, updated_by=self.actor))
            s.flush()
            if merge.moved_citation_ids:
                s.execute(
                    update(models.Citation)
                    .where(models.Citation.id.in_(merge.moved_citation_ids))
                    .values(source_id=merge.removed.id)
                )
            self._audit(
                s,
                "unmerge",
                "source",
                merge.removed.id,
                f"Undid the merge of {merge.removed.key} into {merge.before.key}",
            )
        self._emit(EventKind.SOURCES, merge.after.id, merge.removed.id)

    # -- exports ------------------------------------------------------------------------------

    def export_text(self, fmt: str, source_ids: list[str] | None = None, *, marking: str | None = None) -> str:
        """The library (or the given sources), by key, as "bibtex", "ris" or "csl-json" text, with
        `marking` (the output's banner line) or else the highest marking among them in the file."""
        with self._read() as s:
            query = select(models.Source).where(models.Source.deleted_at.is_(None)).order_by(models.Source.key)
            if source_ids is not None:
                query = select(models.Source).where(models.Source.id.in_(source_ids)).order_by(models.Source.key)
            records = [source_record(r) for r in s.scalars(query)]
            ranks = dict(s.execute(select(models.Marking.name, models.Marking.rank)).all())
        if marking is None:
            marking = max((r.marking for r in records), key=lambda m: ranks.get(m, 0), default="")
        return WRITERS[fmt](records, marking)

    def export_file_text(self, name: str, source_ids: list[str] | None = None) -> str:
        """As `export_text`, the format chosen by the file name's extension (.bib, .ris, .json)."""
        return self.export_text(export_format_of(name), source_ids)

    def export_to(self, path, source_ids: list[str] | None = None, *, overwrite: bool = True) -> int:
        """Write the library (or the given sources) to `path` in the format of its extension through the
        one safe writer (db/safe_write.py: never onto the database or its companions; temporary file,
        fsync, verify, rename). An existing file is replaced only with `overwrite`. Returns how many
        sources were written. Raises ImportFormatError for an unknown extension, SafeWriteError."""
        from db.safe_write import check_target, write_file

        protect = (self.location.file,) if self.location.is_sqlite else ()
        check_target(path, protect=protect, overwrite=overwrite)  # "that is the database" before "not .db"
        fmt = export_format_of(str(path))
        text = self.export_text(fmt, source_ids)
        write_file(path, text, protect=protect, overwrite=overwrite)
        return len(source_ids) if source_ids is not None else len(self._sources.all())

    def export_bibtex(self, source_ids: list[str] | None = None) -> str:
        """The library (or the given sources) as BibTeX text, by key."""
        return self.export_text("bibtex", source_ids)
