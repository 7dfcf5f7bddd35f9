"""Exchange between two offline workstations: export, preview, import, and merging without losing work."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import date

import pytest

from db import (
    ExchangeChoice,
    ItemAction,
    ItemStatus,
    Store,
    ValidationError,
    models,
)
from tests.db.exchange_helpers import add_lesson, content, edit_lesson, snapshot, trash_lesson

MINI_LESSON = None  # filled from the store: the mini dataset's one lesson


def _second_copy(path, target):
    """Another workstation seeded from the same dataset: same record UUIDs, its own database id."""
    shutil.copyfile(path, target)
    connection = sqlite3.connect(target)
    connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
    connection.commit()
    connection.close()
    return target


@pytest.fixture
def pair(mini_db_path, tmp_path):
    """Alice's and Bob's stores, seeded from the same dataset on two files."""
    b_path = _second_copy(mini_db_path, tmp_path / "bob.db")
    alice = Store.open(mini_db_path, actor="alice")
    bob = Store.open(b_path, actor="bob")
    yield alice, bob
    alice.close()
    bob.close()


@pytest.fixture
def peers(store_target):
    """Alice's and Bob's stores seeded from the same dataset on the test's engine (SQLite files, or
    PostgreSQL databases): the same record UUIDs, each its own database id."""
    stores = []
    for actor in ("alice", "bob"):
        store = Store.open(store_target("mini"), actor=actor)
        with store.database.write() as s:
            s.get_one(models.Meta, "database_id").value = str(uuid.uuid4())
        stores.append(store)
    yield tuple(stores)
    for store in stores:
        store.close()


def _lesson_id(store) -> str:
    return store.lessons.all()[0].id


def _rel_id(store) -> str:
    return store.quadrangle.relationships()[0].id


def test_export_writes_manifest_and_records_with_their_uuids(mini_store, tmp_path):
    """The file names its format, version, analyst, database and checksum, and carries records by UUID."""
    out = tmp_path / "out.json"
    manifest = mini_store.exchange.export(out, app_version="9.9")
    assert manifest.exported_by == "tester" and manifest.app_version == "9.9"
    assert manifest.database_id == mini_store.exchange.database_id()
    assert dict(manifest.counts)["lessons"] == 1 and dict(manifest.counts)["assessment_versions"] == 2
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["manifest"]["format"] == "quadrangle-exchange"
    assert _lesson_id(mini_store) in data["payload"]["lessons"]
    assert set(data) == {"manifest", "payload"}


def test_export_leaves_out_trash_and_withholds_items_above_the_marking(mini_store, tmp_path):
    """Trashed lessons never leave; a RESTRICTED lesson is left out under max_marking UNCLASSIFIED and counted."""
    rel = _rel_id(mini_store)
    trashed = add_lesson(mini_store, rel, "gone")
    trash_lesson(mini_store, trashed)
    secret = add_lesson(mini_store, rel, "restricted finding", marking="RESTRICTED")
    manifest = mini_store.exchange.export(tmp_path / "u.json", max_marking="UNCLASSIFIED")
    preview = mini_store.exchange.preview(tmp_path / "u.json")
    ids = {item.id for item in preview.items}
    assert trashed not in ids and secret not in ids
    assert dict(manifest.withheld) == {"lessons": 1}
    full = mini_store.exchange.export(tmp_path / "all.json")
    ids = {item.id for item in mini_store.exchange.preview(tmp_path / "all.json").items}
    assert secret in ids and trashed not in ids and full.withheld == ()


def test_the_backup_an_import_takes_holds_the_database_as_it_was_just_before(pair, tmp_path):
    """The backup taken inside the import's transaction (planned once, under the write lock) is every
    row this database held before the import, and none of what the file brought."""
    alice, bob = pair
    add_lesson(alice, _rel_id(alice), "new from alice")
    alice.exchange.export(tmp_path / "a.json")
    before = snapshot(bob.location.path)
    result = bob.exchange.import_file(tmp_path / "a.json")
    assert result.inserted == 1
    assert snapshot(result.backup_path) == before
    assert "new from alice" in {lesson.finding for lesson in bob.lessons.all()}


def test_export_selection_of_relationships_and_date(default_store, tmp_path):
    """Only the chosen relationship's records (and what they refer to) leave; --since keeps only recent changes."""
    manifest = default_store.exchange.export(tmp_path / "uneu.json", relationships=["UN-EU"])
    preview = default_store.exchange.preview(tmp_path / "uneu.json")
    un_eu = default_store.quadrangle.find_relationship("UN-EU").id
    versions = preview.summary("assessment_versions").items
    assert versions and all(default_store.assessments.get(v.id).relationship_id == un_eu for v in versions)
    assert manifest.relationships == ("UN-EU",)
    recent = default_store.exchange.export(tmp_path / "recent.json", since=date.today())
    assert dict(recent.counts)["lessons"] == 0 and dict(recent.counts)["assessment_versions"] == 0
    with pytest.raises(ValidationError):
        default_store.exchange.export(tmp_path / "x.json", max_marking="NOPE")


def test_importing_the_same_file_twice_changes_nothing_the_second_time(pair, tmp_path):
    """A second import of one file writes nothing: every table is byte-for-byte what it was."""
    alice, bob = pair
    add_lesson(alice, _rel_id(alice), "new from alice")
    edit_lesson(alice, _lesson_id(alice), finding="alice's wording")
    alice.exchange.export(tmp_path / "a.json")
    first = bob.exchange.import_file(tmp_path / "a.json")
    assert first.inserted == 1 and first.updated == 1 and first.backup_path.exists()
    before = snapshot(bob.location.path)
    second = bob.exchange.import_file(tmp_path / "a.json")
    assert not second.changed and second.backup_path is None
    assert snapshot(bob.location.path) == before


def test_round_trip_a_to_b_and_b_to_a_gives_both_the_same_content(peers, tmp_path):
    """After diverging offline and exchanging both ways, both hold the same records, histories included."""
    from db import AssessmentInput, Confidence, MotiveAssessment, Phase
    from db.vocabulary import MOTIVE_ORDER

    alice, bob = peers
    rel = _rel_id(alice)
    motives = tuple(MotiveAssessment(m, 1, "why") for m in MOTIVE_ORDER)
    alice.assessments.save(
        AssessmentInput(rel, date(2020, 1, 1), (Phase.MAINTENANCE,), Confidence.HIGH, "alice says", motives)
    )
    bob.assessments.save(
        AssessmentInput(rel, date(2021, 1, 1), (Phase.MAINTENANCE,), Confidence.LOW, "bob says", motives)
    )
    add_lesson(alice, rel, "alice's lesson")
    add_lesson(bob, rel, "bob's lesson")
    edit_lesson(bob, _lesson_id(bob), recommendation="bob's recommendation")

    alice.exchange.export(tmp_path / "a.json")
    bob.exchange.import_file(tmp_path / "a.json")
    bob.exchange.export(tmp_path / "b.json")
    result = alice.exchange.import_file(tmp_path / "b.json")
    assert result.updated == 1  # bob's edit of the shared lesson, edited only on his side

    assert content(alice) == content(bob)
    history = alice.assessments.history(rel)
    assert [v.recorded_by for v in history][-2:] == ["alice", "bob"]
    assert {v.summary for v in bob.assessments.history(rel)} >= {"alice says", "bob says"}


def test_an_edit_made_only_on_their_side_is_taken_and_one_made_only_here_is_kept(peers, tmp_path):
    """Without a conflict no question is asked: their lone edit arrives, my lone edit stays."""
    alice, bob = peers
    shared = _lesson_id(alice)
    alice.exchange.export(tmp_path / "a0.json")
    bob.exchange.import_file(tmp_path / "a0.json")  # they now agree on the lesson
    edit_lesson(bob, shared, finding="bob's edit")
    alice.exchange.export(tmp_path / "a1.json")  # alice has not changed it
    preview = bob.exchange.preview(tmp_path / "a1.json")
    item = next(i for i in preview.items if i.id == shared)
    assert item.status == ItemStatus.DIFFERENT and item.action == ItemAction.KEEP_MINE
    bob.exchange.import_file(tmp_path / "a1.json")
    assert bob.lessons.all()[0].finding == "bob's edit"

    bob.exchange.export(tmp_path / "b1.json")
    preview = alice.exchange.preview(tmp_path / "b1.json")
    assert next(i for i in preview.items if i.id == shared).action == ItemAction.TAKE_THEIRS
    alice.exchange.import_file(tmp_path / "b1.json")
    assert alice.lessons.all()[0].finding == "bob's edit"


def _conflict(pair, tmp_path):
    alice, bob = pair
    shared = _lesson_id(alice)
    alice.exchange.export(tmp_path / "a0.json")
    bob.exchange.import_file(tmp_path / "a0.json")
    edit_lesson(alice, shared, finding="alice's finding", recommendation="alice's advice")
    edit_lesson(bob, shared, finding="bob's finding")
    alice.exchange.export(tmp_path / "a1.json")
    return alice, bob, shared


def test_a_lesson_edited_on_both_sides_is_shown_field_by_field(peers, tmp_path):
    """The preview marks the conflict and shows theirs and mine for each differing field."""
    alice, bob, shared = _conflict(peers, tmp_path)
    preview = bob.exchange.preview(tmp_path / "a1.json")
    assert [c.id for c in preview.conflicts] == [shared]
    conflict = preview.conflicts[0]
    assert conflict.can_keep_both
    fields = {d.field: (d.theirs, d.mine) for d in conflict.differences}
    assert fields == {"finding": ("alice's finding", "bob's finding"), "recommendation": ("alice's advice", "r")}
    lessons = preview.summary("lessons")
    assert (lessons.new, lessons.identical, lessons.different) == (0, 0, 1)


def test_a_conflict_without_a_choice_is_refused_and_nothing_is_written(pair, tmp_path):
    """Importing with an unresolved conflict raises and leaves the database untouched."""
    alice, bob, shared = _conflict(pair, tmp_path)
    before = snapshot(bob.location.path)
    with pytest.raises(ValidationError, match="edited on both sides"):
        bob.exchange.import_file(tmp_path / "a1.json")
    assert snapshot(bob.location.path) == before


@pytest.mark.parametrize("choice", list(ExchangeChoice))
def test_each_conflict_choice_gives_the_expected_lessons(pair, tmp_path, choice):
    """Theirs replaces mine, mine keeps mine, both keeps mine and adds theirs as a copy with a new UUID."""
    alice, bob, shared = _conflict(pair, tmp_path)
    result = bob.exchange.import_file(tmp_path / "a1.json", {shared: choice})
    lessons = {lesson.id: lesson for lesson in bob.lessons.all()}
    if choice == ExchangeChoice.THEIRS:
        assert [lesson.finding for lesson in lessons.values()] == ["alice's finding"] and result.updated == 1
    elif choice == ExchangeChoice.MINE:
        assert [lesson.finding for lesson in lessons.values()] == ["bob's finding"] and not result.changed
    else:
        assert lessons[shared].finding == "bob's finding" and result.copied == 1
        (copy,) = [lesson for lesson in lessons.values() if lesson.id != shared]
        assert copy.finding == "alice's finding" and copy.relationship_ids == lessons[shared].relationship_ids
    # the choice is remembered: importing the same file again asks nothing and changes nothing
    before = snapshot(bob.location.path)
    assert not bob.exchange.import_file(tmp_path / "a1.json").changed
    assert snapshot(bob.location.path) == before
    # and when Bob sends his result back, Alice takes it without a question: both now agree
    bob.exchange.export(tmp_path / "b1.json")
    assert alice.exchange.preview(tmp_path / "b1.json").conflicts == ()
    alice.exchange.import_file(tmp_path / "b1.json")
    assert content(alice) == content(bob)


def test_imported_versions_keep_their_author_dates_and_the_audit_names_the_file(pair, tmp_path):
    """A version from the file keeps its analyst and timestamps; the audit log says which file and analyst."""
    from db import AssessmentInput, Confidence, MotiveAssessment, Phase
    from db.vocabulary import MOTIVE_ORDER

    alice, bob = pair
    rel = _rel_id(alice)
    saved = alice.assessments.save(
        AssessmentInput(
            rel,
            date(2020, 1, 1),
            (Phase.MAINTENANCE,),
            Confidence.HIGH,
            "s",
            tuple(MotiveAssessment(m, 0) for m in MOTIVE_ORDER),
        )
    )
    alice.exchange.export(tmp_path / "a.json")
    bob.exchange.import_file(tmp_path / "a.json")
    arrived = bob.assessments.get(saved.id)
    assert (arrived.recorded_by, arrived.recorded_at, arrived.summary) == ("alice", saved.recorded_at, "s")
    connection = sqlite3.connect(bob.location.path)
    rows = connection.execute("SELECT actor, origin FROM audit_log WHERE entity_id=?", (saved.id,)).fetchall()
    connection.close()
    assert rows == [("bob", "a.json from alice")]


def test_hostile_text_is_stored_literally(peers, tmp_path):
    """Markup, control characters, right-to-left marks and long text survive the trip unchanged."""
    alice, bob = peers
    # As long as the editor allows (20,000 characters): a longer finding is refused (test_exchange_rules.py).
    hostile = '<img src="/etc/passwd"><b>bold</b> \x07\x1b[31m \u202eevil\u202c ' + "ل" * 50 + "x" * 19_000
    lesson = add_lesson(alice, _rel_id(alice), hostile, recommendation="<script>alert(1)</script>\r\n\t")
    alice.exchange.export(tmp_path / "a.json")
    bob.exchange.import_file(tmp_path / "a.json")
    stored = next(x for x in bob.lessons.all() if x.id == lesson)
    assert stored.finding == hostile and stored.recommendation == "<script>alert(1)</script>\r\n\t"


def test_a_new_lesson_whose_key_is_taken_here_arrives_with_a_suffix(peers, tmp_path):
    """Two analysts who each gave a new lesson the key "kosovo" both keep theirs; the arrival is renamed."""
    alice, bob = peers
    theirs = add_lesson(alice, _rel_id(alice), "alice's kosovo lesson")
    mine = add_lesson(bob, _rel_id(bob), "bob's kosovo lesson")
    edit_lesson(alice, theirs, key="kosovo")
    edit_lesson(bob, mine, key="kosovo")
    alice.exchange.export(tmp_path / "a.json")
    item = next(i for i in bob.exchange.preview(tmp_path / "a.json").items if i.id == theirs)
    assert "arrives with a suffix" in item.note
    bob.exchange.import_file(tmp_path / "a.json")
    keys = {lesson.id: lesson.key for lesson in bob.lessons.all()}
    assert keys[mine] == "kosovo" and keys[theirs] == "kosovo-2"
    assert not bob.exchange.import_file(tmp_path / "a.json").changed


def test_a_record_that_does_not_fit_the_format_stops_the_export_before_writing(mini_store, tmp_path):
    """An over-long finding is named in a one-line ValidationError; no file is written."""
    edit_lesson(mini_store, _lesson_id(mini_store), finding="x" * 100_001)
    with pytest.raises(ValidationError, match="cannot be exchanged") as caught:
        mini_store.exchange.export(tmp_path / "out.json")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out.json").exists() and not list(tmp_path.glob(".out.json*"))


def test_a_version_restoring_another_travels_with_it(peers, tmp_path):
    """A restored version's source comes along even outside the date range, so the history stays whole."""
    from db import AssessmentInput, Confidence, MotiveAssessment
    from db.vocabulary import MOTIVE_ORDER

    alice, bob = peers
    rel = _rel_id(alice)
    first = alice.assessments.history(rel)[0]
    restored = alice.assessments.save(
        AssessmentInput(
            rel,
            date(2024, 1, 1),
            first.phases,
            Confidence.LOW,
            "restored",
            tuple(MotiveAssessment(m, 0) for m in MOTIVE_ORDER),
            reversal_rationale="back",
        ),
        restored_from_id=first.id,
    )
    alice.exchange.export(tmp_path / "a.json", since=date.today())
    ids = {i.id for i in bob.exchange.preview(tmp_path / "a.json").summary("assessment_versions").items}
    assert ids == {restored.id, first.id}
    bob.exchange.import_file(tmp_path / "a.json")
    assert bob.assessments.get(restored.id).restored_from_id == first.id


def test_what_was_sent_counts_as_agreed_once_the_peer_says_it_imported_it(peers, tmp_path):
    """Bob's export records what he sent; when Alice's next file acknowledges it, her later edit is taken
    without a question (without that baseline it would look like an edit on both sides)."""
    alice, bob = peers
    shared = _lesson_id(alice)
    edit_lesson(bob, shared, finding="bob's edit")
    bob.exchange.export(tmp_path / "b.json")
    alice.exchange.import_file(tmp_path / "b.json")
    edit_lesson(alice, shared, finding="alice builds on bob's edit")
    alice.exchange.export(tmp_path / "a.json")
    item = next(i for i in bob.exchange.preview(tmp_path / "a.json").items if i.id == shared)
    assert item.action == ItemAction.TAKE_THEIRS
    bob.exchange.import_file(tmp_path / "a.json")
    assert bob.lessons.all()[0].finding == "alice builds on bob's edit"


def test_an_import_announces_what_changed(peers, tmp_path):
    """Subscribers hear "exchange" and the kinds that changed, after the commit; a no-op announces nothing."""
    alice, bob = peers
    add_lesson(alice, _rel_id(alice), "new")
    alice.exchange.export(tmp_path / "a.json")
    heard = []
    bob.subscribe(lambda event: heard.append(event.kind))
    bob.exchange.import_file(tmp_path / "a.json")
    assert heard == ["exchange", "lessons"]
    heard.clear()
    bob.exchange.import_file(tmp_path / "a.json")
    assert heard == []


def test_a_read_only_database_previews_but_does_not_import(pair, tmp_path):
    """Opened read-only, the store can show what a file holds but refuses to import it, writing nothing."""
    from db import StorageError

    alice, bob = pair
    add_lesson(alice, _rel_id(alice), "new")
    alice.exchange.export(tmp_path / "a.json")
    path = bob.location.path
    bob.close()
    before = snapshot(path)
    with Store.open(path, read_only=True) as reader:
        assert reader.exchange.preview(tmp_path / "a.json").summary("lessons").new == 1
        with pytest.raises(StorageError, match="read-only"):
            reader.exchange.import_file(tmp_path / "a.json")
    assert snapshot(path) == before


def test_an_older_file_from_the_same_database_does_not_bring_back_the_past(peers, tmp_path):
    """Files opened out of order: after Alice's newer file, her older one changes no lesson back
    (its new items would still arrive)."""
    alice, bob = peers
    shared = _lesson_id(alice)
    edit_lesson(alice, shared, finding="first edit")
    alice.exchange.export(tmp_path / "old.json")
    edit_lesson(alice, shared, finding="second edit")
    alice.exchange.export(tmp_path / "new.json")
    bob.exchange.import_file(tmp_path / "new.json")
    item = next(i for i in bob.exchange.preview(tmp_path / "old.json").items if i.id == shared)
    assert item.action == ItemAction.KEEP_MINE and "older" in item.note
    bob.exchange.import_file(tmp_path / "old.json")
    assert bob.lessons.all()[0].finding == "second edit"


def _exported_lessons(path) -> dict:
    import json

    return json.loads(path.read_text(encoding="utf-8"))["payload"]["lessons"]


def test_export_selection_of_some_operations_lessons(default_store, tmp_path):
    """Choosing operations sends exactly their lessons (and what they cite), without the assessments."""
    eupm = next(o for o in default_store.operations.all() if o.acronym == "EUPM")
    expected = {lesson.id for lesson in default_store.lessons.all() if lesson.operation_id == eupm.id}
    manifest = default_store.exchange.export(tmp_path / "eupm.json", operations=["eupm"])
    assert expected and set(_exported_lessons(tmp_path / "eupm.json")) == expected
    assert dict(manifest.counts)["assessment_versions"] == 0
    both = default_store.exchange.export(tmp_path / "both.json", operations=["EUPM"], relationships=["NATO-AU"])
    assert dict(both.counts)["lessons"] == 0  # no EUPM lesson is about NATO–AU
    with pytest.raises(ValidationError, match="No operation"):
        default_store.exchange.export(tmp_path / "x.json", operations=["NOSUCH"])


def test_export_date_range_has_an_inclusive_end(default_store, tmp_path):
    """`until` leaves out what was recorded after that day; a reversed range is refused."""
    from datetime import timedelta

    un_eu = default_store.quadrangle.find_relationship("UN-EU").id
    lesson_id = add_lesson(default_store, un_eu, "Recorded today.")
    today = date.today()
    default_store.exchange.export(tmp_path / "today.json", since=today, until=today)
    assert set(_exported_lessons(tmp_path / "today.json")) == {lesson_id}
    default_store.exchange.export(tmp_path / "before.json", until=today - timedelta(days=1))
    assert lesson_id not in _exported_lessons(tmp_path / "before.json")
    assert len(_exported_lessons(tmp_path / "before.json")) == len(default_store.lessons.all()) - 1
    with pytest.raises(ValidationError, match="before its start"):
        default_store.exchange.export(tmp_path / "x.json", since=today, until=today - timedelta(days=1))
