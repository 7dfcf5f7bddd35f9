"""What a reader makes of a reference file before anything is compared or stored: its entries as
source inputs, with the line each starts on, and the problems found (a block that failed to parse,
an entry without a title), each one line."""

from __future__ import annotations

from dataclasses import dataclass

from db.lesson_records import SourceInput


@dataclass(frozen=True)
class ParsedEntry:
    draft: SourceInput
    line: int = 0

    @property
    def label(self) -> str:
        return self.draft.key or self.draft.title[:60]


@dataclass(frozen=True)
class ParsedFile:
    """Entries in file order and the problems, each "line N: what is wrong" (nothing raised for them)."""

    format: str  # "bibtex", "ris" or "csl-json"
    entries: tuple[ParsedEntry, ...]
    problems: tuple[str, ...] = ()
