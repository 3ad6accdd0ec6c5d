"""What the user records by hand: touches, facts, asks and answers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

from sqlalchemy import Connection, delete, insert, select, update

from kith.domain import ids, ladder
from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.model import MANUAL_SOURCE, AskKind, Channel, Direction, Invite, Response
from kith.errors import InvalidInput, NotFound
from kith.services.refresh import refresh
from kith.store import histories, interactions
from kith.store.interactions import NewInteraction
from kith.store.schema import facts, invites
from kith.store.schema import interactions as interactions_table


def log(
    connection: Connection,
    ctx: Context,
    pid: int,
    channel: Channel,
    direction: Direction | None = None,
    at: datetime | None = None,
    text: str | None = None,
    minutes: int | None = None,
    member: str | None = None,
) -> int:
    """Record one touch; returns its id."""
    if minutes is not None and minutes < 0:
        raise InvalidInput(f"--minutes must be zero or more (got {minutes}).")
    if minutes is not None and channel not in ladder.SYNCHRONOUS:
        raise InvalidInput(
            f"--minutes applies to calls, video calls, meetings and gatherings, not {channel}."
        )
    when = at or ctx.now
    if when > ctx.now:
        raise InvalidInput(
            "That time is in the future; log a touch once it has happened, "
            "or record the agreed time with their answer."
        )
    touch = NewInteraction(
        pid,
        when,
        channel,
        direction or ladder.default_direction(channel),
        text,
        minutes,
        MANUAL_SOURCE,
        f"manual:{uuid4()}",
        member,
    )
    found = interactions.add(connection, touch, ctx.rules)
    refresh(connection, ctx, [pid])
    return found


def unlog(connection: Connection, ctx: Context, pid: int, interaction_id: int) -> None:
    """Take back a touch logged by hand (the web's Undo); imported touches stay."""
    gone = (
        ids.storable(interaction_id, big=True)
        and connection.execute(
            delete(interactions_table).where(
                interactions_table.c.id == interaction_id,
                interactions_table.c.person_id == pid,
                interactions_table.c.source == MANUAL_SOURCE,
            )
        ).rowcount
    )
    if not gone:
        raise NotFound("That touch is not one you logged here, or it was taken back already.")
    refresh(connection, ctx, [pid])


def remember(
    connection: Connection,
    ctx: Context,
    pid: int,
    text: str,
    on: date | None = None,
    private: bool = False,
    member: str | None = None,
) -> int:
    text = text.strip()
    if not text:
        raise InvalidInput("Nothing to remember: the text is empty.")
    result = connection.execute(
        insert(facts)
        .values(
            person_id=pid, text=text, event_on=on, private=private, noted_at=ctx.now, member=member
        )
        .returning(facts.c.id)
    )
    refresh(connection, ctx, [pid])
    return int(result.scalar_one())


def _own(connection: Connection, member: str | None) -> str | None:
    """Whose own history a record reads: the member's in a team base, everyone's otherwise
    (where `member` is only what `KITH_USER` said)."""
    from kith.store import ties

    return member if member is not None and ties.is_team(connection) else None


def invite(
    connection: Connection,
    ctx: Context,
    pid: int,
    kind: AskKind | None = None,
    member: str | None = None,
) -> tuple[int, AskKind]:
    """Record a real-life ask; without a kind, the one the ask ladder suggests (from the
    member's own history, in a team base)."""
    history = histories.load_one(connection, pid, _own(connection, member))
    assert history is not None
    a = assess(history, ctx)
    if a.asks.pending is not None:
        raise InvalidInput(
            f"{history.person.name} has not answered the {a.asks.pending.kind.value} ask yet; "
            "record the answer with 'kith respond' first."
        )
    chosen = kind or a.readiness.ask
    result = connection.execute(
        insert(invites)
        .values(
            person_id=pid,
            asked_at=ctx.now,
            kind=chosen.value,
            response=Response.PENDING.value,
            member=member,
        )
        .returning(invites.c.id)
    )
    refresh(connection, ctx, [pid])
    return int(result.scalar_one()), chosen


def respond(
    connection: Connection,
    ctx: Context,
    pid: int,
    answer: Response,
    when: datetime | None = None,
    where: str | None = None,
    member: str | None = None,
) -> Invite:
    """Record the answer to the latest ask (the member's own latest, in a team base)."""
    if answer is Response.PENDING:
        raise InvalidInput("An answer is positive, neutral or negative.")
    if (when or where) and answer is not Response.POSITIVE:
        raise InvalidInput("--when and --where go with a positive answer.")
    query = select(invites).where(invites.c.person_id == pid)
    own = _own(connection, member)
    if own is not None:
        query = query.where(invites.c.member == own)
    row = connection.execute(
        query.order_by(invites.c.asked_at.desc(), invites.c.id.desc()).limit(1)
    ).first()
    if row is None:
        raise NotFound("There is no ask to answer; record one with 'kith invite' first.")
    values: dict[str, object] = {"response": answer.value, "responded_at": ctx.now}
    if when is not None:
        values["scheduled_at"] = when
    if where is not None:
        values["place"] = where.strip() or None
    connection.execute(update(invites).where(invites.c.id == row.id).values(**values))
    refresh(connection, ctx, [pid])
    return histories.invite(connection, int(row.id))
