"""Property (issue 17): databases with random markings on every kind of marked item (sources,
assessment versions, lessons, with citations between them and a theme per lesson), exported at every
limit in every format this feature writes (table text/CSV/JSON/Excel rows, lessons CSV/Excel rows,
sources BibTeX, exchange file, diagram SVG, the side-by-side and two-date comparison CSVs): no text unique to a withheld item appears, no lesson count counts one, and every
output's marking is at or below the limit."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import AssessmentInput, CitationInput, LessonKind, MarkingScheme, Store
from db.lesson_records import LessonInput, SourceInput
from desktop.briefing.comparison import comparison_csv, gather_comparison
from desktop.briefing.content import BriefingOptions
from desktop.briefing.side_by_side import gather_side_by_side, side_by_side_csv
from desktop.diagram.export import export_svg
from desktop.diagram.scene import QuadrangleScene
from desktop.marked_exports import lessons_export, lessons_sheet, sources_export, table_export, table_sheet
from tests.markings_helpers import LEVELS

EXAMPLES = int(os.environ.get("QUADRANGLE_PROPERTY_EXAMPLES", "10"))  # bounded: 30-40 s here
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

    def citations(picks):
        return tuple(CitationInput(sources[p].id, "9") for p in picks if p < len(sources))

    for i, (marking, picks) in enumerate(spec["versions"]):
        token = f"Asmq{i}x"
        store.assessments.save(
            AssessmentInput(
                relationship_id=rel.id,
                as_of=date(2008, 2, 1 + i),
                phases=base.phases,
                confidence=base.confidence,
                summary=token,
                motives=base.motives,
                marking=marking,
                citations=citations(picks),
            )
        )
        tokens[token] = ("version", marking)
    for i, (marking, picks) in enumerate(spec["lessons"]):
        token, theme_token = f"Lesq{i}x", f"Thmq{i}x"
        theme = store.catalog.add_theme(theme_token)
        store.lessons.add(
            LessonInput(
                finding=token,
                kind=LessonKind.CHALLENGE,
                recorded_on=date(2008, 3, 1),
                relationship_ids=(rel.id,),
                theme_keys=(theme.key,),
                marking=marking,
                citations=citations(picks),
            )
        )
        tokens[token] = ("lesson", marking)
        tokens[theme_token] = ("lesson", marking)  # the theme only this lesson carries
    return store, tokens, rel.id


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
            result = sources_export(store, max_marking=limit)
            outputs["sources.bib"], marks["sources.bib"] = result.text, result.marking
            for name, (sheet, result) in (
                ("table.xlsx", table_sheet(store, AS_OF, max_marking=limit)),
                ("lessons.xlsx", lessons_sheet(store, AS_OF, max_marking=limit)),
            ):
                outputs[name], marks[name] = "\n".join(map(str, (sheet.banner, *sheet.rows))), result.marking
            keys = tuple(r.key for r in store.quadrangle.relationships())
            side = gather_side_by_side(store, keys, AS_OF, max_marking=limit)
            outputs["side-by-side.csv"], marks["side-by-side.csv"] = side_by_side_csv(side), side.marking
            two = gather_comparison(store, date(2000, 1, 1), AS_OF, BriefingOptions(max_marking=limit))
            outputs["comparison.csv"], marks["comparison.csv"] = comparison_csv(two), two.marking
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
