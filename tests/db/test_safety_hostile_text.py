"""Hostile text: any Unicode, control characters, markup and very long text come back exactly as typed,
or are refused with a clear one-line message (limits, and characters SQLite cannot store); never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import CitationInput, MotiveAssessment, QuadrangleError, ValidationError
from tests.db.safety_helpers import draft

HOSTILE = [
    '<img src="/etc/passwd"><b>bold</b> &amp; <script>alert(1)</script>',
    "\u202eright-to-left override\u202c and e\u0301 and 👩‍👩‍👧 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "tabs\tnew\nlines\r\nnul\x00bell\x07escape\x1b[31m",
    "'; DROP TABLE assessment_versions; --",
    "x" * 20_000,
]

any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)


@pytest.mark.parametrize("text", HOSTILE, ids=["markup", "unicode", "controls", "sql", "longest-allowed"])
def test_hostile_text_is_stored_exactly(mini_store, text):
    """Markup, bidi controls, combining marks, emoji, control characters and SQL come back byte for byte."""
    rel = mini_store.quadrangle.relationships()[0]
    source = mini_store.sources.all()[0]
    base = draft(rel.id, 1, summary=text)
    if "\x00" in text and not mini_store.location.is_sqlite:  # PostgreSQL text cannot hold NUL: a clear refusal
        with pytest.raises(ValidationError, match="NUL character"):
            mini_store.assessments.save(base)
        return
    saved = mini_store.assessments.save(
        base.__class__(
            **{
                **base.__dict__,
                "motives": (MotiveAssessment(base.motives[0].motive, 2, text[:10_000]),),
                "citations": (CitationInput(source.id, "p. 1", text),),
            }
        )
    )
    again = mini_store.assessments.get(saved.id)
    assert again.summary == text
    assert again.motives[0].rationale == text[:10_000]
    assert again.citations[0].quote == text
    assert mini_store.safety.check() == []


def test_text_over_the_limit_is_refused_clearly(mini_store):
    """A summary over the limit is refused with a message naming the limit, and nothing is saved."""
    rel = mini_store.quadrangle.relationships()[0]
    before = len(mini_store.assessments.history(rel.id))
    with pytest.raises(ValidationError, match="longer than 20000 characters"):
        mini_store.assessments.save(draft(rel.id, 1, summary="x" * 20_001))
    assert len(mini_store.assessments.history(rel.id)) == before


def test_a_lone_surrogate_is_refused_with_a_message(mini_store):
    """A character SQLite cannot encode (a lone surrogate from a broken paste) is a clear refusal, not a crash."""
    rel = mini_store.quadrangle.relationships()[0]
    with pytest.raises(ValidationError, match="cannot be stored"):
        mini_store.assessments.save(draft(rel.id, 1, summary="broken \ud800 paste"))
    assert mini_store.safety.check() == []


@settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(any_text)
def test_any_text_round_trips_or_is_refused_cleanly(mini_store, text):
    """Generated text (every Unicode category, surrogates included) is stored exactly or refused in one line."""
    rel = mini_store.quadrangle.relationships()[0]
    try:
        saved = mini_store.assessments.save(draft(rel.id, 2, summary=text))
    except QuadrangleError as exc:
        unstorable = any(0xD800 <= ord(c) <= 0xDFFF for c in text) or (
            "\x00" in text and not mini_store.location.is_sqlite
        )
        assert unstorable and "\n" not in str(exc)
    else:
        assert mini_store.assessments.get(saved.id).summary == text
