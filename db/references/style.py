"""Citations and bibliographies formatted by CSL styles through citeproc-py, from the style files
shipped in resources/csl/ (no network): the report's narrative short cites ("Tardy (2005: 49)",
"Child et al. (2005)", "Council of the EU (2003a)") and bibliographies in a chosen style (Chicago
author-date by default)."""

from __future__ import annotations

import html
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from db.lesson_records import SourceRecord
from db.paths import RESOURCES
from db.references.csl_json import record_to_item
from db.references.model import ItemType
from db.search.query import normalise

CSL_FOLDER = RESOURCES / "csl"
DEFAULT_STYLE = "chicago-author-date"
SHORT_STYLE = "quadrangle-report"


def citation_styles() -> list[tuple[str, str]]:
    """(style id, title) of every shipped bibliography style, the default first."""
    styles = []
    for path in sorted(CSL_FOLDER.glob("*.csl")):
        if path.stem == SHORT_STYLE:
            continue
        match = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8")[:4000])
        styles.append((path.stem, match.group(1) if match else path.stem))
    styles.sort(key=lambda s: s[0] != DEFAULT_STYLE)
    return styles


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle

    from db.references import citeproc_speed

    citeproc_speed.install()
    path = CSL_FOLDER / f"{name}.csl"
    if not path.is_file() or Path(name).name != name:
        raise ValueError(f"No citation style '{name}' is shipped (see resources/csl/).")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(str(path), validate=False)


def _item(record: SourceRecord, suffix: str = "", *, escape: bool = False) -> dict:
    item = record_to_item(record)
    item["id"] = record.id
    if item.get("page"):
        item["page"] = item["page"].replace("–", "-")  # citeproc-py reads ranges with a hyphen only
    if escape:  # citeproc-py's HTML formatter does not escape the values it is given
        item = {k: _escaped(v) if k not in ("id", "type") else v for k, v in item.items()}
    if record.item_type == ItemType.UN_RESOLUTION.value:
        item["type"] = "report"  # citeproc-py renders "legislation" as a US statute ("Pub. L. No.")
    if not item.get("issued") and record.year:
        item["issued"] = {"literal": record.year}
    if suffix:
        item["year-suffix"] = suffix
    return item


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _render(
    records: list[SourceRecord], style: str, suffixes: dict[str, str], locators: dict[str, str], fmt, escape=False
):
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON([_item(r, suffixes.get(r.id, ""), escape=escape) for r in records])
        bib = CitationStylesBibliography(_style(style), source, fmt)
        if style == SHORT_STYLE:  # its layout reads the locator, which citeproc-py needs even when empty
            items = [CitationItem(r.id, locator=Locator("page", locators.get(r.id, ""))) for r in records]
        else:
            items = [CitationItem(r.id) for r in records]
        citations = [Citation([item]) for item in items]
        for citation in citations:
            bib.register(citation)
        return bib, citations


def _plain():
    from citeproc import formatter

    return formatter.plain


def year_suffixes(sources: Iterable[SourceRecord]) -> dict[str, str]:
    """ "a", "b"... for sources whose short cite (authors and year) is the same, ordered by date, then key (the report's "council-eu-2003a" before "b")."""
    records = list({s.id: s for s in sources}.values())
    if not records:
        return {}
    bib, citations = _render(records, SHORT_STYLE, {}, {}, _plain())
    groups: dict[str, list[SourceRecord]] = defaultdict(list)
    for record, citation in zip(records, citations, strict=True):
        groups[str(bib.cite(citation, lambda _item: None))].append(record)
    result = {}
    for group in groups.values():
        if len(group) > 1:
            ordered = sorted(group, key=lambda r: (r.date, r.key, r.title))
            for letter, record in zip("abcdefghijklmnopqrstuvwxyz", ordered, strict=False):
                result[record.id] = letter
    return result


def short_citation(source: SourceRecord, locator: str = "", among: Iterable[SourceRecord] = ()) -> str:
    """The report's narrative cite of `source`: "Tardy (2005: 49)", "Pugh and Sidhu (2003)",
    "Child et al. (2005)" for three or more authors; with `among` (the other sources cited in the
    same text), "a"/"b" after the year of sources whose cite would be the same."""
    return short_citations([(source, locator)], among)[0]


def short_citations(cites: list[tuple[SourceRecord, str]], among: Iterable[SourceRecord] = ()) -> list[str]:
    """`short_citation` of many (source, locator) pairs at once, suffixes decided over all of them."""
    if not cites:
        return []
    suffixes = year_suffixes([*among, *(s for s, _ in cites)])
    out = []
    for source, locator in cites:
        bib, (citation,) = _render([source], SHORT_STYLE, suffixes, {source.id: locator.strip()}, _plain())
        out.append(str(bib.cite(citation, lambda _item: None)))
    return out


def bibliography(sources: Iterable[SourceRecord], style: str = DEFAULT_STYLE, *, html: bool = False) -> list[str]:
    """The bibliography entries of `sources` in a shipped CSL style, in the style's order (plain text,
    or HTML with the user's text escaped). Same-author same-year sources get "a"/"b" suffixes."""
    from citeproc import formatter

    records = list({s.id: s for s in sources}.values())
    if not records:
        return []
    bib, _ = _render(records, style, year_suffixes(records), {}, formatter.html if html else formatter.plain, html)
    entries = [" ".join(str(entry).split()) for entry in bib.bibliography()]
    # citeproc-py's sort compares case-sensitively ("AU Peace" after "AU, and EU", "Adler" after both):
    # sort as a reader expects, by the entry's text without markup, case and accents folded.
    return sorted(entries, key=lambda e: normalise(re.sub(r"<[^>]+>", "", e)))
