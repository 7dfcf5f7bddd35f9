"""Operations' mandate history: each change of an operation's mandate with the day it took effect, so
"newer evidence" can count a mandate changed after an assessment.

Revision ID: 0009_mandates
Revises: 0008_motive_cites
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_mandates"
down_revision = "0008_motive_cites"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operation_mandate_changes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("old_mandate", sa.String(length=300), nullable=False),
        sa.Column("new_mandate", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_operation_mandate_changes_operation_id_operations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_mandate_changes")),
    )
    op.create_index(
        op.f("ix_operation_mandate_changes_operation_id"), "operation_mandate_changes", ["operation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_operation_mandate_changes_operation_id"), table_name="operation_mandate_changes")
    op.drop_table("operation_mandate_changes")
