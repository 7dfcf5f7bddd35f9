"""The headless exchange commands: export-exchange and import-exchange (with --dry-run writing nothing)."""

from __future__ import annotations

import shutil
import sqlite3
import uuid

from desktop.cli import main
from tests.db.exchange_helpers import edit_lesson, snapshot


def _bob(mini_db_path, tmp_path):
    target = tmp_path / "bob.db"
    shutil.copyfile(mini_db_path, target)
    connection = sqlite3.connect(target)
    connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
    connection.commit()
    connection.close()
    return target


def test_export_then_dry_run_prints_the_preview_and_writes_nothing(mini_db_path, tmp_path, capsys):
    """--dry-run shows counts per kind and the conflict's fields, and leaves the database as it was."""
    from db import Store

    bob_path = _bob(mini_db_path, tmp_path)
    with Store.open(mini_db_path, actor="alice") as alice:
        edit_lesson(alice, alice.lessons.all()[0].id, finding="alice's finding")
    with Store.open(bob_path, actor="bob") as bob:
        edit_lesson(bob, bob.lessons.all()[0].id, finding="bob's finding")
    out = tmp_path / "a.json"
    assert (
        main(
            [
                "export-exchange",
                str(out),
                "--db",
                str(mini_db_path),
                "--relationships",
                "UN-EU",
                "--max-marking",
                "UNCLASSIFIED",
                "--since",
                "2000-01-01",
            ]
        )
        == 0
    )
    assert "SHA-256" in capsys.readouterr().out
    before = snapshot(bob_path)
    assert main(["import-exchange", str(out), "--db", str(bob_path), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "Lessons" in printed and "1 conflict(s)" in printed
    assert 'theirs "alice\'s finding" / mine "bob\'s finding"' in printed
    assert snapshot(bob_path) == before
    assert main(["import-exchange", str(out), "--db", str(bob_path)]) == 2  # stops on the conflict
    assert snapshot(bob_path) == before
    assert main(["import-exchange", str(out), "--db", str(bob_path), "--on-conflict", "theirs"]) == 0
    with Store.open(bob_path) as bob:
        assert bob.lessons.all()[0].finding == "alice's finding"


def test_a_bad_file_ends_in_one_line_on_stderr(mini_db_path, tmp_path, capsys):
    """A damaged file gives exit status 1 and a one-line reason."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"manifest": ')
    assert main(["import-exchange", str(bad), "--db", str(mini_db_path), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not complete, valid JSON" in err


def test_the_dry_run_escapes_terminal_control_characters_from_the_file(mini_db_path, tmp_path, capsys):
    """A finding carrying an ANSI escape or a direction override is printed escaped, never raw."""
    from db import Store
    from tests.db.exchange_helpers import add_lesson

    bob_path = _bob(mini_db_path, tmp_path)
    with Store.open(mini_db_path, actor="alice\x1b[2J") as alice:
        lesson = add_lesson(alice, alice.quadrangle.relationships()[0].id, "x\x1b[31mred\u202eevil")
        edit_lesson(alice, lesson, finding="x\x1b[31mred\u202eevil")
        alice.exchange.export(tmp_path / "a.json")
    assert main(["import-exchange", str(tmp_path / "a.json"), "--db", str(bob_path), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\u202e" not in printed
    assert "alice\\u001b[2J" in printed


def test_export_of_some_operations_lessons_from_the_command_line(default_db_path, tmp_path, capsys):
    """`--operations` and `--until` narrow the export; an unknown acronym is one line and status 1."""
    out = tmp_path / "ops.json"
    assert (
        main(
            [
                "export-exchange",
                str(out),
                "--db",
                str(default_db_path),
                "--operations",
                "EUPM,Artemis",
                "--until",
                "2030-01-01",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "lessons" in printed and "assessment versions" not in printed
    # --force: the file written above exists, and replacing it needs saying so (issue 16).
    assert main(["export-exchange", str(out), "--db", str(default_db_path), "--operations", "NOSUCH", "--force"]) == 1
    assert "No operation 'NOSUCH'" in capsys.readouterr().err
