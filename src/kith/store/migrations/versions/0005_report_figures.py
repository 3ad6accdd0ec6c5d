"""Each person's part of `kith report`, stored beside their figures (`person_report`).

The report used to reassess every history; it now sums these rows (docs/report.md, "Size").
They are written with `person_stats`, so the stored figures are removed as in 0004: every
person becomes stale and the next command that reads the base recomputes both.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.store.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: as the stages were when this revision was written (kith.domain.model.Stage)
_STAGES = ("noticed", "engaging", "acquainted", "conversing", "voice", "met", "friend", "close")
#: months of the trend kept per person (kith.domain.report.TREND_MONTHS)
_MONTHS = 24


def upgrade() -> None:
    op.create_table(
        "person_report",
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("computed_at", UTCDateTime, nullable=False),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        *(sa.Column(f"{stage}_on", sa.Date) for stage in _STAGES),
        sa.Column("first_call_at", UTCDateTime),
        sa.Column("first_call_on", sa.Date),
        sa.Column("first_meeting_at", UTCDateTime),
        sa.Column("first_meeting_on", sa.Date),
        sa.Column("days_to_first_meeting", sa.Integer),
        sa.Column("last_met_on", sa.Date),
        sa.Column("talk", sa.Integer, nullable=False),
        sa.Column("links", sa.Integer, nullable=False),
        sa.Column("talk_year", sa.Integer, nullable=False),
        sa.Column("links_year", sa.Integer, nullable=False),
        *(sa.Column(f"talk_m{n}", sa.Integer, nullable=False) for n in range(_MONTHS)),
        *(sa.Column(f"links_m{n}", sa.Integer, nullable=False) for n in range(_MONTHS)),
        sa.Column("window_in", sa.Integer, nullable=False),
        sa.Column("window_out", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_person_report_as_of_basis_computed_at",
        "person_report",
        ["as_of", "basis", "computed_at"],
    )
    days = (*(f"{stage}_on" for stage in _STAGES), "first_call_on", "first_meeting_on")
    for column in ("stage", *days, "last_met_on", "days_to_first_meeting"):
        op.create_index(f"ix_person_report_{column}", "person_report", [column])
    op.create_index(
        "ix_person_report_window_out_window_in", "person_report", ["window_out", "window_in"]
    )
    op.execute("DELETE FROM person_stats")


def downgrade() -> None:
    op.drop_table("person_report")
    op.execute("DELETE FROM person_stats")
