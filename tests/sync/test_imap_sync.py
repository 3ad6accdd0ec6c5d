"""`kith sync` of mail from a real IMAP server (Dovecot on loopback, tests/sync/servers.py)."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.conftest import CLI
from tests.conftest import snapshot as whole_snapshot
from tests.sync.servers import Dovecot

NOW = "2026-11-20T12:00:00Z"
ME = "ana@example.org"
START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def snapshot(url: str) -> dict:
    """Every table but the sync sources' own (each run records when it ran)."""
    return {k: v for k, v in whole_snapshot(url).items() if k != "sync_sources"}


def mail(n: int, sender: str, to: str, subject: str, days: int = 0) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(START + timedelta(days=days, hours=n))
    message["Message-ID"] = f"<m{n}@example.net>"
    message.set_content(f"Hello, this is message {n}: how are you doing these days?")
    return message.as_bytes()


def seed(server: Dovecot) -> None:
    server.append("INBOX", mail(1, "Bo Berg <bo@example.net>", ME, "Lunch?", 1))
    server.append("INBOX", mail(2, "Cy Dunn <cy@example.net>", ME, "The draft", 2))
    server.append("Sent", mail(3, f"Ana <{ME}>", "Bo Berg <bo@example.net>", "Re: Lunch?", 3))
    server.append("INBOX", mail(4, "News <noreply@example.com>", ME, "Weekly digest", 4))


def add_source(cli: CLI, server: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KITH_TEST_IMAP_PW", server.password)
    cli.ok(
        "sync",
        "add",
        "imap",
        "--host",
        server.host,
        "--port",
        str(server.port),
        "--tls",
        "none",
        "--user",
        server.user,
        "--password-env",
        "KITH_TEST_IMAP_PW",
    )


@pytest.fixture
def synced(sqlite_cli: CLI, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> CLI:
    sqlite_cli.now = NOW
    seed(dovecot)
    add_source(sqlite_cli, dovecot, monkeypatch)
    return sqlite_cli


def test_a_first_sync_reads_both_directions_and_a_second_adds_nothing(synced, dovecot):
    (first,) = synced.json("sync")
    assert first["ok"], first
    assert (first["read"], first["interactions_added"], first["people_created"]) == (4, 3, 2)
    bo = synced.json("show", "email:bo@example.net")
    assert bo["counts"] == {"in": 1, "out": 1}
    before = snapshot(synced.db)
    (again,) = synced.json("sync")
    assert (again["ok"], again["read"], again["interactions_added"]) == (True, 0, 0)
    assert snapshot(synced.db) == before


def test_new_mail_since_the_last_sync_is_all_a_sync_adds(synced, dovecot):
    synced.ok("sync")
    dovecot.append("INBOX", mail(5, "Cy Dunn <cy@example.net>", ME, "Re: The draft", 5))
    dovecot.append("Sent", mail(6, f"Ana <{ME}>", "Cy Dunn <cy@example.net>", "Thanks", 6))
    dovecot.append("Sent", mail(7, f"Ana <{ME}>", "Di Eze <di@example.net>", "Hello", 7))
    (run,) = synced.json("sync")
    assert (run["read"], run["interactions_added"], run["people_created"]) == (3, 3, 1)
    assert synced.json("show", "email:cy@example.net")["counts"] == {"in": 2, "out": 1}


def test_a_renumbered_folder_is_read_again_without_duplicates(synced, dovecot):
    synced.ok("sync")
    before = snapshot(synced.db)
    dovecot.renew_uidvalidity("INBOX")
    dovecot.renew_uidvalidity("Sent")
    (run,) = synced.json("sync")
    assert (run["ok"], run["read"], run["interactions_added"]) == (True, 4, 0)
    after = snapshot(synced.db)
    assert after["interactions"] == before["interactions"]
    assert after["people"] == before["people"]


def test_an_mbox_import_and_a_sync_of_the_same_mail_store_it_once(synced, dovecot, tmp_path):
    box = mailbox.mbox(str(tmp_path / "mail.mbox"))
    for folder in ("INBOX", "Sent"):
        with dovecot.client() as client:
            client.select_folder(folder, readonly=True)
            for answer in client.fetch(client.search("ALL"), ["BODY.PEEK[]"]).values():
                message = mailbox.mboxMessage(answer[b"BODY[]"])
                message.set_from("MAILER-DAEMON", START.timetuple())
                box.add(message)
    box.flush()
    imported = synced.json("import", "mbox", str(tmp_path / "mail.mbox"), "--me", ME)
    assert imported["interactions_added"] == 3
    (run,) = synced.json("sync")
    assert (run["ok"], run["read"], run["interactions_added"]) == (True, 4, 0)


def test_a_wrong_password_is_one_sentence_and_writes_nothing(synced, dovecot, monkeypatch):
    monkeypatch.setenv("KITH_TEST_IMAP_PW", "not-the-password")
    before = snapshot(synced.db)
    result = synced("sync")
    assert result.code == 2
    assert "refused the user name or password" in result.out
    assert "not-the-password" not in result.out + result.err
    assert snapshot(synced.db)["interactions"] == before["interactions"]
    (listed,) = synced.json("sync", "list")
    assert "refused" in listed["last_error"]
    monkeypatch.setenv("KITH_TEST_IMAP_PW", dovecot.password)
    (run,) = synced.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 3)


def test_a_server_that_is_down_fails_alone_and_the_next_sync_recovers(synced, dovecot):
    dovecot.stop()
    result = synced("sync")
    assert result.code == 2
    assert "cannot be reached" in result.out
    dovecot.start()
    (run,) = synced.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 3)


def test_the_password_is_never_in_the_base_or_any_output(synced, dovecot, tmp_path: Path):
    outputs = [synced("sync"), synced("sync", "list"), synced("sync", "list", "--json")]
    for result in outputs:
        assert dovecot.password not in result.out + result.err
    base = Path(synced.db.removeprefix("sqlite:///"))
    for path in base.parent.glob(base.name + "*"):
        assert dovecot.password.encode() not in path.read_bytes()
