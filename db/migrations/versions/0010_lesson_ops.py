"""Lessons by operation and date, and by marking and date: the newest lesson drawn from each operation
(its last confirmation as an ongoing operation) and the markings of the lessons recorded by a date
(the window's banner) each in one index seek, where both read every lesson before.

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
    op.create_index("ix_lessons_marking_dates", "lessons", ["marking", "deleted_at", "recorded_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lessons_marking_dates", table_name="lessons")
    op.drop_index("ix_lessons_operation_newest", table_name="lessons")
