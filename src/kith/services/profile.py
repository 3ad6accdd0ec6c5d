"""One person's whole story, as `kith show` and the person page tell it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import Connection

from kith.domain.assessment import Assessment, assess
from kith.domain.context import Context
from kith.domain.team import cooldown_reason
from kith.errors import NotFound
from kith.services import views
from kith.store import histories, people, ties


def assessment(
    connection: Connection, ctx: Context, pid: int, member: str | None = None
) -> Assessment:
    """The rules' reading of a person's history; with `member`, of that member's own."""
    history = histories.load_one(connection, pid, member)
    if history is None:
        raise NotFound(f"No person with id {pid}.")
    return assess(history, ctx)


def _instant(at: str | None) -> datetime:
    return datetime.fromisoformat(at) if at else datetime.min.replace(tzinfo=UTC)


def show(
    connection: Connection,
    ctx: Context,
    pid: int,
    recent: int = 20,
    member: str | None = None,
    team: bool = False,
) -> views.Json:
    """`kith show`; in a team base (`team`) with who on the team knows them, and with
    `member`, the figures of that member's own history with them."""
    known = None
    if team:  # one read gives the member's history and everyone's part of it
        from kith.services.who_knows import ranked

        found = histories.load_for(connection, pid, member)
        if found is None:
            raise NotFound(f"No person with id {pid}.")
        a = assess(found[0], ctx)
        known = ranked(found[1], ties.current_members(connection), ctx, member)
    else:
        a = assessment(connection, ctx, pid, member)
    details = people.details(connection, pid)
    assert details is not None  # the history above is theirs
    handles = people.identities_of(connection, [pid]).get(pid, [])
    from kith.services.gatherings import of_person

    invited = of_person(connection, ctx, pid)
    extra = {**details, "gatherings": invited}
    if known is not None:
        from kith.services.who_knows import introducer

        extra["who_knows"] = known
        extra["as_member"] = member
        by = introducer(known, member)
        if by is not None:
            ctx = dataclasses.replace(ctx, introducers={pid: by})
        if pid in ctx.team_asks:
            ask = ctx.team_asks[pid]
            extra["team_hold"] = cooldown_reason(ask, ctx.today, ctx.day_of(ask.at))
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
