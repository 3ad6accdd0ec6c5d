"""Build the rules' context from the base's settings: zone, home, rule overrides, trips, and
what each import source can see."""

from __future__ import annotations

import dataclasses
import os
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kith.domain.context import Context
from kith.domain.model import GeoPoint, Trip
from kith.domain.rules import Rules
from kith.errors import InvalidInput
from kith.store import rawsql, settings
from kith.store import trips as trip_store

if TYPE_CHECKING:
    from sqlalchemy import Connection


RULE_TYPES = {f.name: f.type for f in dataclasses.fields(Rules)}


def system_timezone() -> str:
    try:
        import tzlocal

        return str(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # pragma: no cover - exotic systems without a zone name
        return "UTC"


def user_timezone(connection: Connection | rawsql.Sql) -> str:
    return str(
        os.environ.get("KITH_TZ") or settings.get(connection, "timezone") or system_timezone()
    )


def rules(connection: Connection | rawsql.Sql) -> Rules:
    overrides: dict[str, Any] = settings.get(connection, "rules", {}) or {}
    known = {k: v for k, v in overrides.items() if k in RULE_TYPES}
    for key in ("circle_cadence_days", "circle_caps"):
        if key in known:
            known[key] = {int(k): int(v) for k, v in known[key].items()}
    try:
        return Rules(**known).with_changes(timezone=user_timezone(connection))
    except TypeError as exc:  # pragma: no cover - guarded by `kith settings`
        raise InvalidInput(f"The stored rule settings are invalid: {exc}.") from exc


def home(connection: Connection | rawsql.Sql) -> GeoPoint | None:
    value = settings.get(connection, "home")
    if not value or value.get("lat") is None:
        return None
    return GeoPoint(float(value["lat"]), float(value["lon"]))


def trips(connection: Connection | rawsql.Sql) -> tuple[Trip, ...]:
    """The user's trips."""
    return tuple(trip_store.all_trips(connection))


def snoozed(connection: Connection | rawsql.Sql, today: date) -> frozenset[tuple[int, str]]:
    rows = rawsql.of(connection).rows(
        "SELECT person_id, action FROM snoozes WHERE until > :today", {"today": today}
    )
    return frozenset((int(pid), str(action)) for pid, action in rows)


def do_not_contact(connection: Connection | rawsql.Sql) -> frozenset[int]:
    """Everyone on the team's do-not-contact list (kith.store.dnc writes it)."""
    rows = rawsql.of(connection).rows("SELECT person_id FROM do_not_contact")
    return frozenset(int(r[0]) for r in rows)


def build(connection: Connection | rawsql.Sql, now: datetime) -> Context:
    from kith.ingest.coverage import coverage

    base = Context(
        now=now,
        rules=rules(connection),
        home=home(connection),
        trips=trips(connection),
        coverage=coverage(),
    )
    quiet = snoozed(connection, base.today)
    blocked = do_not_contact(connection)
    if not quiet and not blocked:
        return base
    return dataclasses.replace(base, snoozed=quiet, do_not_contact=blocked)


def parse_rule_changes(changes: dict[str, str]) -> dict[str, Any]:
    """Typed values for `name=value` rule changes; unknown names or bad values are errors."""
    parsed: dict[str, Any] = {}
    for name, raw in changes.items():
        if name == "timezone":
            raise InvalidInput("Set the time zone with 'kith init --tz ZONE'.")
        if name not in RULE_TYPES:
            valid = ", ".join(n for n in RULE_TYPES if n != "timezone")
            raise InvalidInput(f"Unknown rule '{name}'; rules: {valid}.")
        default = getattr(Rules(), name)
        try:
            parsed[name] = _typed(default, raw)
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"'{raw}' is not a valid value for {name} ({exc}).") from None
    return parsed


def _typed(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        if raw.lower() not in ("true", "false"):
            raise ValueError("use true or false")
        return raw.lower() == "true"
    if isinstance(default, int):
        value = int(raw)
        if value < 0:
            raise ValueError("it must not be negative")
        return value
    if isinstance(default, float):
        number = float(raw)
        if number < 0:
            raise ValueError("it must not be negative")
        return number
    if isinstance(default, dict):
        pairs = dict(part.split(":", 1) for part in raw.split(",") if part.strip())
        keys = type(next(iter(default)))
        values = type(next(iter(default.values())))
        table = {keys(k.strip()): values(v.strip()) for k, v in pairs.items()}
        if set(table) != set(default):
            raise ValueError(f"give every key of {sorted(default)}, as key:value,key:value")
        return table
    raise ValueError("this rule cannot be changed here")


def describe(current: Rules) -> dict[str, Any]:
    return {f.name: getattr(current, f.name) for f in dataclasses.fields(Rules)}
