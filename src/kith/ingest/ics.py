"""Calendar exports: iCalendar (.ics) files, such as Google Calendar's export.

What the export looks like: Google Calendar (Settings > Import & export > Export) gives a
.zip with one `.ics` file per calendar; Outlook, Apple Calendar and Fastmail give one
`.ics`. Each file is a VCALENDAR with `X-WR-CALNAME` (Google: the owner's e-mail address for
the main calendar), `X-WR-TIMEZONE`, VTIMEZONE blocks, and VEVENTs with `DTSTART;TZID=...`
(or UTC, or floating local times, or `VALUE=DATE` for all-day events), `RRULE`/`EXDATE`
recurrences whose moved or cancelled occurrences come as extra VEVENTs with a
`RECURRENCE-ID`, `ORGANIZER`, `ATTENDEE;CN=...;PARTSTAT=...;CUTYPE=...:mailto:...`,
`STATUS`, `LOCATION`, `DESCRIPTION` and conference links (`CONFERENCE`,
`X-GOOGLE-CONFERENCE`).

What kith takes from it: every occurrence that began before now, in which the user and at
least one other person take part, is a touch (`both`) with each other participant:
* two people in all (the user and one other): `meeting`, or `video` when the event carries
  a Google Meet, Zoom, Teams, Jitsi, Whereby or Webex link;
* 3 to MAX_PEOPLE people: `gathering`, or `video` when online;
* more than MAX_PEOPLE (a town hall, a webinar): left out.
The duration is the event's. Left out as well: cancelled events and occurrences, events the
user declined, attendees who declined, rooms and resources, all-day events and events of a
day or more (trips, holidays, conferences: kith cannot tell who was really met), events with
no attendees, and anything that has not happened yet.

Calendars have addresses too: a shared calendar's events list the calendar itself as their
organizer or only attendee (`...@group.calendar.google.com`), Google writes
`unknownorganizer@calendar.google.com` on imported events, and rooms, resources and
subscribed calendars have `@resource.`, `@import.` or `@group.v.calendar.google.com`
addresses. None of these is a person, nor the user. A calendar in which no event has two
people (the user and another) gives nothing, whoever the user is: it is imported as nothing,
with a `Note` that says so, and any `--me` is accepted for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import recurring_ical_events  # type: ignore[import-untyped,unused-ignore]
from icalendar import Calendar, Component

from kith.domain.calendar import zone
from kith.domain.identity import HandleError, normalise
from kith.domain.links import hostname
from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Myself, Options
from kith.ingest.common import member_label, stable_id
from kith.ingest.records import Contact, Handle, Me, Note, Record, Touch

CALENDAR_FILES = ("*.ics", "*.ical", "*.ifb", "*.icalendar")
SNIFF_BYTES = 16384
#: the largest event, in people including the user, that counts as meeting these people
MAX_PEOPLE = 12
#: events lasting this long or more are trips, conferences or holidays, not meetings
LONGEST = timedelta(hours=24)
#: recurrences are expanded this much time at a time, up to now
WINDOW = timedelta(days=366)
MARGIN = timedelta(days=2)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: hosts of video-call links (and their subdomains), and any host named meet.*
VIDEO_HOSTS = (
    "meet.google.com",
    "hangouts.google.com",
    "zoom.us",
    "zoom.com",
    "teams.microsoft.com",
    "teams.live.com",
    "meet.jit.si",
    "8x8.vc",
    "whereby.com",
    "webex.com",
    "gotomeeting.com",
    "facetime.apple.com",
)
_LINK_FIELDS = (
    "LOCATION",
    "DESCRIPTION",
    "URL",
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
)
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_CALNAME = re.compile(rb"^X-WR-CALNAME[^:\r\n]*:([^\r\n]*)", re.MULTILINE | re.IGNORECASE)
_NOT_PEOPLE = ("ROOM", "RESOURCE", "GROUP")
#: addresses of calendars, rooms and resources, never of people: these hosts and their subdomains
CALENDAR_HOSTS = ("calendar.google.com",)


# -- who takes part -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Participant:
    email: str  # normalised
    shown: str  # as written
    name: str | None


@dataclass(frozen=True, slots=True)
class Attendance:
    """Who takes part in one event: people who did not decline (the organizer included),
    and who declined."""

    people: dict[str, Participant]
    declined: frozenset[str]


def is_calendar_address(email: str) -> bool:
    """True for the address of a calendar, room or resource (`...@group.calendar.google.com`)."""
    host = email.rsplit("@", 1)[-1].lower()
    return any(host == h or host.endswith(f".{h}") for h in CALENDAR_HOSTS)


def email_of(address: object) -> tuple[str, str] | None:
    """(normalised, as written) of a person's `mailto:` address, or None for anything else
    (a calendar's or a room's address included)."""
    written = str(address or "").strip()
    if written.lower().startswith("mailto:"):
        written = written[7:].strip()
    try:
        normal = normalise("email", written)
    except HandleError:
        return None
    if is_calendar_address(normal):
        return None
    return normal, written


def _param(address: object, name: str) -> str:
    params = getattr(address, "params", None) or {}
    value = params.get(name)
    return str(value).strip() if value else ""


def _addresses(event: Component, name: str) -> list[object]:
    value = event.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def attendance(event: Component) -> Attendance | None:
    """Who takes part in `event`; None when it lists no attendees (a personal entry)."""
    attendees = _addresses(event, "ATTENDEE")
    if not attendees:
        return None
    people: dict[str, Participant] = {}
    declined: set[str] = set()
    for address in attendees:
        if _param(address, "CUTYPE").upper() in _NOT_PEOPLE:
            continue
        found = email_of(address)
        if found is None:
            continue
        if _param(address, "PARTSTAT").upper() == "DECLINED":
            declined.add(found[0])
            continue
        people[found[0]] = Participant(found[0], found[1], _param(address, "CN") or None)
    for address in _addresses(event, "ORGANIZER"):
        found = email_of(address)
        if found is not None and found[0] not in people and found[0] not in declined:
            people[found[0]] = Participant(found[0], found[1], _param(address, "CN") or None)
    return Attendance(people, frozenset(declined))


def own_emails(me: Myself | Iterable[str]) -> set[str]:
    """The e-mail addresses among what `--me` and earlier imports said about the user
    (calendar addresses are no one's)."""
    myself = me if isinstance(me, Myself) else Myself.parse(me)
    return {e for e in myself.emails if not is_calendar_address(e)}


def infer_me(calendar: Calendar) -> set[str]:
    """The one address that takes part in every event with people, if there is one."""
    common: set[str] | None = None
    for event in calendar.walk("VEVENT"):
        found = attendance(event)
        present = set(found.people) | set(found.declined) if found is not None else set()
        if present:
            common = present if common is None else common & present
    return common if common is not None and len(common) == 1 else set()


def has_shared_events(calendar: Calendar) -> bool:
    """True when some event has two people or more taking part (the user and another): the
    only events that can be meetings, whoever the user is."""
    for event in calendar.walk("VEVENT"):
        found = attendance(event)
        if found is not None and len(found.people) >= 2:
            return True
    return False


def takes_part(calendar: Calendar, me: set[str]) -> set[str]:
    """Those of the user's addresses that appear in some event of the calendar."""
    seen: set[str] = set()
    for event in calendar.walk("VEVENT"):
        found = attendance(event)
        if found is not None:
            seen |= (set(found.people) | set(found.declined)) & me
    return seen


# -- one occurrence ---------------------------------------------------------------------------


def is_online(event: Component) -> bool:
    """True when the event carries a video-call link (or a Google conference)."""
    if event.get("X-GOOGLE-CONFERENCE"):
        return True
    for name in _LINK_FIELDS:
        for value in _addresses(event, name):
            for url in _URL.findall(str(value)):
                host = hostname(url)
                if host.startswith("meet.") or any(
                    host == h or host.endswith(f".{h}") for h in VIDEO_HOSTS
                ):
                    return True
    return False


def channel_for(people: int, online: bool) -> Channel | None:
    """The channel of an event with `people` participants (the user included)."""
    if people < 2 or people > MAX_PEOPLE:
        return None
    if online:
        return Channel.VIDEO
    return Channel.MEETING if people == 2 else Channel.GATHERING


def _aware(moment: datetime, tz: str) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone(tz))


def _moment(value: object, tz: str) -> datetime | None:
    """A timed value as an aware datetime; None for a date (all-day)."""
    moment = getattr(value, "dt", value)
    if isinstance(moment, datetime):
        return _aware(moment, tz)
    return None


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def external_id(uid: str, slot: datetime, email: str) -> str:
    """UID + the occurrence's original start (UTC) + the attendee; hashed when too long."""
    return stable_id(f"{uid}/{_utc_text(slot)}/{email}")


@dataclass(frozen=True, slots=True)
class Meeting:
    """One past occurrence that counts: when, how, how long, with whom."""

    uid: str
    slot: datetime  # the original start (RECURRENCE-ID), stable when an occurrence moves
    start: datetime
    channel: Channel
    minutes: int | None
    title: str | None
    others: tuple[Participant, ...]


def meeting_of(event: Component, me: set[str], tz: str) -> Meeting | None:
    """The meeting an occurrence stands for, or None when it does not count."""
    start = _moment(event.get("DTSTART"), tz)
    if start is None or str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    found = attendance(event)
    if found is None or not (set(found.people) & me):
        return None
    end = _moment(event.get("DTEND"), tz)
    length = (end - start) if end is not None else _duration(event)
    if length >= LONGEST:
        return None
    channel = channel_for(len(found.people), is_online(event))
    if channel is None:
        return None
    slot = _moment(event.get("RECURRENCE-ID"), tz) or start
    title = " ".join(str(event.get("SUMMARY", "")).split()) or None
    uid = str(event.get("UID", "")).strip() or _uid_of(title, start)
    minutes = round(length.total_seconds() / 60)
    return Meeting(
        uid=uid,
        slot=slot,
        start=start.astimezone(UTC),
        channel=channel,
        minutes=minutes if minutes > 0 else None,
        title=title,
        others=tuple(p for e, p in sorted(found.people.items()) if e not in me),
    )


def _duration(event: Component) -> timedelta:
    value = getattr(event.get("DURATION"), "dt", None)
    return value if isinstance(value, timedelta) else timedelta(0)


def _uid_of(title: str | None, start: datetime) -> str:
    return "nouid:" + hashlib.sha1(f"{title or ''}/{_utc_text(start)}".encode()).hexdigest()[:20]


# -- reading the file -------------------------------------------------------------------------


def read_calendars(archive: Archive, name: str) -> list[Calendar]:
    """The calendars of one .ics member (usually one), parsed whole; a file cut short or
    damaged is refused. Events without a start (invalid) are dropped."""
    data = archive.read_bytes(name)
    where = member_label(archive, name)
    if not data.rstrip().upper().endswith(b"END:VCALENDAR"):
        raise ImportFailed(f"{where} does not end with END:VCALENDAR; it is cut short or damaged.")
    try:
        found: list[Calendar] = list(Calendar.from_ical(data, multiple=True))
    except ValueError as exc:
        raise ImportFailed(f"{where} is not a readable iCalendar file ({exc}).") from exc
    for calendar in found:
        calendar.subcomponents = [
            c for c in calendar.subcomponents if c.name != "VEVENT" or c.get("DTSTART") is not None
        ]
    return found


def calendar_owner(head: bytes) -> str | None:
    """The calendar's name when it is an e-mail address (Google names the main calendar so)."""
    found = _CALNAME.search(head)
    if not found:
        return None
    owner = email_of(found.group(1).decode("utf-8", errors="ignore"))
    return owner[0] if owner else None


def calendars(archive: Archive) -> list[tuple[str, bytes]]:
    """(member, first bytes) of every calendar file in the export."""
    names = archive.names() if archive.is_single_file else archive.find(*CALENDAR_FILES)
    found: list[tuple[str, bytes]] = []
    for name in names:
        with archive.open_binary(name) as stream:
            head = stream.read(SNIFF_BYTES)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR":
            found.append((name, head))
    return found


def _earliest(calendar: Calendar, tz: str) -> datetime | None:
    """The first timed start in the calendar (all-day events never count), not before
    EPOCH: an event dated earlier is a placeholder, and expanding from there is slow."""
    starts = [
        _aware(value, tz)
        for event in calendar.walk("VEVENT")
        if isinstance(value := getattr(event.get("DTSTART"), "dt", None), datetime)
    ]
    return max(min(starts), EPOCH) if starts else None


#: a recurrence that could happen more often than this in a day is no meeting with people
#: (`FREQ=MINUTELY`: 1,440 a day, 610,561 meetings from a 400-byte file); it is read as its
#: first occurrence alone, and the import says so (issue 12, probe 7)
MAX_PER_DAY = 24
#: at most this many occurrences of one series are read (a daily meeting for 27 years)
MAX_PER_SERIES = 10_000

_PER_DAY = {
    "SECONDLY": 86_400.0,
    "MINUTELY": 1_440.0,
    "HOURLY": 24.0,
    "DAILY": 1.0,
    "WEEKLY": 1 / 7,
    "MONTHLY": 1 / 28,
    "YEARLY": 1 / 365,
}
#: the parts of a rule that add occurrences within each period of a coarser frequency
_EXPANDING = {
    "SECONDLY": (),
    "MINUTELY": ("BYSECOND",),
    "HOURLY": ("BYMINUTE", "BYSECOND"),
    "DAILY": ("BYHOUR", "BYMINUTE", "BYSECOND"),
    "WEEKLY": ("BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"),
    "MONTHLY": ("BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"),
    "YEARLY": ("BYMONTH", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"),
}


def per_day(rule: object) -> float:
    """At most how many times a day a recurrence rule (icalendar's vRecur) can happen; 0 for
    a rule that cannot be read (the whole series is then skipped, as before)."""
    try:
        frequency = str(rule["FREQ"][0]).upper()  # type: ignore[index]
        interval = max(1, int((rule.get("INTERVAL") or [1])[0]))  # type: ignore[attr-defined]
        bound = _PER_DAY[frequency] / interval
        for part in _EXPANDING[frequency]:
            bound *= max(1, len(rule.get(part) or ()))  # type: ignore[attr-defined]
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return 0.0
    return bound


def tame(calendar: Calendar) -> list[str]:
    """Read a recurrence that could happen more than MAX_PER_DAY times a day as its first
    occurrence alone; returns the titles of those events."""
    tamed = []
    for event in calendar.walk("VEVENT"):
        rules = event.get("RRULE")
        if rules is None:
            continue
        if any(per_day(r) > MAX_PER_DAY for r in (rules if isinstance(rules, list) else [rules])):
            del event["RRULE"]
            event.pop("RDATE", None)
            tamed.append(" ".join(str(event.get("SUMMARY", "")).split()) or "an event")
    return tamed


def occurrences(
    calendar: Calendar, now: datetime, tz: str, capped: set[str] | None = None
) -> Iterator[Component]:
    """Every timed occurrence that began before `now` (recurrences expanded, exceptions and
    moved occurrences applied), a WINDOW of time at a time: memory holds one window's
    occurrences, and windows are far quicker to expand than one long ordered walk."""
    earliest = _earliest(calendar, tz)
    if earliest is None:
        return
    seen: dict[str, int] = {}
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    end_of_time = now + timedelta(microseconds=1)
    window = earliest
    while window < end_of_time:
        until = min(window + WINDOW, end_of_time)
        # ask with a margin (floating times may be placed in another zone by the library),
        # keep what starts inside the window: each occurrence is kept exactly once
        for event in query.between(window - MARGIN, until + MARGIN):
            start = _moment(event.get("DTSTART"), tz)
            if start is not None and window <= start < until:
                uid = str(event.get("UID", ""))
                seen[uid] = seen.get(uid, 0) + 1
                if seen[uid] > MAX_PER_SERIES:
                    if capped is not None:
                        capped.add(" ".join(str(event.get("SUMMARY", "")).split()) or uid)
                    continue
                yield event
        window = until


class IcsImporter(Importer):
    source = "ics"
    title = "an iCalendar (.ics) calendar export"

    def identify(self, path: Path) -> bool:
        try:
            with Archive(path) as archive:
                return bool(calendars(archive))
        except OSError:
            return False

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            found = calendars(archive)
            owners = {o for _, head in found if (o := calendar_owner(head))}
            me = own_emails(options.myself) | owners
            known: dict[str, str | None] = {}  # contact key -> name given
            told: set[str] = set()
            for name, _ in found:
                for calendar in read_calendars(archive, name):
                    where = member_label(archive, name)
                    try:
                        yield from self._calendar(calendar, where, me, owners, told, known, options)
                    except ValueError as exc:  # icalendar reads a property only when it is used
                        if _BROKEN.search(str(exc)) is None:
                            raise
                        raise ImportFailed(_broken(where, exc)) from exc

    def _calendar(
        self,
        calendar: Calendar,
        where: str,
        me: set[str],
        owners: set[str],
        told: set[str],
        known: dict[str, str | None],
        options: Options,
    ) -> Iterator[Record]:
        """The records of one calendar file: the user's addresses in it, its meetings."""
        if not has_shared_events(calendar):
            yield Note(
                f"{_titled(calendar, where)}: no event in it has another person as a guest "
                "(the calendar's own address, rooms and resources are not people); nothing to "
                "import."
            )
            return
        mine = self._whoami(calendar, me, where)
        fresh = (mine | owners) - told
        if fresh:
            told |= fresh
            handles = tuple(Handle("email", e) for e in sorted(fresh))
            yield Me(handles, _my_name(calendar, fresh))
        yield from self._touches(calendar, mine, options, known)

    @staticmethod
    def _whoami(calendar: Calendar, me: set[str], where: str) -> set[str]:
        """The user's addresses in this calendar, which has shared events."""
        mine = takes_part(calendar, me) or infer_me(calendar)
        if mine:
            return mine
        if not me:
            raise ImportFailed(
                f"kith cannot tell which attendee is you in {where}; pass your e-mail address "
                "with --me."
            )
        shown = " or ".join(sorted(me)[:3]) + (f" (or {len(me) - 3} more)" if len(me) > 3 else "")
        raise ImportFailed(
            f"kith cannot tell which attendee is you in {where}: no event in it has {shown} "
            "as a guest; pass the e-mail address its invitations use for you with --me."
        )

    @staticmethod
    def _touches(
        calendar: Calendar, mine: set[str], options: Options, known: dict[str, str | None]
    ) -> Iterator[Record]:
        for title in tame(calendar):
            yield Note(
                f"'{title}' repeats more than {MAX_PER_DAY} times a day, which no meeting "
                "with people does: only its first occurrence was read."
            )
        capped: set[str] = set()
        for event in occurrences(calendar, options.now, options.tz, capped):
            meeting = meeting_of(event, mine, options.tz)
            if meeting is None:
                continue
            for person in meeting.others:
                key = f"email:{person.email}"
                if key not in known or (person.name and not known[key]):
                    known[key] = person.name
                    yield Contact(key, person.name, (Handle("email", person.shown),))
                yield Touch(
                    external_id=external_id(meeting.uid, meeting.slot, person.email),
                    contact=key,
                    occurred_at=meeting.start,
                    channel=meeting.channel,
                    direction=Direction.BOTH,
                    text=meeting.title,
                    minutes=meeting.minutes,
                )
        for title in sorted(capped):
            yield Note(
                f"'{title}' repeats more than {MAX_PER_SERIES:,} times before today: only the "
                f"first {MAX_PER_SERIES:,} were read."
            )


_BROKEN = re.compile(r"on broken property '([^']+)'[^:]*: (.*)$", re.DOTALL)


def _broken(where: str, exc: Exception) -> str:
    """An event property the calendar library could not read (its BrokenCalendarProperty),
    in words: which one, and why ("an event's DTSTART cannot be read (Expected time, got:
    garbage)")."""
    found = _BROKEN.search(str(exc))
    assert found is not None
    what, why = found.groups()
    return f"{where}: an event's {what} cannot be read ({' '.join(why.split())[:120]})."


def _titled(calendar: Calendar, where: str) -> str:
    """The calendar as the user knows it: its name (X-WR-CALNAME) and its file."""
    title = " ".join(str(calendar.get("X-WR-CALNAME", "")).split())
    return f"Calendar '{title}' ({where})" if title else where


def _my_name(calendar: Calendar, mine: set[str]) -> str | None:
    for event in calendar.walk("VEVENT"):
        found = attendance(event)
        if found is None:
            continue
        for email in sorted(mine):
            person = found.people.get(email)
            if person is not None and person.name:
                return person.name
    return None


IMPORTER = IcsImporter()
