"""The X (Twitter) archive importer."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import Options
from kith.ingest.records import Contact, Handle, Me, Touch
from kith.ingest.x import IMPORTER
from tests.ingest.contract import imports_cleanly, refuses, truncated, wrong_format, zipped

SAMPLE = Path(__file__).parent.parent / "fixtures" / "x" / "sample"
ME = "80000000"


def records(path: Path, *me: str) -> list[Any]:
    return list(IMPORTER.extract(path, Options(me=me)))


def touches(path: Path, *me: str) -> list[Touch]:
    return [r for r in records(path, *me) if isinstance(r, Touch)]


def write_js(path: Path, variable: str, items: list[Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"window.YTD.{variable} = " + json.dumps(items, indent=2))


def tweet(
    tweet_id: str,
    when: str,
    text: str,
    mentions: list[tuple[str, str, str]] = (),
    reply_to: tuple[str, str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id_str": tweet_id,
        "created_at": when,
        "full_text": text,
        "entities": {
            "user_mentions": [{"id_str": i, "screen_name": s, "name": n} for i, s, n in mentions],
            "urls": [],
        },
    }
    if reply_to:
        body["in_reply_to_user_id_str"], body["in_reply_to_screen_name"] = reply_to
    return body


def test_sample_archive_gives_replies_retweets_dms_and_follows():
    got = records(SAMPLE)
    me = next(r for r in got if isinstance(r, Me))
    assert [h.value for h in me.handles] == [f"id:{ME}"]  # not the account.js of another user
    by_id = {t.external_id: t for t in got if isinstance(t, Touch)}
    reply = by_id["tweet:1712000000000000001"]
    assert (reply.contact, reply.channel, reply.direction) == (
        "x:90000001",
        Channel.REPLY,
        Direction.OUT,
    )
    assert reply.occurred_at == datetime(2023, 10, 11, 9, 5, tzinfo=UTC)
    assert "&amp;" not in (reply.text or "")
    share = by_id["tweet:1712100000000000002"]
    assert (share.contact, share.channel) == ("x:90000002", Channel.SHARE)
    assert "https://example.org/post/42" in (share.text or "")  # t.co expanded
    assert "tweet:1712200000000000003" not in by_id  # a link to no one is no interaction
    dm_out = by_id["dm:1713000000000000010"]
    dm_in = by_id["dm:1712940000000000009"]
    assert (dm_out.contact, dm_out.direction) == ("x:90000001", Direction.OUT)
    assert (dm_in.contact, dm_in.direction) == ("x:90000001", Direction.IN)
    assert dm_out.occurred_at == datetime(2023, 10, 20, 18, 2, 11, 512000, tzinfo=UTC)
    assert by_id["follower:73747798"].direction is Direction.IN
    assert by_id["following:12158"].direction is Direction.OUT
    priya = next(r for r in got if isinstance(r, Contact) and r.key == "x:90000001")
    assert priya.name == "Priya Raman"
    assert {h.value for h in priya.handles} == {"id:90000001", "priyaraman"}


def test_external_ids_are_stable_across_runs():
    assert [t.external_id for t in touches(SAMPLE)] == [t.external_id for t in touches(SAMPLE)]


def old_archive(root: Path) -> Path:
    """An older archive: tweet.js without the wrapper object, split parts, no DMs."""
    write_js(
        root / "data" / "account.js",
        "account.part0",
        [{"account": {"accountId": ME, "username": "sam", "accountDisplayName": "Sam"}}],
    )
    write_js(
        root / "data" / "tweet.js",
        "tweet.part0",
        [
            tweet(
                "1",
                "Mon Jan 01 10:00:00 +0000 2018",
                "@ana hello there",
                [("5", "ana", "Ana")],
                ("5", "ana"),
            ),
        ],
    )
    write_js(
        root / "data" / "tweet-part1.js",
        "tweet.part1",
        [
            {
                "tweet": tweet(
                    "2",
                    "Tue Jan 02 10:00:00 +0000 2018",
                    "hi @bo and @ana",
                    [("6", "bo", "Bo"), ("5", "ana", "Ana")],
                )
            },
        ],
    )
    write_js(
        root / "data" / "manifest.js",
        "manifest",
        {"archiveInfo": {"generationDate": "2018-02-01T00:00:00.000Z"}},
    )  # type: ignore[arg-type]
    write_js(root / "data" / "follower.js", "follower.part0", [{"follower": {"accountId": "7"}}])
    return root


def test_older_layouts_split_parts_mentions_and_the_generation_date(tmp_path):
    got = touches(old_archive(tmp_path / "old"))
    assert [(t.external_id, t.contact, t.channel) for t in got] == [
        ("tweet:1", "x:5", Channel.REPLY),
        ("tweet:2:mention:6", "x:6", Channel.MENTION),
        ("tweet:2:mention:5", "x:5", Channel.MENTION),
        ("follower:7", "x:7", Channel.FOLLOW),
    ]
    assert got[-1].occurred_at == datetime(2018, 2, 1, tzinfo=UTC)


def group_archive(root: Path, members: int) -> Path:
    write_js(root / "data" / "account.js", "account.part0", [{"account": {"accountId": ME}}])
    messages = [
        {
            "joinConversation": {
                "initiatingUserId": ME,
                "participantsSnapshot": [str(100 + n) for n in range(members)],
            }
        }
    ]
    for n in range(members):
        messages.append(
            {
                "messageCreate": {
                    "id": f"g{n}",
                    "senderId": str(100 + n),
                    "text": "hello all",
                    "createdAt": "2024-01-01T10:00:00.000Z",
                }
            }
        )
    messages.append(
        {
            "messageCreate": {
                "id": "mine",
                "senderId": ME,
                "text": "hi",
                "createdAt": "2024-01-01T11:00:00.000Z",
            }
        }
    )
    write_js(
        root / "data" / "direct-messages-group.js",
        "direct_messages_group.part0",
        [{"dmConversation": {"conversationId": "g1", "messages": messages}}],
    )
    return root


def test_small_group_dms_count_their_members_messages_large_groups_do_not(tmp_path):
    small = touches(group_archive(tmp_path / "small", 3))
    assert [(t.contact, t.channel, t.direction) for t in small] == [
        (f"x:{100 + n}", Channel.CHAT, Direction.IN) for n in range(3)
    ]
    assert touches(group_archive(tmp_path / "large", 12)) == []


def test_cli_import_is_idempotent_and_finds_the_people(cli, tmp_path):
    summary = imports_cleanly(cli, "x", zipped(SAMPLE, tmp_path, "twitter-archive.zip"))
    assert summary["interactions_added"] == 8
    assert summary["people_created"] == 6
    priya = cli.json("show", "x:priyaraman")
    assert priya["name"] == "Priya Raman"
    assert priya["counts"] == {"in": 1, "out": 2}
    assert priya["stage"] == "conversing"
    assert {"platform": "x", "handle": "id:90000001"} in priya["identities"]
    assert cli.json("show", "x:tortega")["stage"] == "engaging"


def test_the_unpacked_folder_imports_the_same(sqlite_cli):
    summary = imports_cleanly(sqlite_cli, "x", SAMPLE)
    assert summary["interactions_added"] == 8


def test_truncated_and_wrong_files_are_refused(cli, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "data").mkdir()
    for file in (SAMPLE / "data").iterdir():
        (broken / "data" / file.name).write_bytes(file.read_bytes())
    cut = truncated(SAMPLE / "data" / "tweets.js", tmp_path)
    (broken / "data" / "tweets.js").write_bytes(cut.read_bytes())
    message = refuses(cli, "x", broken, "tweets.js")
    assert "line" in message
    refuses(cli, "x", wrong_format(tmp_path), "does not look like an X (Twitter) archive")
    refuses(cli, "x", truncated(zipped(SAMPLE, tmp_path), tmp_path), "not a readable archive")


def test_me_can_be_given(tmp_path):
    root = group_archive(tmp_path / "g", 2)
    (root / "data" / "account.js").unlink()
    got = touches(root, "x:id:100")  # pretend the user is member 100
    assert all(t.contact != "x:100" for t in got)
    assert {t.contact for t in got} == {"x:101", f"x:{ME}"}  # the account owner is a member now


@pytest.mark.parametrize("size", [10, 3000])
def test_large_files_stream_with_the_same_result(tmp_path, monkeypatch, size):
    from kith.ingest import jsonstream

    root = tmp_path / "big"
    write_js(root / "data" / "account.js", "account.part0", [{"account": {"accountId": ME}}])
    write_js(
        root / "data" / "tweets.js",
        "tweets.part0",
        [
            {
                "tweet": tweet(
                    str(n),
                    "Mon Jan 01 10:00:00 +0000 2018",
                    f"@p{n % 7} é ✓ {n}",
                    [(str(1000 + n % 7), f"p{n % 7}", f"Person {n % 7}")],
                )
            }
            for n in range(size)
        ],
    )
    whole = touches(root)
    monkeypatch.setattr(jsonstream, "WHOLE_FILE_LIMIT", 0)
    monkeypatch.setattr(jsonstream, "CHUNK", 4096)
    assert touches(root) == whole
    assert len(whole) == size


def test_dry_run_reports_and_writes_nothing(sqlite_cli):
    from tests.conftest import snapshot

    sqlite_cli.ok("people", now="2026-11-21T12:00:00Z")
    before = snapshot(sqlite_cli.db)
    summary = sqlite_cli.json("import", "x", str(SAMPLE), "--dry-run", now="2026-11-21T12:00:00Z")
    assert summary["dry_run"] is True
    assert summary["interactions_added"] == 8
    assert snapshot(sqlite_cli.db) == before
    human = sqlite_cli.ok("import", "x", str(SAMPLE), "--dry-run", now="2026-11-21T12:00:00Z")
    assert human.out.startswith("Would import")


OLD_LAYOUT = Path(__file__).parent.parent / "fixtures" / "x" / "old_layout"


def test_an_archive_without_account_js_is_named_by_its_manifest():
    got = records(OLD_LAYOUT)
    me = next(r for r in got if isinstance(r, Me))
    assert {h.value for h in me.handles} == {"id:70000001", "ana_writes"}
    assert me.name == "Ana Writes"
    assert len([t for t in got if isinstance(t, Touch)]) == 42


@pytest.mark.parametrize("given", ["ana_writes", "@ana_writes", "x:ana_writes", "x:@Ana_Writes"])
def test_me_may_be_the_accounts_handle(tmp_path, given):
    folder = tmp_path / "archive"
    shutil.copytree(OLD_LAYOUT, folder)
    manifest = folder / "data" / "manifest.js"
    text = manifest.read_text()  # the account named, but its handle not given to --me
    manifest.write_text(text.replace('"userName": "ana_writes"', '"userName": "Ana_Writes"'))
    me = next(r for r in records(folder, given) if isinstance(r, Me))
    assert Handle("x", "id:70000001") in me.handles


def test_people_get_the_best_name_the_archive_gives(sqlite_cli):
    sqlite_cli.ok("import", "x", str(OLD_LAYOUT), now="2026-11-26T12:00:00Z")
    names = sorted(p["name"] for p in sqlite_cli.json("people", now="2026-11-26T12:00:00Z"))
    # a reply names @maria_c before a mention gives her display name; three replies name
    # their account only by the @handle the reply text starts with
    assert names == [
        "@juno_k",
        "@lena_b",
        "@omarh",
        "María Castro",
        "Priya Raman",
        "Sam Kowalski",
        "Tomo Watanabe",
    ]
    shown = sqlite_cli.json("show", "@lena_b", now="2026-11-26T12:00:00Z")
    assert [i["handle"] for i in shown["identities"]] == ["id:375341016"]  # a label, no handle


def test_a_retyped_archive_says_what_is_wrong_not_pythons_words(sqlite_cli, tmp_path):
    """Issue 12, probe 12: the catch-all message said "'list' object has no attribute
    'get'"; it now says what is wrong with the file."""
    archive = tmp_path / "x"
    shutil.copytree(SAMPLE, archive)
    retyped = 'window.YTD.tweets.part0 = [ [1, 2], {"tweet": 5} ]'
    (archive / "data" / "tweets.js").write_text(retyped, "utf-8")
    said = refuses(sqlite_cli, "x", archive, "could not be read as an X (Twitter) archive")
    assert "object has no attribute" not in said
    assert "a value has the wrong type" in said


def test_a_message_to_an_id_of_the_wrong_type_creates_no_one_again_and_again(cli, tmp_path):
    """Found by fuzzing: a direct message whose recipient id is a list gave a contact with
    no handle kith can read, created anew by every import of the same archive."""
    import json
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive)
    dms = archive / "data" / "direct-messages.js"
    prefix, _, body = dms.read_text("utf-8").partition("= ")
    conversations = json.loads(body)
    first = conversations[0]["dmConversation"]["messages"][0]["messageCreate"]
    first["recipientId"] = [first["recipientId"], first["recipientId"]]
    dms.write_text(prefix + "= " + json.dumps(conversations), "utf-8")
    summary = imports_cleanly(cli, "x", archive)
    assert any("no handle kith can read" in w for w in summary["warnings"]), summary


def test_a_tweet_dated_outside_the_years_kith_keeps_is_left_out_with_a_note(cli, tmp_path):
    """A damaged date (the year 1850, or 9999 that no time zone can show) is left out; the
    rest of the archive imports, and the summary says so."""
    import json
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive)
    tweets = archive / "data" / "tweets.js"
    prefix, _, body = tweets.read_text("utf-8").partition("= ")
    items = json.loads(body)
    items[0]["tweet"]["created_at"] = "Fri Dec 31 23:59:59 -1200 9999"
    tweets.write_text(prefix + "= " + json.dumps(items), "utf-8")
    summary = imports_cleanly(cli, "x", archive)
    assert any("outside the years 1900 to 2199" in w for w in summary["warnings"]), summary
    assert summary["interactions_added"] > 0


def test_an_export_naming_more_people_than_one_import_adds_is_refused(cli, monkeypatch):
    """The limit of docs/limits.md, lowered so that the sample archive passes it: one
    sentence, exit 2, nothing written."""
    from kith.services import import_job

    monkeypatch.setattr(import_job, "MAX_PEOPLE", 3)
    refuses(cli, "x", SAMPLE, "more than 3 people, more than kith adds in one import")
