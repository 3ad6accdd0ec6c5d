"""The audit trail (`audit`, docs/team.md, "Audit"): one row per write, never changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from kith.store.schema import audit

#: the longest detail kept (a write's own text stays in its table, not here)
MAX_DETAIL = 300


def record(
    connection: Connection,
    at: datetime,
    member: str | None,
    action: str,
    person_id: int | None = None,
    detail: str = "",
) -> None:
    """Append one entry, in the write's own transaction (it lands or fails with it)."""
    connection.execute(
        insert(audit).values(
            at=at, member=member, action=action, person_id=person_id, detail=detail[:MAX_DETAIL]
        )
    )


def entries(
    connection: Connection,
    person_id: int | None = None,
    member: str | None = None,
    since: datetime | None = None,
    limit: int = 1000,
) -> list[Any]:
    """The newest entries first, narrowed to a person, a member and a moment."""
    query = select(audit).order_by(audit.c.at.desc(), audit.c.id.desc()).limit(limit)
    if person_id is not None:
        query = query.where(audit.c.person_id == person_id)
    if member is not None:
        query = query.where(audit.c.member == member)
    if since is not None:
        query = query.where(audit.c.at >= since)
    return list(connection.execute(query))
