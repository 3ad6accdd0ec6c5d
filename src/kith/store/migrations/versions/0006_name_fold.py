"""Names searched and sorted without case, accents or punctuation (`people.name_fold`).

A search for "chloe" finds "Chloé" and "Zoë" sorts next to "Zoe" (kith.domain.names). The
folded name is stored beside the name, indexed with the id for the People list's order by
name, and compared byte by byte on both back ends (PostgreSQL's "C" collation), so that
SQLite and PostgreSQL list people in the same order. Existing people get theirs here, in
batches (100,000 people take a few seconds).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.domain.names import sort_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    binary = sa.String(300).with_variant(sa.String(300, collation="C"), "postgresql")
    op.add_column("people", sa.Column("name_fold", binary, nullable=False, server_default=""))
    connection = op.get_bind()
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("name", sa.String))
    folded = sa.table("people", sa.column("id", sa.Integer), sa.column("name_fold", sa.String))
    change = (
        sa.update(folded)
        .where(folded.c.id == sa.bindparam("pid"))
        .values(name_fold=sa.bindparam("fold"))
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(people.c.id, people.c.name)
            .where(people.c.id > last)
            .order_by(people.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(change, [{"pid": pid, "fold": sort_key(name)} for pid, name in rows])
        last = rows[-1][0]
    op.create_index("ix_people_name_fold_id", "people", ["name_fold", "id"])


def downgrade() -> None:
    op.drop_index("ix_people_name_fold_id", table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("name_fold")
