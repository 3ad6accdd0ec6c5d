"""The mbox (Gmail Takeout) importer."""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kith.domain import Channel, Direction
from kith.ingest import mbox
from kith.ingest.base import ImportFailed, Options
from kith.ingest.mbox import IMPORTER, is_automated_address, own_words, split_messages
from kith.ingest.records import Contact, Me, Record, Touch
from tests.ingest.contract import imports_cleanly, refuses, truncated, wrong_format

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mbox"
SAMPLE = FIXTURES / "synthetic_gmail_takeout.mbox"
CRAFTED = FIXTURES / "crafted_takeout.mbox"
THUNDERBIRD = FIXTURES / "thunderbird_crlf.mbox"
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
TAKEOUT_NAME = "Takeout/Mail/All mail Including Spam and Trash.mbox"


def extract(path: Path, *me: str) -> list[Record]:
    return list(IMPORTER.extract(path, Options(me=me, now=NOW)))


def touches_of(records: list[Record]) -> list[Touch]:
    return [r for r in records if isinstance(r, Touch)]


def summary_of(records: list[Record]) -> set[tuple[str, Direction, str]]:
    return {
        (t.contact.removeprefix("email:"), t.direction, t.occurred_at.isoformat())
        for t in touches_of(records)
    }


def message(
    sender: str,
    to: str,
    *,
    labels: str = "Inbox",
    cc: str = "",
    extra: str = "",
    body: str = "Hello there.",
    ident: str = "m1@example.com",
    date: str = "Mon, 06 May 2024 10:00:00 +0000",
) -> str:
    lines = [
        "From 1800000000000000000@xxx Mon May 06 10:00:00 +0000 2024",
        f"X-Gmail-Labels: {labels}",
        f"Message-ID: <{ident}>",
        f"Date: {date}",
        f"From: {sender}",
        f"To: {to}",
        *([f"Cc: {cc}"] if cc else []),
        *([extra] if extra else []),
        "Subject: A subject",
        "Content-Type: text/plain; charset=UTF-8",
        "",
        body,
        "",
    ]
    return "\n".join(lines) + "\n"


def write_mbox(path: Path, *messages: str) -> Path:
    path.write_text("".join(messages), encoding="utf-8")
    return path


SENT_ANCHOR = message("Sam <sam@example.com>", "zoe@example.org", labels="Sent", ident="anchor")


# -- records --------------------------------------------------------------------------------
def test_sample_takeout_gives_an_email_each_way():
    got = extract(SAMPLE)
    me = got[0]
    assert isinstance(me, Me)
    assert [(h.platform, h.value) for h in me.handles] == [("email", "sam@example.com")]
    assert me.name == "Sam Self"
    (ana,) = [r for r in got if isinstance(r, Contact)]
    assert (ana.key, ana.name) == ("email:ana@example.org", "Ana Müller")  # RFC 2047 name
    assert [(h.platform, h.value) for h in ana.handles] == [("email", "ana@example.org")]
    first, second = touches_of(got)
    assert first.external_id == "<CAF1=abc@mail.example.com>"
    assert (first.channel, first.direction) == (Channel.EMAIL, Direction.IN)
    assert first.occurred_at == datetime(2024, 3, 5, 10, 14, 58, tzinfo=UTC)  # +0100 to UTC
    # the subject (RFC 2047), then the body; the escaped '>From' line is the body's own
    assert first.text == (
        "Lunch next week\nHi Sam, shall we meet Tuesday? ☕ From the cafe list I like the "
        "second one."
    )
    assert second.external_id == "<CAG2=def@mail.example.com> to ana@example.org"
    assert (second.direction, second.text) == (Direction.OUT, "Re: Lunch next week\nTuesday works.")
    assert second.occurred_at == datetime(2024, 3, 5, 12, 0, tzinfo=UTC)  # -0500 to UTC


def test_external_ids_are_stable_across_runs():
    assert extract(CRAFTED) == extract(CRAFTED)


def test_crafted_takeout_keeps_conversations_and_leaves_out_the_rest():
    got = extract(CRAFTED)
    me = got[0]
    assert isinstance(me, Me)
    # every From address of mail labelled Sent is the user's: the work alias too
    assert {h.value for h in me.handles} == {"sam@example.com", "sam.self@work.example.com"}
    names = {c.key: c.name for c in got if isinstance(c, Contact)}
    assert names == {
        "email:zoe@example.org": "Zoë Ng",
        "email:ben@example.net": "Ben Okafor",
        "email:priya@example.com": "Priya Raman",
        "email:kai@example.org": "Kai Tanaka",
    }
    assert summary_of(got) == {
        ("zoe@example.org", Direction.IN, "2024-04-01T07:30:00+00:00"),
        ("zoe@example.org", Direction.OUT, "2024-04-01T10:00:00+00:00"),
        ("ben@example.net", Direction.OUT, "2024-04-01T10:00:00+00:00"),  # in Cc
        # 'Date: not a date at all' and no Message-ID: the 'From ' line's date, a hashed id
        ("priya@example.com", Direction.IN, "2024-04-03T08:00:00+00:00"),
        ("ben@example.net", Direction.IN, "2024-04-03T09:00:00+00:00"),
        ("priya@example.com", Direction.IN, "2024-04-03T10:00:00+00:00"),
        ("kai@example.org", Direction.OUT, "2024-04-04T08:00:00+00:00"),  # from the alias
        ("kai@example.org", Direction.IN, "2024-04-04T09:00:00+00:00"),  # 2099: 'From ' line
    }
    # left out: the list and the reply to it, no-reply, 6 recipients, Spam, Precedence bulk,
    # an auto-reply, Chat, a Bcc copy and a draft
    assert all(t.channel is Channel.EMAIL for t in touches_of(got))
    hashed = [t for t in touches_of(got) if t.external_id.startswith("sha1:")]
    assert [t.contact for t in hashed] == ["email:priya@example.com"]


def test_text_is_the_subject_and_the_own_words():
    texts = {t.external_id: t.text for t in touches_of(extract(CRAFTED))}
    # quoted reply, its 'On ... wrote:' intro and the signature are gone; an unescaped
    # 'From there' line in the body did not split the message
    assert texts["<zoe-1@mail.example.org>"] == (
        "Café plans\nHi Sam, the new place opens on Friday. From there we can walk to the river."
    )
    assert texts["<ben-9@mail.example.net>"] == (
        "Slides\nThanks Sam, the slides look great. Café on Friday?"  # base64 text/plain
    )
    assert texts["<priya-10@example.com>"] == "Photos\nHere are the photos from Sunday."  # html


def test_a_mailbox_without_labels_needs_me(tmp_path):
    with pytest.raises(ImportFailed, match="--me"):
        extract(THUNDERBIRD)
    got = extract(THUNDERBIRD, "email:Robin@Example.com", "Robin Roe")
    assert summary_of(got) == {
        ("ana@example.org", Direction.OUT, "2024-06-07T09:00:00+00:00"),
        ("ana@example.org", Direction.IN, "2024-06-07T10:00:00+00:00"),
    }
    texts = [t.text for t in touches_of(got)]
    assert texts[0] == "Hello from Thunderbird\nOlá Ana, how are you?"  # ISO-8859-1, q-p
    assert extract(THUNDERBIRD, "robin@example.com") == got


def test_at_most_five_recipients_besides_the_user(tmp_path):
    five = ", ".join(f"p{n}@example.org" for n in range(4)) + ", sam@example.com"
    path = write_mbox(
        tmp_path / "a.mbox",
        message("Sam <sam@example.com>", five, labels="Sent", cc="p4@example.org", ident="five"),
        message(
            "Sam <sam@example.com>",
            five,
            labels="Sent",
            cc="p4@example.org, p5@example.org",
            ident="six",
        ),
        message("Lee <lee@example.net>", five, ident="in-five"),
        message("Lee <lee@example.net>", five, cc="p4@example.org, p5@example.org", ident="in-six"),
    )
    got = touches_of(extract(path))
    assert sorted(t.external_id for t in got) == sorted(
        [f"<five> to p{n}@example.org" for n in range(5)] + ["<in-five>"]
    )


@pytest.mark.parametrize(
    "sender",
    [
        "noreply@example.com",
        "no-reply@accounts.example.com",
        "calendar-noreply@example.com",
        "donotreply@example.com",
        "do-not-reply@example.com",
        "notifications@example.com",
        "MAILER-DAEMON@example.com",
        "postmaster@example.com",
        "bounces+123@example.com",
    ],
)
def test_automated_senders_are_left_out(tmp_path, sender):
    assert is_automated_address(sender.lower())
    path = write_mbox(tmp_path / "a.mbox", SENT_ANCHOR, message(sender, "sam@example.com"))
    assert [t.contact for t in touches_of(extract(path))] == ["email:zoe@example.org"]


@pytest.mark.parametrize(
    "header",
    [
        "List-Id: <team.example.org>",
        "List-Unsubscribe: <https://example.org/unsubscribe>",
        "Precedence: list",
        "Precedence: junk",
        "Auto-Submitted: auto-generated",
        "X-Autoreply: yes",
    ],
)
def test_lists_and_automatic_mail_are_left_out(tmp_path, header):
    path = write_mbox(
        tmp_path / "a.mbox",
        SENT_ANCHOR,
        message("Lee <lee@example.net>", "sam@example.com", extra=header),
    )
    assert [t.contact for t in touches_of(extract(path))] == ["email:zoe@example.org"]
    kept = write_mbox(
        tmp_path / "b.mbox",
        SENT_ANCHOR,
        message("Lee <lee@example.net>", "sam@example.com", extra="Auto-Submitted: no"),
    )
    assert len(touches_of(extract(kept))) == 2


def test_people_are_found_by_address_whatever_the_case(tmp_path):
    path = write_mbox(
        tmp_path / "a.mbox",
        message('"Zoe" <ZOE@Example.ORG>', "Sam <SAM@example.com>", ident="1"),
        message("Sam <sam@example.com>", "zoe@example.org", labels="Sent", ident="2"),
    )
    assert {t.contact for t in touches_of(extract(path))} == {"email:zoe@example.org"}


def test_own_words():
    body = (
        "Sounds good!\r\n\r\nSee you.\r\n\r\nOn Mon, 6 May 2024 at 10:00, Zoe <zoe@example.org> "
        "wrote:\r\n> earlier\r\n"
    )
    assert own_words(body) == "Sounds good! See you."
    assert own_words("Yes.\n-----Original Message-----\nFrom: x") == "Yes."
    assert own_words("Yes.\nSent from my phone") == "Yes."
    assert own_words(">From the start\nend") == "From the start end"


# -- reading the file -----------------------------------------------------------------------
def test_splitting_does_not_depend_on_read_sizes(monkeypatch):
    data = CRAFTED.read_bytes()
    whole = list(split_messages(io.BytesIO(data), "crafted"))
    assert len(whole) == 17
    assert [m.line for m in whole[:3]] == [1, 24, 40]
    monkeypatch.setattr(mbox, "CHUNK", 7)
    assert list(split_messages(io.BytesIO(data), "crafted")) == whole
    crlf = THUNDERBIRD.read_bytes()
    assert [m.number for m in split_messages(io.BytesIO(crlf), "tb")] == [1, 2]


def test_a_file_that_is_not_an_mbox_is_refused():
    with pytest.raises(ImportFailed, match="does not begin with 'From '"):
        list(split_messages(io.BytesIO(b"Subject: hi\n\nbody\n"), "x.mbox"))
    assert list(split_messages(io.BytesIO(b"\n\nFrom a@b Mon May 06 10:00:00 2024\n\nx\n"), "y"))


def test_a_file_cut_short_names_the_message(tmp_path):
    with pytest.raises(ImportFailed, match=r"message 2 \(line 17\) is cut short"):
        extract(truncated(SAMPLE, tmp_path))


def test_a_multipart_message_cut_at_a_line_end_is_refused(tmp_path):
    data = CRAFTED.read_bytes()
    cut = data.index(b"--ALT--")
    path = tmp_path / "cut.mbox"
    path.write_bytes(data[:cut])
    with pytest.raises(ImportFailed, match=r"message 9 .* its last part never ends"):
        extract(path)


def test_progress_reaches_the_end(tmp_path):
    seen: list[tuple[int, int]] = []
    list(IMPORTER.extract(SAMPLE, Options(now=NOW, progress=lambda d, t: seen.append((d, t)))))
    total = SAMPLE.stat().st_size
    assert seen[-1] == (total, total)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_identify(tmp_path):
    assert IMPORTER.identify(SAMPLE)
    assert IMPORTER.identify(THUNDERBIRD)
    assert not IMPORTER.identify(wrong_format(tmp_path))
    text = tmp_path / "notes.txt"
    text.write_text("From the desk of Sam: buy milk.\n")
    assert not IMPORTER.identify(text)


def takeout_zip(tmp_path: Path, source: Path = CRAFTED) -> Path:
    out = tmp_path / "takeout-20241121T000000Z-001.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(source, TAKEOUT_NAME)
        z.writestr("Takeout/archive_browser.html", "<html></html>")
    return out


# -- through the CLI ------------------------------------------------------------------------
def test_imports_cleanly_and_ana_is_conversing(cli):
    summary = imports_cleanly(cli, "mbox", SAMPLE)
    assert (summary["people_created"], summary["interactions_added"]) == (1, 2)
    (person,) = cli.json("people")
    assert person["name"] == "Ana Müller"
    ana = cli.json("show", "email:ana@example.org")
    assert ana["identities"] == [{"platform": "email", "handle": "ana@example.org"}]
    assert ana["counts"] == {"in": 1, "out": 1}
    assert ana["stage"] == "conversing"


def test_the_takeout_zip_imports(sqlite_cli, tmp_path):
    summary = imports_cleanly(sqlite_cli, "mbox", takeout_zip(tmp_path))
    assert (summary["people_created"], summary["interactions_added"]) == (4, 8)
    names = sorted(p["name"] for p in sqlite_cli.json("people"))
    assert names == ["Ben Okafor", "Kai Tanaka", "Priya Raman", "Zoë Ng"]
    assert sqlite_cli.json("show", "email:priya@example.com")["counts"] == {"in": 2, "out": 0}


def test_an_apple_mail_export_folder_imports(sqlite_cli, tmp_path):
    folder = tmp_path / "Inbox.mbox"
    folder.mkdir()
    (folder / "mbox").write_bytes(THUNDERBIRD.read_bytes())
    (folder / "table_of_contents").write_bytes(b"\x00\x01")
    summary = imports_cleanly(sqlite_cli, "mbox", folder, "--me", "robin@example.com")
    assert summary["interactions_added"] == 2


def test_a_known_address_is_remembered_for_the_next_import(sqlite_cli):
    imports_cleanly(sqlite_cli, "mbox", THUNDERBIRD, "--me", "robin@example.com")
    again = sqlite_cli.json("import", "mbox", str(THUNDERBIRD))  # the base knows the user now
    assert again["interactions_added"] == 0


def test_refuses_without_me(sqlite_cli):
    refuses(sqlite_cli, "mbox", THUNDERBIRD, "--me you@example.com")


def test_refuses_when_no_known_address_of_the_user_appears(sqlite_cli):
    imports_cleanly(sqlite_cli, "mbox", SAMPLE)  # the base now knows sam@example.com
    message = refuses(sqlite_cli, "mbox", THUNDERBIRD, "none of sam@example.com appears")
    assert "--me you@example.com" in message


def test_refuses_a_truncated_file(cli, tmp_path):
    refuses(cli, "mbox", truncated(SAMPLE, tmp_path), "is cut short")


def test_refuses_a_truncated_zip(sqlite_cli, tmp_path):
    refuses(sqlite_cli, "mbox", truncated(takeout_zip(tmp_path), tmp_path), "may be cut short")


def test_refuses_another_format(cli, tmp_path):
    refuses(cli, "mbox", wrong_format(tmp_path), "does not look like")
