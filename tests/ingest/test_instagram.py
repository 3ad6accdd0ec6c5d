"""The Instagram importer (Download your information, JSON)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.instagram import IMPORTER
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
SAMPLE = FIXTURES / "instagram" / "sample"
EXPORT = FIXTURES / "instagram" / "export_2024"  # your_instagram_activity/, connections/
LEGACY = FIXTURES / "instagram" / "legacy_2021"  # messages/inbox, account_information/
NO_PROFILE = FIXTURES / "instagram" / "no_profile"
ANA = "instagram:ana.example"


def records(path: Path, *me: str) -> list[Record]:
    return list(IMPORTER.extract(path, Options(me=me)))


def touches(path: Path, *me: str) -> list[Touch]:
    return [r for r in records(path, *me) if isinstance(r, Touch)]


def of(found: list[Touch], contact: str) -> list[tuple[str, str, int | None, str | None]]:
    """(channel, direction, minutes, text) of one contact's touches, oldest first."""
    mine = sorted((t for t in found if t.contact == contact), key=lambda t: t.occurred_at)
    return [(t.channel.value, t.direction.value, t.minutes, t.text) for t in mine]


def contacts(found: list[Record]) -> dict[str, Contact]:
    """Each contact as first met (later records with the same key only add to it)."""
    first: dict[str, Contact] = {}
    for r in found:
        if isinstance(r, Contact):
            first.setdefault(r.key, r)
    return first


def mojibake(value: Any) -> Any:
    """What Meta writes: the UTF-8 bytes of every string as \\u00XX escapes."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {k: mojibake(v) for k, v in value.items()}
    return value


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(mojibake(data), ensure_ascii=True))
    return path


def write_page(folder: Path, participants: list[str], messages: list[dict[str, Any]]) -> Path:
    page = {
        "participants": [{"name": p} for p in participants],
        "messages": messages,
        "title": participants[0],
        "is_still_participant": True,
        "thread_path": f"inbox/{folder.name}",
    }
    return write_json(folder / "message_1.json", page)


def said(sender: str, iso: str, text: str) -> dict[str, Any]:
    when = datetime.fromisoformat(iso).replace(tzinfo=UTC)
    return {"sender_name": sender, "timestamp_ms": int(when.timestamp() * 1000), "content": text}


def follower(username: str) -> dict[str, Any]:
    return {
        "title": "",
        "media_list_data": [],
        "string_list_data": [
            {"href": f"https://www.instagram.com/{username}", "value": username, "timestamp": 1}
        ],
    }


# -- the samples ----------------------------------------------------------------------------
def test_followers_follow_the_user_in():
    (touch,) = touches(SAMPLE / "synthetic_followers_1.json")
    assert (touch.contact, touch.channel, touch.direction) == (
        "instagram:example_friend",
        Channel.FOLLOW,
        Direction.IN,
    )
    assert touch.occurred_at == datetime(2023, 2, 14, 5, 58, 38, tzinfo=UTC)


def test_following_is_the_user_following_out_in_both_layouts():
    classic = touches(SAMPLE / "synthetic_following.json")
    variant = touches(SAMPLE / "synthetic_following_2025_variant.json")
    assert classic == variant  # 2025: username in "title", href /_u/<user>, no "value"
    (touch,) = classic
    assert (touch.contact, touch.direction) == ("instagram:example_cafe", Direction.OUT)
    (cafe,) = contacts(records(SAMPLE / "synthetic_following_2025_variant.json")).values()
    assert [(h.platform, h.value) for h in cafe.handles] == [("instagram", "example_cafe")]


def test_a_lone_conversation_page_needs_me():
    page = SAMPLE / "chatminer_message_1.json"
    assert IMPORTER.identify(page)
    with pytest.raises(ImportFailed, match="--me"):
        records(page)
    found = touches(page, "Jane Doe")
    assert of(found, "instagram:name:john doe") == [
        ("dm", "out", None, "Hello John!"),
        ("dm", "in", None, "Hello Jane!"),
    ]


# -- a full export --------------------------------------------------------------------------
def test_the_user_comes_from_personal_information():
    me = next(r for r in records(EXPORT) if isinstance(r, Me))
    assert me.name == "Sâm Example"  # mojibake repaired
    assert {(h.platform, h.value) for h in me.handles} >= {
        ("instagram", "sam.example"),
        ("instagram", "name:Sâm Example"),
        ("email", "sam@example.org"),
    }


def test_a_one_to_one_folder_names_the_username_when_the_export_knows_it():
    got = records(EXPORT)
    ana = contacts(got)[ANA]
    assert ana.name == "Ana Ëxample"
    assert [(h.platform, h.value) for h in ana.handles] == [
        ("instagram", "ana.example"),  # folder anaexample_1234567890, follower ana.example
        ("instagram", "name:Ana Ëxample"),
    ]
    zoe = contacts(got)["instagram:name:zoë quinn"]  # zoequinn_...: no username known
    assert [h.value for h in zoe.handles] == ["name:Zoë Quinn"]


def test_direct_messages_calls_likes_and_follows_with_one_person():
    assert of(touches(EXPORT), ANA) == [
        ("follow", "in", None, None),
        ("follow", "out", None, None),
        ("dm", "in", None, "Loved your trail photos 🏔️"),
        ("dm", "out", None, "Thanks Ana! Want to join next time?"),
        ("like", "in", None, None),  # "Liked a message"
        ("video", "both", 16, None),  # 905 seconds, rounded up
        ("dm", "out", None, None),  # a photo alone
        ("dm", "in", None, "https://www.instagram.com/p/EXAMPLE/"),  # a shared post
    ]


def test_a_small_group_counts_each_members_own_messages():
    found = touches(EXPORT)
    assert of(found, "instagram:name:ana ëxample") == [("chat", "in", None, "Yes!")]
    assert of(found, "instagram:name:bo rivers") == [("chat", "in", None, "Sunday hike?")]
    assert not [t for t in found if t.text == "I'll bring snacks"]  # the user's own


def test_a_large_group_is_left_out(tmp_path):
    for size in (8, 9):
        others = [f"Member Person{n}" for n in range(1, size)]
        folder = tmp_path / f"g{size}" / "messages" / "inbox" / f"group_{size}"
        write_page(folder, [*others, "Sam"], [said(others[0], "2026-01-02T10:00:00", "hi all")])
    assert len(touches(tmp_path / "g8", "Sam")) == 1
    assert touches(tmp_path / "g9", "Sam") == []


def test_message_requests_hashtags_and_own_posts_are_left_out():
    got = records(EXPORT)
    names = {c.name for c in contacts(got).values()}
    assert "Promo Account" not in names
    assert "instagram:hikes" not in contacts(got)  # following_hashtags.json
    comments = [t for t in touches(EXPORT) if t.channel is Channel.COMMENT]
    assert [(t.contact, t.direction, t.text) for t in comments] == [
        ("instagram:example_cafe", Direction.OUT, "Best flat white in town ☕")
    ]  # the comment on the user's own post is no one's


def test_a_folder_two_usernames_could_spell_keeps_the_display_name(tmp_path):
    export = tmp_path / "export"
    write_json(
        export / "connections/followers_and_following/followers_1.json",
        [follower("ana.ex"), follower("ana_ex")],
    )
    inbox = export / "your_instagram_activity/messages/inbox"
    write_page(inbox / "anaex_42", ["Ana", "Sam"], [said("Ana", "2026-01-02T10:00:00", "hi")])
    write_page(inbox / "bo_43", ["Bo", "Sam"], [said("Bo", "2026-01-02T10:00:00", "hey")])
    found = touches(export, "Sam")
    assert {t.contact for t in found if t.channel is Channel.DM} == {
        "instagram:name:ana",
        "instagram:name:bo",
    }


@pytest.mark.parametrize(
    ("export", "layout"),
    [(LEGACY, "messages/inbox"), (EXPORT, "your_instagram_activity/messages/inbox")],
)
def test_every_layout_over_the_years(export, layout):
    assert any(p.is_dir() for p in (export / layout).iterdir())
    assert IMPORTER.identify(export)
    dms = {t.direction for t in touches(export) if t.channel is Channel.DM}
    assert dms == {Direction.IN, Direction.OUT}


def test_the_2021_layout_reads_account_information_followers_and_old_comments():
    got = records(LEGACY)
    me = next(r for r in got if isinstance(r, Me))
    assert me.name == "Sam Example"
    assert of([r for r in got if isinstance(r, Touch)], "instagram:bo_rivers") == [
        ("follow", "in", None, None),
        ("dm", "in", None, "Thanks for the follow!"),
        ("dm", "out", None, "Love your climbing shots"),
        ("comment", "out", None, "What a wall!"),
    ]


def test_without_a_profile_the_user_is_the_one_in_every_one_to_one_conversation():
    got = records(NO_PROFILE)
    me = next(r for r in got if isinstance(r, Me))
    assert me.name == "Sâm Example"
    assert {c.name for c in contacts(got).values()} == {"Ana Ëxample", "Bo Rivers"}


def test_external_ids_are_stable_and_unique():
    first = [t.external_id for t in touches(EXPORT)]
    assert first == [t.external_id for t in touches(EXPORT)]
    assert len(set(first)) == len(first)
    assert all(t.occurred_at.tzinfo is UTC for t in touches(EXPORT))


def test_a_truncated_page_names_the_file_and_line(tmp_path):
    export = copy_tree(EXPORT, tmp_path)
    page = next(export.rglob("anaexample_1234567890/message_1.json"))
    page.write_bytes(page.read_bytes()[:500])
    with pytest.raises(ImportFailed, match=r"message_1\.json.*cut short.*line \d+"):
        records(export)


def test_the_html_export_is_refused_with_what_to_do(tmp_path):
    folder = tmp_path / "instagram-sam" / "your_instagram_activity/messages/inbox/ana_1"
    folder.mkdir(parents=True)
    (folder / "message_1.html").write_text("<html></html>")
    with pytest.raises(ImportFailed, match="choose Format: JSON"):
        records(tmp_path / "instagram-sam")


def test_other_files_are_not_instagram(tmp_path):
    assert not IMPORTER.identify(wrong_format(tmp_path))
    assert not IMPORTER.identify(FIXTURES / "facebook" / "export_2024")


# -- through the CLI ------------------------------------------------------------------------
def test_import_export_and_reimport_adds_nothing(cli):
    summary = imports_cleanly(cli, "instagram", EXPORT)
    assert (summary["people_created"], summary["interactions_added"]) == (5, 15)
    ana = cli.json("show", "instagram:ana.example", now=NOW)
    assert ana["name"] == "Ana Ëxample"
    assert {(i["platform"], i["handle"]) for i in ana["identities"]} == {
        ("instagram", "ana.example"),
        ("instagram", "name:ana ëxample"),
    }
    assert ana["counts"] == {"in": 6, "out": 4}  # with the group message; the call both ways
    assert ana["stage"] == "voice"
    zoe = cli.json("show", "instagram:name:Zoë Quinn", now=NOW)
    assert (zoe["stage"], zoe["counts"]) == ("conversing", {"in": 1, "out": 1})
    cafe = cli.json("show", "instagram:example_cafe", now=NOW)
    assert (cafe["stage"], cafe["counts"]) == ("engaging", {"in": 0, "out": 2})
    fan = cli.json("show", "instagram:bo_rivers", now=NOW)
    assert (fan["stage"], fan["counts"]) == ("noticed", {"in": 1, "out": 0})


def test_the_zip_imports_like_the_folder(cli, tmp_path):
    archive = zipped(EXPORT, tmp_path, "instagram-sam.example-2026-11-20-abc.zip")
    summary = imports_cleanly(cli, "instagram", archive)
    assert (summary["people_created"], summary["interactions_added"]) == (5, 15)
    again = cli.json("import", "instagram", str(EXPORT), now=NOW)
    assert (again["interactions_added"], again["people_created"]) == (0, 0)


def test_the_sample_files_one_by_one(cli):
    imports_cleanly(cli, "instagram", SAMPLE / "synthetic_followers_1.json")
    imports_cleanly(cli, "instagram", SAMPLE / "synthetic_following.json")
    again = cli.json("import", "instagram", str(SAMPLE / "synthetic_following_2025_variant.json"))
    assert (again["interactions_added"], again["people_created"]) == (0, 0)
    refuses(cli, "instagram", SAMPLE / "chatminer_message_1.json", "--me")
    summary = imports_cleanly(
        cli, "instagram", SAMPLE / "chatminer_message_1.json", "--me", "Jane Doe"
    )
    assert summary["interactions_added"] == 2
    john = cli.json("show", "instagram:name:John Doe", now=NOW)
    assert john["stage"] == "conversing"


def test_a_later_conversation_adds_only_what_is_new(cli, tmp_path):
    older = copy_tree(LEGACY, tmp_path, "older")
    imports_cleanly(cli, "instagram", older)
    newer = copy_tree(LEGACY, tmp_path, "newer")
    page = next(newer.rglob("message_1.json"))
    data = json.loads(page.read_text())
    data["messages"].insert(0, mojibake(said("Bo Rivers", "2021-05-01T10:00:00", "Olá! 👋")))
    page.write_text(json.dumps(data, ensure_ascii=True))
    summary = cli.json("import", "instagram", str(newer), now=NOW)
    assert (summary["interactions_added"], summary["people_created"]) == (1, 0)
    bo = cli.json("show", "instagram:bo_rivers", now=NOW)
    assert bo["recent"][0]["text"] == "Olá! 👋"


def test_refuses_a_truncated_file(cli, tmp_path):
    page = SAMPLE / "synthetic_following.json"
    refuses(cli, "instagram", truncated(page, tmp_path), "cut short")


def test_refuses_a_truncated_zip(cli, tmp_path):
    archive = zipped(EXPORT, tmp_path)
    refuses(cli, "instagram", truncated(archive, tmp_path), "cut short")


def test_refuses_a_zip_with_a_truncated_followers_file(cli, tmp_path):
    export = copy_tree(EXPORT, tmp_path)
    followers = export / "connections/followers_and_following/followers_1.json"
    followers.write_bytes(followers.read_bytes()[:100])
    refuses(cli, "instagram", zipped(export, tmp_path), "followers_1.json")


def test_refuses_what_is_not_an_instagram_export(cli, tmp_path):
    refuses(cli, "instagram", wrong_format(tmp_path), "does not look like")
    refuses(cli, "instagram", FIXTURES / "facebook" / "export_2024", "does not look like")
    notes = tmp_path / "notes.json"
    notes.write_text('{"title": "groceries"}')
    refuses(cli, "instagram", notes, "does not look like")
