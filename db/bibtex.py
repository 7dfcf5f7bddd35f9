"""BibTeX: a strict, pure-Python reader of the files reference managers export (Zotero, JabRef,
BibDesk: braces, quotes, @string macros, `#` concatenation, LaTeX accents, "and"-separated authors)
and a writer for the sources library. No network, size limits, and a malformed file is rejected
with one line saying where and why, so an import is all or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NoReturn

from db.errors import ImportFormatError
from db.lesson_records import SourceInput, SourceRecord
from db.names import join_authors, split_authors

MAX_BYTES = 5_000_000
MAX_ENTRIES = 10_000
MAX_FIELD = 20_000
MAX_DEPTH = 32
MAX_MACROS = 2_000

MONTHS = {
    m[:3]: m
    for m in (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
}
MONTH_MACROS = {k.lower(): v for k, v in MONTHS.items()}

_NUMBER = re.compile(r"\d+")
_IDENT = re.compile(r"[A-Za-z0-9_\-:.+/']+")
_KEY = re.compile(r"[^\s,{}()\"#%'=\\]+")


@dataclass(frozen=True)
class BibEntry:
    kind: str
    key: str
    fields: dict[str, str]  # lower-case names; values with inner braces kept
    line: int


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.macros: dict[str, str] = dict(MONTH_MACROS)

    def line(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def fail(self, message: str, pos: int | None = None) -> NoReturn:
        raise ImportFormatError(f"Not a valid BibTeX file: line {self.line(pos)}: {message}. Nothing was imported.")

    def skip_ws(self) -> None:
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c.isspace():
                self.pos += 1
            elif c == "%":  # a comment to the end of the line, as biber reads it
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end + 1
            else:
                return

    def expect(self, chars: str, what: str) -> str:
        self.skip_ws()
        if self.pos >= len(self.text) or self.text[self.pos] not in chars:
            found = "the end of the file" if self.pos >= len(self.text) else repr(self.text[self.pos])
            self.fail(f"expected {what}, found {found}")
        self.pos += 1
        return self.text[self.pos - 1]

    def ident(self, what: str) -> str:
        self.skip_ws()
        match = _IDENT.match(self.text, self.pos)
        if not match:
            self.fail(f"expected {what}")
        self.pos = match.end()
        return match.group(0)

    def braced(self, opening_pos: int) -> str:
        """Text up to the brace matching the one just read (inner braces kept)."""
        depth = 1
        start = self.pos
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "\\":
                self.pos += 2
                continue
            if c == "{":
                depth += 1
                if depth > MAX_DEPTH:
                    self.fail("braces nested too deeply")
            elif c == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start : self.pos - 1]
            self.pos += 1
        self.fail("a brace is never closed", opening_pos)
        return ""

    def quoted(self, opening_pos: int) -> str:
        depth = 0
        start = self.pos
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "\\":
                self.pos += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth < 0:
                    self.fail("unbalanced braces inside a quoted value")
            elif c == '"' and depth == 0:
                self.pos += 1
                return self.text[start : self.pos - 1]
            self.pos += 1
        self.fail("a quoted value is never closed", opening_pos)
        return ""

    def value(self) -> str:
        parts = []
        while True:
            self.skip_ws()
            if self.pos >= len(self.text):
                self.fail("a value is missing at the end of the file")
            c = self.text[self.pos]
            start = self.pos
            if c == "{":
                self.pos += 1
                parts.append(self.braced(start))
            elif c == '"':
                self.pos += 1
                parts.append(self.quoted(start))
            elif (number := _NUMBER.match(self.text, self.pos)) is not None:
                # Not str.isdigit(): it accepts digits such as '²' that \d does not match.
                self.pos = number.end()
                parts.append(number.group(0))
            else:
                name = self.ident("a value in braces, in quotes, a number or a @string name").lower()
                if name not in self.macros:
                    self.fail(f"unknown @string name '{name}'", start)
                parts.append(self.macros[name])
            self.skip_ws()
            if self.pos < len(self.text) and self.text[self.pos] == "#":
                self.pos += 1
                continue
            result = "".join(parts)
            if len(result) > MAX_FIELD:
                self.fail(f"a value is longer than {MAX_FIELD} characters", start)
            return result

    def entries(self) -> list[BibEntry]:
        found: list[BibEntry] = []
        keys: dict[str, int] = {}
        while True:
            at = self.text.find("@", self.pos)
            if at < 0:
                return found
            self.pos = at + 1
            line = self.line(at)
            kind = self.ident("an entry type after @").lower()
            opening = self.expect("{(", "'{' after @" + kind)
            closing = "}" if opening == "{" else ")"
            if kind == "comment":
                if opening == "{":
                    self.braced(self.pos - 1)
                continue
            if kind == "preamble":
                self.value()
                self.expect(closing, f"'{closing}' closing the @preamble")
                continue
            if kind == "string":
                name = self.ident("a @string name").lower()
                self.expect("=", "'=' after the @string name")
                if len(self.macros) > MAX_MACROS:
                    self.fail("too many @string definitions")
                self.macros[name] = self.value()
                self.expect(closing, f"'{closing}' closing the @string")
                continue
            self.skip_ws()
            match = _KEY.match(self.text, self.pos)
            if not match:
                self.fail(f"the @{kind} entry has no citation key")
            key = match.group(0)
            self.pos = match.end()
            if key.lower() in keys:
                self.fail(f"the key '{key}' is used twice (first on line {keys[key.lower()]})")
            keys[key.lower()] = line
            fields: dict[str, str] = {}
            while True:
                c = self.expect(
                    "," + closing,
                    f"',' or '{closing}' after '{key}'" if not fields else f"',' or '{closing}' in entry '{key}'",
                )
                if c == closing:
                    break
                self.skip_ws()
                if self.pos < len(self.text) and self.text[self.pos] == closing:
                    self.pos += 1
                    break
                name = self.ident(f"a field name in entry '{key}'").lower()
                self.expect("=", f"'=' after the field '{name}' in entry '{key}'")
                if name in fields:
                    self.fail(f"the field '{name}' is given twice in entry '{key}'")
                fields[name] = self.value()
            found.append(BibEntry(kind=kind, key=key, fields=fields, line=line))
            if len(found) > MAX_ENTRIES:
                self.fail(f"more than {MAX_ENTRIES} entries")


def parse_bibtex_entries(text: str) -> list[BibEntry]:
    """Every entry of a BibTeX text; raises ImportFormatError (one line, with the line number)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ImportFormatError(f"The BibTeX file is larger than {MAX_BYTES // 1_000_000} MB; nothing was imported.")
    if "\x00" in text:
        raise ImportFormatError("Not a BibTeX file (it holds binary data); nothing was imported.")
    return _Reader(text.lstrip("\ufeff")).entries()


# -- LaTeX to Unicode -----------------------------------------------------------------------------

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "th": "þ",
}
_SYMBOL_ACCENT = re.compile(r"""\\(['`^"~=.])\s*(?:\{\s*(\\[A-Za-z]+|[A-Za-z])\s*\}|(\\[A-Za-z]+|[A-Za-z]))""")
_LETTER_ACCENT = re.compile(r"\\([uvHckr])(?:\s*\{\s*(\\[A-Za-z]+|[A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTER_CMD = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|dh|th|o|O|l|L|i|j)(?![A-Za-z])\s?")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_FORMAT_CMD = re.compile(r"\\(?:emph|textit|textbf|textsc|textrm|textsf|texttt|mkbibquote|url|enquote)\s*(?=\{)")


def _base(letter: str) -> str:
    return _LETTERS.get(letter[1:], letter[1:]) if letter.startswith("\\") else letter


def latex_to_text(value: str) -> str:
    """Plain Unicode from a BibTeX value: accents composed, escapes and braces removed, spaces collapsed."""
    text = _FORMAT_CMD.sub("", value)
    text = _SYMBOL_ACCENT.sub(lambda m: _base(m.group(2) or m.group(3)) + _ACCENTS[m.group(1)], text)
    text = _LETTER_ACCENT.sub(lambda m: _base(m.group(2) or m.group(3)) + _ACCENTS[m.group(1)], text)
    text = _LETTER_CMD.sub(lambda m: _LETTERS[m.group(1)], text)
    text = text.replace("---", "—").replace("--", "–").replace("\\textendash", "–").replace("\\textemdash", "—")
    text = re.sub(r"(?<!\\)~", " ", text)
    placeholder: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        token = f"\x01{len(placeholder)}\x01"
        placeholder[token] = match.group(1)
        return token

    text = _ESCAPED.sub(keep, text)
    text = text.replace("{", "").replace("}", "").replace("\\,", " ").replace("\\ ", " ")
    for token, char in placeholder.items():
        text = text.replace(token, char)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def split_names(value: str) -> list[str]:
    """A BibTeX name list split on "and" outside braces; organizations ({...}) keep their braces."""
    names, depth, start = [], 0, 0
    i = 0
    while i < len(value):
        c = value[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and value[i : i + 5].lower() == " and ":
            names.append(value[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    names.append(value[start:])
    result = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        if name.startswith("{") and name.endswith("}") and _balanced_whole(name):
            result.append("{" + latex_to_text(name[1:-1]) + "}")
        elif name.lower() == "others":
            result.append("others")
        else:
            result.append(latex_to_text(name))
    return result


def _balanced_whole(name: str) -> bool:
    depth = 0
    for i, c in enumerate(name):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True


# -- entries to sources and back ----------------------------------------------------------------------


def _first(fields: dict[str, str], *names: str) -> str:
    for name in names:
        if fields.get(name, "").strip():
            return fields[name]
    return ""


def reference_of(fields: dict[str, str]) -> str:
    """Volume, number and pages, a note, and the URL (or DOI) as one "document reference"."""
    parts = []
    details = []
    if fields.get("volume"):
        details.append(f"vol. {latex_to_text(fields['volume'])}")
    if fields.get("number") or fields.get("issue"):
        details.append(f"no. {latex_to_text(_first(fields, 'number', 'issue'))}")
    if fields.get("pages"):
        details.append(f"pp. {latex_to_text(fields['pages'])}")
    if details:
        parts.append(", ".join(details))
    if fields.get("note"):
        parts.append(latex_to_text(fields["note"]))
    url = latex_to_text(fields.get("url", "")).replace(" ", "")
    if not url and fields.get("doi"):
        url = "https://doi.org/" + latex_to_text(fields["doi"]).replace(" ", "")
    if url:
        parts.append(url)
    return "; ".join(parts)


def entry_to_source(entry: BibEntry) -> SourceInput:
    """Map a BibTeX entry onto the library's fields; raises ImportFormatError if it has no title."""
    f = entry.fields
    title = latex_to_text(_first(f, "title", "booktitle"))
    if not title:
        raise ImportFormatError(f"Entry '{entry.key}' (line {entry.line}) has no title; nothing was imported.")
    authors = join_authors(split_names(_first(f, "author", "editor")))
    if not authors and _first(f, "organization", "institution"):
        authors = latex_to_text(_first(f, "organization", "institution"))
    year = latex_to_text(f.get("year", "")) or latex_to_text(f.get("date", ""))[:4]
    container = ""
    if f.get("title"):
        container = latex_to_text(_first(f, "journal", "journaltitle", "booktitle", "series"))
    return SourceInput(
        key=entry.key[:120],
        authors=authors,
        year=year[:16],
        title=title,
        container=container,
        publisher=latex_to_text(_first(f, "publisher", "institution", "organization", "school")),
        place=latex_to_text(_first(f, "address", "location"))[:200],
        reference=reference_of(f),
    )


def parse_bibtex(text: str) -> list[SourceInput]:
    """Sources from a BibTeX text, in file order; raises ImportFormatError for a malformed file."""
    entries = parse_bibtex_entries(text)
    if not entries:
        raise ImportFormatError("The file holds no BibTeX entries (@article{...}, @book{...}); nothing was imported.")
    return [entry_to_source(e) for e in entries]


_SPECIAL = re.compile(r"([&%$#_])")


def _escape(value: str) -> str:
    """A value safe inside BibTeX braces: TeX specials escaped, stray braces dropped."""
    text = value.replace("\\", "").replace("{", "").replace("}", "")
    return _SPECIAL.sub(r"\\\1", text)


def _bib_name(name: str) -> str:
    """A person ("Osland, K.", "D. Faulkner") as it is; anything else braced as one organization."""
    if "," in name or "." in name:
        return _escape(name)
    return "{" + _escape(name) + "}"


def format_bibtex(sources: list[SourceRecord]) -> str:
    """The sources as a UTF-8 BibTeX text (@article, @incollection, @book or @misc by their fields)."""
    chunks = []
    for source in sources:
        if source.container and not source.publisher:
            kind, container_field = "article", "journal"
        elif source.container:
            kind, container_field = "incollection", "booktitle"
        elif source.publisher:
            kind, container_field = "book", ""
        else:
            kind, container_field = "misc", ""
        fields: list[tuple[str, str]] = []
        names = split_authors(source.authors)
        if names:
            fields.append(("author", " and ".join(_bib_name(n) for n in names)))
        fields.append(("title", "{" + _escape(source.title) + "}"))
        if container_field:
            fields.append((container_field, _escape(source.container)))
        if source.year:
            fields.append(("year", _escape(source.year)))
        if source.publisher:
            fields.append(("publisher", _escape(source.publisher)))
        if source.place:
            fields.append(("address", _escape(source.place)))
        urls = [p for p in source.reference.split("; ") if re.match(r"https?://\S+$", p)]
        notes = [p for p in source.reference.split("; ") if p and p not in urls]
        if notes:
            fields.append(("note", _escape("; ".join(notes))))
        if urls:
            fields.append(("url", urls[0].replace("{", "").replace("}", "")))
        key = re.sub(r"[\s,{}()\"#%'=\\]", "-", source.key) or "source"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        chunks.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(chunks)
