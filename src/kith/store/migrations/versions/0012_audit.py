"""The audit trail (`audit`: who wrote what, when, to whom; append-only) and each member's
choice to share their message texts with the team (`members.share_texts`), docs/team.md,
"Privacy" and "Audit"; and an index of the touches logged by hand to someone, which the
team cooldown reads on every page.

The audit rows name a person by id without a foreign key: forgetting the person keeps the
row that says they were forgotten. Triggers refuse UPDATE and DELETE on both back ends.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.store.types import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_REFUSAL = "the audit trail is append-only"


def upgrade() -> None:
    op.add_column(
        "members",
        sa.Column("share_texts", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("member", sa.String(254)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("person_id", sa.Integer),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_person_id", "audit", ["person_id"])
    op.create_index("ix_audit_member", "audit", ["member"])
    pitch = sa.text("source = 'manual' AND direction = 'out'")
    op.create_index(
        "ix_interactions_pitches",
        "interactions",
        ["occurred_at"],
        sqlite_where=pitch,
        postgresql_where=pitch,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION kith_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"
        )
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_no_{event.lower()} BEFORE {event} ON audit "
                "FOR EACH ROW EXECUTE FUNCTION kith_audit_append_only()"
            )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_no_{event.lower()} BEFORE {event} ON audit "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
            )


def downgrade() -> None:
    op.drop_index("ix_interactions_pitches", "interactions")
    op.drop_table("audit")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION kith_audit_append_only()")
    op.drop_column("members", "share_texts")
