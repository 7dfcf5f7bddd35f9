"""A checked exchange file as the merge planner reads it: its manifest, and its payload as JSON-ready
entries, each validated by its model and normalized (db/exchange/format.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.exchange.format import Manifest, content_hash


@dataclass
class ExchangeFile:
    """What db/exchange/reader.py returns once every check has passed."""

    manifest: Manifest
    payload: dict[str, dict[str, dict]]
    _hashes: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def content_hash(self, kind: str, item_id: str) -> str:
        """The hash of an entry's content (format.content_hash), computed once: an import plans twice."""
        key = (kind, item_id)
        digest = self._hashes.get(key)
        if digest is None:
            digest = self._hashes[key] = content_hash(kind, self.payload[kind][item_id])
        return digest
