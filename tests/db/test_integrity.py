"""The full check reports each kind of problem in words; the safe repair backs up first and is idempotent."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from db import StorageError, Store
from tests.db.safety_helpers import checkpoint, corrupt, draft

pytestmark = (
    pytest.mark.sqlite_only
)  # SQLite's own checks of the file; a server is checked and backed up by its own tools


def _raw(store: Store) -> sqlite3.Connection:
    connection = sqlite3.connect(store.location.path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("PRAGMA ignore_check_constraints=ON")
    return connection


def test_a_sound_database_has_no_problems(default_store):
    """The seeded default dataset passes every check."""
    assert default_store.safety.check() == []
    assert Store.check_database(default_store.location.path) == []


def test_app_rules_are_reported_in_words(mini_store):
    """A self-linked relationship, an unknown phase and a citation without its source are each named."""
    rel = mini_store.quadrangle.relationships()[0]
    version = mini_store.assessments.save(draft(rel.id, 1))
    with _raw(mini_store) as c:
        org = rel.organization_ids[0]
        c.execute(
            "INSERT INTO relationships (id, org_a_id, org_b_id, position, created_at) VALUES (?, ?, ?, 9, '2020-01-01')",
            (str(uuid.uuid4()), org, org),
        )
        c.execute("UPDATE assessment_versions SET phase = 'dormant' WHERE id = ?", (version.id,))
        c.execute(
            "INSERT INTO citations (id, source_id, locator, quote, position, assessment_version_id) "
            "VALUES (?, ?, '', '', 0, ?)",
            (str(uuid.uuid4()), str(uuid.uuid4()), version.id),
        )
    messages = [p.message for p in mini_store.safety.check()]
    assert any("links an organization to itself" in m for m in messages)
    assert any("unknown phase 'dormant'" in m for m in messages)
    assert any("cites a source that does not exist" in m for m in messages)
    assert all("\n" not in m for m in messages)


def test_repair_removes_orphans_after_a_backup_and_is_idempotent(mini_store):
    """Citations and motives whose assessment is gone are removed after a backup; a second repair does nothing."""
    rel = mini_store.quadrangle.relationships()[0]
    version = mini_store.assessments.save(draft(rel.id, 1))
    with _raw(mini_store) as c:
        c.execute("DELETE FROM assessment_versions WHERE id = ?", (version.id,))  # cascade is off: orphans stay
        c.execute(
            "UPDATE assessment_versions SET phase = 'dormant' WHERE rowid = (SELECT min(rowid) FROM assessment_versions)"
        )
    problems = mini_store.safety.check()
    assert any(p.kind == "orphan" and "no longer exists" in p.message for p in problems)
    result = mini_store.safety.repair()
    assert result.backup is not None and result.backup.exists()
    assert any("Removed" in line for line in result.done)
    assert [p.kind for p in result.remaining] == ["phase"]  # not safe to guess a phase: left for a person
    again = mini_store.safety.repair()
    assert again.backup is None and again.done == () and [p.kind for p in again.remaining] == ["phase"]


def test_a_damaged_search_index_is_found_and_rebuilt(mini_store):
    """An FTS5 index out of step with its table is reported and rebuilt by the repair."""
    # Quadrangle's own index: a foreign FTS table would be reported as not Quadrangle's (test_known_schema.py).
    with _raw(mini_store) as c:
        c.execute(
            "UPDATE lesson_search_content SET c1 = 'changed behind the index' "
            "WHERE id = (SELECT min(id) FROM lesson_search_content)"
        )
    problems = mini_store.safety.check()
    assert [p.kind for p in problems] == ["search-index"]
    assert "lesson_search does not match" in problems[0].message
    assert mini_store.safety.repair().remaining == ()
    assert mini_store.safety.check() == []


def test_a_damaged_file_is_reported_and_not_repaired(mini_store):
    """Page-level damage is reported as such, and the repair refuses and points to a backup."""
    checkpoint(mini_store.location.path)
    corrupt(mini_store.location.path)
    problems = mini_store.safety.check()
    assert problems and all(p.kind in ("damaged",) for p in problems)
    with pytest.raises(StorageError, match="restore a backup"):
        mini_store.safety.repair()


def test_invalid_utf8_text_is_reported(mini_store):
    """Text that cannot be decoded (it would break every screen showing it) is named with its table."""
    with _raw(mini_store) as c:
        c.execute(
            "UPDATE lessons SET finding = CAST(x'ff fe 41' AS TEXT) WHERE rowid = (SELECT min(rowid) FROM lessons)".replace(
                " fe ", "fe"
            )
        )
    assert any(p.kind == "text" and "A lesson" in p.message for p in mini_store.safety.check())
