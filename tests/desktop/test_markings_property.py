"""Property (issue 17): databases with random markings on every kind of marked item (sources,
assessment versions with their summary and a motive rationale, lessons with a recommendation, with
citations between them carrying quotes, and a theme per lesson), exported at every limit in every
format: the table (text, CSV, JSON, Excel rows), the lessons (CSV, Excel rows), the sources (BibTeX,
RIS, CSL-JSON), the exchange file, the diagram SVG, the briefing as PDF (page text, outline, metadata)
and as Word (body, tables, every header and footer, document properties, and every XML part's text),
the two-date comparison report as PDF, Word and CSV, and the relationships side by side (CSV). No text
unique to a withheld item appears, no lesson count counts one, and every output's marking is at or
below the limit."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from docx import Document as WordDocument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from db import AssessmentInput, CitationInput, LessonKind, MarkingScheme, Store
from db.lesson_records import LessonInput, SourceInput
from desktop.briefing.build import write_briefing
from desktop.briefing.comparison import write_comparison
from desktop.briefing.content import BriefingOptions
from desktop.briefing.diagram import diagram_svg
from desktop.briefing.side_by_side import gather_side_by_side, side_by_side_csv
from desktop.diagram.export import export_svg
from desktop.diagram.scene import QuadrangleScene
from desktop.marked_exports import lessons_export, lessons_sheet, sources_export, table_export, table_sheet
from tests.markings_helpers import LEVELS

EXAMPLES = int(os.environ.get("QUADRANGLE_PROPERTY_EXAMPLES", "8"))  # bounded: under a minute here
AS_OF = date(2008, 6, 30)
SCHEME = MarkingScheme(LEVELS)
level = st.sampled_from(LEVELS)
cites = st.lists(st.integers(min_value=0, max_value=2), max_size=2, unique=True)
material = st.fixed_dictionaries(
    {
        "sources": st.lists(level, min_size=1, max_size=3),
        "versions": st.lists(st.tuples(level, cites), min_size=1, max_size=3),
        "lessons": st.lists(st.tuples(level, cites), min_size=1, max_size=4),
    }
)


def _build(template: Path, spec: dict) -> tuple[Store, dict[str, tuple[str, str]], str]:
    """A copy of the mini store with the spec's items. Returns the store, each token's (kind, marking)
    and the relationship id. Each token is text only its own item carries."""
    folder = Path(tempfile.mkdtemp(prefix="markings-prop-"))
    shutil.copyfile(template, folder / "p.db")
    store = Store.open(folder / "p.db", actor="tester")
    store.catalog.set_markings(list(LEVELS))
    rel = store.quadrangle.relationships()[0]
    base = store.assessments.history(rel.id)[-1]
    tokens: dict[str, tuple[str, str]] = {}
    sources = []
    for i, marking in enumerate(spec["sources"]):
        token = f"Srcq{i}x"
        sources.append(
            store.sources.add(SourceInput(authors=f"{token}, A.", year="2001", title=token, marking=marking))
        )
        tokens[token] = ("source", marking)

    def citations(owner: str, owner_marking: str, picks):
        """Citations of the picked sources, each quoting text only it carries: withheld when its
        owner is, or when the source it cites is."""
        made = []
        for p in picks:
            if p < len(sources):
                quote = f"Quo{owner}q{p}x"
                made.append(CitationInput(sources[p].id, "9", quote))
                higher = max(owner_marking, sources[p].marking, key=SCHEME.rank)
                tokens[quote] = ("citation", higher)
        return tuple(made)

    for i, (marking, picks) in enumerate(spec["versions"]):
        token, motive_token = f"Asmq{i}x", f"Motq{i}x"
        motives = (dataclasses.replace(base.motives[0], rationale=motive_token), *base.motives[1:])
        store.assessments.save(
            AssessmentInput(
                relationship_id=rel.id,
                as_of=date(2008, 2, 1 + i),
                phases=base.phases,
                confidence=base.confidence,
                summary=token,
                motives=motives,
                marking=marking,
                citations=citations(f"A{i}", marking, picks),
            )
        )
        tokens[token] = tokens[motive_token] = ("version", marking)
    for i, (marking, picks) in enumerate(spec["lessons"]):
        token, theme_token, advice = f"Lesq{i}x", f"Thmq{i}x", f"Recq{i}x"
        theme = store.catalog.add_theme(theme_token)
        store.lessons.add(
            LessonInput(
                finding=token,
                kind=LessonKind.CHALLENGE,
                recorded_on=date(2008, 3, 1),
                relationship_ids=(rel.id,),
                theme_keys=(theme.key,),
                recommendation=advice,
                marking=marking,
                citations=citations(f"L{i}", marking, picks),
            )
        )
        tokens[token] = tokens[advice] = ("lesson", marking)
        tokens[theme_token] = ("lesson", marking)  # the theme only this lesson carries
    return store, tokens, rel.id


def _flat(text: str) -> str:
    """Ligatures folded and whitespace collapsed, as a reader's search sees extracted text."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _pdf_text(path: Path) -> str:
    """Every page's text, the outline's titles and the document information."""
    reader = PdfReader(str(path))
    parts = [page.extract_text() or "" for page in reader.pages]

    def outline(items) -> None:
        for item in items:
            if isinstance(item, list):
                outline(item)
            else:
                parts.append(str(item.title))

    outline(reader.outline)
    parts += [str(value) for value in (reader.metadata or {}).values()]
    return _flat("\n".join(parts))


def _word_text(path: Path) -> str:
    """The body's paragraphs and tables (nested too), every section's headers and footers (first
    page and even pages included), the core properties, and, in case a text box or field holds
    something python-docx does not reach, the text of every XML part of the file."""
    word = WordDocument(str(path))
    parts = [p.text for p in word.paragraphs]

    def tables(items) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(word.tables)
    for section in word.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            parts.extend(p.text for p in part.paragraphs)
            tables(part.tables)
    core = word.core_properties
    parts += [str(getattr(core, name) or "") for name in ("title", "subject", "keywords", "comments", "category")]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                parts.append(re.sub(r"<[^>]+>", " ", archive.read(name).decode("utf-8", "replace")))
    return _flat("\n".join(parts))


def _svg_texts(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    return [" ".join(e.text.split()) for e in root.iter("{http://www.w3.org/2000/svg}text") if e.text]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=material)
def test_no_withheld_text_reaches_any_output_at_any_limit(qapp, _seeded_templates, spec):
    """At every limit, in every format: no token of an item above the limit, no count including one,
    and the output's marking is the highest it holds, at or below the limit."""
    store, tokens, rel_id = _build(_seeded_templates["mini"], spec)
    folder = Path(tempfile.mkdtemp(prefix="markings-out-"))
    try:
        for limit in LEVELS:
            withheld = [t for t, (_, marking) in tokens.items() if not SCHEME.allows(marking, limit)]
            outputs: dict[str, str] = {}
            marks: dict[str, str] = {}
            for fmt in ("text", "csv", "json"):
                result = table_export(store, AS_OF, fmt, max_marking=limit)
                outputs[f"table.{fmt}"], marks[f"table.{fmt}"] = result.text, result.marking
            result = lessons_export(store, AS_OF, max_marking=limit)
            outputs["lessons.csv"], marks["lessons.csv"] = result.text, result.marking
            for name, (sheet, result) in (
                ("table.xlsx", table_sheet(store, AS_OF, max_marking=limit)),
                ("lessons.xlsx", lessons_sheet(store, AS_OF, max_marking=limit)),
            ):
                outputs[name], marks[name] = "\n".join(map(str, (sheet.banner, *sheet.rows))), result.marking
            keys = tuple(r.key for r in store.quadrangle.relationships())
            side = gather_side_by_side(store, keys, AS_OF, max_marking=limit)
            outputs["side-by-side.csv"], marks["side-by-side.csv"] = side_by_side_csv(side), side.marking
            for fmt, suffix in (("bibtex", "bib"), ("ris", "ris"), ("csl-json", "json")):
                result = sources_export(store, fmt, max_marking=limit)
                outputs[f"sources.{suffix}"], marks[f"sources.{suffix}"] = result.text, result.marking
            options = BriefingOptions(as_of=AS_OF, since=date(2008, 1, 1), max_marking=limit)
            for suffix in (".pdf", ".docx"):
                path = folder / f"briefing-{limit}{suffix}"
                written = write_briefing(store, options, path, diagram=diagram_svg)
                outputs[f"briefing{suffix}"] = _pdf_text(path) if suffix == ".pdf" else _word_text(path)
                marks[f"briefing{suffix}"] = written.content.marking
                path = folder / f"compare-{limit}{suffix}"
                # Without its two diagrams (the briefing's and the SVG's are checked): it keeps the test short.
                _, compared = write_comparison(store, date(2008, 1, 15), AS_OF, path, options=options)
                outputs[f"comparison{suffix}"] = _pdf_text(path) if suffix == ".pdf" else _word_text(path)
                marks[f"comparison{suffix}"] = compared.marking
            path = folder / f"compare-{limit}.csv"
            write_comparison(store, date(2008, 1, 15), AS_OF, path, options=options)
            outputs["comparison.csv"] = path.read_text(encoding="utf-8-sig")
            exchange = folder / f"x-{limit}.json"
            store.exchange.export(exchange, max_marking=limit)
            outputs["exchange.json"] = exchange.read_text(encoding="utf-8")
            marks["exchange.json"] = json.loads(outputs["exchange.json"])["manifest"]["marking"]
            state = store.quadrangle.state_as_of(AS_OF, max_marking=limit)
            scene = QuadrangleScene()
            scene.set_state(state)
            scene.select_relationship(rel_id)
            svg = export_svg(
                scene, folder / f"d-{limit}.svg", banner=SCHEME.banner(SCHEME.highest(state.contained_markings))
            )
            texts = _svg_texts(svg)
            outputs["diagram.svg"] = svg.read_text(encoding="utf-8")

            if limit == LEVELS[-1]:  # nothing withheld: the extraction does find what the files hold
                for token in (t for t in tokens if t.startswith("Lesq")):
                    assert token in outputs["briefing.pdf"] and token in outputs["briefing.docx"], token
            for name, text in outputs.items():
                for token in withheld:
                    assert token not in text, f"{token} ({tokens[token]}) leaked into {name} at {limit}"
            for name, marking in marks.items():
                assert SCHEME.rank(marking) <= SCHEME.rank(limit), f"{name} marked {marking} at {limit}"
            allowed_lessons = sum(
                1 for token, (kind, m) in tokens.items() if token.startswith("Lesq") and SCHEME.allows(m, limit)
            )
            allowed_lessons += 1  # the mini dataset's own UNCLASSIFIED lesson
            counts = [t for t in texts if " lesson" in t and t[0].isdigit()]
            assert counts and all(t.startswith(f"{allowed_lessons} lesson") for t in counts), (counts, limit)
            assert texts.count(SCHEME.banner(SCHEME.highest(state.contained_markings))) == 2
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
