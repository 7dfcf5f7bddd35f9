"""RIS (the tagged format every reference manager exports: `TY  - JOUR` ... `ER  -`): a strict,
pure-Python reader with size limits. A malformed file is rejected with one line saying where and
why, so an import is all or nothing."""

from __future__ import annotations

import re
import unicodedata
from typing import NoReturn

from db.errors import ImportFormatError
from db.lesson_records import SourceInput
from db.names import join_authors

MAX_BYTES = 5_000_000
MAX_ENTRIES = 10_000
MAX_FIELD = 20_000

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*)|\s*)$")
AUTHOR_TAGS = ("AU", "A1")
TITLE_TAGS = ("TI", "T1", "CT", "BT")
CONTAINER_TAGS = ("T2", "JO", "JF", "JA", "J2", "BT", "T3")
YEAR_TAGS = ("PY", "Y1", "DA")


def _fail(line: int, message: str) -> NoReturn:
    raise ImportFormatError(f"Not a valid RIS file: line {line}: {message}. Nothing was imported.")


def parse_ris_records(text: str) -> list[tuple[int, dict[str, list[str]]]]:
    """Each record as (line of its TY, tag -> values in order); raises ImportFormatError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ImportFormatError(f"The RIS file is larger than {MAX_BYTES // 1_000_000} MB; nothing was imported.")
    if "\x00" in text:
        raise ImportFormatError("Not a RIS file (it holds binary data); nothing was imported.")
    records: list[tuple[int, dict[str, list[str]]]] = []
    current: dict[str, list[str]] | None = None
    start = 0
    last_tag = None
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _TAG_LINE.match(line)
        if not match:
            if current is not None and last_tag is not None:
                # A wrapped value: some exporters continue long abstracts or titles on the next line.
                current[last_tag][-1] = (current[last_tag][-1] + " " + line.strip()).strip()
                continue
            _fail(number, f"expected a tag line such as 'TY  - JOUR', found {line.strip()[:40]!r}")
        tag, value = match.group(1), (match.group(2) or "").strip()
        if len(value) > MAX_FIELD:
            _fail(number, f"a value is longer than {MAX_FIELD} characters")
        if tag == "TY":
            if current is not None:
                _fail(number, f"a new record starts before the one from line {start} ended with 'ER  -'")
            if not value:
                _fail(number, "TY needs a reference type (JOUR, BOOK, CHAP, RPRT...)")
            current, start, last_tag = {"TY": [value]}, number, "TY"
            continue
        if current is None:
            _fail(number, f"the tag {tag} is outside a record (records start with 'TY  -')")
        if tag == "ER":
            records.append((start, current))
            if len(records) > MAX_ENTRIES:
                _fail(number, f"more than {MAX_ENTRIES} records")
            current, last_tag = None, None
            continue
        current.setdefault(tag, []).append(value)
        last_tag = tag
    if current is not None:
        _fail(start, "the record is never closed with 'ER  -'")
    return records


def _get(record: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        for value in record.get(tag, ()):
            if value.strip():
                return value.strip()
    return ""


def record_to_source(line: int, record: dict[str, list[str]]) -> SourceInput:
    title = _get(record, *TITLE_TAGS)
    if not title:
        raise ImportFormatError(f"The RIS record on line {line} has no title (TI); nothing was imported.")
    names = [v for tag in AUTHOR_TAGS for v in record.get(tag, ())]
    if not names and record.get("TY", [""])[0] in ("BOOK", "EDBOOK"):
        names = record.get("A2", [])
    # RIS writes people as "Last, First"; a name without a comma is an organization.
    authors = join_authors([n if "," in n else "{" + n + "}" for n in names])
    year_text = _get(record, *YEAR_TAGS)
    year = (re.match(r"\d{4}", year_text) or [""])[0]
    container_tags = tuple(t for t in CONTAINER_TAGS if not (t == "BT" and "TI" not in record and "T1" not in record))
    details = []
    if _get(record, "VL"):
        details.append(f"vol. {_get(record, 'VL')}")
    if _get(record, "IS"):
        details.append(f"no. {_get(record, 'IS')}")
    if _get(record, "SP"):
        pages = _get(record, "SP") + (f"–{_get(record, 'EP')}" if _get(record, "EP") else "")
        details.append(f"pp. {pages}")
    parts = [", ".join(details)] if details else []
    url = _get(record, "UR", "L2")
    if not url and _get(record, "DO"):
        url = "https://doi.org/" + _get(record, "DO")
    if url:
        parts.append(url)
    return SourceInput(
        authors=unicodedata.normalize("NFC", authors),
        year=year,
        title=unicodedata.normalize("NFC", title),
        container=_get(record, *container_tags),
        publisher=_get(record, "PB"),
        place=_get(record, "CY", "PP")[:200],
        reference="; ".join(parts),
    )


def parse_ris(text: str) -> list[SourceInput]:
    """Sources from a RIS text, in file order (keys left empty: the store derives author-year keys)."""
    records = parse_ris_records(text)
    if not records:
        raise ImportFormatError("The file holds no RIS records ('TY  - ...' to 'ER  -'); nothing was imported.")
    return [record_to_source(line, record) for line, record in records]
