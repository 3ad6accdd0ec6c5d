"""The test servers themselves: Dovecot and Radicale start, hold what is seeded, and check
passwords, as seen by the same client libraries kith's sync uses."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.sync.servers import Dovecot, Radicale

MESSAGE = (
    b"From: Bea Example <bea@example.net>\r\n"
    b"To: Ana <ana@example.org>\r\n"
    b"Subject: Coffee on Friday?\r\n"
    b"Date: Tue, 05 Mar 2024 09:30:00 +0000\r\n"
    b"Message-ID: <coffee-1@example.net>\r\n"
    b"\r\n"
    b"Shall we?\r\n"
)

EVENT = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//kith tests//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20240301T120000Z
DTSTART:20240308T100000Z
DTEND:20240308T110000Z
SUMMARY:{summary}
ATTENDEE;CN=Bea Example:mailto:bea@example.net
END:VEVENT
END:VCALENDAR
"""

CARD = """\
BEGIN:VCARD
VERSION:3.0
UID:bea-1
FN:Bea Example
N:Example;Bea;;;
EMAIL;TYPE=INTERNET:bea@example.net
END:VCARD
"""

DAV = "{DAV:}"


def _imap_client(server: Dovecot) -> Any:
    import imapclient

    return imapclient.IMAPClient(server.host, server.port, ssl=False, timeout=10)


def test_imap_login_sees_appended_messages(dovecot: Dovecot) -> None:
    when = datetime(2024, 3, 5, 9, 31, tzinfo=UTC)
    first = dovecot.append("INBOX", MESSAGE, flags=[r"\Seen"], when=when)
    sent = dovecot.append("Sent", MESSAGE.replace(b"coffee-1", b"coffee-2"))
    dovecot.create_folder("Archive")

    client = _imap_client(dovecot)
    client.login(dovecot.user, dovecot.password)
    try:
        names = {name for _flags, _sep, name in client.list_folders()}
        assert {"INBOX", "Sent", "Archive"} <= names
        client.select_folder("INBOX", readonly=True)
        data = client.fetch([first], ["FLAGS", "INTERNALDATE", "BODY.PEEK[]"])[first]
        assert b"\\Seen" in data[b"FLAGS"]
        assert data[b"BODY[]"] == MESSAGE
        assert data[b"INTERNALDATE"].astimezone(UTC) == when
        client.select_folder("Sent", readonly=True)
        assert client.search("ALL") == [sent]
    finally:
        client.logout()


@pytest.mark.parametrize("folder", ["INBOX", "Sent"])
def test_imap_uidvalidity_can_be_renewed(dovecot: Dovecot, folder: str) -> None:
    for n in range(3):
        dovecot.append(folder, MESSAGE.replace(b"coffee-1", f"m{n}".encode()), flags=[r"\Seen"])
    dovecot.append(folder, MESSAGE)  # unread
    with dovecot.client() as client:
        before = client.select_folder(folder, readonly=True)[b"UIDVALIDITY"]

    renewed = dovecot.renew_uidvalidity(folder)

    with dovecot.client() as client:
        status = client.select_folder(folder, readonly=True)
        assert status[b"UIDVALIDITY"] == renewed != before
        uids = client.search("ALL")
        assert uids == [1, 2, 3, 4]  # the same messages, numbered anew
        assert client.search("UNSEEN") == [4]  # flags kept
        assert client.fetch([4], ["BODY.PEEK[]"])[4][b"BODY[]"] == MESSAGE


def test_imap_wrong_password_is_refused(dovecot: Dovecot) -> None:
    import imapclient.exceptions

    client = _imap_client(dovecot)
    try:
        with pytest.raises(imapclient.exceptions.LoginError):
            client.login(dovecot.user, "not-the-password")
    finally:
        client.shutdown()


def test_a_calendar_holds_what_was_put_and_not_what_was_deleted(radicale: Radicale) -> None:
    work = radicale.make_calendar("work", "Work")
    kept = radicale.put_event(work, "ev-1", EVENT.format(uid="ev-1", summary="Coffee with Bea"))
    gone = radicale.put_event(work, "ev-2", EVENT.format(uid="ev-2", summary="Cancelled"))
    radicale.delete(gone)
    listing = _propfind(radicale, work).text
    assert "ev-1.ics" in listing
    assert "ev-2.ics" not in listing
    assert "SUMMARY:Coffee with Bea" in radicale.http.get(kept).text


def _propfind(radicale: Radicale, url: str, auth: tuple[str, str] | None = None) -> httpx.Response:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<D:propfind xmlns:D="DAV:"><D:prop>'
        "<D:resourcetype/><D:getetag/><D:getcontenttype/>"
        "</D:prop></D:propfind>"
    )
    return httpx.request(
        "PROPFIND",
        url,
        content=body,
        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        auth=auth or (radicale.user, radicale.password),
        timeout=10,
    )


def test_carddav_propfind_sees_seeded_card_and_etag(radicale: Radicale) -> None:
    book = radicale.make_address_book("contacts", "Contacts")
    card_url = radicale.put_card(book, "bea-1", CARD)

    response = _propfind(radicale, book)
    assert response.status_code == 207
    found = {}
    for entry in ET.fromstring(response.content).iter(f"{DAV}response"):
        href = entry.findtext(f"{DAV}href") or ""
        found[httpx.URL(book).join(href)] = entry
    collection = found[httpx.URL(book)]
    kind = collection.find(f".//{DAV}resourcetype/{{urn:ietf:params:xml:ns:carddav}}addressbook")
    assert kind is not None
    card = found[httpx.URL(card_url)]
    etag = card.findtext(f".//{DAV}getetag")
    assert etag
    assert "text/vcard" in (card.findtext(f".//{DAV}getcontenttype") or "")

    got = radicale.http.get(card_url)
    assert got.headers["ETag"] == etag
    assert "FN:Bea Example" in got.text

    # a changed card gets a new ETag
    radicale.put_card(book, "bea-1", CARD.replace("Bea Example", "Bea Q. Example"))
    assert radicale.http.get(card_url).headers["ETag"] != etag


def test_dav_wrong_password_gets_401(radicale: Radicale) -> None:
    book = radicale.make_address_book("contacts")
    response = _propfind(radicale, book, auth=(radicale.user, "not-the-password"))
    assert response.status_code == 401
