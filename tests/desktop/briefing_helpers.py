"""Helpers for the briefing tests: write a briefing, read its text back, seed datasets with extra lessons."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from db import DEFAULT_DATASET_PATH, Store


def normalise(text: str) -> str:
    """Qt's PDFs extract with ligatures and tabs: fold them and collapse whitespace."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def page_texts(path: Path) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(str(path)).pages]


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
) -> dict:
    return {
        "key": key,
        "relationships": [list(relationship)],
        "operation": None,
        "kind": "challenge",
        "themes": [theme],
        "finding": finding,
        "recommendation": "Recommendation for " + finding[:20],
        "recorded_on": recorded_on,
        "marking": marking,
        "citations": [{"source": source, "locator": "1"}] if source else [],
    }


def store_with_lessons(tmp_path: Path, lessons: list[dict], sources: list[dict] = ()) -> Store:
    """A store seeded from the default dataset plus `lessons` (and `sources`)."""
    data = json.loads(Path(DEFAULT_DATASET_PATH).read_text(encoding="utf-8"))
    data["lessons"].extend(lessons)
    data["sources"].extend(sources)
    dataset = tmp_path / "dataset.json"
    dataset.write_text(json.dumps(data), encoding="utf-8")
    return Store.open(tmp_path / "extra.db", actor="tester", dataset_path=dataset)
