"""Pairs the user said are two different people (`distinct_people`).

The duplicates list (`kith people --duplicates`, the People page's badge) suggests records
that look like one human; when the user says "not the same person", the pair is kept here
and not suggested again. A pair goes with either person (forget, merge).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.store.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "distinct_people",
        sa.Column(
            "person_a", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "person_b", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("decided_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_distinct_people_person_b", "distinct_people", ["person_b"])


def downgrade() -> None:
    op.drop_table("distinct_people")
