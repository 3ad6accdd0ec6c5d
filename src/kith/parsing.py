"""Reading what users type: times, dates, channels, directions. Bad input is one clear sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from dateutil import parser as dateparser

from kith.domain.calendar import KEPT_YEARS, kept_utc, zone
from kith.errors import InvalidInput

_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def parse_time(text: str, tz: str, now: datetime) -> datetime:
    """A moment typed by the user; a time without a zone is in the user's zone. Returns UTC."""
    value = text.strip()
    if value.lower() in _RELATIVE_DAYS:
        local = now.astimezone(zone(tz)) + timedelta(days=_RELATIVE_DAYS[value.lower()])
        return local.astimezone(UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = dateparser.parse(value)
        except (ValueError, OverflowError) as exc:
            raise InvalidInput(
                f"'{text}' is not a date or time; use ISO-8601, for example 2026-03-01 "
                "or 2026-03-01T18:30."
            ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(tz))
    found = kept_utc(moment)
    if found is None:
        raise InvalidInput(
            f"'{text}' is not a time kith keeps: choose one in the years {KEPT_YEARS}."
        )
    return found


def parse_date(text: str, tz: str, now: datetime) -> date:
    """A calendar day typed by the user (2026-03-01, 'tomorrow', 'March 3 2026')."""
    value = text.strip()
    if value.lower() in _RELATIVE_DAYS:
        return (now.astimezone(zone(tz)) + timedelta(days=_RELATIVE_DAYS[value.lower()])).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        parsed: datetime = dateparser.parse(value)
        return parsed.date()
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(
            f"'{text}' is not a date; use ISO-8601, for example 2026-03-01."
        ) from exc


E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], text: str, what: str) -> E:
    """One value of an enumeration, or an error listing the valid values."""
    try:
        return kind(text.strip().lower())
    except ValueError:
        valid = ", ".join(v.value for v in kind)
        raise InvalidInput(f"Unknown {what} '{text}'; valid {what}s: {valid}.") from None
