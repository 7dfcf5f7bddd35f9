"""Lessons by operation and date: the newest lesson drawn from each operation in one index seek (its
last confirmation as an ongoing operation, counted on every change the window sees).

Revision ID: 0010_lesson_ops
Revises: 0009_mandates
"""

from __future__ import annotations

from alembic import op

revision = "0010_lesson_ops"
down_revision = "0009_mandates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_lessons_operation_newest", "lessons", ["operation_id", "deleted_at", "recorded_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_lessons_operation_newest", table_name="lessons")
