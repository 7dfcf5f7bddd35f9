"""The command line's marked outputs (issue 17): every output carries its computed marking, honours
--max-marking, and refuses a marking that is not exactly a level with one line and no output."""

from __future__ import annotations

import csv
import io
import json

import pytest

from db import Store
from desktop.cli import main
from tests.markings_helpers import CONFIDENTIAL_TEXT, SECRET_TEXTS, add_marked_material


@pytest.fixture
def marked_db(mini_db_path):
    with Store.open(mini_db_path, actor="tester") as store:
        add_marked_material(store)
    return str(mini_db_path)


@pytest.mark.parametrize(
    "command",
    [
        ["table"],
        ["table", "--format", "csv"],
        ["export-lessons"],
        ["export-sources"],
        ["history", "UN-EU"],
        ["reversals"],
    ],
)
@pytest.mark.parametrize("flag", ["--marking", "--max-marking"])
@pytest.mark.parametrize(
    "value", ["UNCLASSIFIED\u200b", "UNCLASSIFIED//PUBLIC RELEASE", "SЕCRET", "UNCLASSIFIED\ufeff"]
)
def test_a_marking_that_is_not_exactly_a_level_is_refused_and_nothing_is_printed(
    marked_db, capsys, command, flag, value
):
    """`table --marking "UNCLASSIFIED\\u200b"` and the like: one line on stderr, exit 1, no output."""
    assert main([*command, "--db", marked_db, flag, value]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("quadrangle: ")


def test_a_marking_lower_than_the_content_is_refused(marked_db, capsys):
    """The marking can be raised, never lowered below what the table holds."""
    assert main(["table", "--db", marked_db, "--marking", "RESTRICTED"]) == 1
    assert "lower than the material included (CONFIDENTIAL)" in capsys.readouterr().err
    assert main(["table", "--db", marked_db, "--marking", "secret"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == out[-1] == "SECRET"


def test_the_text_table_has_its_marking_on_the_first_and_last_line(marked_db, capsys):
    """Text: the banner above and below; at a limit the withheld version's text is absent."""
    assert main(["table", "--db", marked_db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"
    assert main(["table", "--db", marked_db, "--max-marking", "UNCLASSIFIED"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == out.splitlines()[-1] == "UNCLASSIFIED"
    assert "1 assessment(s) above UNCLASSIFIED withheld." in out


def test_the_csv_table_has_a_marking_line_and_a_marking_column(marked_db, capsys):
    """CSV: the banner alone on the first line, then a marking per row."""
    assert main(["table", "--db", marked_db, "--format", "csv", "--max-marking", "RESTRICTED"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["UNCLASSIFIED"]
    assert rows[1][-1] == "marking" and [r[-1] for r in rows[2:]] == ["UNCLASSIFIED"]


def test_the_json_table_is_still_an_array_with_a_marking_on_each_row(marked_db, capsys):
    """JSON: scripts read an array; each row says its marking."""
    assert main(["table", "--db", marked_db, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list) and [r["marking"] for r in rows] == ["CONFIDENTIAL"]


def test_the_lessons_csv_at_a_limit_drops_the_citation_of_a_withheld_source(marked_db, capsys):
    """The issue's "Sources: Secretauthor (2020: 44)" case: the citation is dropped and counted."""
    assert main(["export-lessons", "--db", marked_db]) == 0
    assert "Secretauthor (2020: 44)" in capsys.readouterr().out  # without a limit it is there
    assert main(["export-lessons", "--db", marked_db, "--max-marking", "UNCLASSIFIED"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "UNCLASSIFIED"
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert {r["marking"] for r in rows} == {"UNCLASSIFIED"}
    assert "Open finding citing a secret source" in {r["finding"] for r in rows}
    for secret in SECRET_TEXTS:
        assert secret not in captured.out
    assert "1 lesson, 1 citation above UNCLASSIFIED left out" in captured.err


def test_the_sources_export_is_marked_and_limited(marked_db, capsys, tmp_path):
    """BibTeX: the banner as a comment first and last, each entry after its own marking."""
    assert main(["export-sources", "--db", marked_db]) == 0
    out = capsys.readouterr().out
    banner = "@comment{Marking: SECRET}"
    assert out.splitlines()[0] == out.splitlines()[-1] == banner and "@comment{Marking: SECRET}\n@" in out
    target = tmp_path / "sources.bib"
    assert main(["export-sources", str(target), "--db", marked_db, "--max-marking", "CONFIDENTIAL"]) == 0
    text = target.read_text(encoding="utf-8")
    assert (
        text.splitlines()[0] == "@comment{Marking: UNCLASSIFIED}"
        and "Secretauthor" not in text
        and "tardy-2005" in text
    )


def test_the_exchange_export_refuses_an_inexact_limit_and_marks_the_file(marked_db, capsys, tmp_path):
    """export-exchange: the same strict limit; the file's manifest carries its marking."""
    out = tmp_path / "x.json"
    assert main(["export-exchange", str(out), "--db", marked_db, "--max-marking", "RESTRICTED\u200b"]) == 1
    assert not out.exists()
    capsys.readouterr()
    assert main(["export-exchange", str(out), "--db", marked_db, "--max-marking", "restricted"]) == 0
    text = out.read_text(encoding="utf-8")
    assert json.loads(text)["manifest"]["marking"] == "UNCLASSIFIED"
    assert CONFIDENTIAL_TEXT not in text and not any(s in text for s in SECRET_TEXTS)


@pytest.mark.parametrize(
    "value", ["UNCLASSIFIED\u200b", "UNCLASSIFIED//PUBLIC RELEASE", "SЕCRET", "UNCLASSIFIED\ufeff"]
)
@pytest.mark.parametrize("flag", ["--marking", "--max-marking"])
def test_the_briefing_refuses_a_look_alike_marking_and_writes_nothing(marked_db, capsys, tmp_path, flag, value):
    """`report out.pdf --marking "UNCLASSIFIED\\u200b"` (the issue's case): one line, exit 1, no file."""
    out = tmp_path / "out.pdf"
    assert main(["report", str(out), "--db", marked_db, flag, value]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("quadrangle: ")
    assert not out.exists() and not [p for p in tmp_path.iterdir() if "out.pdf" in p.name]  # no temporary left


def test_the_briefing_under_a_limit_cites_no_withheld_source(marked_db, capsys, tmp_path):
    """At UNCLASSIFIED the SECRET source is neither listed nor cited anywhere in the PDF's text."""
    import unicodedata

    from pypdf import PdfReader

    out = tmp_path / "out.pdf"
    assert main(["report", str(out), "--db", marked_db, "--max-marking", "UNCLASSIFIED", "--no-annex"]) == 0
    text = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in PdfReader(out).pages))
    assert "Secretauthor" not in text


def test_history_and_reversals_honour_the_limit_and_carry_their_marking(mini_db_path, capsys):
    """`quadrangle history UN-EU --max-marking UNCLASSIFIED`: the withheld versions are listed by date
    as "withheld" and nothing else of them; the reversals leave out the SECRET one and read "withheld"
    for a phase only a withheld version gives; text between banner lines, a marking on each JSON row."""
    from tests.markings_helpers import REVERSAL_SECRET_TEXT, add_marked_reversals

    with Store.open(mini_db_path, actor="tester") as store:
        ids = add_marked_material(store)
        add_marked_reversals(store, ids["relationship"])
    db = str(mini_db_path)
    assert main(["history", "UN-EU", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == lines[-1] == "SECRET"
    assert main(["history", "UN-EU", "--db", db, "--max-marking", "UNCLASSIFIED"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == lines[-1] == "UNCLASSIFIED"
    assert lines[1] == "UN–EU: 6 versions (3 withheld above UNCLASSIFIED)"
    assert [line.split() for line in lines[2:-1] if "withheld" in line.split()] == [
        ["2008-01-31", "withheld"],
        ["2008-04-01", "withheld"],
        ["2008-05-01", "withheld"],
    ]
    assert main(["history", "UN-EU", "--db", db, "--max-marking", "UNCLASSIFIED", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    withheld_rows = [r for r in rows if r.get("withheld")]
    assert len(withheld_rows) == 3 and all(set(r) == {"id", "as_of", "withheld"} for r in withheld_rows)
    assert all(r["marking"] == "UNCLASSIFIED" for r in rows if not r.get("withheld"))

    assert main(["reversals", "--db", db]) == 0
    assert REVERSAL_SECRET_TEXT in capsys.readouterr().out
    assert main(["reversals", "--db", db, "--max-marking", "UNCLASSIFIED"]) == 0
    out = capsys.readouterr().out
    assert REVERSAL_SECRET_TEXT not in out and out.splitlines()[0] == out.splitlines()[-1] == "UNCLASSIFIED"
    assert "withheld -> Courtship" in out
    assert main(["reversals", "--db", db, "--max-marking", "UNCLASSIFIED", "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["from"] == "withheld" and row["marking"] == "UNCLASSIFIED"
