"""Distances on the globe, for the ask ladder and trips (docs/path.md, "Readiness and asks"
and "Places and gatherings")."""

from __future__ import annotations

import math

from kith.domain.model import GeoPoint

EARTH_RADIUS_KM = 6371.0088


def distance_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def maybe_distance_km(a: GeoPoint | None, b: GeoPoint | None) -> float | None:
    return None if a is None or b is None else distance_km(a, b)
