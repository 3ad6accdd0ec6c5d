"""The user's trips."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import Connection, insert, select

from kith.domain.model import GeoPoint, Trip
from kith.store.schema import trips


def all_trips(connection: Connection) -> Iterator[Trip]:
    for row in connection.execute(select(trips).order_by(trips.c.starts_on, trips.c.id)):
        location = None if row.lat is None else GeoPoint(float(row.lat), float(row.lon))
        yield Trip(row.city, location, row.starts_on, row.ends_on, int(row.id))


def add_trip(
    connection: Connection,
    city: str,
    country: str | None,
    location: GeoPoint | None,
    starts_on: date,
    ends_on: date,
    created_at: datetime,
    member: str | None = None,
) -> int:
    result = connection.execute(
        insert(trips)
        .values(
            city=city,
            country=country,
            lat=None if location is None else location.lat,
            lon=None if location is None else location.lon,
            starts_on=starts_on,
            ends_on=ends_on,
            member=member,
            created_at=created_at,
        )
        .returning(trips.c.id)
    )
    return int(result.scalar_one())
