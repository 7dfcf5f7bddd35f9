"""The exchange migration builds exactly the exchange_baselines table the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from db.migrate import HEAD_REVISION, KNOWN_REVISIONS
from db.models import Base


def test_migrated_database_matches_the_models(mini_db_path):
    """Autogenerate finds nothing to change between the migrated file and the models."""
    assert "0004_exchange" in KNOWN_REVISIONS
    engine = create_engine(f"sqlite:///{mini_db_path}")
    try:
        with engine.connect() as connection:
            # As db/migrations/env.py does: full-text tables (and their shadow tables) are made by hand.
            context = MigrationContext.configure(connection, opts={
                "compare_type": True,
                "include_name": lambda name, type_, _parents: not (type_ == "table" and name.startswith("lesson_search")),
            })
            assert compare_metadata(context, Base.metadata) == []
            assert context.get_current_revision() == HEAD_REVISION
    finally:
        engine.dispose()
