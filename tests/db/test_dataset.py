"""The dataset format: the shipped dataset is valid; broken files are rejected with a one-line reason."""

from __future__ import annotations

import copy
import json

import pytest

from db import DEFAULT_DATASET_PATH, DatasetError, load_dataset
from db.dataset import parse_dataset


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(DEFAULT_DATASET_PATH.read_text(encoding="utf-8"))


def test_the_default_dataset_holds_the_reports_content():
    """Four organizations, six relationships, every operation of section 4, lessons and the bibliography."""
    dataset = load_dataset()
    assert [o.code for o in dataset.organizations] == ["UN", "NATO", "EU", "AU"]
    assert len(dataset.relationships) == 6
    acronyms = {o.acronym for o in dataset.operations}
    for name in (
        "EUPM",
        "IPTF",
        "Artemis",
        "EUFOR RD Congo",
        "Concordia",
        "Allied Harmony",
        "UNPROFOR",
        "IFOR",
        "SFOR",
        "KFOR",
        "UNMIK",
        "ISAF",
        "UNAMA",
        "AMIB",
        "ONUB",
        "AMIS",
        "UNMIS",
        "UNAMID",
        "AMISOM",
    ):
        assert name in acronyms
    assert any("Althea" in a for a in acronyms) and any("Tchad" in a or "Chad" in a for a in acronyms)
    assert len(dataset.lessons) >= 25
    assert {"undpko-2003", "osland-2004", "yost-2007", "haugevik-2007"} <= {s.key for s in dataset.sources}
    for rel in dataset.relationships:
        assert len(rel.assessments) >= 2, "each relationship has dated earlier versions"
        assert rel.assessments[-1].as_of.isoformat() == "2007-12-31"


def test_every_lesson_is_cited_and_themed():
    """Each lesson is backed by at least one source and tagged with at least one theme."""
    for lesson in load_dataset().lessons:
        assert lesson.citations, lesson.key
        assert lesson.themes, lesson.key


def _rejected(data) -> str:
    with pytest.raises(DatasetError) as caught:
        parse_dataset(data, origin="test.json")
    text = str(caught.value)
    assert text.startswith("test.json:") and "\n" not in text
    return text


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["relationships"][0]["assessments"][0]["motives"].pop("shared_values"), "motives missing"),
        (
            lambda d: d["relationships"][0]["assessments"][0]["motives"]["legitimization"].update(
                weight=2, rationale=""
            ),
            "needs a rationale",
        ),
        (
            lambda d: d["relationships"][0]["assessments"][0]["motives"]["legitimization"].update(weight=4),
            "less than or equal to 3",
        ),
        (lambda d: d["relationships"][0]["assessments"][0].update(phase=["courtship", "maintenance"]), "adjacent"),
        (lambda d: d["relationships"][0]["assessments"][0].update(phase=["sleeping"]), "phase"),
        (lambda d: d["lessons"][0]["citations"].append({"source": "nobody-1999", "locator": ""}), "unknown source"),
        (lambda d: d["lessons"][0].update(operation="NOSUCHOP"), "unknown operation"),
        (lambda d: d["lessons"][0].update(themes=["weather"]), "unknown theme"),
        (lambda d: d["organizations"].append(dict(d["organizations"][0])), "duplicate organization code"),
        (lambda d: d.update(format_version=99), "newer than this Quadrangle reads"),
        (lambda d: d.update(unexpected="x"), "Extra inputs are not permitted"),
        (lambda d: d["operations"][0].update(start="2003-13"), "not a real calendar date"),
    ],
    ids=[
        "missing-motive",
        "no-rationale",
        "weight-4",
        "non-adjacent",
        "bad-phase",
        "unknown-source",
        "unknown-operation",
        "unknown-theme",
        "duplicate-org",
        "newer-format",
        "extra-key",
        "bad-date",
    ],
)
def test_a_broken_dataset_is_rejected_with_the_reason(raw, mutate, expected):
    """Each kind of mistake is named in one line with where it is."""
    data = copy.deepcopy(raw)
    mutate(data)
    assert expected in _rejected(data)


def test_a_file_that_is_not_json_is_rejected(tmp_path):
    """Invalid JSON reports its line and column."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "quadrangle-dataset",\n  oops}', encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(bad)
    assert "line 2" in str(caught.value)


def test_another_kind_of_json_file_is_named_as_such():
    """A JSON file of some other program is not mistaken for a broken dataset."""
    assert "not a Quadrangle dataset" in _rejected({"name": "package.json"})
