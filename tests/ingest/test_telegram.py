"""The Telegram importer: records from result.json exports, and `kith import telegram`."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.records import Contact, Handle, Me, Record, Touch
from kith.ingest.telegram import IMPORTER
from tests.ingest.contract import imports_cleanly, refuses, truncated, wrong_format, zipped

FIXTURES = Path(__file__).parent.parent / "fixtures" / "telegram"
FULL = FIXTURES / "DataExport_2024-02-01"
SINGLE = FIXTURES / "ChatExport_2024-01-06"
GROUP = FIXTURES / "group_chat_export.json"
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def records(path: Path, *me: str, tz: str = "Europe/Lisbon", **options: Any) -> list[Record]:
    return list(IMPORTER.extract(path, Options(me=me, tz=tz, now=NOW, **options)))


def touches(found: list[Record], contact: str | None = None) -> list[Touch]:
    return [r for r in found if isinstance(r, Touch) and contact in (None, r.contact)]


def contacts(found: list[Record]) -> dict[str, Contact]:
    """Contacts by key, later records adding to earlier ones (as the service does)."""
    merged: dict[str, Contact] = {}
    for r in found:
        if isinstance(r, Contact):
            before = merged.get(r.key)
            handles = (*before.handles, *r.handles) if before else r.handles
            name = (before.name if before else None) or r.name
            merged[r.key] = Contact(r.key, name, tuple(dict.fromkeys(handles)))
    return merged


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def message(n: int, sender: str, from_id: str, text: str = "hi") -> dict[str, Any]:
    return {
        "id": n,
        "type": "message",
        "date": "2024-05-01T10:00:00",
        "date_unixtime": str(1714557600 + n * 60),
        "from": sender,
        "from_id": from_id,
        "text": text,
    }


# -- records: the full export ------------------------------------------------------------------
def test_the_user_comes_from_personal_information():
    (me,) = [r for r in records(FULL) if isinstance(r, Me)]
    assert me.name == "Sam Self"
    assert set(me.handles) == {
        Handle("telegram", "id:777001"),
        Handle("telegram", "@samself"),
        Handle("phone", "+1 555 010 0000"),
    }


def test_the_address_book_links_people_by_phone():
    found = contacts(records(FULL))
    assert found["telegram:id:5001"].name == "Alex Example"
    assert Handle("phone", "+1 555 010 0001") in found["telegram:id:5001"].handles
    # a number written without + is left to the service, which reads it with the region
    assert Handle("phone", "555 010 0002") in found["telegram:id:5002"].handles
    # a contact without a Telegram id is keyed by their number; an empty entry is skipped
    assert found["telegram:phone:+447700900123"].handles == (Handle("phone", "+44 7700 900123"),)
    assert "telegram:id:0" not in found


def test_a_personal_chat_is_messages_both_ways_and_calls():
    alex = touches(records(FULL), "telegram:id:5001")
    personal = [t for t in alex if t.external_id.startswith("5001:")]
    assert [(t.external_id, t.channel, t.direction, t.minutes) for t in personal] == [
        ("5001:101", Channel.CHAT, Direction.IN, None),
        ("5001:102", Channel.CHAT, Direction.OUT, None),
        ("5001:103", Channel.CALL, Direction.BOTH, 3),  # 125 seconds, rounded up
        ("5001:104", Channel.CHAT, Direction.IN, None),
        ("5001:105", Channel.CALL, Direction.BOTH, 0),  # missed
        ("5001:106", Channel.CALL, Direction.BOTH, 0),  # busy
        ("5001:108", Channel.CHAT, Direction.IN, None),  # 107 pinned a message: no touch
    ]
    texts = {t.external_id: t.text for t in personal}
    assert texts["5001:101"] == "hey, lunch tomorrow?"
    assert texts["5001:102"] == "sure, ask @carol_example too, see this place"
    assert texts["5001:104"] is None  # a photo without a caption
    assert texts["5001:108"] == "look at this"  # forwarded


def test_times_come_from_date_unixtime_whatever_the_zone():
    for tz in ("Europe/Lisbon", "America/New_York"):
        (first,) = [t for t in touches(records(FULL, tz=tz)) if t.external_id == "5001:101"]
        assert first.occurred_at == utc("2024-01-02T20:15:00")
        assert first.occurred_at.utcoffset() is not None


def test_old_exports_without_unixtime_use_the_given_zone():
    lisbon = touches(records(FULL, tz="Europe/Lisbon"), "telegram:id:5002")
    assert [t.occurred_at for t in lisbon] == [utc("2019-07-10T09:00"), utc("2019-07-10T09:05")]
    new_york = touches(records(FULL, tz="America/New_York"), "telegram:id:5002")
    assert new_york[0].occurred_at == utc("2019-07-10T14:00")
    assert [t.direction for t in lisbon] == [Direction.IN, Direction.OUT]


def test_a_small_group_gives_each_member_their_own_messages():
    found = records(FULL)
    group = [t for t in touches(found) if t.external_id.startswith("9001:")]
    assert [(t.external_id, t.contact, t.direction) for t in group] == [
        ("9001:301", "telegram:id:5001", Direction.IN),
        ("9001:303", "telegram:id:5004", Direction.IN),
    ]  # the user's own message (302) is not attributed to anyone
    assert contacts(found)["telegram:id:5004"].name == "Dee Member"


def test_left_groups_count_and_channel_posts_are_nobody():
    left = [t for t in touches(records(FULL)) if t.external_id.startswith("9004:")]
    assert [(t.external_id, t.contact) for t in left] == [("9004:900", "telegram:id:5005")]


def test_large_groups_channels_bots_and_saved_messages_are_left_out():
    chats = {t.external_id.split(":")[0] for t in touches(records(FULL))}
    assert chats == {"5001", "5002", "9001", "5009", "9004"}
    assert not any(key.startswith("telegram:id:60") for key in contacts(records(FULL)))


def test_a_deleted_account_gets_a_name():
    assert contacts(records(FULL))["telegram:id:5009"].name == "Telegram user 5009"


def test_external_ids_are_stable_and_shared_by_full_and_single_chat_exports():
    first = [t.external_id for t in touches(records(FULL))]
    assert first == [t.external_id for t in touches(records(FULL))]
    assert len(set(first)) == len(first)
    single = [t.external_id for t in touches(records(SINGLE))]
    assert single == ["5001:101", "5001:102", "5001:109"]


@pytest.mark.parametrize(("size", "kept"), [(8, True), (9, False)])
def test_groups_of_at_most_eight_participants_count(tmp_path, size, kept):
    # the user plus size - 1 others who each write once
    others = [message(n, f"Member {n}", f"user{7000 + n}") for n in range(1, size)]
    mine = message(99, "Sam Self", "user777001")
    export = {"name": "Team", "type": "private_supergroup", "id": 42, "messages": [*others, mine]}
    found = touches(records(write(tmp_path, "result.json", export), "telegram:id:777001"))
    assert len(found) == (size - 1 if kept else 0)


def test_silent_members_named_by_the_group_creation_count_too(tmp_path):
    create = {
        "id": 1,
        "type": "service",
        "date_unixtime": "1714557600",
        "actor": "Sam Self",
        "actor_id": "user777001",
        "action": "create_group",
        "members": [f"Silent {n}" for n in range(1, 8)],
    }
    export = {
        "name": "Quiet",
        "type": "private_group",
        "id": 43,
        "messages": [create, message(2, "Talker", "user7100")],
    }
    # the user, seven silent members and one who talks: nine participants
    assert touches(records(write(tmp_path, "result.json", export), "Sam Self")) == []


# -- records: single-chat and odd exports --------------------------------------------------------
def test_a_single_chat_export_finds_the_user_as_the_other_sender():
    found = records(SINGLE)
    (me,) = [r for r in found if isinstance(r, Me)]
    assert me.handles == (Handle("telegram", "id:777001"),)
    assert [t.direction for t in touches(found)] == [Direction.IN, Direction.OUT, Direction.OUT]


def test_a_group_export_needs_to_know_the_user():
    with pytest.raises(ImportFailed, match="pass --me"):
        records(GROUP)
    by_id = touches(records(GROUP, "telegram:id:777001"))
    by_name = touches(records(GROUP, "Sam Self"))
    assert [t.contact for t in by_id] == ["telegram:id:5001", "telegram:id:5004"]
    assert by_id == by_name


def test_a_chat_header_after_its_messages_is_still_read():
    found = touches(records(FIXTURES / "reordered_keys_export.json"))
    assert [(t.external_id, t.contact, t.direction) for t in found] == [
        ("5006:1", "telegram:id:5006", Direction.IN),
        ("5006:2", "telegram:id:5006", Direction.OUT),
    ]


@pytest.mark.parametrize("name", ["chatminer_single_export.json", "chatminer_batch_export.json"])
def test_chatminer_exports_without_ids_or_types(name):
    """chat-miner's samples: names only, no ids, no chat type. Its expected messages are
    (2018-12-05 11:39:10, Author 1, "Minimal Message") and (11:49:24, Author 2, "Link:
    https://telegram.org/") in its local time, UTC+1; the entities' texts are joined as
    Telegram writes them, without the space chat-miner adds."""
    path = FIXTURES / name
    with pytest.raises(ImportFailed, match="pass --me"):
        records(path)
    found = touches(records(path, "Author 1"))
    assert [(t.contact, t.direction, t.occurred_at, t.text) for t in found] == [
        ("telegram:name:author 2", Direction.OUT, utc("2018-12-05T10:39:10"), "Minimal Message"),
        (
            "telegram:name:author 2",
            Direction.IN,
            utc("2018-12-05T10:49:24"),
            "Link:https://telegram.org/",
        ),
    ]
    assert all(t.external_id.startswith("sha1:") for t in found)
    assert [t.external_id for t in found] == [
        t.external_id for t in touches(records(path, "Author 1"))
    ]


def test_identical_messages_without_ids_get_distinct_ids(tmp_path):
    same = {"type": "message", "date_unixtime": "1714557600", "from": "Ana", "text": "ok"}
    export = {"name": "Ana", "messages": [same, same, {**same, "from": "Sam"}]}
    found = touches(records(write(tmp_path, "result.json", export), "Sam"))
    assert len({t.external_id for t in found}) == 3


def test_messages_are_read_one_at_a_time(tmp_path):
    """A personal chat's touches come out while the file is still being read."""
    export = {
        "name": "Alex Example",
        "type": "personal_chat",
        "id": 5001,
        "messages": [message(n, "Alex Example", "user5001", "x" * 200) for n in range(20_000)],
    }
    path = write(tmp_path, "result.json", export)
    read: list[int] = []
    stream = IMPORTER.extract(path, Options(progress=lambda done, total: read.append(done)))
    first = next(r for r in stream if isinstance(r, Touch))
    assert first.external_id == "5001:0"
    assert read[-1] < path.stat().st_size / 2


def test_a_truncated_file_is_refused_naming_where(tmp_path):
    with pytest.raises(ImportFailed, match=r"cut short .*after message \d+ of chat"):
        records(truncated(FULL / "result.json", tmp_path))


def test_identify():
    assert IMPORTER.identify(FULL)
    assert IMPORTER.identify(FULL / "result.json")
    assert IMPORTER.identify(FIXTURES / "chatminer_single_export.json")
    assert not IMPORTER.identify(FIXTURES.parent / "whatsapp" / "mixed_orders.txt")


# -- through the CLI ---------------------------------------------------------------------------
def test_import_full_export(cli, tmp_path):
    summary = imports_cleanly(cli, "telegram", FULL)
    # Alex, Bea, Cy (address book only), Dee, the deleted account, Eve
    assert summary["people_created"] == 6
    assert summary["interactions_added"] == 13
    alex = cli.json("show", "telegram:id:5001")
    assert {(i["platform"], i["handle"]) for i in alex["identities"]} == {
        ("telegram", "id:5001"),
        ("phone", "+15550100001"),
    }
    # four messages in (one in the group), one out, three calls counted both ways
    assert alex["counts"] == {"in": 7, "out": 4}
    assert alex["stage"] == "voice"  # a 3-minute call; the missed and busy ones do not count
    assert cli.json("show", "phone:+15550100002")["name"] == "Bea Example"  # region US
    assert cli.json("show", "telegram:id:5004")["counts"] == {"in": 1, "out": 0}
    names = {p["name"] for p in cli.json("people")}
    assert names == {
        "Alex Example",
        "Bea Example",
        "Cy Listed",
        "Dee Member",
        "Telegram user 5009",
        "Eve Former",
    }


def test_import_times_are_utc(cli):
    cli.json("import", "telegram", str(FULL), "--tz", "America/New_York")
    bea = cli.json("show", "telegram:id:5002")
    assert sorted(r["at"] for r in bea["recent"]) == [
        "2019-07-10T14:00:00+00:00",
        "2019-07-10T14:05:00+00:00",
    ]


def test_a_newer_single_chat_export_adds_only_what_is_new(cli):
    cli.json("import", "telegram", str(FULL))
    again = cli.json("import", "telegram", str(SINGLE))
    assert (again["interactions_added"], again["people_created"]) == (1, 0)
    # the user is known from the first import: a group export needs no --me now
    group = cli.json("import", "telegram", str(GROUP))
    assert (group["interactions_added"], group["people_created"]) == (0, 0)


def test_import_zipped_export(sqlite_cli, tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(FULL, folder / FULL.name)
    summary = imports_cleanly(sqlite_cli, "telegram", zipped(folder, tmp_path, "Telegram.zip"))
    assert summary["interactions_added"] == 13


def test_refusals(sqlite_cli, tmp_path):
    refuses(sqlite_cli, "telegram", truncated(FULL / "result.json", tmp_path), "cut short")
    refuses(sqlite_cli, "telegram", wrong_format(tmp_path), "does not look like")
    broken = truncated(zipped(FULL, tmp_path, "export.zip"), tmp_path)
    refuses(sqlite_cli, "telegram", broken, "damaged or incomplete zip")
    refuses(sqlite_cli, "telegram", GROUP, "pass --me")
    html = tmp_path / "DataExport_html"
    html.mkdir()
    (html / "export_results.html").write_text("<html></html>")
    (html / "messages.html").write_text("<html></html>")
    refuses(sqlite_cli, "telegram", html, "HTML export")


def test_group_export_with_me(sqlite_cli):
    summary = sqlite_cli.json("import", "telegram", str(GROUP), "--me", "telegram:id:777001")
    assert (summary["people_created"], summary["interactions_added"]) == (2, 2)


def test_a_zip_whose_export_will_not_open_is_refused_in_one_sentence(cli, tmp_path):
    """Found by fuzzing: telling whether a .zip is a Telegram export opened result.json
    outside the importer's error wrapper, so a damaged member header was a traceback."""
    archive = zipped(FULL, tmp_path, "telegram.zip")
    data = bytearray(archive.read_bytes())
    data[data.index(b"PK\x03\x04") + 3] = 0x05  # the member's own header, not the directory
    archive.write_bytes(bytes(data))
    said = refuses(cli, "telegram", archive, "could not be read as")
    assert "cannot be unpacked: it is damaged or cut short" in said, said


def test_the_parsers_words_on_a_damaged_export_are_text_on_one_line(cli, tmp_path):
    """Found by reading the fuzzer's refusals: bytes that are not UTF-8 made the parser
    quote the file over several lines, in bytes, in the refusal."""
    export = tmp_path / "DataExport"
    shutil.copytree(FULL, export)
    result = export / "result.json"
    data = result.read_bytes()
    at = data.index(b'"first_name"')
    result.write_bytes(data[:at] + b"\xff\xfe" + data[at:])
    said = refuses(cli, "telegram", export, "is cut short or is not valid JSON")
    assert "\\n" not in said, said
    assert "b'" not in said, said
