"""The `quadrangle init` and `quadrangle copy` commands, run as a user would from a shell."""

from __future__ import annotations

import pytest

from desktop.cli import main
from tests.conftest import MINI_DATASET

pytestmark = pytest.mark.postgres


def test_copy_command_prints_the_counts_of_every_table(mini_db_path, pg_database, capsys):
    """`quadrangle copy` copies a workstation's file to the server and prints one checked count per table,
    naming the server without the password given in its URL."""
    url = pg_database().replace("quadrangle@", "quadrangle:hunter2@")
    assert main(["copy", "--from", str(mini_db_path), "--to", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Copied {mini_db_path} -> postgresql+psycopg://quadrangle:***@127.0.0.1:")
    assert "hunter2" not in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:-1]}
    assert rows["organizations"] == ["2", "2", "ok"]
    assert rows["assessment_versions"] == ["2", "2", "ok"]
    assert "MISMATCH" not in out
    assert out.rstrip().endswith("every count matches.")


def test_copy_command_refusal_is_one_line_on_stderr(mini_db_path, capsys):
    """A refused copy ends with status 1 and one line saying why."""
    assert main(["copy", "--from", str(mini_db_path), "--to", str(mini_db_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("quadrangle: The source and the target are the same database")


def test_init_command_seeds_then_reports_current(pg_server, capsys):
    """`quadrangle init --db URL` creates and seeds the database, and says so; a second run changes nothing."""
    url = pg_server.url("team_cli_init")
    try:
        assert main(["init", "--db", url, "--dataset", str(MINI_DATASET)]) == 0
        assert "Created the Quadrangle database at" in capsys.readouterr().out
        assert main(["init", "--db", url]) == 0
        assert "already holds Quadrangle" in capsys.readouterr().out
        assert main(["--db", url, "table", "--format", "csv"]) == 0
        assert "UN–EU" in capsys.readouterr().out
    finally:
        pg_server.drop_database("team_cli_init")


def test_init_on_an_unreachable_server_says_so(capsys):
    """init against a server that does not answer fails with the address and no password."""
    from tests.pg_server import _free_port

    port = _free_port()
    assert main(["init", "--db", f"postgresql://analyst:hunter2@127.0.0.1:{port}/team"]) == 1
    err = capsys.readouterr().err
    assert f"Cannot reach the database server at 127.0.0.1:{port}" in err
    assert "hunter2" not in err
