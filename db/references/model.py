"""The vocabulary of a bibliographic record: item types (with their CSL, BibTeX and RIS names) and
creators with roles, an institution kept as one literal name."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class ItemType(StrEnum):
    BOOK = "book"
    CHAPTER = "chapter"
    JOURNAL_ARTICLE = "journal-article"
    NEWSPAPER_ARTICLE = "newspaper-article"
    REPORT = "report"
    THESIS = "thesis"
    CONFERENCE_PAPER = "conference-paper"
    WEB_PAGE = "web-page"
    OFFICIAL_DOCUMENT = "official-document"
    UN_RESOLUTION = "un-resolution"
    SPEECH = "speech"
    DOCUMENT = "document"

    @property
    def label(self) -> str:
        return ITEM_TYPE_LABELS[self]


ITEM_TYPE_LABELS = {
    ItemType.BOOK: "Book",
    ItemType.CHAPTER: "Book chapter",
    ItemType.JOURNAL_ARTICLE: "Journal article",
    ItemType.NEWSPAPER_ARTICLE: "Newspaper article",
    ItemType.REPORT: "Report",
    ItemType.THESIS: "Thesis",
    ItemType.CONFERENCE_PAPER: "Conference paper",
    ItemType.WEB_PAGE: "Web page",
    ItemType.OFFICIAL_DOCUMENT: "Official document",
    ItemType.UN_RESOLUTION: "UN resolution",
    ItemType.SPEECH: "Speech",
    ItemType.DOCUMENT: "Document",
}

# (CSL type, BibTeX entry type, RIS type). A type without an entry type of its own in BibTeX is
# written as @misc with `type = {label}` so it comes back as itself; CSL-JSON keeps it in `genre`.
FORMAT_TYPES: dict[ItemType, tuple[str, str, str]] = {
    ItemType.BOOK: ("book", "book", "BOOK"),
    ItemType.CHAPTER: ("chapter", "incollection", "CHAP"),
    ItemType.JOURNAL_ARTICLE: ("article-journal", "article", "JOUR"),
    ItemType.NEWSPAPER_ARTICLE: ("article-newspaper", "article", "NEWS"),
    ItemType.REPORT: ("report", "techreport", "RPRT"),
    ItemType.THESIS: ("thesis", "phdthesis", "THES"),
    ItemType.CONFERENCE_PAPER: ("paper-conference", "inproceedings", "CPAPER"),
    ItemType.WEB_PAGE: ("webpage", "online", "ELEC"),
    ItemType.OFFICIAL_DOCUMENT: ("document", "misc", "GOVDOC"),
    ItemType.UN_RESOLUTION: ("legislation", "misc", "STAT"),
    ItemType.SPEECH: ("speech", "misc", "GEN"),
    ItemType.DOCUMENT: ("document", "misc", "GEN"),
}
# Types sharing a format name with another are told apart by their label (BibTeX `type`, CSL `genre`,
# RIS `M3`).
LABELLED_TYPES = {ItemType.NEWSPAPER_ARTICLE, ItemType.UN_RESOLUTION, ItemType.SPEECH, ItemType.OFFICIAL_DOCUMENT}


def item_type_of(value: str) -> ItemType:
    """The item type named by `value` (its key or its label, any case), DOCUMENT when unknown."""
    text = value.strip().lower()
    for item in ItemType:
        if text in (item.value, item.label.lower()):
            return item
    return ItemType.DOCUMENT


class CreatorRole(StrEnum):
    AUTHOR = "author"
    EDITOR = "editor"
    TRANSLATOR = "translator"


@dataclass(frozen=True)
class Creator:
    """A person (family and given names) or an institution (`literal`, one name never split)."""

    family: str = ""
    given: str = ""
    literal: str = ""
    role: CreatorRole = CreatorRole.AUTHOR
    suffix: str = ""

    @property
    def is_institution(self) -> bool:
        return bool(self.literal)

    @property
    def sort_name(self) -> str:
        """ "Osland, Kari M." or "Council of the European Union"."""
        if self.literal:
            return self.literal
        name = ", ".join(p for p in (self.family, self.given) if p)
        return f"{name}, {self.suffix}" if self.suffix else name

    @property
    def natural_name(self) -> str:
        """ "Kari M. Osland"."""
        if self.literal:
            return self.literal
        name = " ".join(p for p in (self.given, self.family) if p)
        return f"{name}, {self.suffix}" if self.suffix else name

    @property
    def family_or_literal(self) -> str:
        return self.literal or self.family

    def as_dict(self) -> dict[str, str]:
        data = {"role": self.role.value}
        for name in ("family", "given", "literal", "suffix"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data


def creator_of(data: dict) -> Creator:
    role = data.get("role", "author")
    return Creator(
        family=str(data.get("family", "")),
        given=str(data.get("given", "")),
        literal=str(data.get("literal", "")),
        role=CreatorRole(role) if role in CreatorRole._value2member_map_ else CreatorRole.AUTHOR,
        suffix=str(data.get("suffix", "")),
    )


def creators_to_json(creators: tuple[Creator, ...]) -> str:
    return json.dumps([c.as_dict() for c in creators], ensure_ascii=False, separators=(",", ":"))


def creators_from_json(text: str) -> tuple[Creator, ...]:
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(creator_of(d) for d in data if isinstance(d, dict)) if isinstance(data, list) else ()


# Fields of the full record besides key, title, creators, item type and marking, in display order.
DETAIL_FIELDS = (
    "container",
    "volume",
    "issue",
    "pages",
    "edition",
    "publisher",
    "place",
    "date",
    "doi",
    "isbn",
    "issn",
    "url",
    "accessed",
    "document_symbol",
    "language",
    "notes",
)
FIELD_LABELS = {
    "item_type": "Type",
    "creators": "Creators",
    "title": "Title",
    "year": "Year",
    "container": "Container",
    "volume": "Volume",
    "issue": "Issue",
    "pages": "Pages",
    "edition": "Edition",
    "publisher": "Publisher",
    "place": "Place",
    "date": "Date",
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "url": "URL",
    "accessed": "Accessed",
    "document_symbol": "Document symbol",
    "language": "Language",
    "notes": "Notes",
}
