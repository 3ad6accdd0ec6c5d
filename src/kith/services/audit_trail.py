"""`kith audit`: reading the audit trail (docs/team.md, "Audit")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection

from kith.domain import ids
from kith.domain.calendar import zone
from kith.domain.context import Context
from kith.domain.team import TeamError, normalise_email
from kith.errors import InvalidInput
from kith.services import resolve, views
from kith.store import audit, people


def _person(connection: Connection, reference: str) -> int:
    """A person's id: `#12` or `12` even when they have been forgotten, else as `kith show`."""
    number = ids.typed(reference)
    if number is not None:
        return number if ids.storable(number) else 0  # 0: nobody, no entries
    return resolve.person_id(connection, reference)


def _since(value: str | date, ctx: Context) -> datetime:
    """The first moment of a day in the user's zone, in UTC."""
    from kith.parsing import parse_date

    day = parse_date(value, ctx.rules.timezone, ctx.now) if isinstance(value, str) else value
    return datetime.combine(day, time(), zone(ctx.rules.timezone)).astimezone(UTC)


def read(
    connection: Connection,
    ctx: Context,
    person: str | None = None,
    member: str | None = None,
    since: str | date | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Entries newest first: when (in the user's zone), who, what, to whom, detail."""
    pid = None if person is None else _person(connection, person)
    email = None
    if member is not None:
        try:
            email = normalise_email(member)
        except TeamError as exc:
            raise InvalidInput(str(exc)) from None
    first = None if since is None else _since(since, ctx)
    rows = audit.entries(connection, pid, email, first, limit)
    ids = sorted({int(r.person_id) for r in rows if r.person_id is not None})
    names = people.names_of(connection, ids) if ids else {}
    return [
        {
            "at": views.moment(r.at, ctx.rules.timezone),
            "member": r.member,
            "action": r.action,
            "person": None
            if r.person_id is None
            else {"id": int(r.person_id), "name": names.get(int(r.person_id))},
            "detail": r.detail,
        }
        for r in rows
    ]
