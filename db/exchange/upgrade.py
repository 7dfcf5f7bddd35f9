"""Reading files of an older exchange format: the fields a newer format added are filled in before
the entries are validated, so an older file imports as it always did.

Version 1 files carry sources as display strings only (authors, year, title, container, publisher,
place, reference) and organizations without a founding day. Their sources get the full record as
migration 0006 gave the sources stored at that time (creators read from the author string, volume,
issue, pages, URL and notes from the reference, the item type inferred); organizations get no
founding day. Only the payload's values change: the checksum was verified on the file as written.
"""

from __future__ import annotations

from typing import Any

from db.exchange.entries import SOURCE_RECORD_FIELDS
from db.references.legacy import creators_from_authors, infer_item_type, split_reference


def upgrade_payload(payload: Any, version: int) -> None:
    """Fill, in place, what entries of a file of format `version` lack (anything not shaped like a
    payload is left for validation to refuse)."""
    if version >= 2 or not isinstance(payload, dict):
        return
    sources = payload.get("sources")
    if isinstance(sources, dict):
        for entry in sources.values():
            if isinstance(entry, dict):
                _upgrade_source(entry)
    organizations = payload.get("organizations")
    if isinstance(organizations, dict):
        for entry in organizations.values():
            if isinstance(entry, dict):
                entry.setdefault("founded", None)


def _text(entry: dict, name: str) -> str:
    value = entry.get(name, "")
    return value if isinstance(value, str) else ""


def _upgrade_source(entry: dict) -> None:
    reference = _text(entry, "reference")
    fields = split_reference(reference)
    derived: dict[str, Any] = dict.fromkeys(SOURCE_RECORD_FIELDS, "")
    derived.update(fields)
    derived["creators"] = [c.as_dict() for c in creators_from_authors(_text(entry, "authors"))]
    derived["item_type"] = infer_item_type(
        title=_text(entry, "title"),
        container=_text(entry, "container"),
        publisher=_text(entry, "publisher"),
        reference=reference,
        url=fields["url"],
    ).value
    for name, value in derived.items():
        entry.setdefault(name, value)
