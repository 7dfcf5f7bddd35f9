"""The briefing as a Word file: markings in header and footer, heading styles, real tables with repeated
header rows, the diagram as a 250-dpi picture, every lesson printed once with its citations."""

from __future__ import annotations

import io
from datetime import date

from docx import Document as WordDocument
from docx.oxml.ns import qn
from PIL import Image

from db import Store
from desktop.briefing.content import BriefingOptions
from tests.desktop.briefing_helpers import normalise
from tests.desktop.test_briefing_complete import expected_blocks


def _text(word) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return normalise(" ".join(parts))


def test_report_docx_is_the_same_briefing(qapp, default_db_path, tmp_path, capsys):
    """`quadrangle report OUT.docx` writes Word: marking top and bottom, headings, tables, picture, lessons once."""
    from desktop.cli import main

    out = tmp_path / "b.docx"
    assert (
        main(["--db", str(default_db_path), "--analyst", "J. Analyst", "report", str(out), "--as-of", "2007-12-31"])
        == 0
    )
    assert "Wrote" in capsys.readouterr().out
    word = WordDocument(str(out))
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "UNCLASSIFIED"
    assert section.footer.paragraphs[0].text == "UNCLASSIFIED"
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == [
        "Contents",
        "1  Key judgements",
        "2  The quadrangle as of 31 December 2007",
        "3  Comparison and motives",
    ]
    assert "4  UN–EU" in headings and "Annex A  Every lesson in full" in headings
    assert word.tables and all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in word.tables)
    assert word.core_properties.author == "J. Analyst" and "UNCLASSIFIED" in word.core_properties.keywords
    picture = word.inline_shapes[0]
    blob = picture._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(word.part.related_parts[blob].blob))
    assert 200 <= round(image.info["dpi"][0]) <= 300
    text = _text(word)
    with Store.open(default_db_path, actor="tester") as store:
        blocks, findings, _ = expected_blocks(store, BriefingOptions(as_of=date(2007, 12, 31)))
    assert [f[:50] for f in findings if text.count(f) != 1] == []
    assert [b[:60] for b in blocks if text.count(b) != 1] == []
