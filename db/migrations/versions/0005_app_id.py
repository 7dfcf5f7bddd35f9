"""Mark the file as Quadrangle's: SQLite's application_id becomes 0x51554144 ("QUAD").

Older Quadrangle databases are recognised by their alembic_version revision (db/identify.py); from this
revision on, the header says it (offset 68), so a file is identified before anything can write to it.

Revision ID: 0005_app_id
Revises: 0004_exchange
"""

from __future__ import annotations

from alembic import op

revision = "0005_app_id"
down_revision = "0004_exchange"
branch_labels = None
depends_on = None

# Frozen here (migrations never import live code): db.identify.QUADRANGLE_APPLICATION_ID at this revision.
QUADRANGLE_APPLICATION_ID = 0x51554144


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Transactional like user_version: it commits with the revision bump or not at all.
        op.execute(f"PRAGMA application_id = {QUADRANGLE_APPLICATION_ID}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA application_id = 0")
