"""Frozen records of an exchange: the manifest, the preview of an import, the user's choices, the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path


class ExchangeChoice(str, Enum):
    """What to do with an item edited on both sides since the two databases last agreed."""

    THEIRS = "theirs"
    MINE = "mine"
    BOTH = "both"  # keep mine in place and add theirs as a copy with a new UUID


class ItemStatus(str, Enum):
    NEW = "new"
    IDENTICAL = "identical"
    DIFFERENT = "different"


class ItemAction(str, Enum):
    """What an import does with an item: decided by the planner, or by the user for a conflict."""

    INSERT = "insert"
    SKIP = "skip"
    TAKE_THEIRS = "take theirs"
    KEEP_MINE = "keep mine"
    KEEP_BOTH = "keep both"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class ExchangeManifestRecord:
    """The facts a file states about itself (and an export returns about the file it wrote)."""

    path: Path
    format_version: int
    app_version: str
    exported_by: str
    exported_at: datetime
    database_id: str
    export_id: str
    payload_sha256: str
    counts: tuple[tuple[str, int], ...]
    withheld: tuple[tuple[str, int], ...]
    relationships: tuple[str, ...] | None = None
    since: date | None = None
    max_marking: str | None = None


@dataclass(frozen=True)
class FieldDifference:
    """One field of an item edited in place, as the file has it (theirs) and as this database has it."""

    field: str
    label: str
    theirs: str
    mine: str


@dataclass(frozen=True)
class ExchangeItem:
    kind: str
    id: str
    label: str
    status: ItemStatus
    action: ItemAction
    note: str = ""
    differences: tuple[FieldDifference, ...] = ()
    can_keep_both: bool = False

    @property
    def is_conflict(self) -> bool:
        return self.action == ItemAction.CONFLICT


@dataclass(frozen=True)
class ExchangeKindSummary:
    kind: str
    label: str
    items: tuple[ExchangeItem, ...]

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def new(self) -> int:
        return self.count(ItemStatus.NEW)

    @property
    def identical(self) -> int:
        return self.count(ItemStatus.IDENTICAL)

    @property
    def different(self) -> int:
        return self.count(ItemStatus.DIFFERENT)


@dataclass(frozen=True)
class ExchangePreview:
    """What importing a file would do, grouped by kind; nothing has been written."""

    manifest: ExchangeManifestRecord
    kinds: tuple[ExchangeKindSummary, ...]

    @property
    def items(self) -> tuple[ExchangeItem, ...]:
        return tuple(item for summary in self.kinds for item in summary.items)

    @property
    def conflicts(self) -> tuple[ExchangeItem, ...]:
        return tuple(item for item in self.items if item.is_conflict)

    @property
    def changes(self) -> int:
        """Items the import would write (conflicts counted as possible writes)."""
        return sum(1 for item in self.items if item.action not in (ItemAction.SKIP, ItemAction.KEEP_MINE))

    def summary(self, kind: str) -> ExchangeKindSummary:
        return next(s for s in self.kinds if s.kind == kind)


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: counts per action, the backup taken first (None when nothing was written)."""

    file_name: str
    exported_by: str
    inserted: int = 0
    updated: int = 0
    copied: int = 0
    kept: int = 0
    skipped: int = 0
    mandate_changes: int = 0  # their changes of an operation's mandate added to its history here
    backup_path: Path | None = None

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.copied or self.mandate_changes)

    @property
    def counts_line(self) -> str:
        """ "3 new, 1 updated, 0 kept as copies, 2 kept as here" (and the mandate changes added, if any)."""
        line = f"{self.inserted} new, {self.updated} updated, {self.copied} kept as copies, {self.kept} kept as here"
        if self.mandate_changes:
            line += f", {self.mandate_changes} mandate change{'s' if self.mandate_changes != 1 else ''} added"
        return line
