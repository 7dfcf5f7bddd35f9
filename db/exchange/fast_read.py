"""The fast way through the checks of a good exchange file (issue 22: a 45 MB file in a few seconds and
well under 250 MB).

It runs the reader's checks (db/exchange/reader.py) in the same order, but parses the bytes with
pydantic-core's JSON parser (no 90 MB decoded copy of the text, no Python hook per object), validates
entry by entry (each entry is replaced by its normalized form as it passes, so the file's values and
the models of every entry never stand in memory together) and feeds the checksum in pieces.

It only ever accepts: at the first thing it does not like it returns None, and the reader runs its
exact checks from the start to say, in its one line, what is wrong. So a file refused here is refused
with the same words as before, and a file accepted here is one the exact checks accept too.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import pydantic_core
from pydantic import ValidationError as PydanticValidationError

from db.exchange.document import ExchangeFile
from db.exchange.format import (
    ENTRY_MODELS,
    EXCHANGE_FORMAT,
    KINDS,
    KNOWN_FORMAT_VERSIONS,
    MAX_JSON_DEPTH,
    Manifest,
    check_references,
    payload_sha256,
)
from db.exchange.rules import entry_rule_problem
from db.exchange.upgrade import upgrade_payload

_CHUNK = 1 << 20
# Inside a chunk whose escapes are removed, every quote opens or closes a string: a string is a quote,
# anything but quotes, a quote.
_STRING = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}:')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_utf8(raw: bytes) -> bool:
    """Whether `raw` is UTF-8, decoded a chunk at a time and thrown away (the whole text at once
    would be a second copy of the file, up to four times its size)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(raw), _CHUNK):
            decoder.decode(raw[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def structure(raw: bytes, *, limit: int = MAX_JSON_DEPTH) -> tuple[int, int]:
    """The deepest nesting of arrays and objects in JSON text and the number of colons outside strings
    (in valid JSON, one per member of an object), in one pass of chunks; it stops as soon as the
    nesting passes `limit` (the file is refused then, whatever else it holds).

    Escapes are removed first (an escaped backslash, then an escaped quote), so the quotes left open
    and close strings; then only quotes, colons and brackets are kept and the strings cut out, so
    Python loops over the brackets alone."""
    depth = deepest = colons = 0
    in_string = False
    start, size = 0, len(raw)
    while start < size:
        end = min(start + _CHUNK, size)
        while end < size and raw[end - 1] == 0x5C:  # never split an escape between two chunks
            end += 1
        chunk = raw[start:end]
        if b"\\" in chunk:  # most chunks hold no escape: two passes saved
            chunk = chunk.replace(b"\\\\", b"").replace(b'\\"', b"")
        # Two quotes side by side open and close a string of no structure, or close one string and
        # open the next with nothing between: either way dropping them leaves every character outside
        # strings where it was, and most strings of a file are such pairs once translated.
        chunk = chunk.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
        start = end
        if in_string:
            close = chunk.find(b'"')
            if close < 0:
                continue
            chunk, in_string = chunk[close + 1 :], False
        if chunk.count(b'"') % 2:
            chunk, in_string = chunk[: chunk.rfind(b'"')], True
        outside = _STRING.sub(b"", chunk)
        colons += outside.count(b":")
        for byte in outside.translate(None, _NOT_BRACKETS):
            if byte in (0x5B, 0x7B):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if deepest > limit:
                        return deepest, colons
            else:
                depth -= 1
    return deepest, colons


def count_keys(value: Any) -> int:
    """Members of every object in a parsed JSON value."""
    count, pending = 0, [value]
    while pending:
        item = pending.pop()
        inner = item.values() if type(item) is dict else item
        if type(item) is dict:
            count += len(item)
        pending.extend([v for v in inner if type(v) is dict or type(v) is list])
    return count


def fast_read(raw: bytes) -> ExchangeFile | None:
    """The checked file, or None when any check fails (the reader then says which)."""
    if not is_utf8(raw):
        return None
    deepest, colons = structure(raw)
    if deepest > MAX_JSON_DEPTH:
        return None
    try:
        data = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError:
        return None
    # pydantic-core keeps the last of two equal keys: a member fewer than the text has means one was given twice
    if count_keys(data) != colons:
        return None
    if not isinstance(data, dict) or set(data) != {"manifest", "payload"}:
        return None
    manifest, payload = data["manifest"], data["payload"]
    if not isinstance(manifest, dict) or manifest.get("format") != EXCHANGE_FORMAT:
        return None
    version = manifest.get("format_version")
    if type(version) is not int or version not in KNOWN_FORMAT_VERSIONS:
        return None
    if not isinstance(payload, dict) or set(payload) != set(KINDS):
        return None
    if not all(isinstance(payload[kind], dict) for kind in KINDS):
        return None
    try:
        if payload_sha256(payload) != manifest.get("payload_sha256"):
            return None
    except (UnicodeEncodeError, ValueError, TypeError):
        return None
    upgrade_payload(payload, version)
    try:
        checked_manifest = Manifest.model_validate(manifest)
        for kind in KINDS:
            if not _normalize_kind(kind, payload[kind]):
                return None
        check_references(payload)
    except (PydanticValidationError, ValueError):
        return None
    return ExchangeFile(manifest=checked_manifest, payload=payload)


def _normalize_kind(kind: str, entries: dict[str, Any]) -> bool:
    """Validate every entry of one kind, replacing it by its normalized form; False at the first
    entry (or id) that fails its model or one of the store's rules."""
    model = ENTRY_MODELS[kind]
    for item_id, entry in entries.items():
        if kind == "markings":
            if not 1 <= len(item_id) <= 60:
                return False
        elif not _UUID.fullmatch(item_id):
            return False
        checked = model.model_validate(entry)
        if entry_rule_problem(kind, item_id, checked) is not None:
            return False
        entries[item_id] = checked.model_dump(mode="json")
    return True
