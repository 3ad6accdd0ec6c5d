"""People, identities, interactions, facts, invites, per-person figures, trips, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _person_fk(primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        "person_id",
        sa.Integer,
        sa.ForeignKey("people.id", ondelete="CASCADE", name=None),
        nullable=False,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("notes", sa.Text),
        sa.Column("circle", sa.SmallInteger),
        sa.Column("city", sa.String(200)),
        sa.Column("country", sa.String(2)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("timezone", sa.String(64)),
        sa.Column("birthday", sa.Date),
        sa.Column("birthday_md", sa.SmallInteger),
        sa.Column("organisation", sa.String(300)),
        sa.Column("role", sa.String(300)),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_people_name_key", "people", ["name_key"])
    op.create_index("ix_people_circle", "people", ["circle"])
    op.create_index("ix_people_birthday_md", "people", ["birthday_md"])
    op.create_index("ix_people_lat_lon", "people", ["lat", "lon"])

    op.create_table(
        "tags",
        _person_fk(),
        sa.Column("tag", sa.String(100), nullable=False),
        sa.UniqueConstraint("person_id", "tag"),
    )
    op.create_index("ix_tags_tag", "tags", ["tag"])

    op.create_table(
        "identities",
        sa.Column("id", sa.Integer, primary_key=True),
        _person_fk(),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("handle", sa.String(320), nullable=False),
        sa.Column("display", sa.String(320)),
        sa.UniqueConstraint("platform", "handle"),
    )
    op.create_index("ix_identities_person_id", "identities", ["person_id"])

    op.create_table(
        "interactions",
        sa.Column("id", BigId, primary_key=True),
        _person_fk(),
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(4), nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("is_link_share", sa.Boolean, nullable=False),
        sa.Column("minutes", sa.Integer),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(200)),
        sa.Column("member", sa.String(100)),
        sa.UniqueConstraint("source", "external_id"),
    )
    op.create_index(
        "ix_interactions_person_id_occurred_at", "interactions", ["person_id", "occurred_at"]
    )
    op.create_index("ix_interactions_occurred_at", "interactions", ["occurred_at"])

    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True),
        _person_fk(),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("event_on", sa.Date),
        sa.Column("private", sa.Boolean, nullable=False),
        sa.Column("noted_at", UTCDateTime, nullable=False),
        sa.Column("member", sa.String(100)),
    )
    op.create_index("ix_facts_person_id", "facts", ["person_id"])
    op.create_index("ix_facts_event_on", "facts", ["event_on"])

    op.create_table(
        "invites",
        sa.Column("id", sa.Integer, primary_key=True),
        _person_fk(),
        sa.Column("asked_at", UTCDateTime, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("response", sa.String(16), nullable=False),
        sa.Column("responded_at", UTCDateTime),
        sa.Column("scheduled_at", UTCDateTime),
        sa.Column("place", sa.String(300)),
        sa.Column("member", sa.String(100)),
    )
    op.create_index("ix_invites_person_id", "invites", ["person_id"])

    op.create_table(
        "person_stats",
        _person_fk(primary_key=True),
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
    for column in (
        "strength",
        "last_contact",
        "last_in",
        "last_out",
        "fading_from",
        "out_mark",
        "in_mark",
        "stage_rank",
        "as_of",
    ):
        op.create_index(f"ix_person_stats_{column}", "person_stats", [column])

    op.create_table(
        "trips",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("city", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("member", sa.String(100)),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_trips_ends_on", "trips", ["ends_on"])

    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "settings",
        "trips",
        "person_stats",
        "invites",
        "facts",
        "interactions",
        "identities",
        "tags",
        "people",
    ):
        op.drop_table(table)
