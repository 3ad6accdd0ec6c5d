"""The calendar (.ics) importer: past meetings, expanded recurrences, who took part."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.ics import IMPORTER, channel_for, email_of, own_emails
from kith.ingest.records import Contact, Handle, Me, Note, Touch
from tests.conftest import CLI
from tests.ingest.contract import imports_cleanly, refuses, truncated, wrong_format, zipped

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ics"
SAMPLE = FIXTURES / "meetings.ics"
QUIRKS = FIXTURES / "google_quirks.ics"
OUTLOOK = FIXTURES / "outlook_no_owner.ics"
GROUP = FIXTURES / "google_group_calendar.ics"
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def records(path: Path, *me: str, now: datetime = NOW, tz: str = "UTC") -> list[Any]:
    return list(IMPORTER.extract(path, Options(me=me, now=now, tz=tz)))


def touches(path: Path, *me: str, now: datetime = NOW, tz: str = "UTC") -> list[Touch]:
    return [r for r in records(path, *me, now=now, tz=tz) if isinstance(r, Touch)]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def seen(found: list[Touch]) -> set[tuple[str, datetime, str, int | None]]:
    return {(t.contact, t.occurred_at, t.channel.value, t.minutes) for t in found}


def calendar(*events: str, header: str = "X-WR-CALNAME:Calendar") -> str:
    body = "\r\n".join(events)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{header}\r\n{body}\r\n"
        "END:VCALENDAR\r\n"
    )


def event(uid: str, start: str, end: str, *people: str, extra: str = "") -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART{start}", f"DTEND{end}", "SUMMARY:Chat"]
    lines += [f"ATTENDEE;PARTSTAT=ACCEPTED;CN={p.split('@')[0].title()}:mailto:{p}" for p in people]
    if extra:
        lines.append(extra)
    return "\r\n".join([*lines, "END:VEVENT"])


# -- records ------------------------------------------------------------------------------


def test_sample_calendar_gives_a_meeting_and_monthly_video_calls():
    got = records(SAMPLE)
    me = next(r for r in got if isinstance(r, Me))
    assert me == Me((Handle("email", "sam@example.com"),), "Sam Example")  # X-WR-CALNAME
    people = {r.key: r for r in got if isinstance(r, Contact)}
    assert set(people) == {"email:priya@northwind.example", "email:jonas@example.com"}
    assert people["email:priya@northwind.example"].name == "Priya Raman"
    found = [t for t in got if isinstance(t, Touch)]
    assert {t.direction for t in found} == {Direction.BOTH}
    priya = [t for t in found if t.contact == "email:priya@northwind.example"]
    assert seen(priya) == {
        ("email:priya@northwind.example", utc(2024, 3, 15, 14), "meeting", 60)  # the room is no one
    }
    jonas = sorted(t.occurred_at for t in found if t.contact == "email:jonas@example.com")
    assert len(jonas) == 6  # RRULE:FREQ=MONTHLY;COUNT=6
    assert {t.channel for t in found if t.contact == "email:jonas@example.com"} == {Channel.VIDEO}
    # Google's UTC times with X-WR-TIMEZONE recur at the same local time in that zone
    chicago = {m.astimezone(ZoneInfo("America/Chicago")).hour for m in jonas}
    assert chicago == {10}


def test_google_quirks_recurrences_rooms_declines_and_sizes():
    found = touches(QUIRKS)
    assert seen(found) == {
        # weekly 1:1 with a Meet link: EXDATE 19 Jan, 26 Jan moved to 27 Jan 15:00 and 45
        # minutes long, 2 Feb cancelled by its own override
        ("email:mara@example.net", utc(2026, 1, 5, 9), "video", 30),
        ("email:mara@example.net", utc(2026, 1, 12, 9), "video", 30),
        ("email:mara@example.net", utc(2026, 1, 27, 14), "video", 45),
        ("email:mara@example.net", utc(2026, 2, 9, 9), "video", 30),
        # lunch: Ursula declined, a room and a resource do not count: a meeting of two
        ("email:tom@example.com", utc(2026, 3, 10, 11, 30), "meeting", 60),
        # dinner of four, floating local times read in X-WR-TIMEZONE (Berlin, summer time)
        ("email:ana@example.com", utc(2026, 4, 2, 17), "gathering", 180),
        ("email:bo@example.com", utc(2026, 4, 2, 17), "gathering", 180),
        ("email:cy@example.com", utc(2026, 4, 2, 17), "gathering", 180),
        # team of five on Zoom: video with each
        ("email:ana@example.com", utc(2026, 5, 6, 9), "video", 25),
        ("email:bo@example.com", utc(2026, 5, 6, 9), "video", 25),
        ("email:dee@example.com", utc(2026, 5, 6, 9), "video", 25),
        ("email:eve@example.com", utc(2026, 5, 6, 9), "video", 25),
        # a Teams link in the description; the organizer is not listed as an attendee
        ("email:ivy@example.com", utc(2026, 7, 7, 8), "video", 40),
        # an open-ended weekly Jitsi call: only the occurrences before now
        ("email:gus@example.com", utc(2026, 11, 2, 16), "video", 60),
        ("email:gus@example.com", utc(2026, 11, 9, 16), "video", 60),
        ("email:gus@example.com", utc(2026, 11, 16, 16), "video", 60),
    }
    # left out: town hall (20 people), the cancelled coffee, the all-day offsite, the pitch
    # the user declined, the future demo day, the focus block without attendees
    keys = {r.key for r in records(QUIRKS) if isinstance(r, Contact)}
    assert not {"email:ursula@example.com", "email:fay@example.com", "email:hal@example.com"} & keys
    assert not any("staff" in k or "resource" in k for k in keys)
    assert len(found) == len({t.external_id for t in found})


def test_a_moved_occurrence_keeps_the_id_of_its_original_slot():
    moved = next(t for t in touches(QUIRKS) if t.occurred_at == utc(2026, 1, 27, 14))
    assert moved.external_id == "weekly-mara@google.com/2026-01-26T09:00:00Z/mara@example.net"
    assert moved.text == "1:1 Lee / Mara (moved)"


def test_external_ids_are_stable_across_runs():
    first = [t.external_id for t in touches(QUIRKS)]
    assert first == [t.external_id for t in touches(QUIRKS)]
    long_uid = next(t for t in touches(QUIRKS) if t.contact == "email:ivy@example.com")
    assert long_uid.external_id.startswith("040000008200E00074C5B7101A82E008")


def test_only_what_happened_before_now_counts():
    early = touches(QUIRKS, now=utc(2026, 1, 13))
    assert seen(early) == {
        ("email:mara@example.net", utc(2026, 1, 5, 9), "video", 30),
        ("email:mara@example.net", utc(2026, 1, 12, 9), "video", 30),
    }
    assert touches(QUIRKS, now=utc(2025, 12, 1)) == []


def test_the_user_is_inferred_when_the_calendar_does_not_say():
    got = records(OUTLOOK)
    assert next(r for r in got if isinstance(r, Me)).handles == (
        Handle("email", "noor@corp.example"),
    )
    assert seen([t for t in got if isinstance(t, Touch)]) == {
        # TZID "W. Europe Standard Time" from the file's own VTIMEZONE
        ("email:pat@partner.example", utc(2026, 3, 3, 9), "meeting", 60),
        ("email:rui@partner.example", utc(2026, 3, 17, 13), "video", 30),  # whereby
    }


def test_an_ambiguous_calendar_asks_for_me(tmp_path):
    path = tmp_path / "one.ics"
    path.write_text(
        calendar(
            event("u1", ":20260303T100000Z", ":20260303T110000Z", "a@x.example", "b@x.example")
        )
    )
    with pytest.raises(ImportFailed, match="--me"):
        records(path)
    found = touches(path, "email:b@x.example")
    assert seen(found) == {("email:a@x.example", utc(2026, 3, 3, 10), "meeting", 60)}
    assert touches(path, "A@X.example")[0].contact == "email:b@x.example"


def test_floating_times_without_a_calendar_zone_use_the_given_zone(tmp_path):
    path = tmp_path / "floating.ics"
    path.write_text(
        calendar(event("u1", ":20260303T100000", ":20260303T103000", "me@x.example", "a@x.example"))
    )
    (touch,) = touches(path, "me@x.example", tz="America/New_York")
    assert touch.occurred_at == utc(2026, 3, 3, 15)


def test_events_of_a_day_or_more_and_without_people_are_left_out(tmp_path):
    path = tmp_path / "long.ics"
    path.write_text(
        calendar(
            event("trip", ":20260303T080000Z", ":20260305T080000Z", "me@x.example", "a@x.example"),
            event("solo", ":20260306T080000Z", ":20260306T090000Z", "me@x.example"),
            event("ok", ":20260307T080000Z", ":20260307T080000Z", "me@x.example", "a@x.example"),
        )
    )
    (touch,) = touches(path, "me@x.example")
    assert (touch.occurred_at, touch.minutes) == (utc(2026, 3, 7, 8), None)  # no length given


def test_a_calendar_without_shared_events_gives_nothing_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "holidays.ics"
    path.write_text(
        calendar(
            event("h", ";VALUE=DATE:20261225", ";VALUE=DATE:20261226"),
            event("solo", ":20260306T080000Z", ":20260306T090000Z", "me@x.example"),
            header="X-WR-CALNAME:Holidays",
        )
    )
    assert records(path) == [
        Note(
            "Calendar 'Holidays' (holidays.ics): no event in it has another person as a guest "
            "(the calendar's own address, rooms and resources are not people); nothing to "
            "import."
        )
    ]


def test_broken_events_are_skipped_and_the_rest_imported(tmp_path):
    path = tmp_path / "broken.ics"
    path.write_text(
        calendar(
            event(
                "bad-rule",
                ":20260101T100000Z",
                ":20260101T110000Z",
                "me@x.example",
                "a@x.example",
                extra="RRULE:FREQ=SOMETIMES;COUNT=x",
            ),
            "BEGIN:VEVENT\r\nUID:no-start\r\nATTENDEE:mailto:me@x.example\r\n"
            "ATTENDEE:mailto:a@x.example\r\nEND:VEVENT",
            event("good", ":20260102T100000Z", ":20260102T110000Z", "me@x.example", "a@x.example"),
        )
    )
    assert [t.external_id for t in touches(path, "me@x.example")] == [
        "good/2026-01-02T10:00:00Z/a@x.example"
    ]


def test_several_calendars_in_one_file(tmp_path):
    path = tmp_path / "two.ics"
    one = event("u1", ":20260102T100000Z", ":20260102T110000Z", "me@x.example", "a@x.example")
    two = event("u2", ":20260103T100000Z", ":20260103T110000Z", "me@x.example", "b@x.example")
    path.write_text(calendar(one) + calendar(two))
    assert {t.contact for t in touches(path, "me@x.example")} == {
        "email:a@x.example",
        "email:b@x.example",
    }


def test_long_series_are_expanded_window_by_window_each_occurrence_once(tmp_path):
    path = tmp_path / "years.ics"
    weekly = event(
        "weekly",
        ":20230102T000030",  # floating, just after midnight: near every window's edge
        ":20230102T003000",
        "me@x.example",
        "a@x.example",
        extra="RRULE:FREQ=WEEKLY;COUNT=160",
    )
    path.write_text(calendar(weekly))
    found = touches(path, "me@x.example", tz="Pacific/Auckland")
    assert len(found) == len({t.external_id for t in found}) == 160
    first = min(t.occurred_at for t in found)
    assert first == datetime(2023, 1, 2, 0, 0, 30, tzinfo=ZoneInfo("Pacific/Auckland"))


def test_group_sizes():
    assert channel_for(1, False) is None
    assert channel_for(2, False) is Channel.MEETING
    assert channel_for(2, True) is Channel.VIDEO
    assert channel_for(3, False) is Channel.GATHERING
    assert channel_for(12, True) is Channel.VIDEO
    assert channel_for(13, False) is None


def test_a_google_export_zip_of_several_calendars(tmp_path):
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "lee@example.org.ics").write_bytes(QUIRKS.read_bytes())
    (folder / "Family.ics").write_text(
        calendar(
            event(
                "fam", ":20260801T100000Z", ":20260801T120000Z", "lee@example.org", "mum@x.example"
            ),
            header="X-WR-CALNAME:Family",
        )
    )
    found = touches(zipped(folder, tmp_path, "calendars.zip"))
    assert ("email:mum@x.example", utc(2026, 8, 1, 10), "meeting", 120) in seen(found)
    assert len(found) == len(touches(QUIRKS)) + 1


def test_a_calendar_cut_short_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="cut short"):
        records(truncated(QUIRKS, tmp_path))


def test_identify(tmp_path):
    assert IMPORTER.identify(SAMPLE)
    assert not IMPORTER.identify(wrong_format(tmp_path))
    vcf = Path(__file__).parent.parent / "fixtures" / "vcard" / "google_contacts_style_v3.vcf"
    assert not IMPORTER.identify(vcf)


# -- shared (group) calendars -----------------------------------------------------------------

GROUP_NOTE = Note(
    "Calendar 'Book Club' (google_group_calendar.ics): no event in it has another person as a "
    "guest (the calendar's own address, rooms and resources are not people); nothing to import."
)


@pytest.mark.parametrize(
    "address",
    [
        "c_3f9a1b2c4d5e6f708192a3b4c5d6e7f8@group.calendar.google.com",
        "mailto:C_188D2E4F6A8B0C2D@Resource.Calendar.Google.com",
        "8h2j4k6l8m0n2p4q6r8s0t2v4w@import.calendar.google.com",
        "unknownorganizer@calendar.google.com",
        "en.usa#holiday@group.v.calendar.google.com",
    ],
)
def test_calendar_addresses_are_never_people_nor_the_user(address: str) -> None:
    assert email_of(address) is None
    assert own_emails([address, f"email:{address.removeprefix('mailto:')}"]) == set()
    assert own_emails(["sam@example.com"]) == {"sam@example.com"}


@pytest.mark.parametrize("me", [(), ("sam@example.com",), ("email:sam@example.com",)])
def test_a_group_calendar_without_guests_imports_nothing_and_says_so(me: tuple[str, ...]) -> None:
    """Every event's only 'guests' are the calendar's own address, a room, Google's
    placeholder organizer of imported events and another calendar: no one to meet, whoever
    the user is, and an address of theirs that appears nowhere is accepted."""
    assert records(GROUP, *me) == [GROUP_NOTE]


def test_a_group_calendar_with_guests_needs_to_know_you(tmp_path: Path) -> None:
    book = "c_3f9a1b2c4d5e6f708192a3b4c5d6e7f8@group.calendar.google.com"
    path = tmp_path / "club.ics"
    path.write_text(
        calendar(
            event("u1", ":20260303T190000Z", ":20260303T210000Z", book),
            event(
                "u2",
                ":20260310T190000Z",
                ":20260310T210000Z",
                book,
                "ana@x.example",
                "bo@x.example",
            ),
            header="X-WR-CALNAME:Book Club",
        )
    )
    with pytest.raises(ImportFailed, match="pass your e-mail address with --me"):
        records(path)
    with pytest.raises(
        ImportFailed,
        match=r"in club.ics: no event in it has sam@example.com or sam@work.example as a "
        "guest; pass the e-mail address its invitations use for you with --me",
    ):
        records(path, "sam@example.com", "sam@work.example")
    found = touches(path, "bo@x.example")
    assert seen(found) == {("email:ana@x.example", utc(2026, 3, 10, 19), "meeting", 120)}


# -- through the CLI ----------------------------------------------------------------------


def test_cli_imports_meetings_and_the_people_met(cli):
    summary = imports_cleanly(cli, "ics", QUIRKS)
    assert summary["interactions_added"] == 16
    names = sorted(p["name"] for p in cli.json("people"))
    assert names == [
        "Ana Costa",
        "Bo Chen",
        "Dee Park",
        "Eve Stone",
        "Gus Ortega",
        "Ivy Tan",
        "Mara Lind",
        "Tom Berger",
        "cy@example.com",
    ]
    tom = cli.json("show", "email:tom@example.com")
    assert tom["stage"] == "met"
    assert {"met": "2026-03-10T11:30:00+00:00"}.items() <= {
        m["kind"]: m["at"] for m in tom["milestones"]
    }.items()
    mara = cli.json("show", "email:mara@example.net")
    assert mara["stage"] == "voice"  # video calls only
    assert mara["identities"] == [{"platform": "email", "handle": "mara@example.net"}]


def test_cli_a_calendar_meeting_lands_on_the_person_from_the_address_book(cli, tmp_path):
    card = tmp_path / "priya.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Priya Raman\r\nEMAIL:priya@northwind.example\r\n"
        "URL:https://x.com/priya_r\r\nEND:VCARD\r\n"
    )
    cli.json("import", "vcard", str(card))
    summary = imports_cleanly(cli, "ics", SAMPLE)
    assert summary["people_matched"] == 1
    priya = cli.json("show", "x:priya_r")
    assert priya["stage"] == "met"
    assert {i["platform"] for i in priya["identities"]} == {"email", "x"}


def test_cli_imports_a_zip_and_needs_me_only_when_it_cannot_tell(cli, tmp_path):
    imports_cleanly(cli, "ics", zipped(FIXTURES, tmp_path))
    lone = tmp_path / "lone.ics"
    lone.write_text(
        calendar(
            event("u1", ":20260303T100000Z", ":20260303T110000Z", "a@y.example", "b@y.example")
        )
    )
    refuses(cli, "ics", lone, "--me")
    summary = cli.json("import", "ics", str(lone), "--me", "b@y.example")
    assert summary["interactions_added"] == 1


def test_cli_refuses_a_truncated_calendar(cli, tmp_path):
    refuses(cli, "ics", truncated(QUIRKS, tmp_path), "cut short")


def test_cli_refuses_a_wrong_format(cli, tmp_path):
    refuses(cli, "ics", wrong_format(tmp_path), "does not look like")


def test_cli_refuses_a_truncated_zip(cli, tmp_path):
    refuses(cli, "ics", truncated(zipped(FIXTURES, tmp_path), tmp_path), "zip")


def test_cli_a_group_calendar_imports_nothing_and_says_why(sqlite_cli: CLI) -> None:
    for me in ((), ("--me", "sam@example.com")):
        result = sqlite_cli("import", "ics", str(GROUP), *me)
        assert result.code == 0, result.err
        assert "0 interactions added" in result.out
        assert f"Note: {GROUP_NOTE.text}" in " ".join(result.err.split())
        summary = sqlite_cli.json("import", "ics", str(GROUP), *me)
        assert summary["interactions_added"] == summary["people_created"] == 0
        assert summary["warnings"] == [GROUP_NOTE.text]
    assert sqlite_cli.json("people") == []


# -- recurrences no meeting has (issue 12, probe 7) ----------------------------------------

DENSE = [
    ("every minute", "RRULE:FREQ=MINUTELY"),
    ("every second", "RRULE:FREQ=SECONDLY"),
    (
        "every minute of every hour",
        "RRULE:FREQ=DAILY;BYHOUR="
        + ",".join(map(str, range(24)))
        + ";BYMINUTE="
        + ",".join(map(str, range(60))),
    ),
]


@pytest.mark.parametrize("rule", [r for _, r in DENSE], ids=[n for n, _ in DENSE])
def test_a_recurrence_denser_than_any_meeting_is_read_once(tmp_path: Path, rule: str) -> None:
    """A 400-byte file with FREQ=MINUTELY imported 610,561 meetings in 2 minutes and 1.5 GB;
    FREQ=SECONDLY never ended. Such a series is read as its first occurrence, and said."""
    path = tmp_path / "dense.ics"
    path.write_text(
        calendar(
            event(
                "dense-1",
                ":20250101T090000Z",
                ":20250101T093000Z",
                "me@example.org",
                "ana@example.org",
                extra=rule,
            )
        ),
        "utf-8",
    )
    got = records(path, "email:me@example.org")
    found = [r for r in got if isinstance(r, Touch)]
    assert [t.occurred_at for t in found] == [utc(2025, 1, 1, 9)]
    notes = [r.text for r in got if isinstance(r, Note)]
    assert any("repeats more than 24 times a day" in n for n in notes), notes


def test_a_weekly_series_is_still_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "weekly.ics"
    path.write_text(
        calendar(
            event(
                "weekly-1",
                ":20260105T090000Z",
                ":20260105T093000Z",
                "me@example.org",
                "ana@example.org",
                extra="RRULE:FREQ=WEEKLY;COUNT=10",
            )
        ),
        "utf-8",
    )
    got = records(path, "email:me@example.org")
    assert len([r for r in got if isinstance(r, Touch)]) == 10
    assert not [r for r in got if isinstance(r, Note)]


def test_a_series_is_read_up_to_its_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kith.ingest import ics

    monkeypatch.setattr(ics, "MAX_PER_SERIES", 30)  # the cap, met by a smaller series
    path = tmp_path / "daily.ics"
    path.write_text(
        calendar(
            event(
                "daily-1",
                ":20260101T090000Z",
                ":20260101T093000Z",
                "me@example.org",
                "ana@example.org",
                extra="RRULE:FREQ=DAILY",
            )
        ),
        "utf-8",
    )
    got = records(path, "email:me@example.org")
    assert len([r for r in got if isinstance(r, Touch)]) == 30
    notes = [r.text for r in got if isinstance(r, Note)]
    assert any("repeats more than 30 times before today: only the first 30" in n for n in notes)


def test_an_event_whose_start_cannot_be_read_is_named_in_words(cli, tmp_path):
    """Found by reading the fuzzer's refusals: the calendar library's own words ("Cannot
    access 'dt' on broken property 'DTSTART' (expected 'vDDDTypes'): ...")."""
    broken = tmp_path / "meetings.ics"
    text = SAMPLE.read_text("utf-8")
    start = next(line for line in text.splitlines() if line.startswith("DTSTART"))
    broken.write_text(text.replace(start, "DTSTART:garbage", 1), "utf-8")
    said = refuses(cli, "ics", broken, "an event's DTSTART cannot be read (")
    assert "vDDDTypes" not in said, said
    assert "Cannot access" not in said, said
