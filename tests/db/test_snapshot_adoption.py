"""A store given the start-up snapshot it was painted from answers today's state from it while the
database matches, and does not rewrite it on closing (issue 22)."""

from __future__ import annotations

from datetime import date

import pytest

from db import Store, read_startup_snapshot_with_fingerprint

pytestmark = pytest.mark.sqlite_only


def test_closing_rewrites_no_snapshot_that_still_holds(mini_db_path, monkeypatch):
    Store.open(mini_db_path, backup_on_open=False).close()
    found = read_startup_snapshot_with_fingerprint(mini_db_path)
    assert found is not None
    store = Store.open(mini_db_path, backup_on_open=False)
    store.adopt_startup_snapshot(*found)
    assert store.quadrangle.state_as_of(date.today()) is found[0]
    assert store.database.lesson_index._fingerprint is None
    writes = []
    real_write = store.database.write
    monkeypatch.setattr(store.database, "write", lambda: writes.append(1) or real_write())
    store.close()
    assert writes == []
    assert read_startup_snapshot_with_fingerprint(mini_db_path) is not None


def test_a_change_ends_the_trust_and_closing_saves_a_new_snapshot(mini_db_path):
    Store.open(mini_db_path, backup_on_open=False).close()
    found = read_startup_snapshot_with_fingerprint(mini_db_path)
    assert found is not None
    with Store.open(mini_db_path, backup_on_open=False) as store:
        store.adopt_startup_snapshot(*found)
        organization = store.quadrangle.organizations()[0]
        store.quadrangle.set_layout({organization.id: (5.0, 6.0)})
        state = store.quadrangle.state_as_of(date.today())
        assert state is not found[0]
        assert next(o for o in state.organizations if o.id == organization.id).layout_x == 5.0
    again = read_startup_snapshot_with_fingerprint(mini_db_path)
    assert again is not None and again[1] != found[1]
    assert next(o for o in again[0].organizations if o.id == organization.id).layout_x == 5.0
