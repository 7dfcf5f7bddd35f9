"""The safe writer (issue 16, items 1, 6 and 11): what it refuses, the mode it writes, what a failed
write leaves behind, and the password redaction used wherever a location is shown or kept."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

import pytest

from db import DatabaseOpenError, SafeWriteError, StorageError, check_database_path, redact, strip_password, write_file
from db.server import without_password

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database(tmp_path) -> Path:
    """A stand-in database with its companions and its two folders, all with content to protect."""
    db = tmp_path / "q.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)
    for suffix in ("-wal", "-shm", "-journal", ".lock"):
        Path(f"{db}{suffix}").write_bytes(b"companion")
    for folder in ("backups", "damaged"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "q-1.db").write_bytes(b"backup")
    return db


def test_the_safe_error_is_a_storage_error():
    """Callers that already report StorageError in one line report this one too."""
    assert issubclass(SafeWriteError, StorageError)


@pytest.mark.parametrize("name", ["q.db", "q.db-wal", "q.db-shm", "q.db-journal", "q.db.lock"])
def test_the_database_and_its_companions_are_refused(database, name):
    """Writing over the database or one of its files is refused, in one line, and the file is unchanged."""
    target = database.parent / name
    before = digest(target)
    with pytest.raises(SafeWriteError) as caught:
        write_file(target, "x", protect=[database], overwrite=True)
    assert "\n" not in str(caught.value) and "choose another name" in str(caught.value)
    assert digest(target) == before
    assert sorted(p.name for p in database.parent.iterdir() if p.name.startswith(".")) == []


def test_a_companion_that_does_not_exist_yet_is_refused_by_name(tmp_path):
    """The lock file of a database that is not open (no file yet) is still the database's."""
    db = tmp_path / "q.db"
    with pytest.raises(SafeWriteError, match="lock file"):
        write_file(tmp_path / "q.db.lock", "x", protect=[db])
    assert not (tmp_path / "q.db.lock").exists()


@pytest.mark.parametrize("folder", ["backups", "damaged"])
def test_the_backups_and_damaged_folders_are_refused(database, folder):
    """Nothing but Quadrangle's own backup code writes into backups/ or damaged/."""
    with pytest.raises(SafeWriteError, match=f"{folder} folder"):
        write_file(database.parent / folder / "new.csv", "a,b\n", protect=[database])
    with pytest.raises(SafeWriteError):
        write_file(database.parent / folder / "q-1.db", "a,b\n", protect=[database], overwrite=True)
    assert (database.parent / folder / "q-1.db").read_bytes() == b"backup"
    assert not (database.parent / folder / "new.csv").exists()


def test_a_hard_link_to_the_database_is_refused(database, tmp_path):
    """A second name of the same file is the same file: compared by device and inode, not by name."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    link = other / "innocent.csv"
    os.link(database, link)
    before = digest(database)
    with pytest.raises(SafeWriteError, match="the database itself"):
        write_file(link, "a,b\n", protect=[database], overwrite=True)
    assert digest(database) == before and os.path.samefile(link, database)


def test_a_symlink_to_a_companion_is_refused(database, tmp_path):
    """A symbolic link is followed before the comparison."""
    link = tmp_path / "out.csv"
    link.symlink_to(Path(f"{database}-wal"))
    with pytest.raises(SafeWriteError, match="write-ahead log"):
        write_file(link, "a,b\n", protect=[database], overwrite=True)
    assert Path(f"{database}-wal").read_bytes() == b"companion"


def test_a_symlink_into_the_backups_folder_is_refused(database, tmp_path):
    """A link whose real file sits in backups/ is refused like the file itself."""
    link = tmp_path / "out.csv"
    link.symlink_to(database.parent / "backups" / "q-1.db")
    with pytest.raises(SafeWriteError):
        write_file(link, "a,b\n", protect=[database], overwrite=True)
    assert (database.parent / "backups" / "q-1.db").read_bytes() == b"backup"


def test_any_sqlite_file_is_refused_even_with_overwrite(tmp_path):
    """Another database is never replaced by an export, even one that is not the open store."""
    other = tmp_path / "other.db"
    other.write_bytes(b"SQLite format 3\x00rest")
    with pytest.raises(SafeWriteError, match="SQLite database"):
        write_file(other, "a,b\n", overwrite=True)
    assert other.read_bytes() == b"SQLite format 3\x00rest"


def test_devices_fifos_and_folders_are_refused(tmp_path):
    """Only regular files are written: /dev/full, a fifo, a folder each get one line."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, kind in ((Path("/dev/full"), "a device"), (fifo, "a pipe"), (tmp_path, "a folder")):
        with pytest.raises(SafeWriteError, match=kind):
            write_file(target, PDF, overwrite=True)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_an_existing_file_is_replaced_only_when_asked(tmp_path):
    """Without overwrite an existing file stays; with it the file is replaced."""
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(SafeWriteError, match="already exists"):
        write_file(target, "new\n")
    assert target.read_text() == "old\n"
    write_file(target, "new\n", overwrite=True)
    assert target.read_text() == "new\n"


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_files_are_written_owner_only_whatever_the_umask(tmp_path, umask):
    """Bytes and a producer function both end as 0600 files, under umask 000 too."""
    old = os.umask(umask)
    try:
        csv_path = write_file(tmp_path / "lessons.csv", "a,b\n1,2\n")

        def produce(temp: Path) -> None:  # a writer that recreates the file, as some Qt writers do
            temp.unlink()
            temp.write_bytes(PDF)

        pdf_path = write_file(tmp_path / "out.pdf", produce)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(csv_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(pdf_path).st_mode) == 0o600
    assert pdf_path.read_bytes() == PDF


def test_a_full_disk_is_a_failure_and_leaves_nothing(tmp_path, monkeypatch):
    """ENOSPC from a write raises, leaves no temporary file, and keeps the old file as it was."""
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(SafeWriteError, match="No space left on device"):
        write_file(target, "x" * 100_000, overwrite=True)
    monkeypatch.undo()
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_truncated_pdf_is_not_put_in_place(tmp_path):
    """A PDF without its %%EOF trailer (what a full disk leaves) is refused and removed."""
    with pytest.raises(SafeWriteError, match="%%EOF"):
        write_file(tmp_path / "out.pdf", PDF[:-8])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("size", [10, 5_000, 3_000_000])
def test_a_large_pdf_is_checked_by_its_start_and_its_end(tmp_path, size):
    """The read-back of a PDF keeps only its first and last kilobytes (a 40 MB briefing was held
    twice more at the end of its write), at any length: a whole one passes, a cut one does not."""
    body = b"%PDF-1.4\n" + b"x" * size + b"\ntrailer <<>>\n%%EOF\n"
    write_file(tmp_path / "whole.pdf", body)
    assert (tmp_path / "whole.pdf").read_bytes() == body
    with pytest.raises(SafeWriteError, match="%%EOF"):
        write_file(tmp_path / "cut.pdf", body[: len(body) // 2 + 7])
    with pytest.raises(SafeWriteError, match="not a PDF"):
        write_file(tmp_path / "other.pdf", b"PK" + body)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("out.json", b'{"a": ', "JSON"),
        ("out.csv", b"\xff\xfe\xfa", "CSV"),
        ("out.png", b"\x89PNG\r\n\x1a\nshort", "PNG"),
        ("out.svg", b"<svg><g>", "SVG"),
    ],
)
def test_each_kind_is_read_back(tmp_path, name, content, problem):
    """JSON, CSV, PNG and SVG are parsed back before they count as written."""
    with pytest.raises(SafeWriteError, match=problem):
        write_file(tmp_path / name, content)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_producer_leaves_nothing(tmp_path):
    """An exception from the producer propagates and the temporary file goes."""

    def broken(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise RuntimeError("painter failed")

    with pytest.raises(RuntimeError):
        write_file(tmp_path / "out.txt", broken)
    assert list(tmp_path.iterdir()) == []


def test_a_very_long_name_is_one_line(tmp_path):
    """A 300-character file name is refused with a sentence, not an OSError traceback."""
    with pytest.raises(SafeWriteError, match="too long"):
        write_file(tmp_path / ("a" * 300 + ".csv"), "a\n")


def test_a_missing_folder_is_one_line(tmp_path):
    with pytest.raises(SafeWriteError, match="does not exist"):
        write_file(tmp_path / "missing" / "out.csv", "a\n")


def test_a_dangling_symlink_as_target_is_refused_and_kept(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(SafeWriteError, match="missing file"):
        write_file(link, "a\n", overwrite=True)
    assert link.is_symlink() and not (tmp_path / "nowhere.csv").exists()


def test_a_symlink_to_a_file_writes_the_real_file(tmp_path):
    """Replacing through a link keeps the link and replaces the file it points to."""
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_file(link, "new\n", overwrite=True)
    assert link.is_symlink() and real.read_text() == "new\n"


def test_unusable_database_paths_are_refused_before_opening(tmp_path):
    """A dangling symlink (kept), a fifo and /dev/null are not database files."""
    link = tmp_path / "q.db"
    link.symlink_to(tmp_path / "missing.db")
    with pytest.raises(DatabaseOpenError, match="missing file"):
        check_database_path(link)
    assert link.is_symlink() and not (tmp_path / "missing.db").exists()
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    with pytest.raises(DatabaseOpenError, match="pipe"):
        check_database_path(fifo)
    with pytest.raises(DatabaseOpenError, match="device"):
        check_database_path("/dev/null")
    check_database_path(tmp_path / "new.db")  # a new file is fine
    check_database_path("postgresql://analyst@db/q")


PASSWORD = "S3cret-pw"


@pytest.mark.parametrize(
    ("location", "kept"),
    [
        (f"postgresql://analyst:{PASSWORD}@db:5433/q", "postgresql://analyst@db:5433/q"),
        (f"postgresql://analyst@db/q?password={PASSWORD}", "postgresql://analyst@db/q"),
        (f"postgresql://analyst@db/q?sslmode=require&password={PASSWORD}", "postgresql://analyst@db/q?sslmode=require"),
        (f"postgresql://analyst@db/q?password={PASSWORD}&sslmode=require", "postgresql://analyst@db/q?sslmode=require"),
        (f"host=db dbname=q user=analyst password={PASSWORD}", "host=db dbname=q user=analyst"),
        (f"host=db password = '{PASSWORD} x' dbname=q", "host=db dbname=q"),
    ],
)
def test_passwords_in_every_form_are_removed_and_masked(location, kept):
    """URL, query and libpq keyword forms: stripped for the preferences, masked for display."""
    assert strip_password(location) == kept
    assert without_password(location) == kept
    shown = redact(f"Cannot open {location}: refused")
    assert PASSWORD not in shown and "***" in shown


def test_text_without_a_password_is_unchanged():
    for text in ("/home/a/quadrangle.db", "postgresql://analyst@db/q?sslmode=require", "C:\\data\\q.db"):
        assert redact(text) == text and strip_password(text) == text
