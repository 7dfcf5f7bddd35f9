"""Reading an exchange file that came from outside: every check runs before anything is written.

Order: size, UTF-8, nesting depth (before the JSON parser can recurse), JSON (a key given twice in one
object is refused: which value counts would depend on the reader), format name, format version (a
positive version this Quadrangle knows), checksum of the payload, then the schema and the references,
then the store's own rules for every entry (db/exchange/rules.py, the functions of db/validation.py).
Any failure raises ExchangeFileError with one line naming the file and the reason.

A good file goes through the same checks the fast way (db/exchange/fast_read.py); the exact checks
below run when the fast way finds anything wrong, to say what it is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from db.exchange.document import ExchangeFile
from db.exchange.fast_read import fast_read
from db.exchange.format import (
    EXCHANGE_FORMAT,
    EXCHANGE_FORMAT_VERSION,
    KNOWN_FORMAT_VERSIONS,
    MAX_EXCHANGE_BYTES,
    MAX_JSON_DEPTH,
    ExchangeDocument,
    ExchangeFileError,
    payload_sha256,
)
from db.exchange.rules import first_rule_problem
from db.exchange.upgrade import upgrade_payload

_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text, brackets inside strings ignored.

    Strings are cut out by one regular expression and everything but brackets deleted, so only the
    brackets are looped over in Python (a 5 MB file takes milliseconds)."""
    depth = deepest = 0
    for byte in _STRINGS.sub(b"", raw).translate(None, _NOT_BRACKETS):
        if byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def read_exchange_file(path: Path, *, max_bytes: int | None = None) -> ExchangeFile:
    """Read, check and validate an exchange file; raise ExchangeFileError with a one-line reason."""
    max_bytes = MAX_EXCHANGE_BYTES if max_bytes is None else max_bytes
    path = Path(path)
    name = printable(path.name)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ExchangeFileError(f"Cannot read {name}: {exc.strerror or exc}.") from None
    if len(raw) > max_bytes:
        raise ExchangeFileError(
            f"{name} is larger than an exchange file may be ({max_bytes // (1024 * 1024)} MB); nothing was imported."
        )
    return parse_exchange_bytes(raw, name=name)


def parse_exchange_bytes(raw: bytes, *, name: str = "the file") -> ExchangeFile:
    """The checked file; ExchangeFileError with a one-line reason naming `name`."""
    checked = fast_read(raw)
    if checked is not None:
        return checked
    document = exact_checks(raw, name=name)
    return ExchangeFile(manifest=document.manifest, payload=document.payload.model_dump(mode="json"))


def exact_checks(raw: bytes, *, name: str = "the file") -> ExchangeDocument:
    """Every check, one after the other, on the whole document: the first failure is the error."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ExchangeFileError(f"{name} is not UTF-8 text: it is not a Quadrangle exchange file.") from None
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ExchangeFileError(
            f"{name} is nested deeper than an exchange file can be ({MAX_JSON_DEPTH} levels); nothing was imported."
        )
    try:
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicate_keys)
    except DuplicateKeyError as exc:
        raise ExchangeFileError(
            printable(f"{name} gives the key '{str(exc)[:80]}' twice in one object; nothing was imported.")
        ) from None
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ExchangeFileError(
            f"{name} is not complete, valid JSON{where}: it may be truncated; nothing was imported."
        ) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("manifest"), dict)
        or data["manifest"].get("format") != EXCHANGE_FORMAT
    ):
        raise ExchangeFileError(f"{name} is not a Quadrangle exchange file (no '{EXCHANGE_FORMAT}' manifest).")
    manifest = data["manifest"]
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExchangeFileError(f"{name}: its format version is missing or not a number.")
    if version > EXCHANGE_FORMAT_VERSION:
        raise ExchangeFileError(
            f"{name} was written by a newer Quadrangle (exchange format {version}; this one reads up to "
            f"{EXCHANGE_FORMAT_VERSION}): update Quadrangle to import it."
        )
    if version not in KNOWN_FORMAT_VERSIONS:
        raise ExchangeFileError(
            f"{name}: its format version {version} is not a version of the exchange format "
            f"(this Quadrangle reads {', '.join(map(str, KNOWN_FORMAT_VERSIONS))}); nothing was imported."
        )
    if "payload" not in data:
        raise ExchangeFileError(f"{name} has no payload: it may be truncated; nothing was imported.")
    try:
        actual = payload_sha256(data["payload"])
    except (UnicodeEncodeError, ValueError, TypeError):
        raise ExchangeFileError(f"{name} holds invalid text (not encodable Unicode); nothing was imported.") from None
    if actual != manifest.get("payload_sha256"):
        raise ExchangeFileError(
            f"{name} does not match its checksum: it was altered or damaged after export; nothing was imported."
        )
    upgrade_payload(data["payload"], version)
    try:
        document = ExchangeDocument.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        line = f"{name}: {where[:160]}: {message[:200]}{more}; nothing was imported."
        raise ExchangeFileError(printable(line)) from None
    problem = first_rule_problem(document.payload)
    if problem is not None:
        raise ExchangeFileError(printable(f"{name}: {problem[:300]} Nothing was imported."))
    return document


def printable(text: str) -> str:
    """One line with every control or invisible formatting character (escape sequences, direction
    overrides) shown as an escape, so text from a file cannot restyle a terminal or a message."""
    flat = " ".join(text.split())
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in flat)


class DuplicateKeyError(ValueError):
    """A JSON object names one key twice (its text is the key)."""


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def _refuse_constant(token: str):
    raise ValueError(f"{token} is not allowed")
