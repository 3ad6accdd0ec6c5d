"""The team's do-not-contact list (docs/team.md, "Do not contact"): anyone may put a person
on it, only an owner may take them off; a person on it gets no suggestion for anyone, and
an outbound touch or an ask to them needs `--anyway`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from kith.domain.context import Context
from kith.errors import InvalidInput
from kith.services import views
from kith.store import dnc


class OnTheList(InvalidInput):
    """An outbound touch or an ask to someone on the do-not-contact list, not forced."""


def put(connection: Connection, ctx: Context, pid: int, reason: str, member: str | None) -> None:
    said = " ".join(reason.split())
    if not said:
        raise InvalidInput("Say why they are not to be contacted (--reason).")
    dnc.put(connection, pid, said[:1000], member, ctx.now)


def guard(connection: Connection, pid: int, name: str, anyway: bool) -> None:
    """Refuse reaching out to someone on the list, unless `anyway`."""
    found = dnc.entry(connection, pid)
    if found is not None and not anyway:
        raise OnTheList(
            f"{name} is on the do-not-contact list ({found.reason}); add --anyway to go ahead."
        )


def listing(connection: Connection, ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "person": {"id": int(r.person_id), "name": r.name},
            "reason": r.reason,
            "member": r.member,
            "since": views.moment(r.created_at, ctx.rules.timezone),
        }
        for r in dnc.listing(connection)
    ]
