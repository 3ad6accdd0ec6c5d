"""One person's whole story, as `kith show` and the person page tell it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection

from kith.domain.assessment import Assessment, assess
from kith.domain.context import Context
from kith.errors import NotFound
from kith.services import views
from kith.store import histories, people


def assessment(connection: Connection, ctx: Context, pid: int) -> Assessment:
    history = histories.load_one(connection, pid)
    if history is None:
        raise NotFound(f"No person with id {pid}.")
    return assess(history, ctx)


def _instant(at: str | None) -> datetime:
    return datetime.fromisoformat(at) if at else datetime.min.replace(tzinfo=UTC)


def show(connection: Connection, ctx: Context, pid: int, recent: int = 20) -> views.Json:
    a = assessment(connection, ctx, pid)
    details = people.details(connection, pid)
    assert details is not None  # the history above is theirs
    handles = people.identities_of(connection, [pid]).get(pid, [])
    from kith.services.gatherings import of_person

    invited = of_person(connection, ctx, pid)
    extra = {**details, "gatherings": invited}
    shown = views.show(a, ctx, handles, extra, recent)
    answered = [
        {"kind": f"rsvp_{g['rsvp']}", "at": g["rsvp_at"], "gathering": g["title"]}
        for g in invited
        if g["rsvp_at"] is not None
    ]
    if answered:
        # a stable sort by time keeps the rules' own order for milestones of one moment
        shown["milestones"] = sorted(
            [*shown["milestones"], *answered], key=lambda m: _instant(m["at"])
        )
    return shown
