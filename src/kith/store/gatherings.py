"""Gatherings and their guests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, literal, select, update

from kith.domain.model import Stage
from kith.store import rawsql
from kith.store.schema import gathering_guests, gatherings, people, person_stats


def add(
    connection: Connection,
    title: str,
    starts_at: datetime,
    minutes: int,
    place: str,
    uid: str,
    created_at: datetime,
    member: str | None,
) -> int:
    result = connection.execute(
        insert(gatherings)
        .values(
            title=title,
            starts_at=starts_at,
            minutes=minutes,
            place=place,
            uid=uid,
            member=member,
            created_at=created_at,
        )
        .returning(gatherings.c.id)
    )
    return int(result.scalar_one())


def invite(connection: Connection, gathering_id: int, guests: Sequence[tuple[int, str]]) -> None:
    if guests:
        connection.execute(
            insert(gathering_guests),
            [
                {
                    "gathering_id": gathering_id,
                    "person_id": pid,
                    "invitation": text,
                    "rsvp": "pending",
                    "rsvp_at": None,
                    "attended": False,
                }
                for pid, text in guests
            ],
        )


def get(connection: Connection, gathering_id: int) -> Any | None:
    return connection.execute(select(gatherings).where(gatherings.c.id == gathering_id)).first()


def ids_by_title(connection: Connection, title: str) -> list[int]:
    query = select(gatherings.c.id).where(func.lower(gatherings.c.title) == title.strip().lower())
    return [int(r[0]) for r in connection.execute(query.order_by(gatherings.c.id))]


def guests(connection: Connection, gathering_id: int) -> list[Any]:
    """Each guest with their name, city and stage (a person with no figures: `noticed`)."""
    stage = func.coalesce(person_stats.c.stage, literal(Stage.NOTICED.value)).label("stage")
    query = (
        select(gathering_guests, people.c.name, people.c.city, stage)
        .join(people, people.c.id == gathering_guests.c.person_id)
        .outerjoin(person_stats, person_stats.c.person_id == people.c.id)
        .where(gathering_guests.c.gathering_id == gathering_id)
        .order_by(people.c.name_key, people.c.id)
    )
    return list(connection.execute(query))


def set_rsvp(
    connection: Connection, gathering_id: int, person_id: int, rsvp: str, at: datetime
) -> bool:
    result = connection.execute(
        update(gathering_guests)
        .where(
            gathering_guests.c.gathering_id == gathering_id,
            gathering_guests.c.person_id == person_id,
        )
        .values(rsvp=rsvp, rsvp_at=at)
    )
    return bool(result.rowcount)


def mark_attended(connection: Connection, gathering_id: int, person_ids: Sequence[int]) -> None:
    connection.execute(
        update(gathering_guests)
        .where(
            gathering_guests.c.gathering_id == gathering_id,
            gathering_guests.c.person_id.in_(list(person_ids)),
        )
        .values(attended=True)
    )


def all_gatherings(connection: Connection) -> list[Any]:
    return list(
        connection.execute(select(gatherings).order_by(gatherings.c.starts_at, gatherings.c.id))
    )


@dataclass(frozen=True, slots=True)
class Invitation:
    """One gathering a person is on the guest list of, and their answer."""

    id: int
    title: str
    starts_at: datetime
    rsvp: str | None
    rsvp_at: datetime | None
    attended: bool


def of_person(source: Connection | rawsql.Sql, person_id: int) -> list[Invitation]:
    """The gatherings `person_id` is invited to, in time order (plain SQL: the person page
    asks on every visit)."""
    rows = rawsql.of(source).rows(
        "SELECT g.id, g.title, g.starts_at, gg.rsvp, gg.rsvp_at, gg.attended "
        "FROM gatherings g JOIN gathering_guests gg ON gg.gathering_id = g.id "
        "WHERE gg.person_id = :pid ORDER BY g.starts_at, g.id",
        {"pid": person_id},
    )
    found = []
    for gid, title, starts_at, rsvp, rsvp_at, attended in rows:
        starts = rawsql.moment(starts_at)
        assert starts is not None  # a NOT NULL column
        found.append(
            Invitation(int(gid), title, starts, rsvp, rawsql.moment(rsvp_at), bool(attended))
        )
    return found
