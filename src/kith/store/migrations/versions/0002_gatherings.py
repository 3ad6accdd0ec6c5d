"""Gatherings and their guests: invitations, RSVPs, attendance.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gatherings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("starts_at", UTCDateTime, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("uid", sa.String(100), nullable=False),
        sa.Column("member", sa.String(100)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("uid"),
    )
    op.create_index("ix_gatherings_starts_at", "gatherings", ["starts_at"])
    op.create_table(
        "gathering_guests",
        sa.Column(
            "gathering_id",
            sa.Integer,
            sa.ForeignKey("gatherings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("invitation", sa.Text, nullable=False),
        sa.Column("rsvp", sa.String(16), nullable=False),
        sa.Column("rsvp_at", UTCDateTime),
        sa.Column("attended", sa.Boolean, nullable=False),
    )
    op.create_index("ix_gathering_guests_person_id", "gathering_guests", ["person_id"])


def downgrade() -> None:
    op.drop_table("gathering_guests")
    op.drop_table("gatherings")
