"""RIS: Zotero-style records import with accents and several authors; malformed files are rejected
whole with a one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import ImportFormatError
from db.ris import parse_ris

DATA = Path(__file__).resolve().parent.parent / "data"
ZOTERO = (DATA / "zotero_export.ris").read_text(encoding="utf-8")


def test_records_map_to_sources():
    """TY/AU/PY/TI/T2/PB/CY/UR map onto the library fields."""
    journal, book, report = parse_ris(ZOTERO)
    assert journal.title.startswith("EU-UN Cooperation") and journal.authors == "Tardy, Thierry"
    assert journal.container == "International Peacekeeping" and journal.year == "2005"
    assert journal.reference == "vol. 11, no. 4, pp. 49–68; https://doi.org/10.1080/13533310500201894"
    assert book.authors == "Grünewald, François, Mélanie Lefèvre & Cedric de Coning"
    assert book.publisher == "Éditions du Seuil" and book.place == "Paris" and book.year == "2006"
    assert report.authors == "European Council"


def test_import_derives_unique_keys_and_round_trips_via_bibtex(mini_store):
    """Imported RIS records get author-year keys and survive a BibTeX export and re-import."""
    from db.bibtex import parse_bibtex

    result = mini_store.references.import_ris(ZOTERO, origin="zotero.ris")
    keys = [s.key for s in result.sources]
    assert keys == ["tardy-2005b", "grunewald-et-al-2006", "european-council-2003"]  # tardy-2005 is in the mini dataset
    assert any("tardy" in n for n in result.notes) is False
    again = {s.key: s for s in parse_bibtex(mini_store.references.export_bibtex([s.id for s in result.sources]))}
    for source in result.sources:
        assert again[source.key].authors == source.authors and again[source.key].title == source.title


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("TY  - JOUR\nTI  - Never closed\n", "never closed"),
        ("TI  - Outside\nER  - \n", "outside a record"),
        ("TY  - JOUR\nTI  - A\nTY  - BOOK\nER  - \n", "new record starts"),
        ("TY  - JOUR\nAU  - Nobody\nER  - \n", "no title"),
        ("<html>not ris</html>\n", "expected a tag line"),
        ("", "no RIS records"),
    ],
)
def test_malformed_file_is_rejected_whole(mini_store, text, reason):
    """A bad file raises one clear line and the library is unchanged."""
    good = "TY  - BOOK\nTI  - Fine\nAU  - Able, A.\nPY  - 2001\nER  - \n"
    before = mini_store.sources.all()
    with pytest.raises(ImportFormatError, match=reason) as caught:
        mini_store.references.import_ris(good + text if text else text)
    assert "\n" not in str(caught.value)
    assert mini_store.sources.all() == before
