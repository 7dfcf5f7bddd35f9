"""The preview of an import, built before anything is written: each entry new, a duplicate of a
stored source (or of an earlier entry of the same file) or conflicting with one, with what a merge
would fill and what differs; the analyst's choice per entry or for all is applied to it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from db.lesson_records import SourceInput, SourceRecord
from db.references.matching import FieldConflict, LibraryIndex, compare
from db.references.parsed import ParsedFile
from db.references.record import complete


class ImportStatus(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"


class ImportAction(StrEnum):
    ADD = "add"
    MERGE = "merge"
    SKIP = "skip"


@dataclass(frozen=True)
class ImportEntryPreview:
    """One entry of the file as it would be imported. `match` is the stored source it duplicates
    (None for a new entry or one that repeats an earlier entry of the file, `repeats` then its index)."""

    index: int
    line: int
    draft: SourceInput
    status: ImportStatus
    match: SourceRecord | None = None
    reason: str = ""
    fills: tuple[str, ...] = ()
    conflicts: tuple[FieldConflict, ...] = ()
    repeats: int | None = None

    @property
    def label(self) -> str:
        return f"{creators_label(self.draft.creators) or '?'} ({self.draft.year or 'n.d.'}) {self.draft.title}"

    @property
    def default_action(self) -> ImportAction:
        return ImportAction.ADD if self.status == ImportStatus.NEW else ImportAction.SKIP

    def allowed(self, action: ImportAction) -> bool:
        return action != ImportAction.MERGE or self.match is not None

    def describe(self) -> str:
        """One line for a preview: "duplicate of Tardy (2005), same DOI; a merge would fill DOI, URL"."""
        if self.status == ImportStatus.NEW:
            return "new"
        if self.match is None:
            return f"repeats entry {self.repeats + 1 if self.repeats is not None else '?'} of this file"
        text = f"{self.status.value} of {self.match.short} [{self.match.key}], {self.reason}"
        if self.conflicts:
            text += "; differs in " + ", ".join(c.field for c in self.conflicts)
        if self.fills:
            text += "; a merge would fill " + ", ".join(self.fills)
        return text


@dataclass(frozen=True)
class SourceImportPreview:
    origin: str
    format: str
    entries: tuple[ImportEntryPreview, ...]
    problems: tuple[str, ...] = ()

    def count(self, status: ImportStatus) -> int:
        return sum(1 for e in self.entries if e.status == status)

    def summary(self) -> str:
        text = (
            f"{len(self.entries)} entr{'y' if len(self.entries) == 1 else 'ies'}: "
            f"{self.count(ImportStatus.NEW)} new, {self.count(ImportStatus.DUPLICATE)} duplicate, "
            f"{self.count(ImportStatus.CONFLICT)} conflicting"
        )
        if self.problems:
            text += f"; {len(self.problems)} problem(s)"
        return text


def build_preview(parsed: ParsedFile, library: list[SourceRecord], origin: str) -> SourceImportPreview:
    """Each parsed entry compared with the library (and with the file's earlier entries)."""
    index = LibraryIndex(library)
    seen = LibraryIndex([])
    entries = []
    for number, entry in enumerate(parsed.entries):
        draft = complete(entry.draft)
        match, reason = index.find(draft)
        if match is not None:
            fills, conflicts = compare(match, draft)
            status = ImportStatus.CONFLICT if conflicts else ImportStatus.DUPLICATE
            entries.append(ImportEntryPreview(number, entry.line, draft, status, match, reason, fills, conflicts))
            continue
        earlier, reason = seen.find(draft)
        if earlier is not None:
            entries.append(
                ImportEntryPreview(
                    number, entry.line, draft, ImportStatus.DUPLICATE, None, reason, repeats=earlier.index
                )
            )
            continue
        entries.append(ImportEntryPreview(number, entry.line, draft, ImportStatus.NEW))
        seen.add(_Indexed(number, draft))
    return SourceImportPreview(origin, parsed.format, tuple(entries), parsed.problems)


class _Indexed:
    """An entry of the file in the index of earlier entries (it has the fields matching reads)."""

    def __init__(self, index: int, draft: SourceInput) -> None:
        self.index = index
        self.doi, self.isbn, self.title, self.year, self.creators = (
            draft.doi,
            draft.isbn,
            draft.title,
            draft.year,
            draft.creators,
        )


def creators_label(creators) -> str:
    """ "Tardy", "Pugh and Sidhu", "Child et al." (authors, else editors), for lists and previews."""
    people = [c for c in creators if c.role == "author"] or [c for c in creators if c.role == "editor"]
    names = [c.family_or_literal for c in people]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)
