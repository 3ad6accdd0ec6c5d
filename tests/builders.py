"""Small builders for histories in tests: days are counted back from a fixed `NOW`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kith.domain import (
    AskKind,
    Channel,
    Context,
    Direction,
    Fact,
    GeoPoint,
    History,
    Interaction,
    Invite,
    Person,
    Response,
    Rules,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
CHICAGO = GeoPoint(41.85003, -87.65005)
EVANSTON = GeoPoint(42.04114, -87.69006)  # about 21 km from Chicago
MILWAUKEE = GeoPoint(43.0389, -87.90647)  # about 133 km from Chicago


def at(days_ago: float, now: datetime = NOW) -> datetime:
    return now - timedelta(days=days_ago)


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


def touch(
    days_ago: float,
    channel: Channel | str,
    direction: Direction | str = Direction.OUT,
    minutes: int | None = None,
    text: str | None = None,
) -> Interaction:
    return Interaction(
        occurred_at=at(days_ago),
        channel=Channel(channel),
        direction=Direction(direction),
        text=text,
        minutes=minutes,
    )


def invite(
    days_ago: float,
    response: Response | str = Response.PENDING,
    answered_days_ago: float | None = None,
    kind: AskKind | str = AskKind.COFFEE,
    scheduled_in_days: float | None = None,
) -> Invite:
    return Invite(
        asked_at=at(days_ago),
        kind=AskKind(kind),
        response=Response(response),
        responded_at=None if answered_days_ago is None else at(answered_days_ago),
        scheduled_at=None if scheduled_in_days is None else at(-scheduled_in_days),
        id=1,
    )


def history(
    *touches: Interaction,
    facts: tuple[Fact, ...] = (),
    invites: tuple[Invite, ...] = (),
    circle: int | None = None,
    location: GeoPoint | None = None,
    birthday: date | None = None,
    paused: bool = False,
    pid: int = 1,
    name: str = "Ana Example",
) -> History:
    person = Person(
        id=pid,
        name=name,
        circle=circle,
        paused=paused,
        location=location,
        birthday=birthday,
    )
    return History(person, tuple(touches), facts, invites)


def ctx(
    now: datetime = NOW, home: GeoPoint | None = CHICAGO, rules: Rules | None = None, trips=()
) -> Context:
    return Context(now=now, rules=rules or Rules(), home=home, trips=tuple(trips))


def conversation(first_days_ago: int, inbound_recent: int = 3) -> tuple[Interaction, ...]:
    """A public reply `first_days_ago`, then DMs both ways; `inbound_recent` inbound DMs lately."""
    touches = [
        touch(first_days_ago + 1, "comment", "out"),
        touch(first_days_ago, "reply", "in"),
    ]
    for k in range(inbound_recent):
        touches.append(touch(2 + k * 2 + 0.5, "dm", "out"))
        touches.append(touch(2 + k * 2, "dm", "in"))
    return tuple(touches)
