"""Full-text search over lessons: an FTS5 table `lesson_search` (SQLite only), filled from the lessons.

Each row holds one lesson's finding, recommendation and the quotes of its citations; its rowid is the
lesson's rowid, and `lesson_id` is kept too so a search never depends on rowids alone. PostgreSQL gets
its own index in its own revision.

Revision ID: 0002_lesson_search
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002_lesson_search"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copy of the DDL as of this revision (migrations never import the live code).
CREATE_TABLE = (
    "CREATE VIRTUAL TABLE lesson_search USING fts5("
    "lesson_id UNINDEXED, finding, recommendation, quotes, "
    "tokenize='unicode61 remove_diacritics 2')"
)
ROW_OF = (
    "SELECT l.rowid, l.id, l.finding, l.recommendation, "
    "coalesce((SELECT group_concat(c.quote, ' ') FROM citations c WHERE c.lesson_id = l.id), '') "
    "FROM lessons l"
)
INSERT_ROW = "INSERT INTO lesson_search(rowid, lesson_id, finding, recommendation, quotes) " + ROW_OF
def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(CREATE_TABLE)
    op.execute(INSERT_ROW)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS lesson_search")
