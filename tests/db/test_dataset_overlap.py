"""The default dataset carries the report's facts, not its sentences: no prose field shares a run of
more than 8 words with the report (case and punctuation ignored); quotes live only in quote fields.

Print the longest shared run per field with:
    .venv/bin/python -m tests.db.test_dataset_overlap
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from db.dataset import Dataset, load_dataset

# The report the dataset is built from (copyrighted: kept beside the project, never in it).
REPORT = Path(os.environ.get("QUADRANGLE_REFERENCE_REPORT", "/work/shared/reference/000_48b44684b72d1b98.txt"))
LIMIT = 8  # words a prose field may share in a row with the report
# The report's runs of LIMIT + 1 words as salted one-way digests (no text of the report), so the check
# also runs where the report is absent (CI's clean clone). Rebuild with:
#     .venv/bin/python -m tests.db.test_dataset_overlap --fingerprint
FINGERPRINT = Path(__file__).resolve().parents[1] / "data" / "report_fingerprint.txt"

_WORD = re.compile(r"[^\W_]+")  # letters and digits; every other character separates words


def words(text: str) -> list[str]:
    """Lower-case words, with punctuation (quotes, dashes, hyphens, apostrophes) treated as spaces."""
    return _WORD.findall(text.casefold())


def shingles(tokens: list[str], size: int) -> set[int]:
    return {hash(tuple(tokens[i : i + size])) for i in range(len(tokens) - size + 1)}


def digests(tokens: list[str], size: int) -> set[str]:
    """Stable one-way digests of every run of `size` words (the same in every process, unlike hash())."""
    runs = (" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return {hashlib.blake2b(run.encode(), digest_size=8, person=b"quadrangle").hexdigest() for run in runs}


@cache
def fingerprint() -> frozenset[str]:
    """The shipped digests of the report's runs of LIMIT + 1 words."""
    return frozenset(FINGERPRINT.read_text(encoding="ascii").split())


def copies_a_long_run(text: str) -> bool:
    """Whether `text` shares a run of more than LIMIT words with the report (from the fingerprint)."""
    return bool(digests(words(text), LIMIT + 1) & fingerprint())


@cache
def report_words() -> list[str]:
    return words(REPORT.read_text(encoding="utf-8"))


@cache
def report_shingles(size: int) -> frozenset[int]:
    """The report's hashed runs of `size` words: one set look-up per run of a field."""
    return frozenset(shingles(report_words(), size))


def longest_shared_run(text: str, limit: int | None = None) -> int:
    """Length of the longest run of words `text` shares with the report; with `limit`, stops as soon
    as a run longer than `limit` is found (and returns limit + 1)."""
    tokens = words(text)
    if limit is not None:
        return limit + 1 if shingles(tokens, limit + 1) & report_shingles(limit + 1) else 0
    best = 0
    while best < len(tokens) and shingles(tokens, best + 1) & report_shingles(best + 1):
        best += 1
    return best


def prose_fields(dataset: Dataset) -> Iterator[tuple[str, str, str]]:
    """(field kind, where, text) for every free-text field written for the dataset. Names, source
    entries and quote fields are left out: they are facts or marked quotations."""
    for org in dataset.organizations:
        yield "organization.description", org.code, org.description
    for op in dataset.operations:
        yield "operation.mandate", op.acronym, op.mandate
        yield "operation.notes", op.acronym, op.notes
    for rel in dataset.relationships:
        pair = "–".join(rel.organizations)
        for version in rel.assessments:
            where = f"{pair} {version.as_of}"
            yield "assessment.summary", where, version.summary
            for motive, entry in version.motives.items():
                yield "assessment.rationale", f"{where} {motive.value}", entry.rationale
        for item in rel.cooperation:
            yield "cooperation.note", f"{pair} {item.location} {item.start}", item.note
        for milestone in rel.milestones:
            where = f"{pair} {milestone.date}"
            yield "milestone.title", where, milestone.title
            yield "milestone.description", where, milestone.description
    for lesson in dataset.lessons:
        yield "lesson.finding", lesson.key, lesson.finding
        yield "lesson.recommendation", lesson.key, lesson.recommendation


needs_report = pytest.mark.skipif(not REPORT.exists(), reason="the reference report is not on this machine")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@needs_report
def test_the_shingle_check_finds_a_copied_sentence():
    """A sentence lifted from the report is caught, whatever its case and punctuation."""
    copied = "In Contrast, UN-NATO cooperation has made little progress as regards formalization!"
    assert longest_shared_run(copied, LIMIT) > LIMIT
    assert longest_shared_run(copied) >= 10
    assert longest_shared_run("Quadrangle writes its own summaries of each relationship.", LIMIT) == 0


def test_no_prose_field_shares_more_than_eight_words_with_the_report(dataset):
    """Every description, summary, rationale, note, milestone and lesson is written in the dataset's own words."""
    too_close = [(kind, where) for kind, where, text in prose_fields(dataset) if text and copies_a_long_run(text)]
    assert too_close == []


def test_the_fingerprint_catches_a_copied_sentence():
    """The shipped fingerprint knows the report: a sentence lifted from it (any case, any punctuation) is
    caught, and the dataset's own wording is not."""
    assert len(fingerprint()) > 5_000
    assert copies_a_long_run("In Contrast, UN-NATO cooperation has made little progress as regards formalization!")
    assert not copies_a_long_run("Quadrangle writes its own summaries of each relationship, in its own words.")


@needs_report
def test_the_fingerprint_is_the_reports():
    """The shipped digests are exactly the report's, so the check cannot drift from its source."""
    assert fingerprint() == frozenset(digests(report_words(), LIMIT + 1))


def main() -> int:
    """Print, per kind of field, the longest run of words shared with the report and where it is."""
    best: dict[str, tuple[int, str]] = {}
    for kind, where, text in prose_fields(load_dataset()):
        run = longest_shared_run(text)
        if kind not in best or run > best[kind][0]:
            best[kind] = (run, where)
    for kind, (run, where) in sorted(best.items()):
        print(f"{kind:26} {run:2} words  ({where})")
    worst = max(run for run, _ in best.values())
    print(f"{'maximum':26} {worst:2} words  (limit {LIMIT})")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--fingerprint"]:
        FINGERPRINT.write_text("\n".join(sorted(digests(report_words(), LIMIT + 1))) + "\n", encoding="ascii")
        sys.exit(0)
    sys.exit(main())
