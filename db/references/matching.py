"""Duplicates: an entry is the same work as a stored source when they share a DOI, an ISBN, or the
normalised title, the year and the first creator's family name ("Osland, K." matches "Osland, Kari
M."). A match is a duplicate when nothing the two both hold disagrees, a conflict when something does;
merging fills what the library lacks and keeps what it has."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from db.lesson_records import SourceInput, SourceRecord
from db.references.model import DETAIL_FIELDS, FIELD_LABELS, ItemType
from db.search.query import normalise

COMPARED = ("title", "year", *DETAIL_FIELDS)


def doi_key(doi: str) -> str:
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.IGNORECASE)
    return text.lower()


def isbn_key(isbn: str) -> str:
    """An ISBN's 13 digits (an ISBN-10 converted), so "0-19-829 / 978019..." forms agree."""
    first = re.split(r"[;,\s]+(?=\d{9})", isbn.strip())[0] if isbn.strip() else ""
    digits = re.sub(r"[^0-9Xx]", "", first).upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        check = (10 - sum((1 if i % 2 == 0 else 3) * int(d) for i, d in enumerate(core)) % 10) % 10
        return core + str(check)
    return digits if len(digits) == 13 else ""


def title_key(title: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", normalise(title)).split())


def family_key(value) -> str:
    creators = value.creators
    if not creators:
        return ""
    first = creators[0]
    name = first.literal or first.family
    return " ".join(re.sub(r"[^0-9a-z]+", " ", normalise(name)).split())


def year_key(year: str) -> str:
    match = re.search(r"\d{4}", year)
    return match.group(0) if match else ""


def work_key(value) -> tuple[str, str, str] | None:
    key = (title_key(value.title), year_key(value.year), family_key(value))
    return key if key[0] else None


def _comparable(name: str, value: str) -> str:
    text = normalise(" ".join(value.split()))
    if name == "doi":
        return doi_key(value)
    if name == "isbn":
        return isbn_key(value) or re.sub(r"[^0-9x]", "", text)
    if name in ("pages", "issn"):
        return re.sub(r"[^0-9a-z]", "", text.replace("–", "-"))
    if name == "year":
        return year_key(value)
    if name == "url":
        return text.rstrip("/").removeprefix("https://").removeprefix("http://")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@dataclass(frozen=True)
class FieldConflict:
    field: str  # the field's label ("Title", "Year"...)
    library: str
    file: str


def compare(existing: SourceRecord, draft: SourceInput) -> tuple[tuple[str, ...], tuple[FieldConflict, ...]]:
    """(labels of fields the library lacks and the entry has, fields both hold with different values)."""
    fills, conflicts = [], []
    for name in COMPARED:
        ours, theirs = getattr(existing, name), getattr(draft, name)
        if not theirs.strip():
            continue
        if not ours.strip():
            fills.append(FIELD_LABELS[name])
        elif name == "date" and (theirs.startswith(ours) or ours.startswith(theirs)):
            if len(theirs) > len(ours):
                fills.append(FIELD_LABELS[name])
        elif _comparable(name, ours) != _comparable(name, theirs):
            conflicts.append(FieldConflict(FIELD_LABELS[name], ours, theirs))
    if draft.creators and not existing.creators:
        fills.append(FIELD_LABELS["creators"])
    elif draft.creators and [c.family_or_literal for c in draft.creators] != [
        c.family_or_literal for c in existing.creators
    ]:
        ours_families = [_comparable("creators", c.family_or_literal) for c in existing.creators]
        theirs_families = [_comparable("creators", c.family_or_literal) for c in draft.creators]
        if ours_families != theirs_families:
            conflicts.append(
                FieldConflict(
                    FIELD_LABELS["creators"], existing.authors, "; ".join(c.sort_name for c in draft.creators)
                )
            )
    if existing.item_type == ItemType.DOCUMENT.value and draft.item_type not in ("", ItemType.DOCUMENT.value):
        fills.append(FIELD_LABELS["item_type"])
    return tuple(fills), tuple(conflicts)


def merged(existing: SourceRecord, draft: SourceInput) -> SourceInput:
    """The existing source with every field it lacks filled from `draft` (its own values kept)."""
    base = SourceInput.from_record(existing)
    values = {}
    for name in COMPARED:
        ours, theirs = getattr(existing, name), getattr(draft, name)
        if theirs.strip() and (
            not ours.strip() or (name == "date" and theirs.startswith(ours) and len(theirs) > len(ours))
        ):
            values[name] = theirs
    if draft.creators and not existing.creators:
        values["creators"] = draft.creators
    else:
        values["creators"] = existing.creators
    if existing.item_type == ItemType.DOCUMENT.value and draft.item_type not in ("", ItemType.DOCUMENT.value):
        values["item_type"] = draft.item_type
    # The display strings are derived again from the merged fields.
    return replace(base, reference="", authors="", **values)


class LibraryIndex:
    """The stored sources by DOI, ISBN and work key, for finding an entry's match quickly."""

    def __init__(self, sources: list[SourceRecord]) -> None:
        self.by_doi: dict[str, SourceRecord] = {}
        self.by_isbn: dict[str, SourceRecord] = {}
        self.by_work: dict[tuple[str, str, str], SourceRecord] = {}
        for source in sources:
            self.add(source)

    def add(self, source) -> None:
        if doi_key(source.doi):
            self.by_doi.setdefault(doi_key(source.doi), source)
        if isbn_key(source.isbn) and not _part_of_a_book(source):
            self.by_isbn.setdefault(isbn_key(source.isbn), source)
        key = work_key(source)
        if key is not None:
            self.by_work.setdefault(key, source)

    def find(self, draft) -> tuple[Any, str]:
        """(the matching source or earlier entry, why it matches) or (None, "")."""
        if doi_key(draft.doi) and doi_key(draft.doi) in self.by_doi:
            return self.by_doi[doi_key(draft.doi)], "same DOI"
        if isbn_key(draft.isbn) and not _part_of_a_book(draft) and isbn_key(draft.isbn) in self.by_isbn:
            return self.by_isbn[isbn_key(draft.isbn)], "same ISBN"
        key = work_key(draft)
        if key is not None and key in self.by_work:
            return self.by_work[key], "same title, year and first author"
        return None, ""


def _part_of_a_book(value) -> bool:
    """A chapter or conference paper carries its book's ISBN: that is no sign of being the same work."""
    return getattr(value, "item_type", "") in (ItemType.CHAPTER.value, ItemType.CONFERENCE_PAPER.value)
