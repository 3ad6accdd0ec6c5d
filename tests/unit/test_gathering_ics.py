"""A gathering's `.ics` (`kith.calendar_files.gathering`) is a published event: valid RFC 5545
that calendar programs open as an event to add, not as an invitation to answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from kith.calendar_files import Guest, gathering, guest_list

START = datetime(2026, 12, 12, 19, 0, tzinfo=UTC)
STAMP = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
GUESTS = [
    Guest(1, "Ana Example", "ana@example.org", "yes"),
    Guest(2, "Bo <script>Builder</script>, Jr.; the second", None, "pending"),
    Guest(3, "Zoë Ångström-Çelik", "zoe@example.org", "maybe"),
    Guest(4, "Cy Outsider", None, "no"),
    *(Guest(10 + i, f"Guest Number {i}", None, "pending") for i in range(6)),
]


def _ics(guests: list[Guest] = GUESTS) -> bytes:
    return gathering(
        "kith-gathering-7@kith",
        "Send-off for Ana: drinks, then dinner at the long table by the window",
        START,
        150,
        "Bar Lumen, Rua do Almada 12, Porto",
        guests,
        STAMP,
        ("Sam Planner", "sam@example.org"),
    )


def test_it_parses_as_one_published_event_with_what_rfc_5545_requires():
    calendar = icalendar.Calendar.from_ical(_ics())
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == "-//kith//kith relationship planner//EN"
    assert str(calendar["method"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == "kith-gathering-7@kith"
    assert event.decoded("dtstamp") == STAMP
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + timedelta(minutes=150)
    assert str(event["summary"]).startswith("Send-off for Ana")
    assert str(event["location"]) == "Bar Lumen, Rua do Almada 12, Porto"


def test_it_names_no_organizer_and_no_attendee_and_no_address():
    data = _ics()
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event
    unfolded = data.replace(b"\r\n ", b"")
    for word in (b"ORGANIZER", b"ATTENDEE", b"urn:kith", b"mailto:", b"RSVP", b"PARTSTAT"):
        assert word not in unfolded
    assert b"@example.org" not in unfolded  # the guests' and the planner's e-mail addresses


def test_the_guests_and_their_answers_are_in_the_description():
    (event,) = icalendar.Calendar.from_ical(_ics()).walk("VEVENT")
    assert str(event["description"]) == guest_list(GUESTS, "Sam Planner")
    assert str(event["description"]).splitlines() == [
        "Planned by Sam Planner.",
        "Guests: Ana Example (coming), Bo <script>Builder</script>, Jr.; the second, "
        "Zoë Ångström-Çelik (maybe), Cy Outsider (not coming), "
        + ", ".join(f"Guest Number {i}" for i in range(6))
        + ".",
    ]
    # commas and semicolons in a name are escaped as text, not read as separators
    assert b"Bo <script>Builder</script>\\, Jr.\\; the second" in _ics().replace(b"\r\n ", b"")


def test_a_gathering_without_guests_or_planner_says_so_plainly():
    assert guest_list([]) == "Planned with kith."
    calendar = icalendar.Calendar.from_ical(
        gathering("g@kith", "Picnic", START, 60, "Park", [], STAMP)
    )
    (event,) = calendar.walk("VEVENT")
    assert str(event["description"]) == "Planned with kith."


def test_lines_end_in_crlf_and_are_folded_at_75_octets():
    data = _ics()
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines)  # the long description was folded
    for line in lines:
        line.decode("utf-8")  # never folded inside a multi-byte character
    assert lines[0] == b"BEGIN:VCALENDAR"
