"""The calendar feed at `/calendar/TOKEN.ics` (docs/sync.md, "The calendar feed")."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar

from tests.web.conftest import clock


def events(body: bytes) -> dict[str, date]:
    found = {}
    for event in Calendar.from_ical(body).walk("VEVENT"):
        start = event.decoded("DTSTART")
        found[str(event["SUMMARY"])] = start if isinstance(start, date) else start.date()
    return found


def test_the_feed_parses_and_holds_the_coming_follow_ups(base, client):
    person = base.people(sort="name")[0]
    done = base.snooze(str(person["id"]), days=9, action="keep_in_touch")
    token = base.calendar_token()
    answer = client.get(f"/calendar/{token}.ics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    found = events(answer.content)
    assert found[f"Follow up with {person['name']}"].isoformat() == done["until"]
    assert any(title.endswith("'s birthday") for title in found)


def test_a_wrong_or_rotated_token_finds_nothing(base, client):
    old = base.calendar_token()
    assert base.calendar_token() == old  # made once, then kept
    assert client.get(f"/calendar/{old[:-1]}x.ics").status_code == 404
    assert client.get(f"/calendar/{old}.txt").status_code == 404
    new = base.calendar_token(rotate=True)
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_the_cli_prints_the_address_and_rotates_it(sqlite_cli):
    first = sqlite_cli.json("calendar-token")
    assert first["path"] == f"/calendar/{first['token']}.ics"
    assert sqlite_cli.json("calendar-token")["token"] == first["token"]
    assert sqlite_cli.json("calendar-token", "--rotate")["token"] != first["token"]


assert clock  # the web tests' clock: the snooze's day is counted from it
