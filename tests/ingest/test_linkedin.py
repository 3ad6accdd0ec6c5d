"""The LinkedIn data export importer."""

from __future__ import annotations

import html
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.common import detect_encoding
from kith.ingest.linkedin import IMPORTER, split_names
from kith.ingest.records import Contact, Handle, Me, Note, Touch
from tests.ingest.contract import (
    copy_tree,
    imports_cleanly,
    refuses,
    truncated,
    wrong_format,
    zipped,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "linkedin"
SAMPLE = FIXTURES / "sample"  # the shared sample: Connections.csv with the preamble, messages
CURRENT = FIXTURES / "current"  # 2023+ layout: URLs everywhere, invitations, profile, groups
EXPORT_2022 = FIXTURES / "export-2022"  # 9-column messages, connections without URLs
EXPORT_2018 = FIXTURES / "export-2018"  # no preamble, From,To,...,Direction messages
UTF16 = FIXTURES / "utf16"  # UTF-16LE, tab-separated files
#: 2018 layout: sponsored InMail, invitation acceptances, HTML entities, clock times
INMAIL_2018 = FIXTURES / "export-2018-inmail"
#: 2023+ layout: HTML entities, empty messages, a message before noon on the connection day
ENTITIES_2024 = FIXTURES / "export-2024-entities"
SAM = "https://www.linkedin.com/in/sam-example"


def records(path: Path, *me: str, tz: str = "UTC") -> list[Any]:
    return list(IMPORTER.extract(path, Options(me=me, tz=tz)))


def touches(path: Path, *me: str, tz: str = "UTC") -> list[Touch]:
    return [r for r in records(path, *me, tz=tz) if isinstance(r, Touch)]


def contacts(path: Path, *me: str) -> dict[str, Contact]:
    return {r.key: r for r in records(path, *me) if isinstance(r, Contact)}


def summary(found: list[Touch]) -> list[tuple[str, str, str, str]]:
    return [
        (t.contact, t.channel.value, t.direction.value, t.occurred_at.isoformat()) for t in found
    ]


# -- the records ------------------------------------------------------------------------------
def test_sample_export_gives_connections_and_a_conversation():
    got = records(SAMPLE)
    assert got[0] == Me((Handle("linkedin", SAM),), "Sam Example")  # never their own connection
    priya = contacts(SAMPLE)["linkedin:priyaraman"]
    assert priya.name == "Priya Raman"
    assert (priya.organisation, priya.role) == ("Northwind Media", "Reporter")
    assert priya.handles == (Handle("linkedin", "https://www.linkedin.com/in/priyaraman"),)
    jonas = contacts(SAMPLE)["linkedin:jonas-weber-12345"]
    assert Handle("email", "jonas@example.com") in jonas.handles
    assert jonas.role == "Head of Partnerships, EMEA"
    assert summary([t for t in got if isinstance(t, Touch)]) == [
        ("linkedin:priyaraman", "follow", "in", "2024-03-12T12:00:00+00:00"),
        ("linkedin:jonas-weber-12345", "follow", "in", "2025-01-03T12:00:00+00:00"),
        ("linkedin:priyaraman", "dm", "in", "2024-03-14T09:12:44+00:00"),
        ("linkedin:priyaraman", "dm", "out", "2024-03-14T10:02:05+00:00"),
    ]
    first = next(t for t in got if isinstance(t, Touch) and t.channel is Channel.DM)
    assert first.text == (
        "Thanks for connecting! Loved your comment on my piece.\n"
        "Are you going to the Chicago PR summit?"
    )
    assert all(t.occurred_at.utcoffset() is not None for t in got if isinstance(t, Touch))


def test_external_ids_are_stable_and_unique():
    for path in (SAMPLE, CURRENT, EXPORT_2022, EXPORT_2018):
        ids = [t.external_id for t in touches(path)]
        assert ids == [t.external_id for t in touches(path)]
        assert len(ids) == len(set(ids))


def test_connections_read_the_same_with_or_without_the_preamble(tmp_path):
    lines = (SAMPLE / "Connections.csv").read_text().splitlines(keepends=True)
    bare = tmp_path / "Connections.csv"
    bare.write_text("".join(lines[3:]))
    assert lines[0].startswith("Notes:")
    assert lines[3].startswith("First Name,Last Name,URL")
    assert records(bare) == records(SAMPLE / "Connections.csv")
    assert len(contacts(bare)) == 2


def test_connection_dates_are_noon_in_the_users_zone():
    (follow, *_) = touches(SAMPLE / "Connections.csv", tz="America/New_York")
    assert follow.occurred_at == datetime(2024, 3, 12, 16, tzinfo=UTC)


def test_current_export_uses_invitations_profile_and_groups():
    got = touches(CURRENT)
    assert summary(got) == [
        # Invitations.csv: the user invited Priya (with a note), Jonas invited the user
        ("linkedin:priyaraman", "follow", "out", "2024-03-12T12:00:00+00:00"),
        ("linkedin:priyaraman", "dm", "out", "2024-03-12T08:05:00+00:00"),
        ("linkedin:jonas-weber-12345", "follow", "in", "2025-01-03T12:00:00+00:00"),
        ("linkedin:ana-costa-lisbon", "follow", "in", "2024-02-20T12:00:00+00:00"),
        ("linkedin:bolindqvist", "follow", "in", "2023-05-05T12:00:00+00:00"),
        ("linkedin:zoë-brandt", "follow", "in", "2025-09-30T12:00:00+00:00"),
        # a pending invitation with a note; the one without a note is nothing
        ("linkedin:chenwei", "dm", "in", "2026-11-20T09:00:00+00:00"),
        ("linkedin:priyaraman", "dm", "in", "2024-03-14T09:12:44+00:00"),
        # the same message twice at the same second: two touches; the draft is none
        ("linkedin:priyaraman", "dm", "out", "2024-03-14T10:02:05+00:00"),
        ("linkedin:priyaraman", "dm", "out", "2024-03-14T10:02:05+00:00"),
        ("linkedin:jonas-weber-12345", "dm", "out", "2025-01-05T16:20:00+00:00"),
        # a group of three: each member's own message; the user's message to it is none
        ("linkedin:ana-costa-lisbon", "chat", "in", "2024-04-02T11:00:00+00:00"),
        ("linkedin:bolindqvist", "chat", "in", "2024-04-02T11:30:00+00:00"),
        # a group of ten, a sponsored message and spam are left out
        ("linkedin:zoë-brandt", "dm", "in", "2025-10-01T17:45:00+00:00"),
    ]
    me = next(r for r in records(CURRENT) if isinstance(r, Me))
    assert me == Me((Handle("linkedin", SAM),), "Sam Example")
    found = contacts(CURRENT)
    assert "linkedin:evepark" not in found
    assert found["linkedin:zoë-brandt"].name == "Zoë Brandt"  # percent-encoded URL
    assert found["linkedin:chenwei"].name == "Chen Wei"
    assert not any(k.startswith("linkedin:member-") for k in found)
    assert next(t for t in got if t.contact == "linkedin:chenwei").text == (
        "Hi Sam, we met at the civic tech meetup in Lisbon."
    )


def test_times_without_a_zone_are_read_in_the_given_zone():
    invitation = next(t for t in touches(CURRENT, tz="America/New_York") if t.channel is Channel.DM)
    assert invitation.occurred_at == datetime(2024, 3, 12, 12, 5, tzinfo=UTC)  # 8:05 EDT
    message = next(t for t in touches(SAMPLE, tz="America/New_York") if t.channel is Channel.DM)
    assert message.occurred_at == datetime(2024, 3, 14, 9, 12, 44, tzinfo=UTC)  # said UTC


def test_the_2018_layout_knows_names_and_directions():
    got = touches(EXPORT_2018, tz="America/New_York")
    assert summary(got) == [
        ("linkedin:name:priya raman", "follow", "out", "2018-03-12T16:00:00+00:00"),
        ("linkedin:name:jonas weber", "follow", "in", "2018-03-01T17:00:00+00:00"),
        ("linkedin:name:jonas weber", "dm", "in", "2018-03-01T15:00:00+00:00"),
        ("linkedin:name:priya raman", "dm", "in", "2018-03-14T13:12:00+00:00"),
        ("linkedin:name:priya raman", "dm", "out", "2018-03-14T14:02:00+00:00"),
        ("linkedin:name:jonas weber", "chat", "in", "2018-04-02T15:00:00+00:00"),
        ("linkedin:name:jane doe, ph.d.", "dm", "out", "2018-04-09T19:30:00+00:00"),
    ]
    found = contacts(EXPORT_2018)
    assert found["linkedin:name:priya raman"].handles == (Handle("linkedin", "name:Priya Raman"),)
    assert Handle("email", "jonas@example.com") in found["linkedin:name:jonas weber"].handles
    assert found["linkedin:name:jane doe, ph.d."].name == "Jane Doe, Ph.D."
    assert next(r for r in records(EXPORT_2018) if isinstance(r, Me)).name == "Sam Example"


def test_the_2022_layout_links_connections_to_the_profiles_messages_show():
    got = touches(EXPORT_2022)
    assert summary(got) == [
        ("linkedin:priyaraman", "follow", "in", "2022-03-12T12:00:00+00:00"),
        ("linkedin:name:dana okafor", "follow", "in", "2022-04-02T12:00:00+00:00"),
        ("linkedin:priyaraman", "dm", "in", "2022-03-14T09:12:44+00:00"),
        ("linkedin:priyaraman", "dm", "out", "2022-03-14T10:02:05+00:00"),
        ("linkedin:name:dana okafor", "dm", "out", "2022-04-03T10:00:00+00:00"),
        ("linkedin:ana-costa-lisbon", "chat", "in", "2022-06-01T18:30:00+00:00"),
    ]
    priya = contacts(EXPORT_2022)["linkedin:priyaraman"]
    assert priya.handles == (
        Handle("linkedin", "https://www.linkedin.com/in/priyaraman"),
        Handle("linkedin", "name:Priya Raman"),
    )


def test_utf16_tab_separated_files_are_read():
    assert (UTF16 / "Connections.csv").read_bytes()[:2] == b"\xff\xfe"
    found = contacts(UTF16)
    assert {k: c.name for k, c in found.items()} == {
        "linkedin:priyaraman": "Priya Raman",
        "linkedin:zoë-brandt": "Zoë Brandt",
    }
    assert found["linkedin:zoë-brandt"].organisation == "Brandt & Co"
    assert len(touches(UTF16)) == 2  # Shares.csv (the user's own posts) is not read


def test_encodings_are_detected_from_the_first_bytes():
    assert detect_encoding(b"\xef\xbb\xbfFirs") == "utf-8-sig"
    assert detect_encoding(b"\xff\xfeF\x00") == "utf-16"
    assert detect_encoding("Fi".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("Fi".encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding(b"First") == "utf-8-sig"


def test_names_joined_in_a_to_field_keep_their_suffixes():
    assert split_names("Ana Costa, Jane Doe, Ph.D., Bo Lee, MBA") == [
        "Ana Costa",
        "Jane Doe, Ph.D.",
        "Bo Lee, MBA",
    ]
    assert split_names("") == []


def test_messages_alone_need_to_know_the_user():
    alone = SAMPLE / "messages.csv"
    with pytest.raises(ImportFailed, match="--me linkedin:"):
        records(alone)
    for me in ("linkedin:sam-example", SAM, "Sam Example"):
        assert [(t.contact, t.direction) for t in touches(alone, me)] == [
            ("linkedin:priyaraman", Direction.IN),
            ("linkedin:priyaraman", Direction.OUT),
        ], me
    other = [(t.contact, t.direction) for t in touches(alone, "linkedin:priyaraman")]
    assert other == [
        ("linkedin:sam-example", Direction.OUT),
        ("linkedin:sam-example", Direction.IN),
    ]


def test_the_zip_gives_the_same_records_as_the_folder(tmp_path):
    archive = zipped(CURRENT, tmp_path, "Basic_LinkedInDataExport_11-20-2026.zip")
    assert IMPORTER.identify(archive)
    assert records(archive) == records(CURRENT)


def test_lone_files_are_recognised_by_their_header(tmp_path):
    renamed = tmp_path / "my network.csv"
    shutil.copy(SAMPLE / "Connections.csv", renamed)
    assert IMPORTER.identify(renamed)
    assert len(contacts(renamed)) == 2
    assert IMPORTER.identify(CURRENT / "Invitations.csv")
    assert not IMPORTER.identify(CURRENT / "Profile.csv")  # the user's own, nothing to import


def test_other_files_are_not_linkedin(tmp_path):
    assert not IMPORTER.identify(wrong_format(tmp_path))
    google = tmp_path / "contacts.csv"
    google.write_text("Name,Given Name,Family Name,E-mail 1 - Value\nAna,Ana,Costa,a@example.org\n")
    assert not IMPORTER.identify(google)
    assert not IMPORTER.identify(FIXTURES.parent / "mastodon" / "sample")


def test_cut_short_files_fail_naming_file_and_line(tmp_path):
    with pytest.raises(ImportFailed, match=r"Connections\.csv"):
        records(truncated(SAMPLE / "Connections.csv", tmp_path))  # cut inside the header
    with pytest.raises(ImportFailed, match=r"messages\.csv is damaged near line 3"):
        records(truncated(SAMPLE / "messages.csv", tmp_path), "linkedin:sam-example")
    short = tmp_path / "Connections.csv"
    text = (SAMPLE / "Connections.csv").read_text()
    short.write_text(text[: text.rindex("2025") + 2])  # "03 Jan 20"
    with pytest.raises(ImportFailed, match=r"line 6: '03 Jan 20' is not a date"):
        records(short)
    short.write_text(text[: text.rindex(",Acme")])  # a row missing its last fields
    with pytest.raises(ImportFailed, match="line 6 has 4 fields where the header has 7"):
        records(short)


def test_2018_senders_who_are_neither_connections_nor_written_to_are_left_out(tmp_path):
    got = records(INMAIL_2018)
    found = {r.key for r in got if isinstance(r, Contact)}
    assert found == {
        "linkedin:name:tomas ferreira",
        "linkedin:name:ines kowal",
        "linkedin:name:oskar brandvold",
        "linkedin:name:priyanka shah",  # not a connection, but the user replied
    }
    assert not any("clara from" in t.contact for t in got if isinstance(t, Touch))
    assert [r for r in got if isinstance(r, Note)] == [
        Note(
            "Left out 5 messages from 4 senders who are not among your connections and "
            "never got a reply (sponsored InMail, for example)."
        )
    ]
    # without Connections.csv nobody can tell who is a connection: every sender is kept
    alone = tmp_path / "messages.csv"
    shutil.copy(INMAIL_2018 / "messages.csv", alone)
    kept = records(alone)
    assert "linkedin:name:clara from nimbus cloud" in {
        r.key for r in kept if isinstance(r, Contact)
    }
    assert not any(isinstance(r, Note) for r in kept)


def test_message_and_invitation_texts_decode_html_entities():
    texts = [t.text for t in touches(INMAIL_2018) + touches(ENTITIES_2024) if t.text]
    assert (
        "Hi Mara \u2013 thanks for connecting! Let\u2019s talk about the pipeline project." in texts
    )
    assert "Here's the deck. Q&A on Friday?" in texts
    assert "Gladly \u2014 send me the details." in texts
    assert "Thanks for accepting! Here\u2019s my portfolio link & rates." in texts
    invitation = next(t for t in touches(ENTITIES_2024) if t.external_id.startswith("invitation:"))
    assert invitation.text == (
        "Great meeting you at the Tidewater breakfast \u2013 let\u2019s stay in touch"
    )
    assert all(html.unescape(t) == t and "\xa0" not in t for t in texts)


def test_messages_without_text_are_no_touches():
    assert summary([t for t in touches(INMAIL_2018) if t.channel is Channel.DM]) == [
        # the user's empty messages at the connection time are invitation acceptances,
        # Oskar's blank one is nothing either
        ("linkedin:name:tomas ferreira", "dm", "in", "2018-01-04T00:41:00+00:00"),
        ("linkedin:name:ines kowal", "dm", "in", "2018-02-21T10:02:00+00:00"),
        ("linkedin:name:ines kowal", "dm", "out", "2018-02-21T11:00:00+00:00"),
        ("linkedin:name:priyanka shah", "dm", "in", "2018-03-10T14:00:00+00:00"),
        ("linkedin:name:priyanka shah", "dm", "out", "2018-03-10T16:30:00+00:00"),
    ]
    assert summary([t for t in touches(ENTITIES_2024) if t.channel is Channel.DM]) == [
        ("linkedin:hugomarchetti", "dm", "out", "2024-03-17T18:40:00+00:00"),  # invitation
        ("linkedin:wren-adeyemi", "dm", "in", "2024-02-05T08:15:00+00:00"),
        ("linkedin:hugomarchetti", "dm", "out", "2024-03-18T19:00:00+00:00"),
        # Wren's accepted invitation (empty) and Hugo's "&nbsp;" are no messages
    ]


def test_connection_times_keep_the_clock_time_the_file_gives(tmp_path):
    follows = [
        t for t in touches(INMAIL_2018, tz="America/New_York") if t.channel is Channel.FOLLOW
    ]
    assert summary(follows) == [
        ("linkedin:name:tomas ferreira", "follow", "in", "2018-01-04T05:38:00+00:00"),  # 00:38
        ("linkedin:name:ines kowal", "follow", "in", "2018-02-20T20:15:00+00:00"),
        ("linkedin:name:oskar brandvold", "follow", "in", "2018-03-02T14:05:00+00:00"),
    ]
    hi = next(
        t for t in touches(INMAIL_2018, tz="America/New_York") if t.text and "hi" in t.text.lower()
    )
    assert follows[0].occurred_at < hi.occurred_at  # connected at 00:38, "hi" at 00:41
    other = copy_tree(INMAIL_2018, tmp_path)
    text = (
        (other / "Connections.csv").read_text().replace('"1/4/18, 12:38 AM"', "04 Jan 2018 00:38")
    )
    (other / "Connections.csv").write_text(text)
    (follow, *_) = touches(other, tz="America/New_York")
    assert follow.occurred_at == datetime(2018, 1, 4, 5, 38, tzinfo=UTC)


def test_a_date_only_connection_comes_before_that_days_first_message():
    for tz in ("UTC", "America/New_York"):
        got = touches(ENTITIES_2024, tz=tz)
        follow = {t.contact: t.occurred_at for t in got if t.channel is Channel.FOLLOW}
        first = next(
            t for t in got if t.contact == "linkedin:wren-adeyemi" and t.channel is Channel.DM
        )
        assert first.occurred_at == datetime(2024, 2, 5, 8, 15, tzinfo=UTC)
        assert follow["linkedin:wren-adeyemi"] < first.occurred_at
        assert follow["linkedin:wren-adeyemi"] >= first.occurred_at - timedelta(minutes=1)
    # the message with Hugo is later that day: his connection stays at noon
    assert follow["linkedin:hugomarchetti"] == datetime(2024, 3, 18, 16, tzinfo=UTC)


# -- through the CLI --------------------------------------------------------------------------
def test_cli_imports_the_sample_once(cli):
    result = imports_cleanly(cli, "linkedin", SAMPLE)
    assert (result["people_created"], result["interactions_added"]) == (2, 4)
    priya = cli.json("show", "linkedin:priyaraman")
    assert priya["name"] == "Priya Raman"
    assert {"platform": "linkedin", "handle": "priyaraman"} in priya["identities"]
    assert priya["counts"] == {"in": 2, "out": 1}
    assert priya["stage"] == "conversing"
    jonas = cli.json("show", "linkedin:jonas-weber-12345")
    assert {"platform": "email", "handle": "jonas@example.com"} in jonas["identities"]
    assert jonas["stage"] == "noticed"  # a connection is no conversation
    assert sorted(p["name"] for p in cli.json("people")) == ["Jonas Weber", "Priya Raman"]


def test_cli_imports_the_zipped_current_export(cli, tmp_path):
    archive = zipped(CURRENT, tmp_path, "Complete_LinkedInDataExport_11-20-2026.zip")
    result = imports_cleanly(cli, "linkedin", archive)
    assert (result["people_created"], result["interactions_added"]) == (6, 14)
    zoe = cli.json("show", "linkedin:zoë-brandt")
    assert zoe["name"] == "Zoë Brandt"
    assert zoe["counts"] == {"in": 2, "out": 0}
    ana = cli.json("show", "linkedin:ana-costa-lisbon")
    assert {"platform": "email", "handle": "ana.costa@example.org"} in ana["identities"]
    assert ana["stage"] == "acquainted"  # she wrote in a small group
    assert cli.json("show", "linkedin:priyaraman")["counts"] == {"in": 1, "out": 4}


def test_a_newer_export_adds_only_what_is_new_and_the_user_is_remembered(sqlite_cli, tmp_path):
    imports_cleanly(sqlite_cli, "linkedin", SAMPLE)
    newer = copy_tree(SAMPLE, tmp_path)
    with (newer / "messages.csv").open("a") as f:
        f.write(
            "2-ZmE1MjY=,,Priya Raman,https://www.linkedin.com/in/priyaraman,Sam Example,"
            "https://www.linkedin.com/in/sam-example,2024-03-15 08:00:00 UTC,,See you!,INBOX,\n"
        )
    again = sqlite_cli.json("import", "linkedin", str(newer / "messages.csv"))  # alone: no --me
    assert (again["interactions_added"], again["interactions_skipped"]) == (1, 2)
    assert again["people_created"] == 0


def test_the_2018_export_imports_by_name(sqlite_cli):
    result = imports_cleanly(sqlite_cli, "linkedin", EXPORT_2018, "--tz", "America/New_York")
    assert result["people_created"] == 3
    priya = sqlite_cli.json("show", "linkedin:name:Priya Raman")
    assert priya["counts"] == {"in": 1, "out": 2}


def test_cli_refuses_bad_input(cli, tmp_path):
    refuses(cli, "linkedin", wrong_format(tmp_path), "does not look like a LinkedIn data export")
    refuses(cli, "linkedin", truncated(SAMPLE / "Connections.csv", tmp_path), "Connections.csv")
    message = refuses(cli, "linkedin", truncated(zipped(CURRENT, tmp_path), tmp_path), "cut short")
    assert "not a readable archive" in message
    broken = copy_tree(CURRENT, tmp_path, "broken")
    (broken / "messages.csv").write_bytes(
        truncated(CURRENT / "messages.csv", tmp_path).read_bytes()
    )
    message = refuses(cli, "linkedin", zipped(broken, tmp_path, "broken.zip"), "messages.csv")
    assert "broken.zip" in message
    assert "line" in message
    refuses(cli, "linkedin", SAMPLE / "messages.csv", "--me")


def test_cli_leaves_out_sponsored_inmail_and_acceptances_of_a_2018_export(sqlite_cli):
    result = imports_cleanly(sqlite_cli, "linkedin", INMAIL_2018, "--tz", "America/New_York")
    assert result["people_created"] == 4
    assert any("sponsored InMail" in w for w in result["warnings"])
    people = {p["name"]: p["stage"] for p in sqlite_cli.json("people")}
    assert people == {
        "Tomas Ferreira": "acquainted",  # he wrote; the user only accepted his invitation
        "Ines Kowal": "conversing",  # the user really replied
        "Oskar Brandvold": "noticed",
        "Priyanka Shah": "conversing",
    }
    tomas = sqlite_cli.json("show", "linkedin:name:Tomas Ferreira")
    assert tomas["counts"] == {"in": 2, "out": 0}  # the connection and his message
