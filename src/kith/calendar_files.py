"""Writing iCalendar (.ics) files with the `icalendar` package: gatherings, and the
calendar export of coming asks, meetings, gatherings and follow-up dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//kith//kith relationship planner//EN"

PARTSTAT = {
    "pending": "NEEDS-ACTION",
    "yes": "ACCEPTED",
    "no": "DECLINED",
    "maybe": "TENTATIVE",
}


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


def _attendee(guest: Guest) -> vCalAddress:
    address = vCalAddress(
        f"mailto:{guest.email}" if guest.email else f"urn:kith:person:{guest.person_id}"
    )
    address.params["cn"] = vText(guest.name)
    address.params["role"] = vText("REQ-PARTICIPANT")
    address.params["partstat"] = vText(PARTSTAT.get(guest.rsvp, "NEEDS-ACTION"))
    address.params["rsvp"] = vText("TRUE")
    return address


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
    """A calendar with one event and every guest as an attendee."""
    calendar = _calendar(title)
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("summary", title)
    event.add("location", place)
    event.add("status", "CONFIRMED")
    if organizer is not None:
        name, email = organizer
        address = vCalAddress(f"mailto:{email}" if email else "urn:kith:organizer")
        address.params["cn"] = vText(name)
        event.add("organizer", address)
    for guest in guests:
        event.add("attendee", _attendee(guest), encode=False)
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
