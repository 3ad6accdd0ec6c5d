"""Every source at once: mail from Dovecot, events and contacts from Radicale (issue 13's
acceptance: `kith sync` twice gives the same base as once; 3 new mails and 1 new event are
exactly what the next sync adds; a failing source never stops the others)."""

from __future__ import annotations

import pytest

from tests.conftest import CLI
from tests.sync import test_dav_sync as dav
from tests.sync import test_imap_sync as imap
from tests.sync.servers import Dovecot, Radicale


@pytest.fixture
def everything(
    sqlite_cli: CLI, dovecot: Dovecot, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> tuple[CLI, str]:
    sqlite_cli.now = imap.NOW
    imap.seed(dovecot)
    imap.add_source(sqlite_cli, dovecot, monkeypatch)
    calendar = radicale.make_calendar("work")
    radicale.put_event(calendar, "e1", dav.event("e1", 3, "bo@example.net", "Coffee with Bo"))
    radicale.put_event(calendar, "e2", dav.event("e2", 5, "eve@example.net", "Call with Eve"))
    dav.add(sqlite_cli, "caldav", radicale, monkeypatch)
    book = radicale.make_address_book("contacts")
    radicale.put_card(book, "c1", dav.card("c1", "Bo Berg", "bo@example.net", "Berg Studio"))
    radicale.put_card(book, "c2", dav.card("c2", "Fay Gold", "fay@example.net"))
    dav.add(sqlite_cli, "carddav", radicale, monkeypatch)
    return sqlite_cli, calendar


def test_two_syncs_give_the_base_one_gives_and_new_items_are_all_the_next_adds(
    everything, dovecot, radicale
):
    cli, calendar = everything
    first = {r["name"]: r for r in cli.json("sync")}
    assert all(r["ok"] for r in first.values()), first
    assert first["imap"]["interactions_added"] == 3
    assert first["caldav"]["interactions_added"] == 2
    # Bo is one person: his mail, his meeting and his card
    bo = cli.json("show", "email:bo@example.net")
    assert (bo["counts"], bo["organisation"]) == ({"in": 2, "out": 2}, "Berg Studio")
    once = imap.snapshot(cli.db)
    assert all(r["interactions_added"] == 0 for r in cli.json("sync"))
    assert imap.snapshot(cli.db) == once

    me = imap.ME
    dovecot.append("INBOX", imap.mail(11, "Bo Berg <bo@example.net>", me, "Saturday?", 8))
    dovecot.append("Sent", imap.mail(12, f"Ana <{me}>", "Bo Berg <bo@example.net>", "Yes!", 8))
    dovecot.append("INBOX", imap.mail(13, "Fay Gold <fay@example.net>", me, "Hi Ana", 9))
    radicale.put_event(calendar, "e9", dav.event("e9", 10, "fay@example.net", "Walk with Fay"))
    after = {r["name"]: r["interactions_added"] for r in cli.json("sync")}
    assert after == {"imap": 3, "caldav": 1, "carddav": 0}
    assert cli.json("show", "email:fay@example.net")["counts"] == {"in": 2, "out": 1}


def test_a_failing_source_never_stops_the_others(everything, monkeypatch):
    cli, _ = everything
    monkeypatch.delenv("KITH_TEST_IMAP_PW")
    result = cli("sync")
    assert result.code == 2
    lines = result.out.splitlines()
    assert any("imap (imap): failed: The environment variable" in line for line in lines)
    assert any(line.startswith("caldav (caldav): read 2, added 2") for line in lines), lines
    assert any(line.startswith("carddav (carddav): read 2") for line in lines), lines
