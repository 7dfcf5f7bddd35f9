"""The BibTeX, RIS and CSL-JSON readers on Zotero, Mendeley and EndNote exports (each quirk a test),
the file decoding, and round trips: export, read again, identical records."""

from __future__ import annotations

import codecs
from dataclasses import fields
from pathlib import Path

import pytest

from db import ImportFormatError, SourceRecord
from db.references.bibtex import format_bibtex, read_bibtex
from db.references.csl_json import format_csl_json, read_csl_json
from db.references.decode import decode_reference_file
from db.references.formats import format_of
from db.references.model import CreatorRole, ItemType
from db.references.record import complete
from db.references.ris import format_ris, read_ris

DATA = Path(__file__).resolve().parent.parent / "data" / "references"


def _read(name: str):
    data = (DATA / name).read_bytes()
    text = decode_reference_file(data, name)
    return {"bibtex": read_bibtex, "ris": read_ris, "csl-json": read_csl_json}[format_of(name, text)](text)


def _drafts(name: str) -> dict[str, object]:
    parsed = _read(name)
    assert parsed.problems == ()
    return {complete(e.draft).key or complete(e.draft).title[:20]: complete(e.draft) for e in parsed.entries}


# -- Zotero BibTeX ---------------------------------------------------------------------------


def test_zotero_bibtex_keeps_every_field_in_its_place():
    """A Zotero @article keeps its DOI, ISSN, URL and access date, volume, issue, pages, month and language."""
    tardy = _drafts("zotero_library.bib")["tardy_eu-un_2005"]
    assert tardy.item_type == ItemType.JOURNAL_ARTICLE
    assert tardy.title == "EU-UN Cooperation in Peacekeeping: A Promising Relationship in a Constrained Environment"
    assert (tardy.container, tardy.volume, tardy.issue, tardy.pages) == (
        "International Peacekeeping",
        "11",
        "4",
        "49–68",
    )
    assert (tardy.doi, tardy.issn, tardy.accessed, tardy.date, tardy.language) == (
        "10.1080/13533310500201894",
        "1353-3312",
        "2024-03-01",
        "2005-12",
        "en",
    )


def test_zotero_crossref_child_inherits_container_year_publisher_and_editors():
    """An @incollection with crossref gets the book's title as container, its year, publisher, place and editors."""
    chapter = _drafts("zotero_library.bib")["pugh_introduction_2003"]
    assert chapter.item_type == ItemType.CHAPTER
    assert chapter.container == "The United Nations and Regional Security: Europe and Beyond"
    assert (chapter.year, chapter.publisher, chapter.place) == ("2003", "Lynne Rienner", "Boulder, CO")
    assert [c.family for c in chapter.creators if c.role == CreatorRole.EDITOR] == ["Pugh", "Sidhu"]
    assert [c.family for c in chapter.creators if c.role == CreatorRole.AUTHOR] == ["Pugh", "Sidhu"]


def test_editors_of_a_book_are_editors_and_the_author_string_says_so():
    """A book with editors only lists them as editors, "(Eds.)" in the author string."""
    book = _drafts("zotero_library.bib")["pugh_united_2003"]
    assert {c.role for c in book.creators} == {CreatorRole.EDITOR}
    assert book.authors == "Pugh, Michael & Waheguru Pal Singh Sidhu (Eds.)" and book.isbn == "978-1-58826-232-2"


def test_un_resolution_keeps_its_symbol_and_institution_as_one_name():
    """A resolution's document symbol is kept, and a braced institution is one literal creator."""
    resolution = _drafts("zotero_library.bib")["unsc_resolution_2003"]
    assert resolution.item_type == ItemType.UN_RESOLUTION and resolution.document_symbol == "S/RES/1484 (2003)"
    assert [c.literal for c in resolution.creators] == ["United Nations Security Council"]


def test_latex_math_superscript_accents_and_translators():
    """`$\\alpha$-{\\textsuperscript{th}}` is "α-th", accents compose, `\\&` is "&", a translator is a translator."""
    gya = _drafts("zotero_library.bib")["gya_alpha_2008"]
    assert gya.title == "The α-th test of ESDP: Chad & Darfur"
    assert [(c.family, c.given, c.literal) for c in gya.creators if c.role == CreatorRole.AUTHOR] == [
        ("Gya", "Giji", ""),
        ("", "", "Ana Júlio"),
        ("Müller", "Hans-Jürgen", ""),
    ]
    assert [c.sort_name for c in gya.creators if c.role == CreatorRole.TRANSLATOR] == ["Lefèvre, Mélanie"]


def test_web_page_from_misc_with_url_and_access_date():
    """A @misc with a URL and no publisher is a web page with its access date and note."""
    page = _drafts("zotero_library.bib")["nato_african_2007"]
    assert page.item_type == ItemType.WEB_PAGE and page.accessed == "2008-01-15" and page.notes == "visited 31 December"


def test_string_macros_concatenation_and_month_names():
    """@string macros, `#` joins and month macros resolve; an undefined macro is reported, not imported."""
    parsed = read_bibtex(
        '@string{nupi = "Norwegian Institute"}\n@book{a, title = {T}, publisher = nupi # " (NUPI)", '
        "year = 2007, month = sep, author = {Haugevik, K.}}\n@book{b, title = undefined, author = {X, Y}}\n"
    )
    (entry,) = parsed.entries
    assert entry.draft.publisher == "Norwegian Institute (NUPI)" and entry.draft.date == "2007-09"
    assert len(parsed.problems) == 1 and "unknown @string name 'undefined'" in parsed.problems[0]


def test_failed_block_is_reported_with_its_line_and_the_rest_is_read():
    """A block bibtexparser cannot parse is a problem naming its line; the good entries are still read."""
    parsed = read_bibtex("@book{good, title = {Fine}, author = {Able, A.}}\n\n@article{bad title = {T}}\n")
    assert [e.draft.key for e in parsed.entries] == ["good"]
    assert parsed.problems and parsed.problems[0].startswith("line 3:") and "\n" not in parsed.problems[0]


def test_comment_blocks_and_text_outside_entries_are_ignored():
    """@comment, Mendeley's header lines and JabRef's meta comments are not entries and not problems."""
    parsed = _read("mendeley_export.bib")
    assert parsed.problems == () and len(parsed.entries) == 3


# -- Mendeley BibTeX -----------------------------------------------------------------------


def test_mendeley_double_braced_titles_escaped_underscores_and_von_names():
    """Mendeley's {{Title}}, `{\\_}` in URLs and "von Hippel, Karin" come out clean."""
    drafts = _drafts("mendeley_export.bib")
    assert drafts["Osland2004"].title == "The EU Police Mission in Bosnia and Herzegovina"
    assert drafts["Eide2005"].url == "http://www.regjeringen.no/upload/UD/Vedlegg/FN/Integrated_Missions.pdf"
    assert drafts["Eide2005"].creators[-1].family == "von Hippel" and drafts["Eide2005"].item_type == ItemType.REPORT
    assert drafts["Morgenthau1948"].isbn == "0070433062" and drafts["Morgenthau1948"].edition == "1st"


# -- EndNote RIS ----------------------------------------------------------------------------


def test_endnote_ris_with_crlf_wrapped_abstract_y1_and_editors():
    """EndNote's CRLF lines, `Y1 - 1998///`, T1/JO, wrapped abstracts, A2 editors of a chapter and SN."""
    drafts = _drafts("endnote_export.ris")
    norms = drafts["International Norm D"]
    assert (norms.year, norms.container, norms.pages, norms.doi, norms.issn) == (
        "1998",
        "International Organization",
        "887–917",
        "10.1162/002081898550789",
        "0020-8183",
    )
    chapter = drafts["Constructivism and I"]
    assert chapter.item_type == ItemType.CHAPTER and chapter.isbn == "0-7619-6305-8"
    assert [c.family for c in chapter.creators if c.role == CreatorRole.EDITOR] == ["Carlsnaes", "Risse", "Simmons"]
    council = drafts["Council Joint Action"]
    assert council.item_type == ItemType.OFFICIAL_DOCUMENT and council.date == "2003-06-05"
    assert council.accessed == "2024-02-29" and council.creators[0].literal == "Council of the European Union"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("TY  - JOUR\nTI  - Never closed\n", "never closed"),
        ("TI  - Outside\nER  - \n", "outside a record"),
        ("TY  - JOUR\nTI  - A\nTY  - BOOK\nER  - \n", "new record starts"),
        ("<html>not ris</html>\n", "expected a tag line"),
    ],
)
def test_ris_structure_problems_are_reported_with_their_line(text, reason):
    """What rispy would silently drop is reported with the line it is on."""
    parsed = read_ris(text)
    assert any(reason in p and p.startswith("line ") for p in parsed.problems)


# -- CSL-JSON -------------------------------------------------------------------------------


def test_zotero_csl_json_string_date_parts_literal_authors_and_genre():
    """Zotero's CSL JSON: string years in date-parts, URIs as ids (no key), literal institutions, genre."""
    drafts = _drafts("zotero_export.json")
    tardy = drafts["EU-UN Cooperation in"]
    assert tardy.key == "" and tardy.date == "2005-12" and tardy.accessed == "2024-03-01" and tardy.pages == "49–68"
    resolution = drafts["unsc_resolution_1769_2007"]
    assert resolution.item_type == ItemType.UN_RESOLUTION and resolution.document_symbol == "S/RES/1769 (2007)"
    assert drafts["child_cooperative_2005"].year == "2005" and drafts["child_cooperative_2005"].edition == "2"


def test_csl_json_that_is_not_a_list_is_a_problem():
    """A JSON object without items, or broken JSON, is one problem line."""
    assert read_csl_json('{"a": 1}').problems and read_csl_json("[{").problems


# -- decoding -------------------------------------------------------------------------------


ENTRY = "@book{k, title = {Réflexions sur la coopération}, author = {Grünewald, François}, year = 2006}\n"


@pytest.mark.parametrize(
    "data",
    [
        ENTRY.encode("utf-8"),
        codecs.BOM_UTF8 + ENTRY.encode("utf-8"),
        ENTRY.encode("utf-16"),
        codecs.BOM_UTF16_LE + ENTRY.encode("utf-16-le"),
        ENTRY.encode("latin-1"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "latin-1"],
)
def test_encodings_are_read(data):
    """UTF-8 with and without a byte-order mark, UTF-16 and Latin-1 all give the same entry."""
    (entry,) = read_bibtex(decode_reference_file(data)).entries
    assert entry.draft.title == "Réflexions sur la coopération" and entry.draft.creators[0].family == "Grünewald"


def test_binary_file_is_refused_in_one_line():
    """A file of binary bytes is refused with one line, not a codec traceback."""
    with pytest.raises(ImportFormatError) as caught:
        decode_reference_file(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00")
    assert "\n" not in str(caught.value) and "nothing was imported" in str(caught.value)


# -- round trips ----------------------------------------------------------------------------


def _records(name: str) -> list[SourceRecord]:
    result = []
    for number, entry in enumerate(_read(name).entries):
        draft = complete(entry.draft)
        values = {f.name: getattr(draft, f.name) for f in fields(draft)}
        values["key"] = values["key"] or f"entry-{number}"
        result.append(SourceRecord(id=f"id-{number}", revision=1, **values))
    return result


@pytest.mark.parametrize(
    "name", ["zotero_library.bib", "mendeley_export.bib", "endnote_export.ris", "zotero_export.json"]
)
@pytest.mark.parametrize(
    ("writer", "reader"),
    [(format_bibtex, read_bibtex), (format_ris, read_ris), (format_csl_json, read_csl_json)],
    ids=["bibtex", "ris", "csl-json"],
)
def test_export_and_read_again_gives_identical_records(name, writer, reader):
    """Every record of every fixture written in each format and read back is the same record."""
    records = _records(name)
    again = reader(writer(records, "UNCLASSIFIED"))
    assert again.problems == ()
    for record, entry in zip(records, again.entries, strict=True):
        back = complete(entry.draft)
        for field in fields(back):
            if field.name != "marking":
                assert getattr(back, field.name) == getattr(record, field.name), (record.key, field.name)


def test_bibtex_export_braces_institutions_and_keeps_types():
    """Institutions are braced as one name, people are "Family, Given", @misc is not turned into @article."""
    text = format_bibtex(_records("zotero_library.bib"))
    assert "author = {{United Nations Security Council}}" in text
    assert "author = {Gya, Giji and {Ana Júlio} and Müller, Hans-Jürgen}" in text
    assert "@misc{unsc_resolution_2003," in text and "@online{nato_african_2007," in text
    assert "pages = {1--10}" in text and "note" not in text.split("@incollection")[1].split("}\n")[0]
