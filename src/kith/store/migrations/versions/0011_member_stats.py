"""Each member's own figures with each person (`member_stats`), for per-member stages,
strengths and agendas in a team base (docs/team.md, "Per-member relationships").

A team base's history written before carried no member where the base was one person's:
it becomes the first owner's. Figures are recomputed on the next read (person_stats of a
team base is cleared, which makes everyone stale).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_CANDIDATES = (
    "strength",
    "last_contact",
    "last_in",
    "last_out",
    "fading_from",
    "out_mark",
    "in_mark",
    "stage_rank",
    "as_of",
)


def upgrade() -> None:
    op.create_table(
        "member_stats",
        sa.Column("member", sa.String(254), primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("stage_rank", sa.SmallInteger, nullable=False),
        sa.Column("strength", sa.Float, nullable=False),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("first_contact", sa.Date),
        sa.Column("last_contact", sa.Date),
        sa.Column("last_touch", sa.Date),
        sa.Column("last_in", sa.Date),
        sa.Column("last_out", sa.Date),
        sa.Column("fading_from", sa.Date),
        sa.Column("unanswered", sa.Integer, nullable=False),
        sa.Column("out_mark", sa.Date),
        sa.Column("in_mark", sa.Date),
        sa.Column("count_in", sa.Integer, nullable=False),
        sa.Column("count_out", sa.Integer, nullable=False),
        sa.Column("ready", sa.Boolean, nullable=False),
    )
    op.create_index("ix_member_stats_person_id", "member_stats", ["person_id"])
    for name in _CANDIDATES:
        op.create_index(f"ix_member_stats_member_{name}", "member_stats", ["member", name])
    owner = (
        "(SELECT email FROM members WHERE role = 'owner' AND removed_at IS NULL"
        " ORDER BY id LIMIT 1)"
    )
    for table in ("interactions", "facts", "invites", "trips", "gatherings"):
        op.execute(
            f"UPDATE {table} SET member = {owner} "  # noqa: S608 (fixed names)
            "WHERE member IS NULL AND EXISTS (SELECT 1 FROM members)"
        )
    op.execute("DELETE FROM person_stats WHERE EXISTS (SELECT 1 FROM members)")


def downgrade() -> None:
    op.drop_table("member_stats")
