"""BibTeX through bibtexparser 2: blocks parsed by the library (a malformed block becomes a
ParsingFailedBlock, reported, never raised), then string macros with `#` concatenation and month
names resolved, `crossref` inherited, LaTeX decoded (pylatexenc) and names split (institutions in
braces kept whole); and the writer Zotero re-imports unchanged."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache
from typing import Any

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

from db.lesson_records import SourceInput, SourceRecord
from db.references.model import FORMAT_TYPES, LABELLED_TYPES, Creator, CreatorRole, ItemType, item_type_of
from db.references.parsed import ParsedEntry, ParsedFile

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MAX_ENTRIES = 10_000

ENTRY_TYPES = {
    "article": ItemType.JOURNAL_ARTICLE,
    "book": ItemType.BOOK,
    "booklet": ItemType.BOOK,
    "proceedings": ItemType.BOOK,
    "mvbook": ItemType.BOOK,
    "inbook": ItemType.CHAPTER,
    "incollection": ItemType.CHAPTER,
    "inproceedings": ItemType.CONFERENCE_PAPER,
    "conference": ItemType.CONFERENCE_PAPER,
    "techreport": ItemType.REPORT,
    "report": ItemType.REPORT,
    "phdthesis": ItemType.THESIS,
    "mastersthesis": ItemType.THESIS,
    "thesis": ItemType.THESIS,
    "online": ItemType.WEB_PAGE,
    "electronic": ItemType.WEB_PAGE,
    "www": ItemType.WEB_PAGE,
    "webpage": ItemType.WEB_PAGE,
}
# Types whose BibTeX `number` is the document's number (report number, document symbol), not an issue.
NUMBERED_DOCUMENTS = {
    ItemType.REPORT,
    ItemType.OFFICIAL_DOCUMENT,
    ItemType.UN_RESOLUTION,
    ItemType.SPEECH,
    ItemType.DOCUMENT,
}


@cache
def _latex():
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def latex_to_text(value: str) -> str:
    """Plain Unicode from a BibTeX value: accents composed, commands and braces removed, `--` an en
    dash, `$\\alpha$` α, `~` a space, spaces collapsed."""
    if "\\" not in value and "{" not in value and "$" not in value:
        # No LaTeX beyond dashes and ties: no need for the (slow) LaTeX parser.
        text = value.replace("---", "\u2014").replace("--", "\u2013").replace("~", " ")
        return unicodedata.normalize("NFC", " ".join(text.split()))
    try:
        text = _latex().latex_to_text(value)
    except Exception:  # pylatexenc is lenient; anything it still refuses is kept as written
        text = value.replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", " ".join(text.replace("\u00a0", " ").split()))


def _plain(value: str) -> str:
    """A URL or DOI: braces dropped and TeX escapes undone, nothing else decoded."""
    return re.sub(r"\\([_%&#$~])", r"\1", value.replace("{", "").replace("}", "")).strip()


# -- values: macros, concatenation --------------------------------------------------------------


class _UnknownMacroError(Exception):
    pass


def _resolve(raw: str, macros: dict[str, str]) -> str:
    """A raw field value (`{...}`, `"..."`, a number, a macro name, joined by `#`) as its text."""
    parts, depth, start, quoted = [], 0, 0, False
    for i, c in enumerate(raw):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0 and (i == 0 or raw[i - 1] != "\\"):
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    result = []
    for part in (p.strip() for p in parts):
        if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
            result.append(part[1:-1])
        elif part.isdigit():
            result.append(part)
        elif part.lower() in macros:
            result.append(macros[part.lower()])
        else:
            raise _UnknownMacroError(part)
    return "".join(result)


# -- names --------------------------------------------------------------------------------------


def parse_names(raw: str, role: CreatorRole) -> tuple[Creator, ...]:
    """A BibTeX name list: "and"-separated outside braces; a name wholly in braces is an institution."""
    creators = []
    for name in split_multiple_persons_names(raw):
        name = name.strip()
        if not name or name.lower() == "others":
            continue
        if name.startswith("{") and name.endswith("}") and _balanced_whole(name):
            creators.append(Creator(literal=latex_to_text(name[1:-1]), role=role))
            continue
        parts = parse_single_name_into_parts(name, strict=False)
        family = latex_to_text(" ".join([*parts.von, *parts.last]))
        given = latex_to_text(" ".join(parts.first))
        if not given and " " in family and not parts.von:
            creators.append(Creator(literal=family, role=role))  # "{Ana Júlio}" already unbraced upstream
        else:
            creators.append(Creator(family=family, given=given, suffix=latex_to_text(" ".join(parts.jr)), role=role))
    return tuple(creators)


def _balanced_whole(name: str) -> bool:
    depth = 0
    for i, c in enumerate(name):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True


# -- reading -----------------------------------------------------------------------------------


def read_bibtex(text: str) -> ParsedFile:
    """Entries and problems of a BibTeX text (see the module docstring); raises nothing for bad blocks."""
    # bibtexparser logs each failed block as a warning; they are reported in the result instead.
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    library = bibtexparser.parse_string(text.lstrip("\ufeff"), parse_stack=[])
    problems: list[str] = []
    lines = None
    for block in library.failed_blocks:
        line = _line_of(block, lines)
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(f"line {line}: the key '{block.key}' is used twice; the second entry was left out.")
        elif isinstance(block, ParsingFailedBlock):
            reason = str(getattr(block.error, "abort_reason", "") or block.error).strip().rstrip(".")
            if not reason or "end of file" in reason.lower():
                reason = "a brace or quote is never closed: expected '}' before the end of the file"
            problems.append(
                f"line {line}: this block could not be read ({reason[0].lower() + reason[1:]}); it was left out."
            )
    macros = {m: n.capitalize() for m, n in zip(MONTHS, MONTH_NAMES, strict=True)}
    for string in library.strings:
        try:
            macros[string.key.lower()] = _resolve(str(string.value), macros)
        except _UnknownMacroError as exc:
            problems.append(f"line {_line_of(string, lines)}: unknown @string name '{exc}' in @string {string.key}.")
    raw_entries: list[tuple[Any, dict[str, str]]] = []
    for entry in library.entries:
        fields = {}
        try:
            for field in entry.fields:
                fields[field.key.lower()] = _resolve(str(field.value), macros)
        except _UnknownMacroError as exc:
            problems.append(
                f"line {_line_of(entry, lines)}: unknown @string name '{exc}' in entry '{entry.key}'; it was left out."
            )
            continue
        if not entry.key.strip():
            problems.append(
                f"line {_line_of(entry, lines)}: the @{entry.entry_type} entry has no citation key; it was left out."
            )
            continue
        raw_entries.append((entry, fields))
    by_key = {e.key.lower(): f for e, f in raw_entries}
    parsed = []
    for entry, fields in raw_entries:
        parent = by_key.get(fields.get("crossref", "").strip().lower())
        if fields.get("crossref") and parent is None:
            problems.append(
                f"line {_line_of(entry, lines)}: entry '{entry.key}' refers to a crossref '{fields['crossref']}' that is not in the file."
            )
        if parent is not None:
            fields = _inherit(fields, parent)
        draft = entry_to_input(entry.entry_type.lower(), entry.key, fields)
        if not draft.title:
            problems.append(f"line {_line_of(entry, lines)}: entry '{entry.key}' has no title; it was left out.")
            continue
        parsed.append(ParsedEntry(draft, _line_of(entry, lines)))
        if len(parsed) > MAX_ENTRIES:
            problems.append(f"more than {MAX_ENTRIES} entries: the rest was left out.")
            break
    return ParsedFile("bibtex", tuple(parsed), tuple(problems))


def _line_of(block, _lines=None) -> int:
    line = getattr(block, "start_line", None)
    return (line or 0) + 1


def _inherit(child: dict[str, str], parent: dict[str, str]) -> dict[str, str]:
    """BibTeX's crossref: every field the child lacks comes from the parent; the parent's title
    becomes the child's booktitle."""
    merged = dict(child)
    for name, value in parent.items():
        if name in ("crossref", "ids"):
            continue
        target = "booktitle" if name == "title" else name
        if name == "author" and "author" in child:
            continue
        if not merged.get(target, "").strip():
            merged[target] = value
    return merged


def _date(fields: dict[str, str]) -> tuple[str, str]:
    """(ISO date, year) from biblatex `date` or `year` + `month` (+ `day`)."""
    if fields.get("date", "").strip():
        date = latex_to_text(fields["date"]).replace("/", "-")
        match = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date)
        if match:
            return "-".join(p.zfill(2) for p in match.groups() if p), match.group(1)
        return date, (re.search(r"\d{4}", date) or [""])[0]
    year = latex_to_text(fields.get("year", ""))
    year_digits = (re.search(r"\d{4}", year) or [""])[0]
    month_text = latex_to_text(fields.get("month", "")).strip().lower()
    month = ""
    if month_text.isdigit() and 1 <= int(month_text) <= 12:
        month = month_text.zfill(2)
    elif month_text[:3] in MONTHS:
        month = f"{MONTHS.index(month_text[:3]) + 1:02d}"
    day = latex_to_text(fields.get("day", "")).strip()
    date = year_digits
    if year_digits and month:
        date += f"-{month}" + (f"-{day.zfill(2)}" if day.isdigit() else "")
    return date, year or year_digits


def _first(fields: dict[str, str], *names: str) -> str:
    for name in names:
        value = fields.get(name, "").strip()
        if value:
            return value
    return ""


def entry_to_input(entry_type: str, key: str, fields: dict[str, str]) -> SourceInput:
    """One entry's (resolved, raw LaTeX) fields as a full record input."""
    label = latex_to_text(fields.get("type", ""))
    labelled = item_type_of(label) if label else None
    if (
        labelled is not None
        and labelled in LABELLED_TYPES | {ItemType.DOCUMENT}
        and label.lower() == labelled.label.lower()
    ):
        item_type = labelled
    elif entry_type in ENTRY_TYPES:
        item_type = ENTRY_TYPES[entry_type]
    elif _first(fields, "url") and not _first(fields, "publisher", "institution", "organization"):
        item_type = ItemType.WEB_PAGE
    else:
        item_type = ItemType.DOCUMENT
    creators = (
        parse_names(fields.get("author", ""), CreatorRole.AUTHOR)
        + parse_names(fields.get("editor", ""), CreatorRole.EDITOR)
        + parse_names(fields.get("translator", ""), CreatorRole.TRANSLATOR)
    )
    if not any(c.role == CreatorRole.AUTHOR for c in creators) and item_type not in (ItemType.BOOK, ItemType.CHAPTER):
        body = _first(fields, "organization", "institution") if item_type != ItemType.REPORT else ""
        if body and not creators:
            creators = (Creator(literal=latex_to_text(body)),)
    if item_type in (ItemType.JOURNAL_ARTICLE, ItemType.NEWSPAPER_ARTICLE):
        container = _first(fields, "journal", "journaltitle")
    elif item_type in (ItemType.CHAPTER, ItemType.CONFERENCE_PAPER):
        container = _first(fields, "booktitle", "maintitle")
    elif item_type in (ItemType.BOOK, ItemType.REPORT, ItemType.THESIS):
        container = _first(fields, "series")
    else:
        container = _first(fields, "howpublished", "journal", "booktitle", "series")
    number = latex_to_text(fields.get("number", ""))
    date, year = _date(fields)
    pages = latex_to_text(fields.get("pages", ""))
    notes = "; ".join(latex_to_text(v) for v in (fields.get("note", ""), fields.get("annote", "")) if v.strip())
    return SourceInput(
        key=key.strip()[:120],
        item_type=item_type.value,
        creators=creators,
        authors="",
        year=year[:16],
        title=latex_to_text(fields.get("title", "")),
        container=latex_to_text(container) if not container.startswith("http") else _plain(container),
        volume=latex_to_text(fields.get("volume", "")),
        issue=latex_to_text(fields.get("issue", "")) or ("" if item_type in NUMBERED_DOCUMENTS else number),
        document_symbol=number if item_type in NUMBERED_DOCUMENTS else "",
        pages=pages,
        edition=latex_to_text(fields.get("edition", "")),
        publisher=latex_to_text(
            _first(fields, "publisher", "institution", "school", "organization")
            if item_type != ItemType.DOCUMENT or not creators or not creators[0].literal
            else _first(fields, "publisher", "institution", "school")
        ),
        place=latex_to_text(_first(fields, "address", "location"))[:200],
        date=date,
        doi=_plain(fields.get("doi", "")),
        isbn=_plain(fields.get("isbn", "")),
        issn=_plain(fields.get("issn", "")),
        url=_plain(fields.get("url", "")),
        accessed=_plain(_first(fields, "urldate", "accessed")),
        language=latex_to_text(_first(fields, "language", "langid")),
        notes=notes,
    )


# -- writing -----------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([&%$#_])")


def _escape(value: str) -> str:
    """Text safe inside BibTeX braces: TeX specials escaped, braces and backslashes written as text."""
    text = value.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")
    text = text.replace("\\textbackslash\\{\\}", "\\textbackslash{}")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")


def _name(creator: Creator) -> str:
    if creator.literal:
        return "{" + _escape(creator.literal) + "}"
    family = _escape(creator.family)
    if " " in creator.family and not creator.family.split()[0][:1].islower():
        family = "{" + family + "}"  # "Barth Eide" stays one family name
    parts = [family]
    if creator.suffix:
        parts.append(_escape(creator.suffix))
    if creator.given:
        parts.append(_escape(creator.given))
    return ", ".join(parts)


def _names(record: SourceRecord, role: CreatorRole) -> str:
    return " and ".join(_name(c) for c in record.creators if c.role == role)


def format_entry(record: SourceRecord) -> str:
    """One source as a BibTeX entry (UTF-8; Zotero's field names)."""
    item_type = item_type_of(record.item_type)
    _, entry_type, _ = FORMAT_TYPES[item_type]
    fields: list[tuple[str, str]] = []

    def add(name: str, value: str, *, raw: bool = False) -> None:
        if value:
            fields.append((name, value if raw else _escape(value)))

    add("author", _names(record, CreatorRole.AUTHOR), raw=True)
    add("editor", _names(record, CreatorRole.EDITOR), raw=True)
    add("translator", _names(record, CreatorRole.TRANSLATOR), raw=True)
    add("title", record.title)
    container_field = {
        ItemType.JOURNAL_ARTICLE: "journal",
        ItemType.NEWSPAPER_ARTICLE: "journal",
        ItemType.CHAPTER: "booktitle",
        ItemType.CONFERENCE_PAPER: "booktitle",
        ItemType.BOOK: "series",
        ItemType.REPORT: "series",
        ItemType.THESIS: "series",
    }.get(item_type, "howpublished")
    add(container_field, record.container)
    if item_type in LABELLED_TYPES or item_type == ItemType.DOCUMENT:
        add("type", item_type.label)
    add("volume", record.volume)
    add("number", record.document_symbol if item_type in NUMBERED_DOCUMENTS else record.issue)
    if item_type in NUMBERED_DOCUMENTS and record.issue:
        add("issue", record.issue)
    add("pages", record.pages.replace("–", "--"))
    add("edition", record.edition)
    publisher_field = {ItemType.REPORT: "institution", ItemType.THESIS: "school"}.get(item_type, "publisher")
    add(publisher_field, record.publisher)
    add("address", record.place)
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", record.date)
    if match:
        add("year", record.year if record.year.startswith(match.group(1)) else match.group(1))
        if match.group(2):
            fields.append(("month", MONTHS[int(match.group(2)) - 1]))
        if match.group(3):
            add("date", record.date)
    else:
        add("year", record.year)
        if record.date and record.date != record.year:
            add("date", record.date)
    add("doi", record.doi)
    add("isbn", record.isbn)
    add("issn", record.issn)
    add("url", record.url.replace("{", "%7B").replace("}", "%7D"), raw=True)
    add("urldate", record.accessed)
    add("language", record.language)
    add("note", record.notes)
    key = re.sub(r"[\s,{}()\"#%'=\\]", "-", record.key) or "source"
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def format_bibtex(records: list[SourceRecord], marking: str = "") -> str:
    """The sources as a UTF-8 BibTeX text, its marking in a leading @comment."""
    head = f"@comment{{Marking: {marking}}}\n\n" if marking else ""
    return head + "\n".join(format_entry(r) for r in records)
