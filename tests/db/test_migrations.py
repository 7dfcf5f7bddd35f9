"""Migrations build exactly the models' schema, and a database from a newer Quadrangle is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from db import SchemaTooNewError, Store
from db.migrate import KNOWN_REVISIONS, alembic_config, include_name
from db.models import Base


def test_migrations_leave_no_difference_from_the_models(mini_db_path):
    """Autogenerate finds nothing to add or drop after upgrading to head."""
    engine = create_engine(f"sqlite:///{mini_db_path}")
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": include_name, "compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_known_revisions_match_the_migration_scripts():
    """The start-up check (no Alembic import) knows every revision Alembic has, in order, with one head."""
    scripts = ScriptDirectory.from_config(alembic_config())
    assert len(scripts.get_heads()) == 1
    chain = [rev.revision for rev in scripts.walk_revisions()][::-1]
    assert tuple(chain) == KNOWN_REVISIONS


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_from_a_newer_version_is_refused_and_not_modified(mini_db_path):
    """Opening fails with a one-line message naming the problem; the file's bytes stay the same."""
    connection = sqlite3.connect(mini_db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    before = _digest(mini_db_path)
    with pytest.raises(SchemaTooNewError) as caught:
        Store.open(mini_db_path)
    message = str(caught.value)
    assert "newer version of Quadrangle" in message and "\n" not in message
    assert _digest(mini_db_path) == before


def test_an_existing_database_at_head_is_opened_without_migrating(mini_db_path):
    """Reopening runs no migration: the before_migration hook is not called."""
    calls = []
    Store.open(mini_db_path, before_migration=lambda location, revision: calls.append(revision)).close()
    assert calls == []


def test_an_old_database_is_migrated_after_the_hook_ran(tmp_path):
    """A database without Quadrangle tables (revision None) gets the hook, then the full schema."""
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    calls = []
    with Store.open(path, before_migration=lambda location, revision: calls.append(revision)) as store:
        assert len(store.quadrangle.relationships()) == 6
    assert calls == [None]
