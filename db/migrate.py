"""Bringing a database to the schema this version knows, and refusing one from a newer version.

The common case (already at head) is answered from `alembic_version` without importing Alembic,
which costs over half a second at start-up (TECH-NOTES). SQLAlchemy is imported only by the functions
that need it, so `KNOWN_REVISIONS` costs nothing to a command answered without it (db/snapshot.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from db.errors import SchemaTooNewError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# Every revision this version of Quadrangle knows, oldest first; a test keeps it equal to Alembic's.
# Keep ids short: the backup before a migration is named "before migration from <revision>" in 40
# characters (tests/db/test_backup.py).
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002_lesson_search",
    "0003_pg_search",
    "0004_exchange",
    "0005_app_id",
    "0006_references",
    "0007_founded",
    "0008_motive_cites",
    "0009_mandates",
    "0010_lesson_ops",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
MIGRATIONS_FOLDER = Path(__file__).resolve().parent / "migrations"


# Virtual full-text tables and their shadow tables are created by hand in migrations; autogenerate
# must not propose dropping them.
FULL_TEXT_PREFIXES = ("lesson_search",)


def include_name(name, type_, parent_names) -> bool:
    """Alembic autogenerate filter: leave full-text tables alone."""
    return not (type_ == "table" and name and name.startswith(FULL_TEXT_PREFIXES))


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, or None for a database without Quadrangle tables."""
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    return config


def check_revision(revision: str | None, display: str) -> None:
    """Raise SchemaTooNewError when the database was written by a newer Quadrangle."""
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise SchemaTooNewError(
            f"{display} was written by a newer version of Quadrangle (schema {revision}); "
            "it was not changed. Install the newer version to open it."
        )


def upgrade_to_head(
    engine: Engine, display: str, *, before_upgrade: Callable[[str | None], None] | None = None
) -> bool:
    """Migrate the database to head; True when anything was run.

    `before_upgrade(revision)` runs first when a migration is needed (the store takes its backup
    there). On SQLite, foreign keys are switched off around the migration so batch mode's table
    rebuilds cannot cascade deletes, and `foreign_key_check` must pass before the commit.
    """
    with engine.connect() as connection:
        revision = current_revision(connection)
        connection.rollback()
        check_revision(revision, display)
        if revision == HEAD_REVISION:
            return False
        if before_upgrade is not None:
            before_upgrade(revision)
        from alembic import command

        config = alembic_config()
        if engine.dialect.name == "sqlite":
            # Straight to the driver: a pragma sent through SQLAlchemy would sit inside its transaction,
            # where SQLite ignores it. An open connection always has its driver connection.
            driver = connection.connection.dbapi_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys=OFF")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
    return True
