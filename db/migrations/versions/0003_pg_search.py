"""PostgreSQL only: the lesson search index (a weighted tsvector per lesson in `lesson_search`, a GIN
index, and triggers that keep it current for every writer), and the relationship pair CHECK compared
byte-wise (COLLATE "C") so the pair order is the one Python's sorted() gives, whatever the server's locale.

On SQLite this revision does nothing (its index is the FTS5 table of 0002_lesson_search).

Revision ID: 0003_pg_search
Revises: 0002_lesson_search
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0003_pg_search"
down_revision = "0002_lesson_search"
branch_labels = None
depends_on = None

CONFIG = "quadrangle_search"
WORD_TOKENS = "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart"

# Frozen copies of the DDL as of this revision (migrations never import the live code).
CREATE_TABLE = (
    "CREATE TABLE lesson_search ("
    " lesson_id VARCHAR(36) PRIMARY KEY REFERENCES lessons (id) ON DELETE CASCADE,"
    " document TSVECTOR NOT NULL)"
)
CREATE_INDEX = "CREATE INDEX lesson_search_document ON lesson_search USING gin (document)"
# Finding weighs most (A), then the recommendation (B), then the quotes of the lesson's citations (C):
# ts_rank's default weights {0.1, 0.2, 0.4, 1.0} give them 1.0, 0.4 and 0.2, as FTS5's bm25 weights 10/4/2.
REFRESH_FUNCTION = f"""
CREATE FUNCTION lesson_search_refresh(target VARCHAR) RETURNS void LANGUAGE sql AS $body$
    INSERT INTO lesson_search (lesson_id, document)
    SELECT l.id,
           setweight(to_tsvector('{CONFIG}', coalesce(l.finding, '')), 'A')
           || setweight(to_tsvector('{CONFIG}', coalesce(l.recommendation, '')), 'B')
           || setweight(to_tsvector('{CONFIG}', coalesce(
                  (SELECT string_agg(c.quote, ' ' ORDER BY c.position) FROM citations c WHERE c.lesson_id = l.id), ''
              )), 'C')
    FROM lessons l
    WHERE l.id = target
    ON CONFLICT (lesson_id) DO UPDATE SET document = excluded.document
$body$
"""
LESSON_TRIGGER_FUNCTION = """
CREATE FUNCTION lesson_search_lesson_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM lesson_search_refresh(NEW.id);
    RETURN NULL;
END
$body$
"""
CITATION_TRIGGER_FUNCTION = """
CREATE FUNCTION lesson_search_citation_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.lesson_id IS NOT NULL THEN
        PERFORM lesson_search_refresh(OLD.lesson_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.lesson_id IS NOT NULL THEN
        PERFORM lesson_search_refresh(NEW.lesson_id);
    END IF;
    RETURN NULL;
END
$body$
"""
TRIGGERS = (
    "CREATE TRIGGER lesson_search_lesson AFTER INSERT OR UPDATE OF finding, recommendation ON lessons "
    "FOR EACH ROW EXECUTE FUNCTION lesson_search_lesson_changed()",
    "CREATE TRIGGER lesson_search_citation AFTER INSERT OR UPDATE OF quote, lesson_id, position OR DELETE "
    "ON citations FOR EACH ROW EXECUTE FUNCTION lesson_search_citation_changed()",
)
FILL = "SELECT lesson_search_refresh(id) FROM lessons"


def _create_config(bind) -> None:
    """A text search configuration like FTS5's unicode61: no stemming, no stop words, lower case and,
    where the server has the unaccent extension, without diacritics (cafe finds Café)."""
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)")
    available = bind.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")).scalar()
    if not available:
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except Exception:  # no privilege to create it: search still works, without folding diacritics
        savepoint.rollback()
        return
    savepoint.commit()
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {WORD_TOKENS} WITH unaccent, simple")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    _create_config(bind)
    op.execute(CREATE_TABLE)
    op.execute(CREATE_INDEX)
    op.execute(REFRESH_FUNCTION)
    op.execute(LESSON_TRIGGER_FUNCTION)
    op.execute(CITATION_TRIGGER_FUNCTION)
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute(FILL)
    op.execute("ALTER TABLE relationships DROP CONSTRAINT ck_relationships_ordered_pair")
    op.execute(
        'ALTER TABLE relationships ADD CONSTRAINT ck_relationships_ordered_pair '
        'CHECK (org_a_id COLLATE "C" < org_b_id COLLATE "C")'
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE relationships DROP CONSTRAINT ck_relationships_ordered_pair")
    op.execute("ALTER TABLE relationships ADD CONSTRAINT ck_relationships_ordered_pair CHECK (org_a_id < org_b_id)")
    op.execute("DROP TRIGGER IF EXISTS lesson_search_citation ON citations")
    op.execute("DROP TRIGGER IF EXISTS lesson_search_lesson ON lessons")
    op.execute("DROP FUNCTION IF EXISTS lesson_search_citation_changed()")
    op.execute("DROP FUNCTION IF EXISTS lesson_search_lesson_changed()")
    op.execute("DROP FUNCTION IF EXISTS lesson_search_refresh(VARCHAR)")
    op.execute("DROP TABLE IF EXISTS lesson_search")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
