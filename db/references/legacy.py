"""Between the library's display strings (authors "Child, J., D. Faulkner & S. Tallman", the
"vol. 11, no. 4, pp. 49–68; URL" reference) and the full record's fields. Migration 0005 moves every
existing source with these functions: change them only so that old strings still come back unchanged
(tests/db/test_references_legacy.py checks the whole default dataset)."""

from __future__ import annotations

import re

from db.names import join_authors, split_authors
from db.references.model import Creator, CreatorRole, ItemType

_EDITORS = re.compile(r"\s*\((Eds?|eds?)\.\)\s*$")
_DETAIL = re.compile(r"^(?:(?:vol\. [^,;]+|no\. [^,;]+|pp\. [^,;]+)(?:, |$))+$")
_URL = re.compile(r"^https?://\S+$")


def creators_from_authors(authors: str) -> tuple[Creator, ...]:
    """Creators from a report-style author string. The first name is "Family, Given"; the others
    "Given Family"; a name that is neither (no comma, no initial) is an institution; a trailing
    "(Eds.)" makes them all editors."""
    text = " ".join(authors.split())
    role = CreatorRole.AUTHOR
    match = _EDITORS.search(text)
    if match:
        text, role = text[: match.start()], CreatorRole.EDITOR
    result = []
    for position, name in enumerate(split_authors(text)):
        if name.startswith("{") and name.endswith("}"):
            result.append(Creator(literal=name[1:-1].strip(), role=role))
        elif "," in name:
            family, _, given = name.partition(",")
            result.append(Creator(family=family.strip(), given=given.strip(), role=role))
        elif position > 0 and _natural_person(name):
            tokens = name.split()
            cut = len(tokens) - 1
            while cut > 1 and tokens[cut - 1][:1].islower():
                cut -= 1
            result.append(Creator(family=" ".join(tokens[cut:]), given=" ".join(tokens[:cut]), role=role))
        else:
            result.append(Creator(literal=name, role=role))
    return tuple(result)


def _natural_person(name: str) -> bool:
    tokens = name.split()
    return len(tokens) >= 2 and bool(re.fullmatch(r"(?:[A-Z][a-z]?\.-?)+", tokens[0]))


def authors_from_creators(creators: tuple[Creator, ...]) -> str:
    """The report-style string of the authors (or, without authors, the editors followed by
    "(Eds.)"); the inverse of `creators_from_authors`."""
    people = [c for c in creators if c.role == CreatorRole.AUTHOR]
    suffix = ""
    if not people:
        people = [c for c in creators if c.role == CreatorRole.EDITOR]
        suffix = " (Eds.)" if len(people) > 1 else " (Ed.)" if people else ""
    names = []
    for position, c in enumerate(people):
        if c.literal:
            names.append("{" + c.literal + "}")
        elif position == 0 or c.given == "":
            names.append(c.sort_name if c.given else c.family)
        else:
            names.append(c.sort_name)
    text = join_authors(names)
    return text + suffix if text else ""


def split_reference(reference: str) -> dict[str, str]:
    """The fields held by an old "document reference": volume, issue and pages, a URL, and the rest
    as notes. `display_reference` of the result gives `reference` back, or everything stays in notes."""
    fields = {"volume": "", "issue": "", "pages": "", "url": "", "notes": ""}
    notes = []
    for part in (p for p in reference.strip().split("; ") if p):
        if _DETAIL.match(part) and not any(fields[k] for k in ("volume", "issue", "pages")):
            for item in part.split(", "):
                name, _, value = item.partition(". ")
                fields[{"vol": "volume", "no": "issue", "pp": "pages"}[name]] = value
        elif _URL.match(part) and not fields["url"]:
            fields["url"] = part
        else:
            notes.append(part)
    fields["notes"] = "; ".join(notes)
    if display_reference(**fields) != reference.strip():
        return {"volume": "", "issue": "", "pages": "", "url": "", "notes": reference.strip()}
    return fields


def display_reference(
    *, volume: str = "", issue: str = "", pages: str = "", notes: str = "", url: str = "", doi: str = ""
) -> str:
    """ "vol. 11, no. 4, pp. 49–68; a note; https://..." (the URL, or else the DOI's)."""
    details = [f"{label} {value}" for label, value in (("vol.", volume), ("no.", issue), ("pp.", pages)) if value]
    parts = [", ".join(details)] if details else []
    if notes:
        parts.append(notes)
    link = url or (f"https://doi.org/{doi}" if doi else "")
    if link:
        parts.append(link)
    return "; ".join(parts)


_RESOLUTION = re.compile(r"^(?:Security Council |General Assembly )?Resolution \d+", re.IGNORECASE)


def infer_item_type(*, title: str, container: str, publisher: str, reference: str = "", url: str = "") -> ItemType:
    """The likeliest item type of an old source, from which fields it has."""
    if _RESOLUTION.match(title.strip()) or "S/RES/" in reference:
        return ItemType.UN_RESOLUTION
    if container and not publisher:
        return ItemType.JOURNAL_ARTICLE
    if container:
        return ItemType.CHAPTER
    if publisher:
        return ItemType.BOOK
    if url or _URL.search(reference):
        return ItemType.WEB_PAGE
    return ItemType.DOCUMENT
