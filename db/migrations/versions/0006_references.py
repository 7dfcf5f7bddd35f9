"""Sources become full bibliographic records: item type, creators with roles, volume, issue, pages,
edition, date, DOI, ISBN/ISSN, URL and access date, document symbol, language and notes. Every existing
source is moved into them: its author string read into creators, its "reference" into volume, issue,
pages, URL and notes (the display strings are kept as they were, so nothing is lost).

Revision ID: 0006_references
Revises: 0005_app_id
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Pure functions over strings (no models): the module says they must keep reading old strings unchanged.
from db.references.legacy import creators_from_authors, infer_item_type, split_reference
from db.references.model import creators_to_json

revision = "0006_references"
down_revision = "0005_app_id"
branch_labels = None
depends_on = None

TEXT_COLUMNS = {
    "item_type": sa.String(length=40),
    "creators": sa.Text(),
    "volume": sa.String(length=100),
    "issue": sa.String(length=100),
    "pages": sa.String(length=100),
    "edition": sa.String(length=100),
    "date": sa.String(length=40),
    "doi": sa.String(length=300),
    "isbn": sa.String(length=100),
    "issn": sa.String(length=100),
    "url": sa.Text(),
    "accessed": sa.String(length=40),
    "document_symbol": sa.String(length=200),
    "language": sa.String(length=60),
    "notes": sa.Text(),
}
DEFAULTS = {"item_type": "document", "creators": "[]"}


def upgrade() -> None:
    for name, type_ in TEXT_COLUMNS.items():
        op.add_column("sources", sa.Column(name, type_, nullable=False, server_default=DEFAULTS.get(name, "")))
    op.create_index(op.f("ix_sources_doi"), "sources", ["doi"])
    sources = sa.table(
        "sources",
        sa.column("id", sa.String),
        sa.column("authors", sa.Text),
        sa.column("title", sa.Text),
        sa.column("container", sa.Text),
        sa.column("publisher", sa.Text),
        sa.column("reference", sa.Text),
        *(sa.column(name, type_) for name, type_ in TEXT_COLUMNS.items()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(sources.c.id, sources.c.authors, sources.c.title, sources.c.container, sources.c.publisher,
                  sources.c.reference)
    ).all()
    for row in rows:
        fields = split_reference(row.reference or "")
        item_type = infer_item_type(
            title=row.title or "", container=row.container or "", publisher=row.publisher or "",
            reference=row.reference or "", url=fields["url"],
        )
        connection.execute(
            sources.update()
            .where(sources.c.id == row.id)
            .values(creators=creators_to_json(creators_from_authors(row.authors or "")), item_type=item_type.value,
                    **fields)
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_sources_doi"), table_name="sources")
    with op.batch_alter_table("sources") as batch:
        for name in reversed(TEXT_COLUMNS):
            batch.drop_column(name)
