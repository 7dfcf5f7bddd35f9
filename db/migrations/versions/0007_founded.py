"""Organizations' founding date, so the diagram does not draw an organization before it existed.

Databases seeded from the default dataset get the four organizations' founding days (public facts,
matched on code and name so an organization of the same code that someone else defined is left alone).

Revision ID: 0007_founded
Revises: 0006_references
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0007_founded"
down_revision = "0006_references"
branch_labels = None
depends_on = None

FOUNDED = (
    ("UN", "United Nations", date(1945, 10, 24)),
    ("NATO", "North Atlantic Treaty Organization", date(1949, 8, 24)),
    ("EU", "European Union", date(1993, 11, 1)),
    ("AU", "African Union", date(2002, 7, 9)),
)


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("founded", sa.Date(), nullable=True))
    organizations = sa.table(
        "organizations", sa.column("code", sa.String), sa.column("name", sa.String), sa.column("founded", sa.Date)
    )
    for code, name, day in FOUNDED:
        op.execute(
            organizations.update()
            .where(organizations.c.code == code, organizations.c.name == name)
            .values(founded=day)
        )


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("founded")
