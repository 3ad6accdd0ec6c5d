"""Set a suggestion aside for a few days: the agenda shows the person's next-best step, or
someone else, until then."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, delete, insert

from kith.domain.agenda import best_for
from kith.domain.context import Context
from kith.domain.model import Action
from kith.errors import InvalidInput
from kith.services.profile import assessment
from kith.store.schema import snoozes


def snooze(
    connection: Connection, ctx: Context, pid: int, days: int = 7, action: Action | None = None
) -> tuple[Action, date]:
    if days < 1:
        raise InvalidInput(f"Snooze for at least one day (got {days}).")
    if action is None:
        current = best_for(assessment(connection, ctx, pid), ctx)
        if current is None:
            raise InvalidInput("There is nothing to snooze for this person today.")
        action = current.action
    until = ctx.today + timedelta(days=days)
    connection.execute(
        delete(snoozes).where(snoozes.c.person_id == pid, snoozes.c.action == action.value)
    )
    connection.execute(
        insert(snoozes).values(person_id=pid, action=action.value, until=until, created_at=ctx.now)
    )
    return action, until


def unsnooze(connection: Connection, pid: int, action: Action) -> None:
    """Bring a snoozed suggestion back (the web's Undo)."""
    connection.execute(
        delete(snoozes).where(snoozes.c.person_id == pid, snoozes.c.action == action.value)
    )
