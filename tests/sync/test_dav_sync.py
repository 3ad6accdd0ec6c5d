"""`kith sync` of calendars (CalDAV) and address books (CardDAV) from a real Radicale on
loopback (tests/sync/servers.py)."""

from __future__ import annotations

import pytest

from tests.conftest import CLI
from tests.sync.servers import Radicale
from tests.sync.test_imap_sync import snapshot

NOW = "2026-11-20T12:00:00Z"
ME = "ana@example.org"


def event(uid: str, day: int, guest: str | None, title: str) -> str:
    guests = f"ATTENDEE;CN=Guest;PARTSTAT=ACCEPTED:mailto:{guest}\r\n" if guest else ""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:202611{day:02d}T100000Z\r\n"
        f"DTEND:202611{day:02d}T110000Z\r\nSUMMARY:{title}\r\n"
        f"ORGANIZER;CN=Ana:mailto:{ME}\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}\r\n"
        f"{guests}LOCATION:Cafe Central\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def card(uid: str, name: str, email: str, org: str | None = None) -> str:
    extra = f"ORG:{org}\r\n" if org else ""
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\n"
        f"EMAIL;TYPE=INTERNET:{email}\r\n{extra}END:VCARD\r\n"
    )


def add(cli: CLI, kind: str, server: Radicale, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KITH_TEST_DAV_PW", server.password)
    cli.ok(
        "sync", "add", kind, server.url, "--user", server.user,
        "--password-env", "KITH_TEST_DAV_PW", "--me", ME,
    )  # fmt: skip


@pytest.fixture
def calendar(sqlite_cli: CLI, radicale: Radicale, monkeypatch: pytest.MonkeyPatch) -> str:
    sqlite_cli.now = NOW
    url = radicale.make_calendar("work", "Work")
    radicale.put_event(url, "e1", event("e1", 3, "bo@example.net", "Coffee with Bo"))
    radicale.put_event(url, "e2", event("e2", 5, "cy@example.net", "Call about the draft"))
    radicale.put_event(url, "e3", event("e3", 6, None, "Dentist"))
    add(sqlite_cli, "caldav", radicale, monkeypatch)
    return url


def test_events_with_guests_become_meetings_once(sqlite_cli, radicale, calendar):
    (first,) = sqlite_cli.json("sync")
    assert first["ok"], first
    assert (first["read"], first["interactions_added"], first["people_created"]) == (3, 2, 2)
    bo = sqlite_cli.json("show", "email:bo@example.net")
    assert [i["channel"] for i in bo["recent"]] == ["meeting"]
    before = snapshot(sqlite_cli.db)
    (again,) = sqlite_cli.json("sync")
    assert (again["read"], again["interactions_added"]) == (0, 0)
    assert snapshot(sqlite_cli.db) == before


def test_a_new_event_is_what_the_next_sync_adds(sqlite_cli, radicale, calendar):
    sqlite_cli.ok("sync")
    radicale.put_event(calendar, "e4", event("e4", 9, "bo@example.net", "Lunch with Bo"))
    (run,) = sqlite_cli.json("sync")
    assert (run["read"], run["interactions_added"], run["people_created"]) == (1, 1, 0)
    assert sqlite_cli.json("show", "email:bo@example.net")["interactions"] == 2


def test_an_ics_import_and_a_sync_of_the_same_events_store_them_once(
    sqlite_cli, radicale, calendar, tmp_path
):
    path = tmp_path / "work.ics"
    path.write_text(event("e1", 3, "bo@example.net", "Coffee with Bo"))
    assert sqlite_cli.json("import", "ics", str(path), "--me", ME)["interactions_added"] == 1
    (run,) = sqlite_cli.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 1)  # only e2 is new


def test_a_wrong_password_and_a_server_that_is_down_fail_alone(
    sqlite_cli, radicale, calendar, monkeypatch
):
    monkeypatch.setenv("KITH_TEST_DAV_PW", "wrong-dav-password")
    refused = sqlite_cli("sync")
    assert refused.code == 2
    assert "refused the user name or password" in refused.out
    assert "wrong-dav-password" not in refused.out + refused.err
    monkeypatch.setenv("KITH_TEST_DAV_PW", radicale.password)
    radicale.stop()
    down = sqlite_cli("sync")
    assert down.code == 2
    assert "cannot be reached" in down.out, down.out
    radicale.start()
    (run,) = sqlite_cli.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 2)


def test_cards_become_people_and_a_changed_card_fills_what_they_lack(
    sqlite_cli, radicale, monkeypatch
):
    sqlite_cli.now = NOW
    book = radicale.make_address_book("contacts", "Contacts")
    radicale.put_card(book, "c1", card("c1", "Bo Berg", "bo@example.net"))
    radicale.put_card(book, "c2", card("c2", "Cy Dunn", "cy@example.net", "Dunn & Co"))
    add(sqlite_cli, "carddav", radicale, monkeypatch)
    (first,) = sqlite_cli.json("sync")
    assert (first["ok"], first["read"], first["people_created"]) == (True, 2, 2), first
    (second,) = sqlite_cli.json("sync")
    assert (second["read"], second["people_created"], second["identities_added"]) == (0, 0, 0)
    radicale.put_card(book, "c1", card("c1", "Bo Berg", "bo@example.net", "Berg Studio"))
    radicale.put_card(book, "c3", card("c3", "Di Eze", "di@example.net"))
    (third,) = sqlite_cli.json("sync")
    assert (third["read"], third["people_created"]) == (2, 1)
    assert sqlite_cli.json("show", "email:bo@example.net")["organisation"] == "Berg Studio"


def test_an_edited_card_changes_what_kith_took_from_it_but_not_what_was_set_by_hand(
    sqlite_cli, radicale, monkeypatch
):
    sqlite_cli.now = NOW
    book = radicale.make_address_book("contacts")
    radicale.put_card(book, "c1", card("c1", "Bo Berg", "bo@example.net", "Berg Studio"))
    radicale.put_card(book, "c2", card("c2", "Cy Dunn", "cy@example.net", "Dunn & Co"))
    add(sqlite_cli, "carddav", radicale, monkeypatch)
    sqlite_cli.ok("sync")
    sqlite_cli.ok("edit", "email:cy@example.net", "--organisation", "Cy's own choice")
    radicale.put_card(book, "c1", card("c1", "Bo Berg", "bo@example.net", "Atelier Berg"))
    radicale.put_card(book, "c2", card("c2", "Cy Dunn", "cy@example.net", "Dunn Partners"))
    (run,) = sqlite_cli.json("sync")
    assert (run["ok"], run["read"]) == (True, 2)
    assert sqlite_cli.json("show", "email:bo@example.net")["organisation"] == "Atelier Berg"
    assert sqlite_cli.json("show", "email:cy@example.net")["organisation"] == "Cy's own choice"


def test_an_address_book_with_a_wrong_password_writes_nothing(sqlite_cli, radicale, monkeypatch):
    sqlite_cli.now = NOW
    book = radicale.make_address_book("contacts")
    radicale.put_card(book, "c1", card("c1", "Bo Berg", "bo@example.net"))
    add(sqlite_cli, "carddav", radicale, monkeypatch)
    monkeypatch.setenv("KITH_TEST_DAV_PW", "not-it")
    before = snapshot(sqlite_cli.db)
    result = sqlite_cli("sync")
    assert result.code == 2
    assert "refused the user name or password" in result.out
    assert snapshot(sqlite_cli.db) == before
