"""Sync sources (`sync_sources`, docs/sync.md): the mail, calendar and address-book servers
`kith sync` reads, with where each one's last run got to.

A row never holds a secret: `settings` names the environment variable, the command or the
keyring entry that gives the password (kith.sync.secrets).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kith.store.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_sources",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="{}"),
        sa.Column("member", sa.String(254)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_run_at", UTCDateTime),
        sa.Column("last_ok_at", UTCDateTime),
        sa.Column("last_added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("sync_sources")
