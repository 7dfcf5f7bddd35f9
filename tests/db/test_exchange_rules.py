"""Exchange validation is the store's validation: what the store refuses, an import refuses, in one line,
before anything is written; and an import that changes nothing writes nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from dataclasses import replace
from datetime import date

import pytest

from db import ExchangeFileError, Store, ValidationError
from db.exchange.format import payload_sha256
from tests.db.exchange_helpers import snapshot
from tests.db.safety_helpers import draft

pytestmark = pytest.mark.sqlite_only  # byte-for-byte snapshots of the database file


@pytest.fixture
def exported(mini_store, tmp_path):
    path = tmp_path / "good.json"
    mini_store.exchange.export(path)
    return mini_store, json.loads(path.read_text(encoding="utf-8"))


def _write(path, data, *, resign: bool = True):
    if resign:
        data["manifest"]["payload_sha256"] = payload_sha256(data["payload"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _refused(store, path, match: str) -> None:
    before = snapshot(store.location.path)
    backups = store.safety.backups()
    for attempt in (store.exchange.preview, store.exchange.import_file):
        with pytest.raises(ExchangeFileError, match=match) as caught:
            attempt(path)
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 500
    assert snapshot(store.location.path) == before
    assert store.safety.backups() == backups


def _first(data, kind: str) -> dict:
    return next(iter(data["payload"][kind].values()))


def test_a_courtship_to_ending_phase_pair_is_refused(exported, tmp_path):
    """Two phases must be adjacent, on import as in the editor."""
    store, data = exported
    version = _first(data, "assessment_versions")
    version["phase"], version["phase_to"] = "courtship", "ending"
    _refused(store, _write(tmp_path / "f.json", data), "Two phases must be adjacent")


def test_dates_in_the_year_9999_are_refused(exported, tmp_path):
    """An assessment dated 9999 (or 1850) is refused: dates lie between 1900 and 2100."""
    store, data = exported
    _first(data, "assessment_versions")["as_of"] = "9999-01-01"
    _refused(store, _write(tmp_path / "f.json", data), "in the year 9999: a date must lie between 1900 and 2100")
    data = json.loads(json.dumps(data))
    _first(data, "assessment_versions")["as_of"] = "2020-01-01"
    _first(data, "lessons")["recorded_on"] = "1850-01-01"
    _refused(store, _write(tmp_path / "g.json", data), "in the year 1850")


def test_a_weight_without_a_rationale_is_refused(exported, tmp_path):
    """A motive weighted above 0 needs its rationale."""
    store, data = exported
    motive = _first(data, "assessment_versions")["motives"][0]
    motive["weight"], motive["rationale"] = 2, "  "
    _refused(store, _write(tmp_path / "f.json", data), "give its rationale")


def test_a_blank_finding_with_no_relationship_or_theme_is_refused(exported, tmp_path):
    """A lesson needs its finding, a relationship and a theme, as in the editor."""
    store, data = exported
    lesson = _first(data, "lessons")
    lesson["finding"], lesson["relationship_ids"], lesson["theme_ids"] = " \t", [], []
    _refused(store, _write(tmp_path / "f.json", data), "Write the finding")
    lesson["finding"] = "a finding"
    _refused(store, _write(tmp_path / "g.json", data), "Choose the relationship")


def test_a_finding_longer_than_the_editor_allows_is_refused(exported, tmp_path):
    """99,999 characters fit the file format but not the editor's 20,000: refused."""
    store, data = exported
    _first(data, "lessons")["finding"] = "x" * 99_999
    _refused(store, _write(tmp_path / "f.json", data), "at most 20000 characters")


@pytest.mark.parametrize("version", [0, -5])
def test_a_format_version_that_is_not_positive_is_refused(exported, tmp_path, version):
    """format_version must be a positive version this Quadrangle knows."""
    store, data = exported
    data["manifest"]["format_version"] = version
    _refused(store, _write(tmp_path / "f.json", data), f"format version {version} is not a version")


def test_duplicate_json_keys_are_refused(exported, tmp_path):
    """An object naming a key twice is refused (which value counts would depend on the reader)."""
    store, data = exported
    lesson_id = next(iter(data["payload"]["lessons"]))
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace(f'"{lesson_id}": {{', f'"{lesson_id}": {{"finding": "the hidden one", ', 1)
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    _refused(store, path, "gives the key 'finding' twice")


def test_a_time_zone_edge_stamp_is_a_one_line_error(exported, tmp_path, capsys):
    """updated_at 9999-12-31T23:59:59-12:00 cannot be given in UTC: one line, no traceback, also from the CLI."""
    from desktop.cli import main

    store, data = exported
    _first(data, "lessons")["updated_at"] = "9999-12-31T23:59:59-12:00"
    path = _write(tmp_path / "f.json", data)
    _refused(store, path, "not a moment that can be given in UTC")
    database = store.location.path
    store.close()
    assert main(["import-exchange", str(path), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("quadrangle: ") and err.count("\n") == 1 and "Traceback" not in err


def test_the_store_refuses_the_same_dates(mini_store):
    """The store applies the same date range: an assessment dated 1899 and an operation starting in 1850."""
    relationship = mini_store.quadrangle.relationships()[0].id
    with pytest.raises(ValidationError, match="in the year 1899"):
        mini_store.assessments.save(replace(draft(relationship), as_of=date(1899, 12, 31)))
    problems = mini_store.assessments.problems(replace(draft(relationship), as_of=date(1899, 12, 31)))
    assert [field for field, _ in problems] == ["as_of"]  # the editor shows it beside the date


def test_an_import_that_changes_nothing_writes_nothing(mini_db_path, tmp_path):
    """A file whose every record this database already holds: no audit row, no baseline, no backup."""
    other = tmp_path / "other.db"
    shutil.copyfile(mini_db_path, other)
    connection = sqlite3.connect(other)
    connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
    connection.commit()
    connection.close()
    with Store.open(other, actor="bob", backup_on_open=False) as bob:
        bob.exchange.export(tmp_path / "b.json")
    with Store.open(mini_db_path, actor="alice", backup_on_open=False) as alice:
        before = snapshot(alice.location.path)
        backups = alice.safety.backups()
        result = alice.exchange.import_file(tmp_path / "b.json")
        assert not result.changed and result.backup_path is None
        assert snapshot(alice.location.path) == before
        assert alice.safety.backups() == backups
