"""BibTeX: real-world (Zotero-style) entries import, round-trip through export, and malformed files
are rejected whole with a one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import ImportFormatError
from db.bibtex import latex_to_text, parse_bibtex

DATA = Path(__file__).resolve().parent.parent / "data"
ZOTERO = (DATA / "zotero_export.bib").read_text(encoding="utf-8")


def test_zotero_entries_parse_with_strings_accents_and_authors():
    """Braces, quotes, @string, #, accents and multi-author lists come out as plain text."""
    sources = {s.key: s for s in parse_bibtex(ZOTERO)}
    assert set(sources) == {"tardy_2005", "haugevik_new_2007", "coning2006", "council_2003"}
    tardy = sources["tardy_2005"]
    assert tardy.title == "EU-UN Cooperation in Peacekeeping: A Promising Relationship in a Constrained Environment"
    assert tardy.authors == "Tardy, Thierry" and tardy.container == "International Peacekeeping"
    assert tardy.reference == "vol. 11, no. 4, pp. 49–68; https://doi.org/10.1080/13533310500201894"
    haugevik = sources["haugevik_new_2007"]
    assert haugevik.authors == "Haugevik, Kristin M., Benjamin de Carvalho & Espen Barth Eide"
    assert haugevik.publisher == "Norwegian Institute of International Affairs (NUPI)" and haugevik.place == "Oslo"
    coning = sources["coning2006"]
    assert coning.authors == "de Coning, Cedric, François Grünewald & Mélanie Lefèvre"
    assert coning.container == "Peacekeeping – Peacebuilding. Preparing for the future" and coning.year == "2006"
    council = sources["council_2003"]
    assert council.authors == "Council of the European Union"
    assert council.title.endswith("in the EU military operation in the DRC & beyond") is False
    assert "DRC & beyond" in council.title and council.publisher == "Council of the EU"


def test_latex_accents():
    """The usual LaTeX accent forms become composed Unicode."""
    assert latex_to_text(r"Caf{\'e} \"{o} {\"u} \c{c} \ss{} {\aa} \v{s} Oberth{\"u}r") == "Café ö ü ç ß å š Oberthür"


def test_import_and_export_round_trip(mini_store):
    """Importing, exporting and re-importing gives the same library fields."""
    result = mini_store.references.import_bibtex(ZOTERO, origin="zotero.bib")
    assert len(result.sources) == 4
    assert (
        "before-import-zotero-bib" in result.backup_path
        if mini_store.location.is_sqlite
        else result.backup_path is None
    )
    exported = mini_store.references.export_bibtex([s.id for s in result.sources])
    again = {s.key: s for s in parse_bibtex(exported)}
    for source in result.sources:
        other = again[source.key]
        for field in ("authors", "year", "title", "container", "publisher", "place", "reference"):
            assert getattr(other, field) == getattr(source, field), (source.key, field)


def test_reimport_skips_entries_already_there(mini_store):
    """Importing the same file twice adds nothing the second time."""
    mini_store.references.import_bibtex(ZOTERO)
    before = len(mini_store.sources.all())
    result = mini_store.references.import_bibtex(ZOTERO)
    assert result.sources == () and len(result.notes) == 4
    assert len(mini_store.sources.all()) == before


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@article{a, title = {Unclosed}", "never closed|expected"),
        ("@article{a, title = {T}}\n@book{a, title = {U}}", "used twice"),
        ("@article{a, title = undefinedmacro}", "unknown @string"),
        ("@article{a title = {T}}", "expected"),
        ('@article{a, title = "open}', "never closed|unbalanced"),
        ("@article{, title = {T}}", "no citation key"),
        ("@article{a, author = {X}}", "no title"),
    ],
)
def test_malformed_file_is_rejected_whole(mini_store, text, reason):
    """A bad file raises one clear line and the library is unchanged (nothing half-imported)."""
    good = "@book{good2001, title = {Fine}, author = {Able, A.}, year = 2001}\n"
    before = mini_store.sources.all()
    with pytest.raises(ImportFormatError, match=reason) as caught:
        mini_store.references.import_bibtex(good + text)
    assert "\n" not in str(caught.value)
    assert mini_store.sources.all() == before


def test_file_without_entries_is_refused(mini_store):
    """Text that holds no entry is refused with a reason, not imported as nothing."""
    with pytest.raises(ImportFormatError, match="no BibTeX entries"):
        mini_store.references.import_bibtex("just some text without entries")


def test_size_limit():
    """A file over the size limit is refused before parsing."""
    with pytest.raises(ImportFormatError, match="larger than"):
        parse_bibtex("@misc{a, title={" + "x" * 6_000_000 + "}}")
