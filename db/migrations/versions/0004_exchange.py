"""Exchange baselines: what this database and each peer last agreed an in-place record held.

Revision ID: 0004_exchange
Revises: 0003_pg_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_exchange"
down_revision = "0003_pg_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_baselines",
        sa.Column("peer_id", sa.String(length=36), nullable=False),
        sa.Column("entity_kind", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("agreed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", "entity_kind", "entity_id", name=op.f("pk_exchange_baselines")),
    )


def downgrade() -> None:
    op.drop_table("exchange_baselines")
