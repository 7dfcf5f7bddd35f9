"""The caches around citeproc-py's style look-ups change no formatted text: every shipped style gives
the same bibliography (plain and HTML) and the same short cites with them as without them."""

from __future__ import annotations

from db import Store, bibliography, citation_styles
from db.references import citeproc_speed
from db.references.style import short_citations


def _formatted(sources) -> dict[str, list[str]]:
    out = {}
    for name, _ in citation_styles():
        out[name] = bibliography(sources, name)
        out[f"{name} html"] = bibliography(sources, name, html=True)
    out["short"] = short_citations([(s, "12–14") for s in sources], sources)
    return out


def test_the_caches_change_no_formatted_text(default_db_path):
    """The default dataset's sources come out identical in every style with the caches and without."""
    with Store.open(default_db_path) as store:
        sources = store.sources.all()
    cached = _formatted(sources)
    with citeproc_speed.uninstalled():
        plain = _formatted(sources)
    assert cached == plain
    assert len(cached["chicago-author-date"]) == len(sources) > 50
    assert _formatted(sources) == cached  # installed again after the comparison, still the same
