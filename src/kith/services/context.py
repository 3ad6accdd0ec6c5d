"""Build the rules' context from the base's settings: zone, home, rule overrides, trips, and
what each import source can see."""

from __future__ import annotations

import dataclasses
import os
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kith.domain.context import Context
from kith.domain.model import MANUAL_SOURCE, GeoPoint, Trip
from kith.domain.rules import BOUNDS, Rules
from kith.domain.team import TeamAsk
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


#: the settings a context is built from, read together
_CONTEXT_SETTINGS = ("rules", "timezone", "home")


def user_timezone(connection: Connection | rawsql.Sql, stored: dict[str, Any] | None = None) -> str:
    """The user's zone: KITH_TZ, else the base's, else the system's. `stored`: the settings
    already read (`settings.many`)."""
    saved = settings.get(connection, "timezone") if stored is None else stored.get("timezone")
    return str(os.environ.get("KITH_TZ") or saved or system_timezone())


def rules(connection: Connection | rawsql.Sql, stored: dict[str, Any] | None = None) -> Rules:
    if stored is None:
        stored = settings.many(connection, _CONTEXT_SETTINGS)
    overrides: dict[str, Any] = stored.get("rules") or {}
    known = {k: v for k, v in overrides.items() if k in RULE_TYPES}
    for key in ("circle_cadence_days", "circle_caps"):
        if key in known:
            known[key] = {int(k): int(v) for k, v in known[key].items()}
    try:
        return Rules(**known).with_changes(timezone=user_timezone(connection, stored))
    except TypeError as exc:  # pragma: no cover - guarded by `kith settings`
        raise InvalidInput(f"The stored rule settings are invalid: {exc}.") from exc


def home(
    connection: Connection | rawsql.Sql, stored: dict[str, Any] | None = None
) -> GeoPoint | None:
    value = settings.get(connection, "home") if stored is None else stored.get("home")
    if not value or value.get("lat") is None:
        return None
    return GeoPoint(float(value["lat"]), float(value["lon"]))


def trips(connection: Connection | rawsql.Sql, member: str | None = None) -> tuple[Trip, ...]:
    """The user's trips (in a team base, the acting member's)."""
    return tuple(trip_store.all_trips(connection, member))


def snoozed(connection: Connection | rawsql.Sql, today: date) -> frozenset[tuple[int, str]]:
    rows = rawsql.of(connection).rows(
        "SELECT person_id, action FROM snoozes WHERE until > :today", {"today": today}
    )
    return frozenset((int(pid), str(action)) for pid, action in rows)


def do_not_contact(connection: Connection | rawsql.Sql) -> frozenset[int]:
    """Everyone on the team's do-not-contact list (kith.store.dnc writes it)."""
    rows = rawsql.of(connection).rows("SELECT person_id FROM do_not_contact")
    return frozenset(int(r[0]) for r in rows)


#: touches that pitch: a message, mail or call the member logged by hand
_PITCHES = ("dm", "chat", "email", "call", "video")


def team_asks(
    connection: Connection | rawsql.Sql, now: datetime, member: str, days: int
) -> dict[int, TeamAsk]:
    """Each person's latest real-life ask or logged pitch by another current member in the
    last `days` days: the team cooldown (docs/team.md, "No double pitches")."""
    sql = rawsql.of(connection)
    params: dict[str, Any] = {"me": member, "since": now - timedelta(days=days)}
    asks = sql.rows(
        "SELECT i.person_id, m.name, i.asked_at FROM invites i"
        " JOIN members m ON m.email = i.member AND m.removed_at IS NULL"
        " WHERE i.member <> :me AND i.asked_at >= :since",
        params,
    )
    pitched: dict[str, Any] = dict(params)
    channels = rawsql.in_list("c", _PITCHES, pitched)
    # the source and direction as literals: the planner then proves the partial index
    # ix_interactions_pitches (schema.py) usable, which a bound value does not let it
    assert MANUAL_SOURCE == "manual"
    pitches = sql.rows(
        "SELECT x.person_id, m.name, x.occurred_at FROM interactions x"  # noqa: S608
        " JOIN members m ON m.email = x.member AND m.removed_at IS NULL"
        " WHERE x.source = 'manual' AND x.direction = 'out' AND x.occurred_at >= :since"
        f" AND x.member <> :me AND x.channel IN {channels}",
        pitched,
    )
    found: dict[int, TeamAsk] = {}
    for kind, rows in (("pitch", pitches), ("ask", asks)):
        for pid, name, at in rows:
            moment = rawsql.moment(at)
            assert moment is not None  # NOT NULL columns
            latest = found.get(int(pid))
            if latest is None or moment >= latest.at:
                found[int(pid)] = TeamAsk(str(name), moment, kind)
    return found


def synced_sources(connection: Connection | rawsql.Sql) -> frozenset[str]:
    """The import sources that a sync source also reads (a Mastodon account synced, say)."""
    rows = rawsql.of(connection).rows("SELECT DISTINCT kind FROM sync_sources")
    return frozenset(str(kind) for (kind,) in rows)


def build(connection: Connection | rawsql.Sql, now: datetime, member: str | None = None) -> Context:
    """The context of a read or write now; with `member`, of that member of a team base
    (their trips, and their teammates' recent asks)."""
    from kith.ingest.coverage import coverage

    stored = settings.many(connection, _CONTEXT_SETTINGS)
    base = Context(
        now=now,
        rules=rules(connection, stored),
        home=home(connection, stored),
        trips=trips(connection, member),
        coverage=coverage(synced_sources(connection)),
    )
    quiet = snoozed(connection, base.today)
    blocked = do_not_contact(connection)
    held = (
        team_asks(connection, now, member, base.rules.team_cooldown_days)
        if member is not None
        else {}
    )
    if not quiet and not blocked and not held:
        return base
    return dataclasses.replace(base, snoozed=quiet, do_not_contact=blocked, team_asks=held)


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
        if name in BOUNDS:
            low, high = BOUNDS[name]
            if not low <= parsed[name] <= high:
                raise InvalidInput(f"{name} must be between {low:g} and {high:g} (got {raw}).")
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
