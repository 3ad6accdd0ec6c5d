"""The user's trips: where they will be, so the agenda can suggest meeting people there."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, delete

from kith.domain.context import Context
from kith.domain.model import GeoPoint
from kith.errors import InvalidInput, NotFound
from kith.services import views
from kith.services.people import locate
from kith.store import trips as store
from kith.store.schema import trips


def add(
    connection: Connection,
    ctx: Context,
    city: str,
    starts_on: date,
    ends_on: date,
    member: str | None = None,
) -> int:
    if ends_on < starts_on:
        raise InvalidInput(
            f"The trip ends ({ends_on.isoformat()}) before it starts ({starts_on.isoformat()})."
        )
    place = locate(city)
    return store.add_trip(
        connection,
        place.city,
        place.country,
        GeoPoint(place.lat, place.lon),
        starts_on,
        ends_on,
        ctx.now,
        member,
    )


def remove(connection: Connection, trip_id: int) -> None:
    if not connection.execute(delete(trips).where(trips.c.id == trip_id)).rowcount:
        raise NotFound(f"No trip with id {trip_id}; see 'kith trips'.")


def listing(ctx: Context) -> list[dict[str, Any]]:
    today = ctx.today
    return [
        {
            "id": t.id,
            "city": t.city,
            "from": views.day(t.starts_on),
            "to": views.day(t.ends_on),
            "status": "past" if t.ends_on < today else "now" if t.starts_on <= today else "coming",
        }
        for t in ctx.trips
    ]
