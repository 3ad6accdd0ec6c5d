"""Dates in the user's zone: the rules count whole days, so a score holds all day long."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_ZERO = timedelta(0)
#: zone names that are UTC itself
UTC_NAMES = frozenset(
    {
        "UTC",
        "Etc/UTC",
        "UCT",
        "Etc/UCT",
        "Universal",
        "Etc/Universal",
        "Zulu",
        "Etc/Zulu",
        "GMT",
        "Etc/GMT",
        "Etc/GMT0",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "GMT0",
        "Greenwich",
        "Etc/Greenwich",
    }
)

#: the moments kith keeps (docs/limits.md): every message of every export falls between
#: them, and each can be shown in any time zone (Python's dates end at years 1 and 9999)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
KEPT_YEARS = "1900 to 2199"


def keepable(moment: datetime) -> bool:
    """Whether kith keeps this (timezone-aware) moment."""
    return EARLIEST <= moment < LATEST


def kept_utc(moment: datetime) -> datetime | None:
    """An aware moment in UTC, when kith keeps it; None otherwise (also for the years 1 and
    9999 that moving across the date line takes past what Python's dates hold)."""
    try:
        found = moment.astimezone(UTC)
    except OverflowError:
        return None
    return found if keepable(found) else None


@lru_cache(maxsize=32)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(moment: datetime, tz: str) -> date:
    """The calendar day `moment` falls on in the zone `tz`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if tz in UTC_NAMES and moment.utcoffset() == _ZERO:
        return moment.date()
    if moment.utcoffset() == _ZERO:
        # every real zone's offset is a whole number of quarter hours, so all moments of one
        # UTC quarter hour fall on the same local day
        return _quarter_day(moment.date(), moment.hour, moment.minute // 15, tz)
    return moment.astimezone(zone(tz)).date()


@lru_cache(maxsize=65536)
def _quarter_day(day: date, hour: int, quarter: int, tz: str) -> date:
    start = datetime(day.year, day.month, day.day, hour, quarter * 15, tzinfo=UTC)
    return start.astimezone(zone(tz)).date()


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days


def in_last_days(day: date, today: date, days: int) -> bool:
    """True when `day` is one of the `days` calendar days ending today (today included)."""
    return 0 <= (today - day).days < days


#: the year stored for a birthday whose year is unknown (a leap year, so that 29 February
#: fits; the convention of Apple Contacts and of vCard readers)
YEARLESS = 1604

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def yearless(born: date) -> bool:
    return born.year == YEARLESS


def birthday_iso(born: date) -> str:
    """'1990-12-09', or '--12-09' when the year is unknown (ISO 8601 and vCard)."""
    return f"--{born:%m-%d}" if yearless(born) else born.isoformat()


def birthday_text(born: date) -> str:
    """'9 December 1990', or '9 December' when the year is unknown."""
    day = f"{born.day} {_MONTHS[born.month - 1]}"
    return day if yearless(born) else f"{day} {born.year}"


def anniversary(born: date, year: int) -> date:
    """The birthday in `year`; 29 February falls on 28 February in common years."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def days_ago_text(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def days_ahead_text(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"
