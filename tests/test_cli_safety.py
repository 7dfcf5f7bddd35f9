"""The command line against a careless user and a hostile file (issue 16, items 1, 6, 11-14): no output
path destroys the database, a failed write is a failure, every user error is one line, and text from
the database cannot drive the terminal."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from db import AssessmentInput, Confidence, Motive, MotiveAssessment, Phase, Store
from desktop.cli import main
from desktop.terminal import visible


def run(*argv: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *argv], capture_output=True, text=True, timeout=120, **options
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(err: str) -> bool:
    return err.startswith("quadrangle: ") and err.count("\n") == 1 and "Traceback" not in err


def test_export_lessons_onto_the_database_is_refused(mini_db_path, capsys):
    """`quadrangle --db q.db export-lessons q.db` exits non-zero with one line; q.db is byte-identical."""
    before = digest(mini_db_path)
    assert main(["--db", str(mini_db_path), "export-lessons", str(mini_db_path)]) != 0
    assert one_line(capsys.readouterr().err)
    assert digest(mini_db_path) == before
    with Store.open(mini_db_path, read_only=True) as store:
        assert store.quadrangle.relationships()  # still a sound Quadrangle database


@pytest.mark.parametrize("companion", [".lock", "-wal", "-shm", "-journal"])
def test_export_exchange_onto_a_companion_is_refused(mini_db_path, capsys, companion):
    """`export-exchange q.db.lock` (or -wal, -shm, -journal) is refused; the companion is not created."""
    target = Path(f"{mini_db_path}{companion}")
    existed = target.exists()
    before = digest(target) if existed else None
    assert main(["--db", str(mini_db_path), "export-exchange", str(target)]) != 0
    err = capsys.readouterr().err
    assert one_line(err) and "choose another name" in err
    assert target.exists() == existed and (digest(target) if existed else None) == before


def test_report_onto_the_database_is_refused(mini_db_path, capsys):
    before = digest(mini_db_path)
    assert main(["--db", str(mini_db_path), "report", str(mini_db_path)]) != 0
    assert one_line(capsys.readouterr().err)
    assert digest(mini_db_path) == before


def test_an_export_into_the_backups_folder_is_refused(mini_db_path, capsys):
    (mini_db_path.parent / "backups").mkdir(exist_ok=True)
    target = mini_db_path.parent / "backups" / "lessons.csv"
    assert main(["--db", str(mini_db_path), "export-lessons", str(target)]) != 0
    assert one_line(capsys.readouterr().err) and not target.exists()


def test_a_hard_link_to_the_database_is_refused(mini_db_path, tmp_path, capsys):
    """Another name for the database file is still the database."""
    link = tmp_path / "lessons.csv"
    os.link(mini_db_path, link)
    before = digest(mini_db_path)
    assert main(["--db", str(mini_db_path), "export-lessons", str(link)]) != 0
    assert one_line(capsys.readouterr().err) and digest(mini_db_path) == before


def test_report_to_dev_full_fails(mini_db_path, capsys):
    """`report /dev/full` is a failure in one line, and the device stays a device."""
    assert main(["--db", str(mini_db_path), "report", "/dev/full"]) != 0
    err = capsys.readouterr().err
    assert one_line(err) and "device" in err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_report_truncated_by_a_full_disk_is_not_success(mini_db_path, tmp_path, capsys, monkeypatch):
    """A PDF cut short (what a full disk leaves) fails, says so in one line, and leaves no file."""
    import desktop.briefing.build as build

    real = build.write_briefing

    def cut_short(store, options, path, **kwargs):
        result = real(store, options, path, **kwargs)
        data = Path(path).read_bytes()
        Path(path).write_bytes(data[: len(data) // 2])
        return result

    monkeypatch.setattr(build, "write_briefing", cut_short)
    out = tmp_path / "out.pdf"
    assert main(["--db", str(mini_db_path), "report", str(out)]) != 0
    captured = capsys.readouterr()
    assert "Wrote" not in captured.out and one_line(captured.err)
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_existing_output_needs_force(mini_db_path, tmp_path, capsys):
    """An existing file is kept without --force and replaced with it."""
    out = tmp_path / "lessons.csv"
    out.write_text("mine\n")
    assert main(["--db", str(mini_db_path), "export-lessons", str(out)]) != 0
    assert one_line(capsys.readouterr().err) and out.read_text() == "mine\n"
    assert main(["--db", str(mini_db_path), "export-lessons", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8-sig") != "mine\n"


def test_outputs_are_owner_only_under_umask_000(mini_db_path, tmp_path):
    """The lessons CSV, the exchange file and the PDF are 0600 even when the umask allows everything."""
    old = os.umask(0)
    try:
        assert main(["--db", str(mini_db_path), "export-lessons", str(tmp_path / "l.csv")]) == 0
        assert main(["--db", str(mini_db_path), "export-exchange", str(tmp_path / "x.json")]) == 0
        assert main(["--db", str(mini_db_path), "report", str(tmp_path / "r.pdf")]) == 0
    finally:
        os.umask(old)
    for name in ("l.csv", "x.json", "r.pdf"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name


def test_a_300_character_file_name_is_one_line(mini_db_path, tmp_path):
    """Too long for the file system: one line, no traceback, for an output and for --db."""
    long_name = "a" * 300
    result = run("--db", str(mini_db_path), "export-lessons", str(tmp_path / f"{long_name}.csv"))
    assert result.returncode != 0 and one_line(result.stderr)
    result = run("--db", str(tmp_path / f"{long_name}.db"), "table")
    assert result.returncode != 0 and one_line(result.stderr)


def test_a_port_that_is_not_a_number_is_one_line():
    result = run("--db", "postgresql://analyst@db:abc/q", "table")
    assert result.returncode != 0 and one_line(result.stderr) and "abc" in result.stderr


def test_a_closed_pipe_ends_quietly(mini_db_path):
    """`quadrangle backups | head`: the reader goes away; no traceback, no complaint on stderr."""
    with Store.open(mini_db_path, actor="t") as store:
        for _ in range(3):
            store.safety.take_backup("manual")
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--db", str(mini_db_path), "table"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # before the command prints anything: every write meets a closed pipe
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert err == "" and process.returncode != 0
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--db", str(mini_db_path), "backups"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    assert process.stderr.read().decode() == ""
    process.wait(timeout=120)


def test_a_dangling_symlink_as_db_is_refused_and_kept(tmp_path):
    """The link is neither followed (no file created where it points) nor deleted."""
    link = tmp_path / "q.db"
    link.symlink_to(tmp_path / "gone" / "..." / "missing.db")
    result = run("--db", str(link), "table")
    assert result.returncode != 0 and one_line(result.stderr) and "symbolic link" in result.stderr
    assert link.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["q.db"]
    link2 = tmp_path / "r.db"
    link2.symlink_to(tmp_path / "missing.db")
    result = run("--db", str(link2), "export-lessons")
    assert result.returncode != 0 and link2.is_symlink() and not (tmp_path / "missing.db").exists()


def test_dev_null_as_db_creates_nothing_in_dev():
    """`--db /dev/null` is refused before SQLite could create /dev/null-wal or /dev/null.lock."""
    before = set(os.listdir("/dev"))
    result = run("--db", "/dev/null", "table")
    assert result.returncode != 0 and one_line(result.stderr) and "device" in result.stderr
    result = run("--db", "/dev/null", "--quit-after-paint")  # the window is refused it the same way
    assert result.returncode != 0 and one_line(result.stderr) and "device" in result.stderr
    assert set(os.listdir("/dev")) - before == set()


def test_a_fifo_as_db_is_refused(tmp_path):
    fifo = tmp_path / "q.db"
    os.mkfifo(fifo)
    result = run("--db", str(fifo), "table")
    assert result.returncode != 0 and one_line(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.db"]


def test_copy_to_dev_null_creates_nothing_in_dev(mini_db_path):
    before = set(os.listdir("/dev"))
    result = run("copy", "--from", str(mini_db_path), "--to", "/dev/null")
    assert result.returncode != 0 and one_line(result.stderr)
    assert set(os.listdir("/dev")) - before == set()


def test_a_password_never_reaches_an_error_line(capsys, monkeypatch):
    """Every one-line error passes through the redaction, whatever raised it."""
    from db import DatabaseOpenError

    def failing(args, **options):
        raise DatabaseOpenError("Cannot reach postgresql://a@db/q?password=Sekr3t or host=db password=Sekr3t")

    import desktop.cli

    monkeypatch.setattr(desktop.cli, "open_store_for", failing)
    assert main(["table", "--db", "postgresql://a@db/q"]) == 1
    err = capsys.readouterr().err
    assert "Sekr3t" not in err and one_line(err)


def test_a_date_out_of_range_is_one_line(capsys, monkeypatch, mini_db_path):
    """An exchange `updated_at` of 9999-12-31T23:59:59-12:00 overflows when converted to UTC: one line."""
    from datetime import UTC, datetime, timedelta, timezone

    import desktop.cli

    def overflowing(args, **options):
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12))).astimezone(UTC)

    monkeypatch.setattr(desktop.cli, "open_store_for", overflowing)
    assert main(["import-exchange", str(mini_db_path), "--db", str(mini_db_path)]) == 1
    assert one_line(capsys.readouterr().err)


HOSTILE = "Eve\x1b[2J\x1b]0;pwned\x07\u202egnp.exe\u2066x\x9b"


def test_visible_escapes_control_and_direction_characters():
    shown = visible(HOSTILE + "\tok\n")
    assert "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert "\\x1b[2J" in shown and "\\u202e" in shown and "\\u2066" in shown and "\\u009b" in shown
    assert shown.endswith("\tok\n")


def _hostile_versions(path: Path) -> None:
    with Store.open(path, actor=HOSTILE) as store:
        rel = store.quadrangle.relationships()[0]
        store.assessments.save(
            AssessmentInput(
                relationship_id=rel.id,
                as_of=date(2009, 1, 1),
                phases=(Phase.ENDING,),
                confidence=Confidence.LOW,
                summary="",
                motives=tuple(MotiveAssessment(m, 0) for m in Motive),
                reversal_rationale="Lapsed \x1b[31mred\u202e",
            )
        )


@pytest.mark.parametrize("command", [["history", "UN-EU"], ["reversals"], ["reversals", "--format", "json"]])
def test_history_and_reversals_escape_analyst_names(mini_db_path, capsys, command):
    """An analyst name or rationale holding ESC or U+202E is printed escaped, never raw."""
    _hostile_versions(mini_db_path)
    assert main([*command, "--db", str(mini_db_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out
    assert "\\u202e" in out


def test_json_output_stays_json_when_escaped(mini_db_path, capsys):
    """The escapes used are JSON's own: the JSON output still parses to the stored text."""
    import json

    _hostile_versions(mini_db_path)
    assert main(["reversals", "--db", str(mini_db_path), "--format", "json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["recorded_by"].startswith("Eve") and "\u202e" in entry["recorded_by"]
