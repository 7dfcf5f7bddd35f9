"""CSL-JSON, the format of Zotero's "CSL JSON" and Better BibTeX's "Better CSL JSON" exports and of
citeproc: plain JSON read with size and depth checks, mapped onto the full record and back."""

from __future__ import annotations

import json
import re

from db.lesson_records import SourceInput, SourceRecord
from db.references.model import FORMAT_TYPES, LABELLED_TYPES, Creator, CreatorRole, ItemType, item_type_of
from db.references.parsed import ParsedEntry, ParsedFile

MAX_ENTRIES = 10_000
MAX_DEPTH = 12

CSL_TYPES = {
    "book": ItemType.BOOK,
    "chapter": ItemType.CHAPTER,
    "article-journal": ItemType.JOURNAL_ARTICLE,
    "article-magazine": ItemType.JOURNAL_ARTICLE,
    "article-newspaper": ItemType.NEWSPAPER_ARTICLE,
    "report": ItemType.REPORT,
    "thesis": ItemType.THESIS,
    "paper-conference": ItemType.CONFERENCE_PAPER,
    "webpage": ItemType.WEB_PAGE,
    "post-weblog": ItemType.WEB_PAGE,
    "legislation": ItemType.UN_RESOLUTION,
    "bill": ItemType.UN_RESOLUTION,
    "speech": ItemType.SPEECH,
    "document": ItemType.DOCUMENT,
    "article": ItemType.DOCUMENT,
    "manuscript": ItemType.DOCUMENT,
}
ROLES = {"author": CreatorRole.AUTHOR, "editor": CreatorRole.EDITOR, "translator": CreatorRole.TRANSLATOR}
NUMBERED = {ItemType.REPORT, ItemType.OFFICIAL_DOCUMENT, ItemType.UN_RESOLUTION, ItemType.SPEECH, ItemType.DOCUMENT}


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return " ".join(str(value).split())


def _date(value) -> str:
    """A CSL date ({"date-parts": [[2003, 6, 12]]}, {"raw": ...}, {"literal": ...}) as ISO text."""
    if not isinstance(value, dict):
        return _text(value)
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [str(p).strip() for p in parts[0][:3]]
        if numbers[0].isdigit():
            return "-".join([numbers[0]] + [n.zfill(2) for n in numbers[1:] if n.isdigit()])
    for name in ("raw", "literal"):
        if value.get(name):
            text = _text(value[name])
            match = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?", text)
            if match:
                return "-".join([match.group(1)] + [g.zfill(2) for g in match.groups()[1:] if g])
            return text
    return ""


def _creator(data, role: CreatorRole) -> Creator | None:
    if not isinstance(data, dict):
        return None
    if data.get("literal"):
        return Creator(literal=_text(data["literal"]), role=role)
    family = " ".join(p for p in (_text(data.get("non-dropping-particle")), _text(data.get("family"))) if p)
    given = " ".join(p for p in (_text(data.get("given")), _text(data.get("dropping-particle"))) if p)
    if not family and not given:
        return None
    if not given and data.get("family") and data.get("isInstitution"):
        return Creator(literal=family, role=role)
    return Creator(family=family, given=given, suffix=_text(data.get("suffix")), role=role)


def item_to_input(item: dict) -> SourceInput:
    csl_type = _text(item.get("type")).lower()
    genre = _text(item.get("genre"))
    labelled = item_type_of(genre) if genre else None
    if labelled is not None and labelled in LABELLED_TYPES and genre.lower() == labelled.label.lower():
        item_type = labelled
    else:
        item_type = CSL_TYPES.get(csl_type, ItemType.DOCUMENT)
    creators: list[Creator] = []
    for name, role in ROLES.items():
        for data in item.get(name) or []:
            creator = _creator(data, role)
            if creator is not None:
                creators.append(creator)
    key = _text(item.get("citation-key") or item.get("citationKey"))
    if not key:
        candidate = _text(item.get("id"))
        key = candidate if re.fullmatch(r"[A-Za-z][^\s,{}/]*", candidate) else ""
    date = _date(item.get("issued"))
    number = _text(item.get("number"))
    container = _text(item.get("container-title")) or (
        _text(item.get("collection-title")) if item_type in (ItemType.BOOK, ItemType.REPORT) else ""
    )
    return SourceInput(
        key=key[:120],
        item_type=item_type.value,
        creators=tuple(creators),
        authors="",
        year=(re.match(r"\d{4}", date) or [""])[0],
        title=_text(item.get("title")),
        container=container,
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue")) or ("" if item_type in NUMBERED else number),
        document_symbol=number if item_type in NUMBERED else "",
        pages=_text(item.get("page")).replace("--", "–").replace("-", "–") if item.get("page") else "",
        edition=_text(item.get("edition")),
        publisher=_text(item.get("publisher")),
        place=_text(item.get("publisher-place") or item.get("event-place"))[:200],
        date=date,
        doi=_text(item.get("DOI")),
        isbn=_text(item.get("ISBN")),
        issn=_text(item.get("ISSN")),
        url=_text(item.get("URL")),
        accessed=_date(item.get("accessed")),
        language=_text(item.get("language")),
        notes=_text(item.get("note")),
    )


def read_csl_json(text: str) -> ParsedFile:
    """Entries and problems of a CSL-JSON text (a list of items, or {"items": [...]})."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        return ParsedFile(
            "csl-json",
            (),
            (f"line {getattr(exc, 'lineno', 0)}: not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc}).",),
        )
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        return ParsedFile("csl-json", (), ("the file is JSON but not a CSL-JSON list of items.",))
    if _depth(data) > MAX_DEPTH:
        return ParsedFile("csl-json", (), ("the JSON is nested too deeply for CSL-JSON.",))
    entries, problems = [], []
    for number, item in enumerate(data[:MAX_ENTRIES], start=1):
        if not isinstance(item, dict):
            problems.append(f"item {number}: not a CSL-JSON item (an object); it was left out.")
            continue
        draft = item_to_input(item)
        if not draft.title:
            problems.append(f"item {number}: has no title; it was left out.")
            continue
        entries.append(ParsedEntry(draft, number))
    if len(data) > MAX_ENTRIES:
        problems.append(f"more than {MAX_ENTRIES} items: the rest was left out.")
    return ParsedFile("csl-json", tuple(entries), tuple(problems))


def _csl_date(text: str) -> dict | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if match:
        return {"date-parts": [[int(p) for p in match.groups() if p]]}
    return {"literal": text} if text else None


def record_to_item(record: SourceRecord) -> dict:
    """One source as a CSL-JSON item (also what citeproc formats)."""
    item_type = item_type_of(record.item_type)
    csl_type, _, _ = FORMAT_TYPES[item_type]
    item: dict = {"id": record.key or record.id, "citation-key": record.key, "type": csl_type}
    if item_type in LABELLED_TYPES:
        item["genre"] = item_type.label
    for name, role in ROLES.items():
        people = []
        for c in record.creators:
            if c.role != role:
                continue
            if c.literal:
                people.append({"literal": c.literal})
            else:
                person = {"family": c.family, "given": c.given}
                if c.suffix:
                    person["suffix"] = c.suffix
                people.append(person)
        if people:
            item[name] = people
    values = {
        "title": record.title,
        "container-title"
        if item_type not in (ItemType.BOOK, ItemType.REPORT, ItemType.THESIS)
        else "collection-title": record.container,
        "volume": record.volume,
        "issue": record.issue,
        "number": record.document_symbol,
        "page": record.pages,
        "edition": record.edition,
        "publisher": record.publisher,
        "publisher-place": record.place,
        "DOI": record.doi,
        "ISBN": record.isbn,
        "ISSN": record.issn,
        "URL": record.url,
        "language": record.language,
        "note": record.notes,
    }
    item.update({k: v for k, v in values.items() if v})
    issued = _csl_date(record.date or record.year)
    if issued:
        item["issued"] = issued
    accessed = _csl_date(record.accessed)
    if accessed:
        item["accessed"] = accessed
    return item


def format_csl_json(records: list[SourceRecord], marking: str = "") -> str:
    """The sources as a CSL-JSON list (UTF-8, indented). CSL-JSON has no header, so a marking is
    written in each item's `note`-free `archive` variable, which Zotero keeps as "Archive"."""
    items = [record_to_item(r) for r in records]
    if marking:
        for item in items:
            item["archive"] = f"Quadrangle ({marking})"
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
