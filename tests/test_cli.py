"""The command line as a user meets it: version, the table in three formats, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import Store
from desktop import __version__
from desktop.cli import main


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *argv], capture_output=True, text=True, timeout=120)


def test_version_is_printed():
    """`quadrangle --version` names the version and exits 0."""
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"Quadrangle {__version__}"


def test_the_text_table_lists_every_relationship(default_db_path, capsys):
    """The default output is a readable table with one block per relationship."""
    assert main(["table", "--db", str(default_db_path)]) == 0
    out = capsys.readouterr().out
    for label in ("UN–EU", "NATO–EU", "UN–NATO", "UN–AU", "EU–AU", "NATO–AU"):
        assert label in out
    assert "Start-up/maintenance" in out


def test_the_csv_table_has_a_header_and_six_rows(default_db_path, capsys):
    """CSV for spreadsheets: multi-valued cells are joined with semicolons."""
    assert main(["--db", str(default_db_path), "table", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["UNCLASSIFIED"]  # the marking first (issue 17), then the header and six rows
    assert rows[1][:4] == ["relationship", "phase", "motives", "cooperation"]
    assert len(rows) == 8
    assert rows[2][3] == "Bosnia and Herzegovina (2004–present); DRC (2003, 2006); Chad (2008–present)"


def test_the_default_database_is_created_in_the_data_folder(tmp_path, monkeypatch, capsys):
    """Without --db the database lives in the user's data folder, created and seeded on first run."""
    monkeypatch.setenv("QUADRANGLE_HOME", str(tmp_path / "home"))
    assert main(["table", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 6
    assert (tmp_path / "home" / "quadrangle.db").exists()


def test_the_environment_variable_names_the_database(tmp_path, monkeypatch, capsys):
    """QUADRANGLE_DB points the app at another file."""
    target = tmp_path / "team.db"
    monkeypatch.setenv("QUADRANGLE_DB", str(target))
    assert main(["table", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 6
    assert target.exists()
    with Store.open(target, read_only=True) as store:  # the table came from this file, seeded there
        assert len(store.quadrangle.relationships()) == 6
    assert not (Path(os.environ["QUADRANGLE_HOME"]) / "quadrangle.db").exists()  # not the data folder's


@pytest.mark.parametrize("content", [b"hello, not a database", b"PK\x03\x04 a zip file"])
def test_a_bad_database_gives_one_line_and_a_non_zero_status(tmp_path, content):
    """No traceback: one line on stderr naming the file, exit status 1, file unchanged."""
    target = tmp_path / "x.db"
    target.write_bytes(content)
    result = run("table", "--db", str(target))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not a Quadrangle database" in result.stderr
    assert target.read_bytes() == content


def test_a_bad_date_is_a_usage_error(default_db_path):
    """argparse reports the malformed date and exits 2."""
    result = run("table", "--db", str(default_db_path), "--as-of", "31/12/2007")
    assert result.returncode == 2 and "is not a date" in result.stderr


def test_help_lists_every_command():
    """The window's start-up imports no command, but `--help` still lists them all."""
    result = run("--help")
    listed = result.stdout.split("commands:")[1]
    for command in (
        "table",
        "backup",
        "restore",
        "backups",
        "check",
        "reversals",
        "history",
        "report",
        "export-lessons",
        "export-exchange",
        "import-exchange",
        "init",
        "copy",
    ):
        assert f"\n    {command} " in listed, command


def test_an_unknown_command_is_named_with_the_known_ones():
    """A typo gets argparse's one-line error listing the commands, exit status 2."""
    result = run("tabel")
    assert result.returncode == 2
    assert "invalid choice: 'tabel'" in result.stderr and "'import-exchange'" in result.stderr


def test_options_before_the_command_are_not_taken_for_it(default_db_path, capsys):
    """`--db PATH` and `--analyst NAME` take a value: the word after them is not the command."""
    assert main(["--analyst", "check", "--db", str(default_db_path), "table", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 6
