"""Writing iCalendar (.ics) files with the `icalendar` package: gatherings, and the
calendar export of coming asks, meetings, gatherings and follow-up dates.

A gathering's file is a *published* event (`METHOD:PUBLISH`, RFC 5546), not a meeting
request: kith sends no invitations and has no calendar account to answer to, so the file
has no ORGANIZER and no ATTENDEE (a calendar program would otherwise offer to send or
answer an invitation from an address nobody reads). Who is invited, and what they said,
is written into the DESCRIPTION as text; guests' e-mail addresses are not written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//kith//kith relationship planner//EN"

#: how a guest's answer reads in a gathering's description (a pending one reads as nothing)
ANSWERS = {"yes": "coming", "no": "not coming", "maybe": "maybe"}


@dataclass(frozen=True, slots=True)
class Guest:
    person_id: int
    name: str
    email: str | None
    rsvp: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One calendar entry: timed (`start` a datetime with `minutes`) or all-day (a date)."""

    uid: str
    summary: str
    start: datetime | date
    minutes: int | None = None
    location: str | None = None
    description: str | None = None
    yearly: bool = False


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def guest_list(guests: Sequence[Guest], organizer: str | None = None) -> str:
    """A gathering's description: who planned it and who is invited, with their answers
    ("Guests: Ana Example (coming), Bo Builder."); names only, never an address."""
    lines = [f"Planned by {organizer}." if organizer else "Planned with kith."]
    if guests:
        named = [f"{g.name} ({ANSWERS[g.rsvp]})" if g.rsvp in ANSWERS else g.name for g in guests]
        lines.append(f"Guests: {', '.join(named)}.")
    return "\n".join(lines)


def gathering(
    uid: str,
    title: str,
    starts_at: datetime,
    minutes: int,
    place: str,
    guests: Sequence[Guest],
    stamp: datetime,
    organizer: tuple[str, str | None] | None = None,
) -> bytes:
    """A calendar publishing one event: the gathering, its guests named in the description.

    `organizer` is (name, e-mail) of whoever planned it; only the name is written (in the
    description), like the guests' names: see the module's docstring."""
    calendar = _calendar(title)
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("summary", title)
    event.add("location", place)
    event.add("description", guest_list(guests, organizer[0] if organizer else None))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def entries(name: str, items: Iterable[Entry], stamp: datetime) -> bytes:
    calendar = _calendar(name)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        if isinstance(item.start, datetime):
            event.add("dtstart", item.start)
            event.add("dtend", item.start + timedelta(minutes=item.minutes or 60))
        else:
            event.add("dtstart", item.start)
            event.add("dtend", item.start + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        if item.yearly:
            event.add("rrule", {"freq": "yearly"})
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
