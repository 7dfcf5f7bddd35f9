"""Two analysts on one database: a save that would overwrite a colleague's is caught (optimistic
locking), the loser gets the saved version to choose from, and the audit log names each analyst."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from sqlalchemy import event, text

from db import ConflictError, LessonInput, Store


def _lesson(store: Store):
    return store.lessons.all()[0]


def _audit(store: Store) -> list[tuple[str, str]]:
    with store.database.read() as s:
        return [
            tuple(r)
            for r in s.execute(text("SELECT actor, action FROM audit_log WHERE entity_kind = 'lesson' ORDER BY at"))
        ]


@pytest.mark.postgres
def test_second_save_of_the_same_lesson_is_a_conflict(pg_database):
    """Alice and Bob open the same lesson; Alice saves first, so Bob's save is refused with Alice's version.
    (An SQLite file takes one writer at a time: its lock refuses a second one, see test_safety_storage.)"""
    target = pg_database("mini")
    with Store.open(target, actor="alice") as alice, Store.open(target, actor="bob") as bob:
        seen_by_alice, seen_by_bob = _lesson(alice), _lesson(bob)
        assert seen_by_alice == seen_by_bob
        draft = LessonInput.from_record(seen_by_alice)
        alice.lessons.update(seen_by_alice.id, replace(draft, finding="Alice's reading."), seen_by_alice.revision)
        with pytest.raises(ConflictError) as caught:
            bob.lessons.update(seen_by_bob.id, replace(draft, finding="Bob's reading."), seen_by_bob.revision)
        assert str(caught.value).startswith("alice saved this record since you opened it")
        assert caught.value.current.finding == "Alice's reading."
        assert _lesson(bob).finding == "Alice's reading."
        # Bob chooses: he applies his text on top of the version he was shown.
        bob.lessons.update(seen_by_bob.id, replace(draft, finding="Bob's reading."), caught.value.current.revision)
        assert _lesson(alice).finding == "Bob's reading."
        assert _audit(alice) == [("alice", "edit"), ("bob", "edit")]


@pytest.mark.postgres
def test_truly_concurrent_saves_on_a_server_are_caught(pg_server, pg_database):
    """Bob's save runs while Alice's transaction is still open on the server: it waits for her row lock,
    then finds the revision moved on and raises ConflictError naming Alice, whose text stays."""
    url = pg_database("mini")
    with Store.open(url, actor="alice") as alice, Store.open(url, actor="bob") as bob:
        original = _lesson(alice)
        draft = LessonInput.from_record(original)
        outcome: dict[str, object] = {}

        def bob_saves() -> None:
            try:
                bob.lessons.update(original.id, replace(draft, finding="Bob's reading."), original.revision)
                outcome["result"] = "saved"
            except ConflictError as exc:
                outcome["result"] = exc

        bob_thread = threading.Thread(target=bob_saves)

        def before_alice_commits(connection) -> None:
            # Alice holds the row lock now: start Bob and let Alice commit only once he waits for it.
            bob_thread.start()
            _wait_for_lock_wait(pg_server, database=url.rsplit("/", 1)[1])

        event.listen(alice.database.engine, "commit", before_alice_commits, once=True)
        alice.lessons.update(original.id, replace(draft, finding="Alice's reading."), original.revision)
        bob_thread.join(timeout=30)
        assert not bob_thread.is_alive()
        conflict = outcome["result"]
        assert isinstance(conflict, ConflictError), conflict
        assert str(conflict).startswith("alice saved this record")
        assert conflict.current.finding == "Alice's reading." and conflict.current.revision == original.revision + 1
        assert _lesson(bob).finding == "Alice's reading."
        assert _audit(bob) == [("alice", "edit")]


def _wait_for_lock_wait(server, database: str, timeout_s: float = 20.0) -> None:
    """Return once a backend of `database` waits for a lock; fail after `timeout_s`."""
    import psycopg

    deadline = time.monotonic() + timeout_s
    with psycopg.connect(
        host=server.host, port=server.port, user="quadrangle", dbname="postgres", autocommit=True
    ) as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", (database,)
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.02)  # polling the server's own view; there is no signal to await across processes
    pytest.fail("Bob's save never waited for Alice's row lock")
