"""The user's trips. Plain SQL (kith.store.rawsql): the agenda reads trips without SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING

from kith.domain.model import GeoPoint, Trip
from kith.store import rawsql

if TYPE_CHECKING:
    from sqlalchemy import Connection


def all_trips(source: Connection | rawsql.Sql, member: str | None = None) -> Iterator[Trip]:
    """Every trip; with `member`, that member's own (a team base)."""
    own = "" if member is None else " WHERE member = :member"
    rows = rawsql.of(source).rows(
        f"SELECT id, city, lat, lon, starts_on, ends_on FROM trips{own}"  # noqa: S608
        " ORDER BY starts_on, id",
        {"member": member} if member is not None else None,
    )
    for trip_id, city, lat, lon, starts_on, ends_on in rows:
        location = None if lat is None else GeoPoint(float(lat), float(lon))
        first, last = rawsql.day(starts_on), rawsql.day(ends_on)
        assert first is not None  # NOT NULL columns
        assert last is not None
        yield Trip(city, location, first, last, int(trip_id))


def add_trip(
    source: Connection | rawsql.Sql,
    city: str,
    country: str | None,
    location: GeoPoint | None,
    starts_on: date,
    ends_on: date,
    created_at: datetime,
    member: str | None = None,
) -> int:
    return int(
        rawsql.of(source).scalar(
            "INSERT INTO trips (city, country, lat, lon, starts_on, ends_on, member, created_at)"
            " VALUES (:city, :country, :lat, :lon, :starts_on, :ends_on, :member, :created_at)"
            " RETURNING id",
            {
                "city": city,
                "country": country,
                "lat": None if location is None else location.lat,
                "lon": None if location is None else location.lon,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "member": member,
                "created_at": created_at,
            },
        )
    )
