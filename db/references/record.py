"""One source's full record made consistent before it is stored: creators and the author string,
the structured fields and the old "reference" string, the year and the date, the item type."""

from __future__ import annotations

import re
from dataclasses import replace

from db.lesson_records import SourceInput
from db.references.legacy import (
    authors_from_creators,
    creators_from_authors,
    display_reference,
    infer_item_type,
    split_reference,
)
from db.references.model import ItemType, item_type_of

_STRUCTURED = ("volume", "issue", "pages", "notes", "url", "doi")


def complete(draft: SourceInput) -> SourceInput:
    """`draft` with every derived field filled from the fields that are the truth (see SourceInput)."""
    values = {name: getattr(draft, name) for name in draft.__dataclass_fields__}
    for name, value in values.items():
        if isinstance(value, str) and name != "notes":
            values[name] = " ".join(value.split()) if name != "reference" else value.strip()
    values["notes"] = draft.notes.strip()
    # An author string or a reference that disagrees with the fields it is derived from was edited
    # (an older editor, a script replacing `authors` on a record's input): the edited string wins.
    if draft.creators and (not values["authors"] or values["authors"] == authors_from_creators(draft.creators)):
        values["authors"] = authors_from_creators(draft.creators)
    else:
        values["creators"] = creators_from_authors(values["authors"])
    structured = {name: values[name] for name in _STRUCTURED}
    if any(structured.values()) and values["reference"] and values["reference"] != display_reference(**structured):
        values.update(split_reference(values["reference"]))
        structured = {name: values[name] for name in _STRUCTURED}
    if any(structured.values()):
        values["reference"] = display_reference(**structured)
    elif values["reference"]:
        values.update(split_reference(values["reference"]))
    values["doi"] = normalise_doi(values["doi"])
    if not values["year"] and values["date"]:
        values["year"] = values["date"][:4]
    if not values["item_type"]:
        values["item_type"] = infer_item_type(
            title=values["title"],
            container=values["container"],
            publisher=values["publisher"],
            reference=values["reference"],
            url=values["url"],
        ).value
    else:
        values["item_type"] = item_type_of(values["item_type"]).value
    return replace(draft, **values)


def normalise_doi(value: str) -> str:
    """ "https://doi.org/10.1080/X" or "doi:10.1080/X" -> "10.1080/X"."""
    text = value.strip()
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", text, flags=re.IGNORECASE)
    return text


def year_of(date: str) -> str:
    match = re.search(r"\d{4}", date)
    return match.group(0) if match else ""


__all__ = ["ItemType", "complete", "normalise_doi", "year_of"]
