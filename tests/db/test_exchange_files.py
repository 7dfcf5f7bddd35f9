"""Bad exchange files are refused with one line before anything is written."""

from __future__ import annotations

import json

import pytest

from db import ExchangeFileError, ValidationError
from db.exchange.format import MAX_JSON_DEPTH, payload_sha256
from tests.db.exchange_helpers import snapshot

# These prove that a refused file leaves the database file byte-for-byte unchanged: an SQLite file.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def exported(mini_store, tmp_path):
    path = tmp_path / "good.json"
    mini_store.exchange.export(path)
    return mini_store, path


def _resign(data: dict) -> dict:
    data["manifest"]["payload_sha256"] = payload_sha256(data["payload"])
    return data


def _write(path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _refused(store, path, match: str) -> None:
    before = snapshot(store.location.path)
    backups = store.safety.backups()
    for attempt in (store.exchange.preview, store.exchange.import_file):
        with pytest.raises(ExchangeFileError, match=match) as caught:
            attempt(path)
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 400
    assert snapshot(store.location.path) == before
    assert store.safety.backups() == backups  # refused before the backup


def test_a_truncated_file_is_refused(exported, tmp_path):
    """A file cut short (an interrupted copy to a USB stick) is refused as incomplete."""
    store, path = exported
    raw = path.read_bytes()
    (tmp_path / "cut.json").write_bytes(raw[: len(raw) // 2])
    _refused(store, tmp_path / "cut.json", "not complete, valid JSON")


def test_a_tampered_file_fails_its_checksum(exported, tmp_path):
    """Changing one word of the payload without re-signing is caught by the checksum."""
    store, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    lesson = next(iter(data["payload"]["lessons"].values()))
    lesson["finding"] = "changed on the way"
    _write(tmp_path / "t.json", data)
    _refused(store, tmp_path / "t.json", "does not match its checksum")


def test_a_newer_format_is_refused(exported, tmp_path):
    """A file from a newer Quadrangle asks for an update instead of guessing."""
    store, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    data["manifest"]["format_version"] = 99
    _write(tmp_path / "n.json", data)
    _refused(store, tmp_path / "n.json", "newer Quadrangle")


def test_an_oversized_file_is_refused_unread(exported, tmp_path):
    """A file over 50 MB is refused by its size."""
    store, path = exported
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.write(path.read_bytes()[:-1])
        handle.write(b" " * (51 * 1024 * 1024))
        handle.write(b"}")
    _refused(store, big, "larger than an exchange file may be")


def test_a_deeply_nested_file_is_refused_before_parsing(exported, tmp_path):
    """Nesting beyond the limit (which could exhaust the parser's stack) is refused by a scan."""
    store, _ = exported
    deep = tmp_path / "deep.json"
    deep.write_text('{"manifest": {"format": "quadrangle-exchange"}, "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _refused(store, deep, "nested deeper")
    shallow_enough = '{"a": "' + "[" * (MAX_JSON_DEPTH + 5) + '"}'
    (tmp_path / "s.json").write_text(shallow_enough)
    _refused(store, tmp_path / "s.json", "not a Quadrangle exchange file")  # brackets inside strings don't count


def test_other_files_are_refused(exported, tmp_path):
    """Binary data, a JSON list, or another format are not exchange files."""
    store, _ = exported
    (tmp_path / "b.json").write_bytes(b"\xff\xfe\x00garbage")
    _refused(store, tmp_path / "b.json", "not UTF-8")
    (tmp_path / "l.json").write_text("[1, 2]")
    _refused(store, tmp_path / "l.json", "not a Quadrangle exchange file")
    (tmp_path / "d.json").write_text('{"manifest": {"format": "quadrangle-dataset"}}')
    _refused(store, tmp_path / "d.json", "not a Quadrangle exchange file")


def test_a_resigned_file_with_a_broken_reference_fails_validation(exported, tmp_path):
    """Even with a matching checksum, a lesson citing a source missing from the file is refused."""
    store, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    data["payload"]["sources"] = {}
    _write(tmp_path / "r.json", _resign(data))
    _refused(store, tmp_path / "r.json", "missing from the file")


def test_a_lone_surrogate_is_refused(exported, tmp_path):
    """Text that is not valid Unicode cannot reach the database."""
    store, path = exported
    text = path.read_text(encoding="utf-8").replace('"finding": "f"', '"finding": "\\ud800"')
    (tmp_path / "u.json").write_text(text, encoding="utf-8")
    _refused(store, tmp_path / "u.json", "invalid text")


def test_an_altered_assessment_version_is_a_tampering_signal(exported, tmp_path):
    """A version with a known UUID but other content (re-signed to pass the checksum) rejects the whole file."""
    store, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    version = next(iter(data["payload"]["assessment_versions"].values()))
    version["summary"] = "rewritten history"
    next(iter(data["payload"]["lessons"].values()))["finding"] = "also changed"
    _write(tmp_path / "a.json", _resign(data))
    _refused(store, tmp_path / "a.json", "assessments are never edited")


def test_names_taken_from_a_file_stay_on_one_line(exported, tmp_path):
    """A line break inside the altered version's author (found by the property test) or the exporter's
    name does not break the one-line error: the name is shown with its white space folded."""
    store, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    version = next(iter(data["payload"]["assessment_versions"].values()))
    version["recorded_by"] = "alice\nand bob"
    data["manifest"]["exported_by"] = "alice\r\nsmith"
    _write(tmp_path / "n.json", _resign(data))
    _refused(store, tmp_path / "n.json", "The file from alice smith: .* by alice and bob differs")


def test_an_unknown_choice_is_refused(exported, tmp_path):
    """A choice other than theirs, mine or both is a ValidationError, not a crash."""
    store, path = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    lesson_id, lesson = next(iter(data["payload"]["lessons"].items()))
    lesson["finding"] = "theirs"
    lesson["updated_at"] = "2030-01-01T00:00:00Z"
    _write(tmp_path / "c.json", _resign(data))
    from tests.db.exchange_helpers import edit_lesson

    edit_lesson(store, lesson_id, finding="mine")
    with pytest.raises(ValidationError, match="not a choice"):
        store.exchange.import_file(tmp_path / "c.json", {lesson_id: "whatever"})
