"""Figures from coverage-aware rules: every person's stored figures are recomputed.

The pace rules and reciprocity now count only touches whose source could have shown the
other side (docs/path.md, "What each source can see"), so figures stored by earlier
versions (unanswered runs, burst marks, readiness) may be wrong. Removing them makes every
person stale; the next command that reads the base recomputes them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM person_stats")


def downgrade() -> None:
    op.execute("DELETE FROM person_stats")
