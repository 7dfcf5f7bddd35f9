"""Property tests: generated databases round-trip through export and import; mutated files end in a clean
rejection or a correct import, never a crash and never a partial write."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import uuid
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from db import AssessmentInput, Confidence, MotiveAssessment, Phase, QuadrangleError, Store
from db.exchange.entries import rows_by_id
from db.exchange.format import KINDS, payload_sha256
from db.vocabulary import MOTIVE_ORDER
from tests.db.exchange_helpers import add_lesson, content, content_without_stamps, edit_lesson, snapshot

TEXT = st.text(max_size=80)


def _finding(max_size: int):
    """A finding the store accepts: not blank (the import applies the store's rules, db/validation.py)."""
    return st.text(min_size=1, max_size=max_size).filter(str.strip)


LESSON = st.tuples(_finding(80), TEXT, st.sampled_from(["UNCLASSIFIED", "RESTRICTED"]))
ASSESSMENT = st.tuples(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2025, 12, 31)),
    st.sampled_from(list(Phase)),
    TEXT,
    st.lists(st.integers(0, 3), min_size=len(MOTIVE_ORDER), max_size=len(MOTIVE_ORDER)),
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
EXAMPLES = int(os.environ.get("QUADRANGLE_PROPERTY_EXAMPLES", "30"))  # raise it for a long local run
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _workstations(template: Path) -> tuple[Path, Store, Store]:
    folder = Path(tempfile.mkdtemp(prefix="exchange-prop-"))
    paths = []
    for name in ("a.db", "b.db"):
        target = folder / name
        shutil.copyfile(template, target)
        connection = sqlite3.connect(target)
        connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
        connection.commit()
        connection.close()
        paths.append(target)
    return folder, Store.open(paths[0], actor="alice"), Store.open(paths[1], actor="bob")


def _populate(store: Store, lessons, assessments, edit: str | None) -> None:
    rel = store.quadrangle.relationships()[0].id
    for finding, recommendation, marking in lessons:
        add_lesson(store, rel, finding, recommendation=recommendation, marking=marking)
    for as_of, phase, summary, weights in assessments:
        motives = tuple(
            MotiveAssessment(m, w, "because" if w else "") for m, w in zip(MOTIVE_ORDER, weights, strict=True)
        )
        store.assessments.save(
            AssessmentInput(rel, as_of, (phase,), Confidence.LOW, summary, motives, reversal_rationale="generated")
        )
    if edit is not None:
        edit_lesson(store, store.lessons.all()[0].id, finding=edit)


@settings(PROPERTY_SETTINGS, max_examples=max(EXAMPLES // 3, 10))
@given(
    lessons=st.lists(LESSON, max_size=4),
    assessments=st.lists(ASSESSMENT, max_size=3),
    edit=st.none() | _finding(40),
)
def test_generated_databases_round_trip(mini_db_path, lessons, assessments, edit):
    """Whatever Alice adds or edits arrives at Bob unchanged, and a second import changes nothing."""
    folder, alice, bob = _workstations(mini_db_path)
    try:
        _populate(alice, lessons, assessments, edit)
        alice.exchange.export(folder / "a.json")
        bob.exchange.import_file(folder / "a.json")
        assert content(bob) == content(alice)
        before = snapshot(bob.location.path)
        assert not bob.exchange.import_file(folder / "a.json").changed
        assert snapshot(bob.location.path) == before
    finally:
        alice.close()
        bob.close()
        shutil.rmtree(folder, ignore_errors=True)


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield prefix + (key,)
            yield from _paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield prefix + (index,)
            yield from _paths(inner, prefix + (index,))


def _at(value, path):
    for key in path:
        value = value[key]
    return value


def _check_outcome(store: Store, path: Path, before) -> None:
    try:
        store.exchange.import_file(path, on_conflict="theirs")
    except QuadrangleError as exc:
        event(f"refused: {type(exc).__name__}")
        assert "\n" not in str(exc)
        assert snapshot(store.location.path) == before
        return
    connection = sqlite3.connect(store.location.path)
    try:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    event("imported")
    # a correct import: every record of the file is here, and a repeat changes nothing
    payload = json.loads(path.read_text(encoding="utf-8"))["payload"]
    with store.database.read() as s:
        for kind in KINDS:
            assert set(rows_by_id(s, kind, payload[kind])) == set(payload[kind])
    assert not store.exchange.import_file(path).changed


@PROPERTY_SETTINGS
@given(data=st.data(), lessons=st.lists(LESSON, max_size=2))
def test_mutated_files_are_refused_cleanly_or_imported_correctly(mini_db_path, data, lessons):
    """A file damaged anywhere (bytes cut or flipped, or a value replaced and the checksum redone) never
    crashes the import and never leaves half of it written."""
    folder, alice, bob = _workstations(mini_db_path)
    try:
        _populate(alice, lessons, [], None)
        good = folder / "a.json"
        alice.exchange.export(good)
        raw = good.read_bytes()
        how = data.draw(st.sampled_from(["cut", "flip", "replace", "text", "reformat"]))
        bad = folder / "bad.json"
        if how == "cut":
            bad.write_bytes(raw[: data.draw(st.integers(0, len(raw) - 1))])
        elif how == "flip":
            position = data.draw(st.integers(0, len(raw) - 1))
            bad.write_bytes(raw[:position] + bytes([data.draw(st.integers(0, 255))]) + raw[position + 1 :])
        elif how == "reformat":
            bad.write_text(
                json.dumps(json.loads(raw), indent=data.draw(st.sampled_from([None, 0, 4]))), encoding="utf-8"
            )
        else:  # replace any value by any JSON value, or a text by another text; then redo the checksum
            document = json.loads(raw)
            targets = list(_paths(document["payload"]))
            if how == "text":
                targets = [p for p in targets if isinstance(_at(document["payload"], p), str)]
            target = targets[data.draw(st.integers(0, len(targets) - 1))]
            holder = _at(document["payload"], target[:-1])
            holder[target[-1]] = data.draw(JSON_VALUE if how == "replace" else st.text(max_size=30))
            document["manifest"]["payload_sha256"] = payload_sha256(document["payload"])
            bad.write_text(json.dumps(document), encoding="utf-8")
        _check_outcome(bob, bad, snapshot(bob.location.path))
    finally:
        alice.close()
        bob.close()
        shutil.rmtree(folder, ignore_errors=True)


@settings(PROPERTY_SETTINGS, max_examples=max(EXAMPLES // 3, 10))
@given(
    alice_edit=st.none() | _finding(30),
    bob_edit=st.none() | _finding(30),
    alice_new=st.lists(LESSON, max_size=2),
    bob_new=st.lists(LESSON, max_size=2),
    choice=st.sampled_from(["theirs", "mine", "both"]),
    rounds=st.integers(1, 2),
)
def test_two_workstations_converge_whatever_they_edit(
    mini_db_path, alice_edit, bob_edit, alice_new, bob_new, choice, rounds
):
    """Edits on one side, both sides or neither, new lessons anywhere, any choice for a conflict: after
    A -> B and B -> A both hold the same content, and no edit vanished without a choice."""
    folder, alice, bob = _workstations(mini_db_path)
    try:
        for n in range(rounds):
            a_edit = None if alice_edit is None else f"{alice_edit} (round {n})"
            b_edit = None if bob_edit is None else f"{bob_edit} (round {n}, bob)"
            _populate(alice, alice_new, [], a_edit)
            _populate(bob, bob_new, [], b_edit)
            alice.exchange.export(folder / "a.json")
            bob.exchange.import_file(folder / "a.json", on_conflict=choice)
            bob.exchange.export(folder / "b.json")
            alice.exchange.import_file(folder / "b.json")
            assert alice.exchange.preview(folder / "b.json").changes == 0
            assert content_without_stamps(alice) == content_without_stamps(bob)
            findings = {lesson.finding for lesson in bob.lessons.all()}
            if a_edit is not None and (b_edit is None or choice != "mine"):
                assert a_edit in findings
            if b_edit is not None and (a_edit is None or choice != "theirs"):
                assert b_edit in findings
    finally:
        alice.close()
        bob.close()
        shutil.rmtree(folder, ignore_errors=True)
