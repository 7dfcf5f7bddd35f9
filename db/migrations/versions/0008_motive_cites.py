"""Citations per motive: an assessment version's citation may support one motive's rationale.

A nullable `motive` column on `citations`; every existing citation keeps NULL, i.e. it stays a
citation of the whole assessment, so nothing is lost or re-attributed.

Revision ID: 0008_motive_cites
Revises: 0007_founded
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_motive_cites"
down_revision = "0007_founded"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("citations") as batch:
        batch.add_column(sa.Column("motive", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # Going back folds each motive's citations into the whole assessment's (the rows stay).
    with op.batch_alter_table("citations") as batch:
        batch.drop_column("motive")
