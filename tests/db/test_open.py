"""Bad `--db` targets and bad dataset files: a one-line error naming the problem, and nothing written."""

from __future__ import annotations

import json

import pytest

from db import DEFAULT_DATASET_PATH, DatabaseOpenError, DatasetError, Store


def _one_line(error: Exception) -> str:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text
    return text


def test_a_missing_folder_is_named_and_nothing_is_created(tmp_path):
    """The folder is not created behind the user's back."""
    target = tmp_path / "nowhere" / "q.db"
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open(target)
    assert "does not exist" in _one_line(caught.value)
    assert not target.parent.exists()


def test_a_file_that_is_not_a_database_is_refused_and_left_unchanged(tmp_path):
    """A text file given as --db keeps its exact content."""
    target = tmp_path / "notes.db"
    target.write_text("my notes, not a database\n")
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open(target)
    assert "not a Quadrangle database" in _one_line(caught.value)
    assert target.read_text() == "my notes, not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_folder_given_as_database_is_refused(tmp_path):
    """A path that cannot be read as a file (here a folder) gets its own message."""
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open(tmp_path)
    assert "is a folder" in _one_line(caught.value)


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    """A read error on the file (permissions) names the file and the cause."""
    target = tmp_path / "locked.db"
    target.write_bytes(b"SQLite format 3\x00" + bytes(100))
    real_open = type(target).open

    def refuse(self, *args, **kwargs):
        if self == target:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(target), "open", refuse)
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open(target)
    assert "Permission denied" in _one_line(caught.value)


def test_an_invalid_dataset_creates_no_database(tmp_path):
    """The dataset is validated before the new file is created, so a failure leaves nothing behind."""
    data = json.loads(DEFAULT_DATASET_PATH.read_text(encoding="utf-8"))
    data["relationships"][0]["assessments"][-1]["phase"] = ["courtship", "maintenance"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "q.db"
    with pytest.raises(DatasetError) as caught:
        Store.open(target, dataset_path=bad)
    assert "adjacent" in _one_line(caught.value)
    assert not target.exists()


def test_an_empty_file_becomes_a_new_seeded_database(tmp_path):
    """An empty file (e.g. made by `touch`) is treated as a new database."""
    target = tmp_path / "empty.db"
    target.touch()
    with Store.open(target) as store:
        assert [o.code for o in store.quadrangle.organizations()] == ["UN", "NATO", "EU", "AU"]


def test_a_new_database_file_is_private(tmp_path):
    """Created readable and writable by its owner only."""
    target = tmp_path / "q.db"
    Store.open(target, dataset_path=DEFAULT_DATASET_PATH).close()
    assert target.stat().st_mode & 0o777 == 0o600
