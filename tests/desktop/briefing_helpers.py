"""Helpers for the briefing tests: write a briefing, read its text back (running header and footer
apart from the body), seed datasets with extra lessons."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from db import DEFAULT_DATASET_PATH, Store

HEADER = "Quadrangle briefing"
# What each kind of document's running header says (a comparison report is headed as one).
HEADERS = (HEADER, "Quadrangle comparison report", "Quadrangle comparison: relationships side by side")
ORGANIZATION = "Quadrangle analysis cell"


def normalise(text: str) -> str:
    """Fold compatibility characters (ligatures) and collapse whitespace, as a reader's search does."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def page_texts(path: Path) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(str(path)).pages]


AS_OF_PATTERN = r"As of [^ ]+ \w+ \d{4}"


def running_text(marking: str, number: int, total: int, *, header: bool = True, dates: str = AS_OF_PATTERN) -> str:
    """The pattern of a page's running text, drawn before its content: marking, header line, footer, marking."""
    m = re.escape(marking)
    names = "|".join(re.escape(name) for name in HEADERS)
    head = rf"(?:{names}) {dates} " if header else ""
    return rf"^{m} {head}{re.escape(ORGANIZATION)} page {number} of {total} {m}(?: |$)"


def split_pages(pages: list[str], marking: str = "UNCLASSIFIED", dates: str = AS_OF_PATTERN) -> list[str]:
    """Each page's body, after checking its running text (the marking top and bottom, "page X of Y")."""
    bodies = []
    for number, text in enumerate(pages, start=1):
        match = re.match(running_text(marking, number, len(pages), header=number > 1, dates=dates), text)
        assert match, f"page {number} lacks its running text: {text[:200]!r}"
        bodies.append(text[match.end() :])
    return bodies


def body_text(path: Path, marking: str = "UNCLASSIFIED", dates: str = AS_OF_PATTERN) -> str:
    """The briefing's text without running headers and footers, pages joined."""
    return " ".join(split_pages(page_texts(path), marking, dates))


def write(store: Store, path: Path, **options) -> list[str]:
    """Write a briefing with `options` (BriefingOptions fields) and return its pages' text."""
    from desktop.briefing.build import write_briefing
    from desktop.briefing.content import BriefingOptions

    write_briefing(store, BriefingOptions(**options), path)
    return page_texts(path)


def lesson(
    finding: str,
    *,
    key: str,
    marking: str = "UNCLASSIFIED",
    relationship=("UN", "EU"),
    recorded_on="2007-12-31",
    theme: str = "mandate",
    source: str | None = "tardy-2005",
    relationships=None,
    themes=None,
    recommendation: str | None = None,
) -> dict:
    return {
        "key": key,
        "relationships": [list(r) for r in relationships] if relationships else [list(relationship)],
        "operation": None,
        "kind": "challenge",
        "themes": list(themes) if themes else [theme],
        "finding": finding,
        "recommendation": recommendation if recommendation is not None else "Recommendation for " + finding[:20],
        "recorded_on": recorded_on,
        "marking": marking,
        "citations": [{"source": source, "locator": "1"}] if source else [],
    }


def spread_lessons(count: int) -> list[dict]:
    """`count` lessons spread over every relationship and theme (some about two relationships, some with
    two themes), each with its own finding and recommendation of varied length."""
    data = json.loads(Path(DEFAULT_DATASET_PATH).read_text(encoding="utf-8"))
    pairs = [tuple(r["organizations"]) for r in data["relationships"]]
    themes = [t["key"] for t in data["themes"]]
    sources = [s["key"] for s in data["sources"]]
    words = "liaison airlift mandate handover convoy funding command police election transition".split()
    out = []
    for i in range(count):
        body = " ".join(words[(i * 7 + k) % len(words)] for k in range(5 + (i * 13) % 60))
        rels = [pairs[i % len(pairs)]] + ([pairs[(i + 1) % len(pairs)]] if i % 5 == 0 else [])
        item = lesson(
            f"Finding {i:05d}: {body}.",
            key=f"spread-{i}",
            relationships=rels,
            themes=[themes[(i // len(pairs)) % len(themes)]] + ([themes[(i + 3) % len(themes)]] if i % 7 == 0 else []),
            recommendation=f"Recommendation {i:05d}: {' '.join(reversed(body.split()))[: 20 + (i * 11) % 200]}."
            if i % 9
            else "",
            source=sources[i % len(sources)],
            recorded_on=f"{2000 + i % 8}-0{1 + i % 9}-1{i % 10}",
        )
        item["kind"] = "success" if i % 3 == 0 else "challenge"
        out.append(item)
    return out


def store_with_lessons(tmp_path: Path, lessons: list[dict], sources: list[dict] = ()) -> Store:
    """A store seeded from the default dataset plus `lessons` (and `sources`)."""
    data = json.loads(Path(DEFAULT_DATASET_PATH).read_text(encoding="utf-8"))
    data["lessons"].extend(lessons)
    data["sources"].extend(sources)
    dataset = tmp_path / "dataset.json"
    dataset.write_text(json.dumps(data), encoding="utf-8")
    return Store.open(tmp_path / "extra.db", actor="tester", dataset_path=dataset)
