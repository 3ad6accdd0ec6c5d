"""The user's trips: where they will be, so the agenda can suggest meeting people there."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select

from kith.domain import ids
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


def remove(connection: Connection, trip_id: int) -> dict[str, Any]:
    """Delete a trip; returns it as stored (city, country, lat, lon, from, to), for an undo."""
    row = None
    if ids.storable(trip_id):
        row = connection.execute(select(trips).where(trips.c.id == trip_id)).mappings().first()
    if row is None:
        raise NotFound(f"No trip with id {trip_id}; see 'kith trips'.")
    connection.execute(delete(trips).where(trips.c.id == trip_id))
    return {
        "id": trip_id,
        "city": row["city"],
        "country": row["country"],
        "lat": row["lat"],
        "lon": row["lon"],
        "from": views.day(row["starts_on"]),
        "to": views.day(row["ends_on"]),
    }


def restore(
    connection: Connection, ctx: Context, removed: dict[str, Any], member: str | None = None
) -> int:
    """Put back a trip as `remove` returned it (its place needs no new look-up)."""
    try:
        starts_on = date.fromisoformat(str(removed["from"]))
        ends_on = date.fromisoformat(str(removed["to"]))
        lat, lon = removed.get("lat"), removed.get("lon")
        location = None if lat is None or lon is None else GeoPoint(float(lat), float(lon))
        city = str(removed["city"]).strip()
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"That trip cannot be put back ({exc}).") from None
    if not city or ends_on < starts_on:
        raise InvalidInput("That trip cannot be put back (no city, or it ends before it starts).")
    country = removed.get("country") or None
    return store.add_trip(connection, city, country, location, starts_on, ends_on, ctx.now, member)


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
