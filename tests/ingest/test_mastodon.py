"""The Mastodon account archive importer."""

from __future__ import annotations

import json
import shutil
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.common import stable_id
from kith.ingest.mastodon import (
    IMPORTER,
    actor_account,
    plain_text,
    status_author,
    status_time,
)
from kith.ingest.records import Contact, Handle, Me, Touch
from tests.ingest.contract import (
    copy_tree,
    imports_cleanly,
    refuses,
    truncated,
    wrong_format,
    zipped,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mastodon"
SAMPLE = FIXTURES / "sample"  # the shared sample: actor.json and a three-item outbox
FULL = FIXTURES / "full"  # replies, mentions, visibilities, boosts, likes, bookmarks
STATUS = "https://social.example/users/sam/statuses"
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def records(path: Path, *me: str) -> list[Any]:
    return list(IMPORTER.extract(path, Options(me=me, now=NOW)))


def touches(path: Path, *me: str) -> list[Touch]:
    return [r for r in records(path, *me) if isinstance(r, Touch)]


def summary(found: list[Touch]) -> list[tuple[str, str, str]]:
    return [(t.contact.removeprefix("mastodon:"), t.channel.value, t.external_id) for t in found]


def tar_gz(folder: Path, tmp_path: Path, name: str = "archive-20261120-abc.tar.gz") -> Path:
    """The folder packed as Mastodon packed archives before version 4."""
    out = tmp_path / name
    with tarfile.open(out, "w:gz") as tar:
        for file in sorted(folder.iterdir()):
            tar.add(file, file.name)
    return out


# -- the records ------------------------------------------------------------------------------
def test_sample_gives_a_reply_a_direct_message_and_a_boost():
    got = records(SAMPLE)
    assert got[0] == Me((Handle("mastodon", "sam@social.example"),), "Sam Example")
    assert got[1] == Contact(
        "mastodon:lena@fosstodon.example", None, (Handle("mastodon", "lena@fosstodon.example"),)
    )
    found = [r for r in got if isinstance(r, Touch)]
    assert [(t.channel, t.direction, t.occurred_at) for t in found] == [
        (Channel.REPLY, Direction.OUT, datetime(2024, 2, 1, 10, 15, tzinfo=UTC)),
        # to/cc name neither the public nor the followers: a direct message
        (Channel.DM, Direction.OUT, datetime(2024, 2, 3, 21, 40, 12, tzinfo=UTC)),
        (Channel.SHARE, Direction.OUT, datetime(2024, 2, 4, 8, tzinfo=UTC)),
    ]
    assert {t.contact for t in found} == {"mastodon:lena@fosstodon.example"}
    assert [t.external_id for t in found] == [
        f"{STATUS}/111000000000000001#reply:lena@fosstodon.example",
        f"{STATUS}/111000000000000002#dm:lena@fosstodon.example",
        f"{STATUS}/111000000000000003/activity",
    ]
    assert found[0].text == (
        "@lena This is such a good point about meeting people at conferences & following up."
    )
    assert found[1].text == "@lena I'll be in Berlin in March, would you like to grab a coffee?"
    assert found[2].text is None


def test_full_archive_reads_visibility_mentions_boosts_and_likes():
    assert summary(touches(FULL)) == [
        # a reply mentioning its author and a local account: the reply wins for the author
        ("lena@fosstodon.example", "reply", f"{STATUS}/200#reply:lena@fosstodon.example"),
        ("ana@social.example", "mention", f"{STATUS}/200#mention:ana@social.example"),
        # 201 replies to the user's own thread: nobody; followers-only posts still mention
        ("bo@misskey.example", "mention", f"{STATUS}/202#mention:bo@misskey.example"),
        # a reply whose status address names no author: its mention remains
        ("kim@pleroma.example", "mention", f"{STATUS}/203#mention:kim@pleroma.example"),
        # a direct message to one person; 205, to two, is a group message: nobody
        ("ana@social.example", "dm", f"{STATUS}/204#dm:ana@social.example"),
        ("lena@fosstodon.example", "share", f"{STATUS}/206/activity"),
        # 207 boosts the user's own post; 208's author comes from cc
        ("kim@pleroma.example", "share", f"{STATUS}/208/activity"),
        # 209's object is only an address; 210 is a poll
        ("lena@fosstodon.example", "mention", f"{STATUS}/210#mention:lena@fosstodon.example"),
        # favourites by Mastodon addresses; the user's own, Misskey's and pre-2017 ids are not
        (
            "lena@fosstodon.example",
            "like",
            "like:https://fosstodon.example/users/lena/statuses/111731539968000000",
        ),
        ("ana@social.example", "like", "like:https://social.example/@ana/111861065318400000"),
    ]
    assert all(t.direction is Direction.OUT for t in touches(FULL))
    ids = [t.external_id for t in touches(FULL)]
    assert ids == [t.external_id for t in touches(FULL)]
    assert len(ids) == len(set(ids))


def test_likes_are_dated_by_the_liked_status_id():
    likes = [t for t in touches(FULL) if t.channel is Channel.LIKE]
    assert [t.occurred_at for t in likes] == [
        datetime(2024, 1, 10, 12, tzinfo=UTC),
        datetime(2024, 2, 2, 9, tzinfo=UTC),
    ]
    assert all(t.text is None for t in likes)


def test_post_html_becomes_plain_text():
    reply = touches(FULL)[0]
    assert reply.text == "@lena @ana Agreed & see you both there!\n\nLine one\nline two"
    assert plain_text("<p>a &lt;b&gt;<br/>c</p><p></p>") == "a <b>\nc"
    assert plain_text("") is None
    assert plain_text(None) is None


def test_accounts_come_from_actor_and_status_addresses():
    assert actor_account("https://host.example/users/Lena") == "lena@host.example"
    assert actor_account("https://host.example/@lena") == "lena@host.example"
    assert actor_account("https://host.example/objects/1") is None
    assert status_author("https://host.example/users/lena/statuses/12") == "lena@host.example"
    assert status_author("https://host.example/@lena/12") == "lena@host.example"
    assert status_author("https://local.example/@lena@other.example/12") == "lena@other.example"
    assert status_author("https://host.example/notes/9xyz") is None
    assert status_author("not an address") is None
    assert status_time("https://host.example/@lena/111731539968000000", NOW) == datetime(
        2024, 1, 10, 12, tzinfo=UTC
    )
    assert status_time("https://host.example/@lena/4242", NOW) is None  # sequential, pre-2017
    future = str(int((NOW.timestamp() + 10 * 86400) * 1000) << 16)
    assert status_time(f"https://host.example/@lena/{future}", NOW) is None


def test_long_ids_are_hashed_to_fit():
    assert stable_id("https://a.example/1") == "https://a.example/1"
    long = "https://a.example/" + "x" * 300
    assert stable_id(long) == stable_id(long)
    assert stable_id(long).startswith("sha1:")
    assert len(stable_id(long)) <= 200


def test_zip_and_tar_gz_give_the_same_records_as_the_folder(tmp_path):
    folder = records(FULL)
    for archive in (
        zipped(FULL, tmp_path, "archive-20261120-abc.zip"),
        tar_gz(FULL, tmp_path),
    ):
        assert IMPORTER.identify(archive)
        assert records(archive) == folder


def test_without_actor_json_the_outbox_tells_the_user(tmp_path):
    folder = copy_tree(FULL, tmp_path)
    (folder / "actor.json").unlink()
    got = records(folder)
    assert got[0] == Me((Handle("mastodon", "sam@social.example"),))
    assert summary([r for r in got if isinstance(r, Touch)]) == summary(touches(FULL))


def test_a_lone_file_is_read_by_what_it_holds(tmp_path):
    assert summary(touches(SAMPLE / "outbox.json")) == summary(touches(SAMPLE))
    renamed = tmp_path / "favourites.json"
    shutil.copy(FULL / "likes.json", renamed)
    assert [t.channel for t in touches(renamed, "mastodon:sam@social.example")] == [
        Channel.LIKE,
        Channel.LIKE,
    ]
    assert not IMPORTER.identify(FULL / "bookmarks.json")


def test_other_files_are_not_mastodon_archives(tmp_path):
    assert not IMPORTER.identify(wrong_format(tmp_path))
    assert not IMPORTER.identify(FIXTURES.parent / "linkedin" / "sample")
    other = tmp_path / "data.json"
    other.write_text(json.dumps({"items": [1, 2, 3]}))
    assert not IMPORTER.identify(other)


def test_cut_short_files_fail_naming_the_file(tmp_path):
    with pytest.raises(ImportFailed, match=r"outbox\.json is damaged after item 5"):
        records(truncated(FULL / "outbox.json", tmp_path))
    broken = copy_tree(FULL, tmp_path)
    (broken / "likes.json").write_bytes(truncated(FULL / "likes.json", tmp_path).read_bytes())
    with pytest.raises(ImportFailed, match=r"likes\.json in export is damaged after item 1"):
        records(broken)
    (broken / "actor.json").write_bytes(truncated(FULL / "actor.json", tmp_path).read_bytes())
    with pytest.raises(ImportFailed, match=r"actor\.json in export is not valid JSON"):
        records(broken)


def test_a_post_without_a_date_fails_naming_the_item(tmp_path):
    data = json.loads((SAMPLE / "outbox.json").read_text())
    del data["orderedItems"][1]["published"]
    del data["orderedItems"][1]["object"]["published"]
    folder = copy_tree(SAMPLE, tmp_path)
    (folder / "outbox.json").write_text(json.dumps(data))
    with pytest.raises(ImportFailed, match=r"outbox\.json in export, item 2 has no readable"):
        records(folder)


# -- through the CLI --------------------------------------------------------------------------
def test_cli_imports_the_sample_once(cli):
    result = imports_cleanly(cli, "mastodon", SAMPLE)
    assert (result["people_created"], result["interactions_added"]) == (1, 3)
    lena = cli.json("show", "mastodon:lena@fosstodon.example")
    assert lena["identities"] == [{"platform": "mastodon", "handle": "lena@fosstodon.example"}]
    assert lena["counts"] == {"in": 0, "out": 3}
    assert lena["stage"] == "engaging"  # the user wrote; she has not answered (yet)


def test_cli_imports_zip_and_tar_gz_archives(cli, tmp_path):
    result = imports_cleanly(cli, "mastodon", tar_gz(FULL, tmp_path))
    assert (result["people_created"], result["interactions_added"]) == (4, 10)
    again = cli.json("import", "mastodon", str(zipped(FULL, tmp_path, "archive.zip")))
    assert (again["interactions_added"], again["people_created"]) == (0, 0)
    ana = cli.json("show", "mastodon:ana@social.example")
    assert ana["counts"] == {"in": 0, "out": 3}
    names = sorted(p["name"] for p in cli.json("people"))
    assert names == [
        "ana@social.example",
        "bo@misskey.example",
        "kim@pleroma.example",
        "lena@fosstodon.example",
    ]


def test_cli_refuses_bad_input(cli, tmp_path):
    refuses(
        cli, "mastodon", wrong_format(tmp_path), "does not look like a Mastodon account archive"
    )
    broken = copy_tree(SAMPLE, tmp_path, "broken")
    (broken / "outbox.json").write_bytes(truncated(SAMPLE / "outbox.json", tmp_path).read_bytes())
    message = refuses(cli, "mastodon", zipped(broken, tmp_path, "archive.zip"), "outbox.json")
    assert "archive.zip" in message
    refuses(cli, "mastodon", truncated(tar_gz(FULL, tmp_path), tmp_path), "not a readable archive")
    refuses(cli, "mastodon", truncated(zipped(FULL, tmp_path), tmp_path), "not a readable archive")


def test_the_parsers_words_on_a_damaged_file_are_text_on_one_line(tmp_path):
    """Found by fuzzing: bytes that are not UTF-8 inside a file made the parser's C back end
    speak in bytes, quoting the file over several lines ("(b'lexical error: ...\\n ...')")."""
    broken = copy_tree(FULL, tmp_path)
    likes = (FULL / "likes.json").read_bytes()
    at = likes.index(b"https://")
    (broken / "likes.json").write_bytes(likes[:at] + b"\xff\xfe" + likes[at:])
    with pytest.raises(ImportFailed) as refused:
        records(broken)
    said = str(refused.value)
    assert "likes.json in export is damaged after item" in said, said
    assert "b'" not in said, said
    assert "\n" not in said, said
