"""The members of a team base (`members`): email, name, role, password hash.

A base with no member row is a one-user base and behaves as before; `kith team init` adds
the first owner (docs/team.md).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("removed_at", UTCDateTime),
    )


def downgrade() -> None:
    op.drop_table("members")
