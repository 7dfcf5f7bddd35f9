"""RIS through rispy (pinned): a short structural check first, because rispy silently drops a record
that is never closed or a line outside a record, and those must be reported with their line; then
rispy's records mapped onto the full record, and the writer Zotero re-imports unchanged."""

from __future__ import annotations

import re
import unicodedata

import rispy

from db.lesson_records import SourceInput, SourceRecord
from db.references.model import FORMAT_TYPES, LABELLED_TYPES, Creator, CreatorRole, ItemType, item_type_of
from db.references.parsed import ParsedEntry, ParsedFile

MAX_ENTRIES = 10_000
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*)|\s*)$")

RIS_TYPES = {
    "JOUR": ItemType.JOURNAL_ARTICLE,
    "EJOUR": ItemType.JOURNAL_ARTICLE,
    "JFULL": ItemType.JOURNAL_ARTICLE,
    "MGZN": ItemType.JOURNAL_ARTICLE,
    "NEWS": ItemType.NEWSPAPER_ARTICLE,
    "BOOK": ItemType.BOOK,
    "EBOOK": ItemType.BOOK,
    "EDBOOK": ItemType.BOOK,
    "CHAP": ItemType.CHAPTER,
    "ECHAP": ItemType.CHAPTER,
    "RPRT": ItemType.REPORT,
    "THES": ItemType.THESIS,
    "CONF": ItemType.CONFERENCE_PAPER,
    "CPAPER": ItemType.CONFERENCE_PAPER,
    "ELEC": ItemType.WEB_PAGE,
    "WEB": ItemType.WEB_PAGE,
    "BLOG": ItemType.WEB_PAGE,
    "GOVDOC": ItemType.OFFICIAL_DOCUMENT,
    "STAT": ItemType.UN_RESOLUTION,
    "GEN": ItemType.DOCUMENT,
}
NUMBERED = {ItemType.REPORT, ItemType.OFFICIAL_DOCUMENT, ItemType.UN_RESOLUTION, ItemType.SPEECH, ItemType.DOCUMENT}


def check_structure(text: str) -> tuple[list[str], list[int]]:
    """Problems of the file's shape, each "line N: ...", and the line each sound record starts on."""
    problems: list[str] = []
    starts: list[int] = []
    start = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _TAG_LINE.match(line)
        if not match:
            if start is not None:
                continue  # a wrapped value: some exporters continue long abstracts on the next line
            problems.append(f"line {number}: expected a tag line such as 'TY  - JOUR', found {line.strip()[:40]!r}.")
            continue
        tag = match.group(1)
        if tag == "TY":
            if start is not None:
                problems.append(
                    f"line {number}: a new record starts before the one from line {start} ended with 'ER  -'."
                )
            start = number
        elif tag == "ER":
            if start is None:
                problems.append(f"line {number}: 'ER  -' closes no record.")
            else:
                starts.append(start)
            start = None
        elif start is None:
            problems.append(f"line {number}: the tag {tag} is outside a record (records start with 'TY  -').")
    if start is not None:
        problems.append(f"line {start}: the record is never closed with 'ER  -'.")
    return problems, starts


def _values(record: dict, key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()] if str(value).strip() else []


def _one(record: dict, *keys: str) -> str:
    for key in keys:
        values = _values(record, key)
        if values:
            return unicodedata.normalize("NFC", values[0])
    return ""


def parse_name(name: str, role: CreatorRole) -> Creator:
    """RIS "Family, Given[, Suffix]"; a name without a comma is an institution, kept whole."""
    text = unicodedata.normalize("NFC", " ".join(name.split()))
    if "," not in text:
        return Creator(literal=text, role=role)
    parts = [p.strip() for p in text.split(",")]
    suffix = parts[2] if len(parts) > 2 else ""
    return Creator(family=parts[0], given=parts[1], suffix=suffix, role=role)


def _date(value: str) -> str:
    """ "2006/05/01/" or "2006///" or "2006-05-01" -> "2006-05-01" / "2006"."""
    parts = [p for p in re.split(r"[/-]", value.strip()) if p.strip()]
    if not parts or not re.fullmatch(r"\d{4}", parts[0].strip()):
        return value.strip()
    out = [parts[0].strip()]
    for p in parts[1:3]:
        if p.strip().isdigit():
            out.append(p.strip().zfill(2))
        else:
            break
    return "-".join(out)


def record_to_input(record: dict) -> SourceInput:
    ris_type = str(record.get("type_of_reference", "GEN")).strip().upper()
    label = _one(record, "type_of_work")
    labelled = item_type_of(label) if label else None
    if labelled is not None and labelled in LABELLED_TYPES and label.lower() == labelled.label.lower():
        item_type = labelled
    else:
        item_type = RIS_TYPES.get(ris_type, ItemType.DOCUMENT)
    creators = tuple(
        parse_name(n, CreatorRole.AUTHOR) for n in _values(record, "authors") + _values(record, "first_authors")
    )
    if item_type in (ItemType.BOOK, ItemType.CHAPTER, ItemType.CONFERENCE_PAPER) or ris_type == "EDBOOK":
        creators += tuple(parse_name(n, CreatorRole.EDITOR) for n in _values(record, "secondary_authors"))
    creators += tuple(parse_name(n, CreatorRole.TRANSLATOR) for n in _values(record, "subsidiary_authors"))
    title = _one(record, "title", "primary_title")
    container = _one(
        record, "secondary_title", "journal_name", "alternate_title3", "alternate_title1", "alternate_title2"
    )
    if not title and ris_type in ("BOOK", "CHAP"):
        title = container
        container = ""
    if not container and item_type in (ItemType.BOOK, ItemType.REPORT):
        container = _one(record, "tertiary_title")
    start, end = _one(record, "start_page"), _one(record, "end_page")
    pages = f"{start}–{end}" if start and end and end != start else start
    date_text = _one(record, "date") or _one(record, "year", "publication_year")
    date = _date(date_text)
    year = (re.match(r"\d{4}", date) or [""])[0]
    serial = _one(record, "issn")
    isbn = issn = ""
    if serial:
        if re.fullmatch(r"\d{4}-?\d{3}[\dXx]", serial.split()[0]) and item_type not in (
            ItemType.BOOK,
            ItemType.CHAPTER,
        ):
            issn = serial
        else:
            isbn = serial
    notes = "; ".join(_values(record, "notes"))
    symbol = _one(record, "note") if item_type in NUMBERED else ""
    issue = _one(record, "number")
    return SourceInput(
        key=_one(record, "id", "label")[:120] if re.fullmatch(r"[^\s,{}]+", _one(record, "id", "label")) else "",
        item_type=item_type.value,
        creators=creators,
        authors="",
        year=year,
        title=title,
        container=container,
        volume=_one(record, "volume"),
        issue=issue,
        pages=pages,
        edition=_one(record, "edition"),
        publisher=_one(record, "publisher"),
        place=_one(record, "place_published")[:200],
        date=date,
        doi=_one(record, "doi"),
        isbn=isbn,
        issn=issn,
        url=_one(record, "urls", "file_attachments2"),
        accessed=_date(_one(record, "access_date")),
        document_symbol=symbol,
        language=_one(record, "language"),
        notes=notes,
    )


def read_ris(text: str) -> ParsedFile:
    """Entries and problems of a RIS text; a record without a title is reported and left out."""
    text = text.lstrip("\ufeff")
    problems, starts = check_structure(text)
    records = rispy.loads(text, skip_unknown_tags=False) if starts else []
    entries = []
    for line, record in zip(starts, records, strict=False):
        draft = record_to_input(record)
        if not draft.title:
            problems.append(f"line {line}: the RIS record has no title (TI); it was left out.")
            continue
        entries.append(ParsedEntry(draft, line))
        if len(entries) >= MAX_ENTRIES:
            problems.append(f"more than {MAX_ENTRIES} records: the rest was left out.")
            break
    return ParsedFile("ris", tuple(entries), tuple(problems))


def _ris_name(creator: Creator) -> str:
    if creator.literal:
        return creator.literal
    return ", ".join(p for p in (creator.family, creator.given, creator.suffix) if p)


def record_to_ris(record: SourceRecord) -> dict:
    item_type = item_type_of(record.item_type)
    _, _, ris_type = FORMAT_TYPES[item_type]
    out: dict = {"type_of_reference": ris_type}
    if record.key:
        out["id"] = record.key
    out["title"] = record.title

    def names(role: CreatorRole) -> list[str]:
        return [_ris_name(c) for c in record.creators if c.role == role]

    if names(CreatorRole.AUTHOR):
        out["authors"] = names(CreatorRole.AUTHOR)
    if names(CreatorRole.EDITOR):
        out["secondary_authors"] = names(CreatorRole.EDITOR)
    if names(CreatorRole.TRANSLATOR):
        out["subsidiary_authors"] = names(CreatorRole.TRANSLATOR)
    if item_type in LABELLED_TYPES:
        out["type_of_work"] = item_type.label
    pairs = {
        "secondary_title": record.container,
        "volume": record.volume,
        "number": record.issue,
        "edition": record.edition,
        "publisher": record.publisher,
        "place_published": record.place,
        "doi": record.doi,
        "issn": record.isbn or record.issn,
        "access_date": record.accessed.replace("-", "/"),
        "language": record.language,
        "note": record.document_symbol,
    }
    for name, value in pairs.items():
        if value:
            out[name] = value
    if record.pages:
        start, _, end = record.pages.replace("--", "–").partition("–")
        out["start_page"] = start.strip()
        if end.strip():
            out["end_page"] = end.strip()
    if record.year:
        out["year"] = record.year
    if record.date:
        parts = record.date.split("-")
        out["date"] = (
            "/".join(parts + [""] * (3 - len(parts))) + "/"
            if re.fullmatch(r"\d{4}(-\d{2}){0,2}", record.date)
            else record.date
        )
    if record.url:
        out["urls"] = [record.url]
    if record.notes:
        out["notes"] = [record.notes]
    return out


class _PlainRisWriter(rispy.RisWriter):
    """rispy's writer without the "1." counter line it puts before each record (not RIS)."""

    def set_header(self, count):
        return None


def format_ris(records: list[SourceRecord], marking: str = "") -> str:
    """The sources as a RIS text (UTF-8). RIS has no file header, so the marking goes in each
    record's DB (name of database) tag, which importers show and never merge into the record."""
    references = [record_to_ris(r) for r in records]
    if marking:
        for reference in references:
            reference["name_of_database"] = f"Quadrangle ({marking})"
    return rispy.dumps(references, implementation=_PlainRisWriter, enforce_list_tags=False) if references else ""
