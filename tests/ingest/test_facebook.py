"""The Facebook importer (Download your information, JSON)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kith.domain import Channel, Direction
from kith.ingest import meta
from kith.ingest.base import ImportFailed, Options
from kith.ingest.facebook import IMPORTER
from kith.ingest.records import Contact, Me, Record, Touch
from tests.ingest.contract import (
    NOW,
    copy_tree,
    imports_cleanly,
    refuses,
    truncated,
    wrong_format,
    zipped,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
SAMPLE = FIXTURES / "facebook" / "sample"
EXPORT = FIXTURES / "facebook" / "export_2024"  # your_facebook_activity/, profile, friends
LEGACY = FIXTURES / "facebook" / "legacy_2019"  # messages/inbox at the top, "profile" keys
NO_PROFILE = FIXTURES / "facebook" / "no_profile_2022"  # your_activity_across_facebook/
MESSAGES = EXPORT / "your_facebook_activity" / "messages"
JOSE_FOLDER = MESSAGES / "inbox" / "josenunez_10150000000000001"
SAMPLE_PAGE = (
    SAMPLE
    / "your_facebook_activity/messages/inbox/sorenkierkegard_10150000000000000/message_1.json"
)


def records(path: Path, *me: str) -> list[Record]:
    return list(IMPORTER.extract(path, Options(me=me)))


def touches(path: Path, *me: str) -> list[Touch]:
    return [r for r in records(path, *me) if isinstance(r, Touch)]


def of(found: list[Touch], contact: str) -> list[tuple[str, str, int | None, str | None]]:
    """(channel, direction, minutes, text) of one contact's touches, oldest first."""
    mine = sorted((t for t in found if t.contact == contact), key=lambda t: t.occurred_at)
    return [(t.channel.value, t.direction.value, t.minutes, t.text) for t in mine]


def names(found: list[Record]) -> set[str]:
    return {r.name for r in found if isinstance(r, Contact) and r.name}


def mojibake(value: Any) -> Any:
    """What Meta writes: the UTF-8 bytes of every string as \\u00XX escapes."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {k: mojibake(v) for k, v in value.items()}
    return value


def write_page(folder: Path, participants: list[str], messages: list[dict[str, Any]]) -> Path:
    """A message_1.json, written the way Meta writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    page = {
        "participants": [{"name": p} for p in participants],
        "messages": messages,
        "title": participants[0],
        "is_still_participant": True,
        "thread_path": f"inbox/{folder.name}",
    }
    path = folder / "message_1.json"
    path.write_text(json.dumps(mojibake(page), ensure_ascii=True))
    return path


def said(sender: str, iso: str, text: str) -> dict[str, Any]:
    when = datetime.fromisoformat(iso).replace(tzinfo=UTC)
    return {"sender_name": sender, "timestamp_ms": int(when.timestamp() * 1000), "content": text}


# -- records ----------------------------------------------------------------------------------
def test_the_sample_repairs_mojibake_and_reads_a_call_with_its_duration():
    got = records(SAMPLE, "Sam Example")
    me = next(r for r in got if isinstance(r, Me))
    assert me.name == "Sam Example"
    (soren,) = [r for r in got if isinstance(r, Contact)]
    assert soren.name == "Søren Kierkegård"
    assert [h.value for h in soren.handles] == ["name:Søren Kierkegård"]
    found = [r for r in got if isinstance(r, Touch)]
    assert of(found, soren.key) == [
        ("call", "both", 21, None),  # 1260 seconds
        ("chat", "in", None, "https://example.org/talk"),
        ("chat", "out", None, "Great to meet you at the conference today!"),
        ("chat", "in", None, "Tak! Det var dejligt at møde dig på konferencen 😊"),
    ]
    assert min(t.occurred_at for t in found) == datetime(2024, 2, 3, 6, 0, tzinfo=UTC)
    assert all(t.occurred_at.tzinfo is UTC for t in found)


def test_mojibake_is_repaired_only_where_the_round_trip_proves_it():
    assert meta.repair("Jos\u00c3\u00a9") == "José"
    assert meta.repair("\u00f0\u009f\u0098\u008a") == "😊"
    assert meta.repair("José") == "José"  # already right: é alone is no UTF-8
    assert meta.repair("Łódź 😊") == "Łódź 😊"  # not Latin-1 at all
    assert meta.repair("plain") == "plain"


def test_one_thread_and_no_profile_needs_me():
    with pytest.raises(ImportFailed, match="--me"):
        records(SAMPLE)


def test_the_user_comes_from_profile_information():
    got = records(EXPORT)
    me = next(r for r in got if isinstance(r, Me))
    assert me.name == "Sam Example"
    assert {(h.platform, h.value) for h in me.handles} >= {
        ("facebook", "name:Sam Example"),
        ("facebook", "sam.example"),
        ("email", "sam@example.org"),
    }
    assert "Sam Example" not in names(got)


def test_without_a_profile_the_user_is_the_one_in_every_one_to_one_conversation():
    got = records(NO_PROFILE)
    me = next(r for r in got if isinstance(r, Me))
    assert me.name == "Zoë Quinn"
    assert names(got) == {"Ana Example", "Bob Builder"}
    found = [r for r in got if isinstance(r, Touch)]
    assert of(found, "facebook:name:ana example") == [
        ("follow", "in", None, None),
        ("chat", "in", None, "Hi Zoë, it's Ana"),
        ("chat", "out", None, "Hello!"),
    ]


def test_me_picks_the_user_among_the_participants_of_a_lone_conversation():
    found = touches(SAMPLE, "facebook:name:Søren Kierkegård")
    assert {t.contact for t in found} == {"facebook:name:sam example"}


def test_a_one_to_one_conversation_over_two_pages():
    found = touches(EXPORT)
    assert of(found, "facebook:name:josé núñez") == [
        ("follow", "in", None, None),  # friends since
        ("chat", "out", None, "Hi José, great to meet you at the meetup!"),  # message_2.json
        ("chat", "in", None, "Igualmente, Sam!"),
        ("chat", "in", None, "¡Qué bueno verte! Nos vemos pronto 😊"),
        ("chat", "out", None, "Same here, José. Coffee next week?"),
        ("call", "both", 3, None),  # 125 seconds, rounded up
        ("call", "both", 0, None),  # 0 seconds: a missed call
        ("video", "both", 30, None),  # "started a video chat", 1800 seconds
        ("chat", "in", None, None),  # a photo alone still counts
        ("like", "out", None, None),  # "Reacted ❤ to your message"
        ("chat", "in", None, "https://example.org/trail"),  # a share: its link
        ("chat", "in", None, "Yo también"),  # in the small group
        ("comment", "out", None, "¡Olé!"),  # on José's photo
        # the unsent message is no touch
    ]


def test_archived_and_e2ee_cutover_count_requests_and_filtered_do_not():
    got = records(EXPORT)
    assert {"Bob Builder", "Carol Case"} <= names(got)
    assert not {"Spam Sender", "Prize Desk"} & names(got)
    assert "Facebook user" not in names(got)  # a deleted account names no one


def test_a_small_group_gives_each_members_own_messages_and_nothing_else():
    found = touches(EXPORT)
    assert of(found, "facebook:name:dana lee")[1] == (
        "chat",
        "in",
        None,
        "Saturday at 9 at the trailhead?",
    )
    assert of(found, "facebook:name:eve ortiz") == [("chat", "in", None, "I'm in!")]
    assert not [t for t in found if t.text and "Great, see you all" in t.text]  # the user's
    dana = of(found, "facebook:name:dana lee")
    assert ("call", "both", 10, None) not in dana  # a group call is no one's


def test_a_large_group_is_left_out():
    got = records(EXPORT)
    assert not any(n.startswith("Guest Number") for n in names(got))
    assert not [t for t in touches(EXPORT) if t.text == "Who is bringing the cake?"]


def test_nine_people_is_large_and_eight_is_small(tmp_path):
    for size in (8, 9):
        others = [f"Member Person{n}" for n in range(1, size)]
        folder = tmp_path / f"g{size}" / "messages" / "inbox" / f"group_{size}"
        write_page(
            folder, [*others, "Sam Example"], [said(others[0], "2026-01-02T10:00:00", "hi all")]
        )
    assert len(touches(tmp_path / "g8", "Sam Example")) == 1
    assert touches(tmp_path / "g9", "Sam Example") == []


def test_friends_are_a_follow_from_them_never_a_two_way_contact():
    found = touches(EXPORT)
    follows = [t for t in found if t.channel is Channel.FOLLOW]
    assert {t.contact for t in follows} == {
        "facebook:name:josé núñez",
        "facebook:name:dana lee",
        "facebook:name:gina ha",
    }
    assert {t.direction for t in follows} == {Direction.IN}


def test_comments_on_someone_elses_post_are_addressed_to_them():
    found = [t for t in touches(EXPORT) if t.channel in (Channel.COMMENT, Channel.REPLY)]
    assert sorted((t.contact, t.channel.value, t.text) for t in found) == [
        ("facebook:name:dana lee", "reply", "Agreed, the view is worth it"),
        ("facebook:name:gina ha", "comment", "Congratulations on the new job!"),
        ("facebook:name:josé núñez", "comment", "¡Olé!"),
    ]  # "his own post" and "a post in Hiking Crew's group" are no one's
    assert all(t.direction is Direction.OUT for t in found)


@pytest.mark.parametrize(
    ("export", "layout"),
    [
        (LEGACY, "messages/inbox"),
        (NO_PROFILE, "your_activity_across_facebook/messages/inbox"),
        (EXPORT, "your_facebook_activity/messages/inbox"),
    ],
)
def test_every_layout_over_the_years(export, layout):
    assert any(p.is_dir() for p in (export / layout).iterdir())
    assert IMPORTER.identify(export)
    found = touches(export)
    assert {Direction.IN, Direction.OUT} <= {
        t.direction for t in found if t.channel is Channel.CHAT
    }


def test_the_legacy_layout_reads_profile_friends_and_comments():
    found = touches(LEGACY)
    assert of(found, "facebook:name:bob builder") == [
        ("follow", "in", None, None),
        ("chat", "in", None, "Old times"),
        ("chat", "out", None, "Indeed"),
        ("comment", "out", None, "Nice build"),
    ]


def test_external_ids_are_stable_and_unique():
    first = [t.external_id for t in touches(EXPORT)]
    assert first == [t.external_id for t in touches(EXPORT)]
    assert len(set(first)) == len(first)


def test_a_conversation_moved_to_archived_keeps_its_ids(tmp_path):
    export = copy_tree(EXPORT, tmp_path)
    moved = export / "your_facebook_activity/messages/archived_threads" / JOSE_FOLDER.name
    shutil.move(export / "your_facebook_activity/messages/inbox" / JOSE_FOLDER.name, moved)
    assert {t.external_id for t in touches(export)} == {t.external_id for t in touches(EXPORT)}


def test_one_conversation_page_alone(tmp_path):
    page = tmp_path / "message_1.json"
    shutil.copy(SAMPLE_PAGE, page)
    assert IMPORTER.identify(page)
    alone = {t.external_id for t in touches(page, "Sam Example")}
    assert alone == {t.external_id for t in touches(SAMPLE, "Sam Example")}


def test_a_truncated_page_names_the_file_and_line(tmp_path):
    export = copy_tree(SAMPLE, tmp_path)
    page = next(export.rglob("message_1.json"))
    page.write_bytes(page.read_bytes()[:700])
    with pytest.raises(ImportFailed, match=r"message_1\.json.*cut short.*line \d+"):
        records(export, "Sam Example")


def test_the_html_export_is_refused_with_what_to_do(tmp_path):
    folder = tmp_path / "facebook-sam" / "your_facebook_activity/messages/inbox/ana_1"
    folder.mkdir(parents=True)
    (folder / "message_1.html").write_text("<html></html>")
    assert IMPORTER.identify(tmp_path / "facebook-sam")
    with pytest.raises(ImportFailed, match="choose Format: JSON"):
        records(tmp_path / "facebook-sam")


def test_other_files_are_not_facebook(tmp_path):
    assert not IMPORTER.identify(wrong_format(tmp_path))
    assert not IMPORTER.identify(FIXTURES / "instagram" / "export_2024")
    other = tmp_path / "notes.json"
    other.write_text('{"title": "groceries", "items": []}')
    assert not IMPORTER.identify(other)


# -- through the CLI ------------------------------------------------------------------------
def test_import_export_and_reimport_adds_nothing(cli):
    summary = imports_cleanly(cli, "facebook", EXPORT)
    assert summary["people_created"] == 6  # José, Dana, Eve, Bob, Carol, Gina
    people = {p["name"]: p for p in cli.json("people", now=NOW)}
    assert set(people) == {
        "José Núñez",
        "Dana Lee",
        "Eve Ortiz",
        "Bob Builder",
        "Carol Case",
        "Gina Ha",
    }
    jose = cli.json("show", "facebook:name:josé núñez", now=NOW)
    assert jose["identities"] == [{"platform": "facebook", "handle": "name:josé núñez"}]
    assert jose["stage"] == "voice"
    assert jose["counts"] == {"in": 9, "out": 7}  # calls count both ways
    gina = cli.json("show", "Gina Ha", now=NOW)
    assert (gina["stage"], gina["counts"]) == ("engaging", {"in": 1, "out": 1})


def test_the_zip_imports_like_the_folder(cli, tmp_path):
    archive = zipped(EXPORT, tmp_path, "facebook-samexample-2026-11-20-abc.zip")
    summary = imports_cleanly(cli, "facebook", archive)
    assert (summary["people_created"], summary["interactions_added"]) == (6, 22)
    again = cli.json("import", "facebook", str(EXPORT), now=NOW)
    assert (again["interactions_added"], again["people_created"]) == (0, 0)


def test_a_newer_export_adds_only_what_is_new(cli, tmp_path):
    older = copy_tree(LEGACY, tmp_path, "older")
    imports_cleanly(cli, "facebook", older)
    newer = copy_tree(LEGACY, tmp_path, "newer")
    page = next(newer.rglob("message_1.json"))
    data = json.loads(page.read_text())
    data["messages"].insert(0, mojibake(said("Bob Builder", "2019-06-01T10:00:00", "¿Qué tal?")))
    page.write_text(json.dumps(data, ensure_ascii=True))
    summary = cli.json("import", "facebook", str(newer), now=NOW)
    assert (summary["interactions_added"], summary["people_created"]) == (1, 0)
    bob = cli.json("show", "facebook:name:Bob Builder", now=NOW)
    assert bob["recent"][0]["text"] == "¿Qué tal?"


def test_a_later_part_without_profile_knows_the_user_from_the_first(cli, tmp_path):
    part2 = tmp_path / "part2" / "your_facebook_activity/messages/inbox"
    shutil.copytree(MESSAGES / "archived_threads", part2.parent / "archived_threads")
    refuses(cli, "facebook", tmp_path / "part2", "--me")  # alone: who is the user?
    imports_cleanly(cli, "facebook", LEGACY)  # carries the profile
    summary = cli.json("import", "facebook", str(tmp_path / "part2"), now=NOW)
    assert summary["interactions_added"] == 2


def test_me_on_the_command_line(cli):
    refuses(cli, "facebook", SAMPLE, "--me")
    summary = imports_cleanly(cli, "facebook", SAMPLE, "--me", "Sam Example")
    assert (summary["people_created"], summary["interactions_added"]) == (1, 4)
    soren = cli.json("show", "facebook:name:Søren Kierkegård", now=NOW)
    assert soren["name"] == "Søren Kierkegård"
    assert soren["stage"] == "voice"


def test_refuses_a_truncated_page(cli, tmp_path):
    refuses(cli, "facebook", truncated(SAMPLE_PAGE, tmp_path), "cut short", "--me", "Sam")


def test_refuses_a_truncated_zip(cli, tmp_path):
    archive = zipped(EXPORT, tmp_path)
    refuses(cli, "facebook", truncated(archive, tmp_path), "cut short")


def test_refuses_a_zip_with_a_truncated_page(cli, tmp_path):
    export = copy_tree(EXPORT, tmp_path)
    page = export / "connections/friends/your_friends.json"
    page.write_bytes(page.read_bytes()[:90])
    refuses(cli, "facebook", zipped(export, tmp_path), "your_friends.json")


def test_refuses_what_is_not_a_facebook_export(cli, tmp_path):
    refuses(cli, "facebook", wrong_format(tmp_path), "does not look like")
    refuses(cli, "facebook", FIXTURES / "instagram" / "export_2024", "does not look like")


def test_a_part_with_only_photos_says_so(cli, tmp_path):
    photos = tmp_path / "part3" / "your_facebook_activity/messages/inbox/ana_1/photos"
    photos.mkdir(parents=True)
    (photos / "1.jpg").write_bytes(b"\xff\xd8\xff")
    refuses(cli, "facebook", tmp_path / "part3", "only photos and videos")


@pytest.mark.parametrize("name", ["", "\u0000", "   "])
def test_a_friend_without_a_name_is_left_out_not_created_again_each_time(cli, tmp_path, name):
    """Found by fuzzing: a friend whose name is empty (or only a NUL, dropped on import) has
    no handle to be found by, and every import of the same file created them again."""
    export = copy_tree(EXPORT, tmp_path)
    friends = export / "connections" / "friends" / "your_friends.json"
    document = json.loads(friends.read_text("utf-8"))
    document["friends_v2"][0]["name"] = name
    friends.write_text(json.dumps(document), "utf-8")
    summary = imports_cleanly(cli, "facebook", export)
    if name == "\u0000":  # the importer reads a name, which is nothing once cleaned
        assert any("no handle kith can read" in w for w in summary["warnings"]), summary
    assert all(p["name"].strip() for p in cli.json("people", now=NOW))


def test_text_that_is_not_unicode_is_said_in_a_users_words(cli, tmp_path):
    """Found by reading the fuzzer's refusals: a surrogate written as UTF-8 bytes gave
    orjson's "str is not valid UTF-8: surrogates not allowed"."""
    export = copy_tree(EXPORT, tmp_path)
    friends = export / "connections" / "friends" / "your_friends.json"
    data = friends.read_bytes()
    at = data.index(b"Dana Lee")
    friends.write_bytes(data[:at] + b"\xed\xa0\x80" + data[at:])
    said = refuses(cli, "facebook", export, "holds text that is not valid Unicode")
    assert "str is not" not in said, said
