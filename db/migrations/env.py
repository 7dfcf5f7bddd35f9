"""Alembic environment: runs on the connection the app hands over in `config.attributes`.

No `fileConfig` here: it would disable the application's loggers (TECH-NOTES).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from db.migrate import include_name
from db.models import Base


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Quadrangle migrations run from code: pass a connection in config.attributes")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            # Foreign keys are off during the migration; prove nothing was orphaned before committing.
            problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise RuntimeError(f"migration left {len(problems)} broken references; rolled back")


run_migrations()
