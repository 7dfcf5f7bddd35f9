"""Full-text search over lessons: an FTS5 table `lesson_search` (SQLite only), filled from the lessons,
and the index `ix_lessons_browse` (deleted_at, recorded_on, id) behind browsing and counting.

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
# The theme overview's counts (lessons not in the trash per theme and relationship; relationship ''
# holds the distinct lessons per theme), kept with the search index so the overview reads 60 rows.
CREATE_OVERVIEW = (
    "CREATE TABLE lesson_search_overview (theme_id VARCHAR(36) NOT NULL, relationship_id VARCHAR(36) NOT NULL, "
    "lessons INTEGER NOT NULL, PRIMARY KEY (theme_id, relationship_id))"
)
FILL_OVERVIEW = (
    "INSERT INTO lesson_search_overview (theme_id, relationship_id, lessons) "
    "SELECT t.theme_id, r.relationship_id, count(*) FROM lesson_themes t "
    "JOIN lesson_relationships r ON r.lesson_id = t.lesson_id JOIN lessons l ON l.id = t.lesson_id "
    "WHERE l.deleted_at IS NULL GROUP BY t.theme_id, r.relationship_id "
    "UNION ALL SELECT t.theme_id, '', count(*) FROM lesson_themes t JOIN lessons l ON l.id = t.lesson_id "
    "WHERE l.deleted_at IS NULL GROUP BY t.theme_id"
)
def upgrade() -> None:
    op.create_index("ix_lessons_browse", "lessons", ["deleted_at", "recorded_on", "id"], unique=False)
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(CREATE_TABLE)
    op.execute(INSERT_ROW)
    op.execute(CREATE_OVERVIEW)
    op.execute(FILL_OVERVIEW)


def downgrade() -> None:
    op.drop_index("ix_lessons_browse", table_name="lessons")
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS lesson_search_overview")
    op.execute("DROP TABLE IF EXISTS lesson_search")
