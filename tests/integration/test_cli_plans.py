"""Trips and gatherings through the CLI (issue 4: places and gatherings)."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from tests.conftest import CLI, snapshot


def day(d: str) -> str:
    return f"{d}T12:00:00Z"


def talk(cli: CLI, name: str, first: str = "2026-01-05") -> None:
    """A conversation that makes someone ready for a real-life ask by March."""
    cli.ok("log", name, "reply", "--in", now=day(first))
    for d in ("2026-02-10", "2026-02-15", "2026-02-20"):
        cli.ok("log", name, "dm", "--in", now=day(d))
        cli.ok("log", name, "dm", "--out", now=day(d))


@pytest.fixture
def portland(cli: CLI) -> CLI:
    """Home in Chicago; three people in Portland, Oregon (one ready, one backing off, one
    only noticed) and one in Salem, about 70 km away, and one in Eugene, about 170 km."""
    cli.ok("init", "--city", "Chicago", now=day("2026-01-01"))
    for name in ("Ready Rae", "Cold Cole", "Noticed Nia"):
        cli.ok("add", name, "--city", "Portland, OR", now=day("2026-01-01"))
    cli.ok("add", "Eugene Eli", "--city", "Eugene, OR", now=day("2026-01-01"))
    talk(cli, "Ready Rae")
    talk(cli, "Cold Cole")
    talk(cli, "Eugene Eli")
    cli.ok("invite", "Cold Cole", now=day("2026-02-21"))
    cli.ok("respond", "Cold Cole", "negative", now=day("2026-02-21"))
    cli.ok("log", "Noticed Nia", "follow", now=day("2026-01-10"))
    return cli


def travel(cli: CLI, when: str) -> dict[str, dict]:
    items = cli.json("today", "--limit", "20", now=day(when))
    return {i["person"]["name"]: i for i in items if i["action"] == "meet_while_travelling"}


def test_a_trip_suggests_meeting_the_right_people_with_the_right_ask(portland):
    cli = portland
    assert travel(cli, "2026-03-01") == {}  # no trip yet
    added = cli.json(
        "trip", "Portland, OR", "--from", "2026-03-20", "--to", "2026-03-23", now=day("2026-03-01")
    )
    assert added["city"] == "Portland, OR, US"
    assert travel(cli, "2026-03-05") == {}  # 15 days before the trip: too early
    found = travel(cli, "2026-03-06")  # 14 days before
    assert set(found) == {"Ready Rae"}  # not the one backing off, not the one only noticed
    rae = found["Ready Rae"]
    assert rae["details"]["ask"] == "coffee"  # a call from Chicago, a coffee while there
    assert rae["details"]["trip"] == "Portland, OR, US"
    assert "Portland" in rae["reason"]
    assert set(travel(cli, "2026-03-23")) == {"Ready Rae"}  # the last day of the trip
    assert travel(cli, "2026-03-24") == {}  # over
    trips = cli.json("trips", now=day("2026-03-21"))
    assert [(t["city"], t["status"]) for t in trips] == [("Portland, OR, US", "now")]


def test_someone_beyond_50_km_is_not_suggested(portland):
    cli = portland
    cli.ok(
        "trip", "Salem, OR", "--from", "2026-03-20", "--to", "2026-03-23", now=day("2026-03-01")
    )  # Portland is ~70 km from Salem, Eugene ~100 km
    assert travel(cli, "2026-03-21") == {}


def test_an_ambiguous_trip_city_lists_candidates_and_writes_nothing(cli):
    cli.ok("people", now=day("2026-03-01"))
    before = snapshot(cli.db)
    result = cli(
        "trip", "Portland", "--from", "2026-03-20", "--to", "2026-03-23", now=day("2026-03-01")
    )
    assert result.code == 2
    assert "Portland, OR, US" in result.err
    assert "Portland, ME, US" in result.err
    assert snapshot(cli.db) == before
    backwards = cli(
        "trip", "Chicago", "--from", "2026-03-20", "--to", "2026-03-10", now=day("2026-03-01")
    )
    assert backwards.code == 2
    assert "before it starts" in backwards.err
    assert snapshot(cli.db) == before


def test_a_gathering_invites_personally_writes_an_ics_and_logs_who_came(cli, tmp_path: Path):
    now = day("2026-03-01")
    cli.ok("add", "Ana Example", "--handle", "email:ana@example.org", "--tag", "crew", now=now)
    cli.ok("add", "Bo <script>Builder</script>", "--tag", "crew", now=now)
    cli.ok("add", "Cy Outsider", now=now)
    cli.ok("remember", "Ana Example", "just moved to Porto", now=now)
    cli.ok("remember", "Ana Example", "is job hunting", "--private", now=now)
    ics = tmp_path / "dinner.ics"
    planned = cli.json(
        "gather",
        "Spring dinner",
        "--at",
        "2026-03-10T19:00",
        "--where",
        "Casa Lumen",
        "--tag",
        "crew",
        "--ics",
        str(ics),
        now=now,
    )
    texts = {g["person"]["name"]: g["invitation"] for g in planned["guests"]}
    assert set(texts) == {"Ana Example", "Bo <script>Builder</script>"}
    assert texts["Ana Example"].startswith("Hi Ana,")
    assert "just moved to Porto" in texts["Ana Example"]
    assert "job hunting" not in texts["Ana Example"]  # private facts never appear
    assert "Spring dinner" in texts["Bo <script>Builder</script>"]

    # a published event: no organizer, no attendees; the guests are named in its description
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    assert str(calendar["method"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Spring dinner"
    assert str(event["location"]) == "Casa Lumen"
    assert "organizer" not in event
    assert "attendee" not in event
    guests = str(event["description"]).splitlines()[-1]
    assert guests == "Guests: " + ", ".join(sorted(texts)) + "."
    assert b"ana@example.org" not in ics.read_bytes()

    cli.ok("rsvp", "Spring dinner", "Ana Example", "yes", now=day("2026-03-02"))
    cli.ok("rsvp", "1", "Bo <script>Builder</script>", "maybe", now=day("2026-03-03"))
    early = cli("attended", "Spring dinner", now=day("2026-03-05"))
    assert early.code == 2
    assert "has not happened yet" in early.err
    done = cli.json("attended", "Spring dinner", now=day("2026-03-11"))
    assert done["attended"] == 1
    ana = cli.json("show", "Ana Example", now=day("2026-03-11"))
    assert {
        "kind": "rsvp_yes",
        "at": "2026-03-02T12:00:00+00:00",
        "gathering": "Spring dinner",
    } in ana["milestones"]
    assert ana["stage"] == "met"
    assert [(r["channel"], r["direction"], r["minutes"]) for r in ana["recent"]] == [
        ("gathering", "both", 180)
    ]
    assert ana["gatherings"][0]["attended"] is True
    again = cli.json("attended", "Spring dinner", now=day("2026-03-12"))  # idempotent
    assert again["attended"] == 1
    assert len(cli.json("show", "Ana Example", now=day("2026-03-12"))["recent"]) == 1
    listed = cli.json("gatherings", now=day("2026-03-12"))
    assert [(g["title"], g["past"], g["rsvp"]["yes"], g["rsvp"]["maybe"]) for g in listed] == [
        ("Spring dinner", True, 1, 1)
    ]


def test_gathering_errors_are_sentences(cli):
    now = day("2026-03-01")
    cli.ok("add", "Ana", now=now)
    cases = [
        (("gather", "Party", "--at", "2026-03-10T19:00", "--where", "Home"), "Say who is invited"),
        (
            ("gather", "Party", "--at", "2026-03-10T19:00", "--where", "Home", "--tag", "nobody"),
            "No one has the tag 'nobody'",
        ),
        (
            ("gather", "Party", "--at", "someday", "--where", "Home", "--invite", "Ana"),
            "is not a date or time",
        ),
        (("rsvp", "No such party", "Ana", "yes"), "No gathering called 'No such party'"),
    ]
    cli.ok("people", now=now)
    before = snapshot(cli.db)
    for args, message in cases:
        result = cli(*args, now=now)
        assert result.code == 2, args
        assert message in result.err
    assert snapshot(cli.db) == before
    cli.ok(
        "gather", "Party", "--at", "2026-03-10T19:00", "--where", "Home", "--invite", "Ana", now=now
    )
    cli.ok("add", "Bo", now=now)
    stranger = cli("rsvp", "Party", "Bo", "yes", now=now)
    assert stranger.code == 2
    assert "not invited" in stranger.err
    bad = cli("rsvp", "Party", "Ana", "perhaps", now=now)
    assert bad.code == 2
    assert "valid answers: pending, yes, no, maybe" in bad.err
