"""The Bluesky repository (.car) importer."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import libipld
import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.bluesky import IMPORTER, parse_datetime
from kith.ingest.records import Contact, Me, Record, Touch
from tests.ingest.contract import imports_cleanly, refuses, truncated, wrong_format, zipped

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bluesky"
SAMPLE = FIXTURES / "synthetic_repo.car"
SAMPLE_ME = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
BOB = "did:plc:44ybard66vv44zksje25o7dz"
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)

ME = "did:plc:meme2mememememememememe"
CARA = "did:plc:cara3caracaracaracaracar"
DEV = "did:plc:dev4devdevdevdevdevdevde"
ELI = "did:web:eli.example.com"


# -- writing CAR files, as a PDS does -------------------------------------------------------
def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def block(value: Any) -> tuple[bytes, bytes]:
    """(CIDv1 dag-cbor sha2-256, bytes) of a value; libipld writes CID-shaped bytes as links."""
    data = libipld.encode_dag_cbor(value)
    return b"\x01\x71\x12\x20" + hashlib.sha256(data).digest(), data


def car_bytes(root: bytes, blocks: list[tuple[bytes, bytes]]) -> bytes:
    header = libipld.encode_dag_cbor({"version": 1, "roots": [root]})
    sections = b"".join(varint(len(c) + len(d)) + c + d for c, d in blocks)
    return varint(len(header)) + header + sections


def tree_node(entries: list[tuple[str, bytes]], left: bytes | None = None) -> dict[str, Any]:
    """An MST node with prefix-compressed keys."""
    out, previous = [], b""
    for key, value in entries:
        raw = key.encode()
        common = 0
        while common < min(len(raw), len(previous)) and raw[common] == previous[common]:
            common += 1
        out.append({"p": common, "k": raw[common:], "v": value, "t": None})
        previous = raw
    return {"e": out, "l": left}


def repo_blocks(
    did: str, records: dict[str, dict[str, Any]], stale: list[dict[str, Any]] = ()
) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The commit's CID and the blocks of a repository in pre-order, as PDSes write them:
    commit, a two-level tree (a left subtree holds the first half of the keys), the records,
    then any stale records outside the tree."""
    keys = sorted(records)
    record_blocks = {k: block(records[k]) for k in keys}
    half = len(keys) // 2
    left_cid, left_data = block(tree_node([(k, record_blocks[k][0]) for k in keys[:half]]))
    root_cid, root_data = block(
        tree_node([(k, record_blocks[k][0]) for k in keys[half:]], left=left_cid)
    )
    commit = {
        "did": did,
        "version": 3,
        "data": root_cid,
        "rev": "3l3qo5abcdf2a",
        "prev": None,
        "sig": b"\x00" * 64,
    }
    commit_cid, commit_data = block(commit)
    blocks = [
        (commit_cid, commit_data),
        (root_cid, root_data),
        (left_cid, left_data),
        *record_blocks.values(),
        *(block(r) for r in stale),
    ]
    return commit_cid, blocks


def write_repo(
    path: Path,
    did: str,
    records: dict[str, dict[str, Any]],
    *,
    reverse: bool = False,
    stale: list[dict[str, Any]] = (),
) -> Path:
    """A repository CAR file; `reverse` writes the commit last, as some tools do."""
    root, blocks = repo_blocks(did, records, stale)
    path.write_bytes(car_bytes(root, blocks[::-1] if reverse else blocks))
    return path


def post(when: str, text: str, **fields: Any) -> dict[str, Any]:
    return {"$type": "app.bsky.feed.post", "text": text, "createdAt": when, **fields}


def mention(text: str, handle: str, did: str) -> dict[str, Any]:
    start = text.encode().index(f"@{handle}".encode())
    return {
        "index": {"byteStart": start, "byteEnd": start + len(handle.encode()) + 1},
        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
    }


def strong_ref(did: str, rkey: str, collection: str = "app.bsky.feed.post") -> dict[str, str]:
    return {
        "uri": f"at://{did}/{collection}/{rkey}",
        "cid": "bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q",
    }


def from_interop_json(value: Any) -> Any:
    """atproto's JSON form ($link, $bytes) back to the DAG-CBOR data model."""
    if isinstance(value, dict):
        if set(value) == {"$link"}:
            return _cid_bytes(value["$link"])
        if set(value) == {"$bytes"}:
            text = value["$bytes"]
            return base64.b64decode(text + "=" * (-len(text) % 4))
        return {k: from_interop_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_interop_json(v) for v in value]
    return value


def _cid_bytes(text: str) -> bytes:
    cid = libipld.decode_cid(text)
    digest = cid["hash"]["digest"]
    return bytes([cid["version"], cid["codec"], cid["hash"]["code"], len(digest)]) + digest


def crafted_records() -> dict[str, dict[str, Any]]:
    interop = json.loads((FIXTURES / "record-data-valid.json").read_text())
    text_two = "@cara.example.com and @dev.bsky.social look at this"
    records: dict[str, dict[str, Any]] = {
        "app.bsky.actor.profile/self": {
            "$type": "app.bsky.actor.profile",
            "displayName": "Mia  Example",
        },
        "app.bsky.graph.follow/3kfollowcara": {
            "$type": "app.bsky.graph.follow",
            "subject": CARA,
            "createdAt": "2024-01-02T10:00:00Z",
        },
        "app.bsky.feed.repost/3krepostcara1": {
            "$type": "app.bsky.feed.repost",
            "subject": strong_ref(CARA, "3kcarapost111"),
            "createdAt": "2024-01-03T10:00:00.123456789-05:00",
        },
        "app.bsky.feed.like/3klikedev0001": {
            "$type": "app.bsky.feed.like",
            "subject": strong_ref(DEV, "3kdevpost0001"),
            "createdAt": "2024-01-04T10:00:00.5+01:00",
        },
        "app.bsky.feed.like/3klikemyself1": {  # liking one's own post is no touch
            "$type": "app.bsky.feed.like",
            "subject": strong_ref(ME, "3kmypost00001"),
            "createdAt": "2024-01-04T11:00:00Z",
        },
        "app.bsky.feed.post/3kmention0002": post(
            "2024-01-05T10:00:00Z",
            text_two,
            facets=[
                mention(text_two, "cara.example.com", CARA),
                mention(text_two, "dev.bsky.social", DEV),
            ],
        ),
        "app.bsky.feed.post/3kquote00001": post(
            "2024-01-06T10:00:00Z",
            "So true",
            embed={"$type": "app.bsky.embed.record", "record": strong_ref(ELI, "3kelipost001")},
        ),
        "app.bsky.feed.post/3kselfthread1": post(  # replying to oneself is no touch
            "2024-01-07T10:00:00Z",
            "and another thing",
            reply={"root": strong_ref(ME, "3kmypost00001"), "parent": strong_ref(ME, "3kmypost1")},
        ),
        "app.bsky.feed.post/3kbaddate0001": post(
            "1985-04-12T23:20:50.123",  # no zone: not an atproto datetime
            "@cara.example.com hello",
            reply={"root": strong_ref(CARA, "3kc"), "parent": strong_ref(CARA, "3kc")},
        ),
        "app.bsky.feed.post/3kfuture00001": post(
            "2099-01-01T00:00:00Z",
            "from the future",
            reply={"root": strong_ref(CARA, "3kc"), "parent": strong_ref(CARA, "3kc")},
        ),
        "app.bsky.graph.block/3kblockdev001": {
            "$type": "app.bsky.graph.block",
            "subject": DEV,
            "createdAt": "2024-01-08T10:00:00Z",
        },
    }
    for n, item in enumerate(interop):
        records[f"example.lexicon.record/{item['rkey']}{n}"] = from_interop_json(item["data"])
    return records


STALE_LIKE = {  # a deleted like whose block was left in the file: not in the repository
    "$type": "app.bsky.feed.like",
    "subject": strong_ref(ELI, "3kelipost002"),
    "createdAt": "2024-01-09T10:00:00Z",
}


@pytest.fixture
def crafted(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "repo.car", ME, crafted_records(), stale=[STALE_LIKE])


def extract(path: Path) -> list[Record]:
    return list(IMPORTER.extract(path, Options(now=NOW)))


def touches_of(records: list[Record]) -> list[Touch]:
    return [r for r in records if isinstance(r, Touch)]


# -- records --------------------------------------------------------------------------------
def test_sample_repository_gives_a_reply_a_like_and_a_follow():
    got = extract(SAMPLE)
    assert got[0] == Me(got[0].handles, None)
    assert [(h.platform, h.value) for h in got[0].handles] == [("bluesky", SAMPLE_ME)]
    (bob,) = [r for r in got if isinstance(r, Contact)]
    assert bob.key == f"bluesky:{BOB}"
    assert bob.name == "bob.example.com"  # the handle the mention shows
    assert [(h.platform, h.value) for h in bob.handles] == [("bluesky", BOB)]
    touches = {t.external_id: t for t in touches_of(got)}
    base = f"at://{SAMPLE_ME}/"
    assert {k.removeprefix(base): (t.channel, t.direction) for k, t in touches.items()} == {
        # the post replies to Bob and mentions him: one touch, the reply
        "app.bsky.feed.post/3l3qo4xkcqs2c": (Channel.REPLY, Direction.OUT),
        "app.bsky.feed.like/3l3qo5abcde2a": (Channel.LIKE, Direction.OUT),
        "app.bsky.graph.follow/3l3qo1zzzzz2y": (Channel.FOLLOW, Direction.OUT),
    }
    reply = touches[base + "app.bsky.feed.post/3l3qo4xkcqs2c"]
    assert reply.occurred_at == datetime(2024, 9, 10, 14, 2, 11, 123000, tzinfo=UTC)
    assert reply.text == "@bob.example.com agreed, see you Tuesday"
    assert all(t.contact == bob.key for t in touches.values())


def test_stale_tree_nodes_of_older_commits_are_ignored():
    # the sample also holds the tree nodes of two earlier commits: each record counts once
    assert len(touches_of(extract(SAMPLE))) == 3


def test_external_ids_are_stable_across_runs(crafted):
    assert extract(crafted) == extract(crafted)
    assert extract(SAMPLE) == extract(SAMPLE)


def test_crafted_repository_gives_reposts_follows_mentions_and_quotes(crafted):
    got = extract(crafted)
    me = got[0]
    assert isinstance(me, Me)
    assert me.name == "Mia Example"
    contacts = {c.key: c for c in got if isinstance(c, Contact)}
    assert set(contacts) == {f"bluesky:{CARA}", f"bluesky:{DEV}", f"bluesky:{ELI}"}
    assert contacts[f"bluesky:{CARA}"].name == "cara.example.com"
    assert contacts[f"bluesky:{DEV}"].name == "dev.bsky.social"
    assert contacts[f"bluesky:{ELI}"].name is None  # only quoted: the file shows no handle
    base = f"at://{ME}/"
    found = {
        (t.external_id.removeprefix(base), t.contact.removeprefix("bluesky:"), t.channel)
        for t in touches_of(got)
    }
    assert found == {
        ("app.bsky.graph.follow/3kfollowcara", CARA, Channel.FOLLOW),
        ("app.bsky.feed.repost/3krepostcara1", CARA, Channel.SHARE),
        ("app.bsky.feed.like/3klikedev0001", DEV, Channel.LIKE),
        (f"app.bsky.feed.post/3kmention0002#{CARA}", CARA, Channel.MENTION),
        (f"app.bsky.feed.post/3kmention0002#{DEV}", DEV, Channel.MENTION),
        (f"app.bsky.feed.post/3kquote00001#{ELI}", ELI, Channel.SHARE),
    }
    assert all(t.direction is Direction.OUT for t in touches_of(got))


def test_times_are_utc_whatever_the_precision_and_zone(crafted):
    at = {t.external_id.rsplit("/", 1)[1]: t.occurred_at for t in touches_of(extract(crafted))}
    assert at["3krepostcara1"] == datetime(2024, 1, 3, 15, 0, 0, 123456, tzinfo=UTC)
    assert at["3klikedev0001"] == datetime(2024, 1, 4, 9, 0, 0, 500000, tzinfo=UTC)
    assert all(moment.tzinfo is UTC for moment in at.values())


def test_posts_keep_their_text_and_likes_have_none(crafted):
    by_channel = {t.channel: t for t in touches_of(extract(crafted))}
    assert by_channel[Channel.MENTION].text == "@cara.example.com and @dev.bsky.social look at this"
    assert by_channel[Channel.LIKE].text is None
    assert by_channel[Channel.FOLLOW].text is None


def test_order_of_blocks_does_not_matter(tmp_path):
    forward = write_repo(tmp_path / "a.car", ME, crafted_records())
    backward = write_repo(tmp_path / "b.car", ME, crafted_records(), reverse=True)
    assert extract(forward) == extract(backward)


def test_a_reply_wins_over_a_mention_and_a_quote_of_the_same_person(tmp_path):
    text = "@cara.example.com yes"
    records = {
        "app.bsky.feed.post/3kall": post(
            "2024-02-01T10:00:00Z",
            text,
            reply={"root": strong_ref(CARA, "3kc"), "parent": strong_ref(CARA, "3kc")},
            facets=[mention(text, "cara.example.com", CARA)],
            embed={
                "$type": "app.bsky.embed.recordWithMedia",
                "record": {"$type": "app.bsky.embed.record", "record": strong_ref(CARA, "3kd")},
                "media": {"$type": "app.bsky.embed.images", "images": []},
            },
        )
    }
    (touch,) = touches_of(extract(write_repo(tmp_path / "repo.car", ME, records)))
    assert (touch.channel, touch.external_id) == (
        Channel.REPLY,
        f"at://{ME}/app.bsky.feed.post/3kall",
    )


def test_interop_datetimes():
    valid = [
        line
        for line in (FIXTURES / "datetime_syntax_valid.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    for text in valid:
        parsed = parse_datetime(text)
        if text.startswith("0000-"):
            assert parsed is None  # year 0 exists in RFC 3339, not in Python: skipped
        else:
            assert parsed is not None, text
            assert parsed.tzinfo is UTC
    assert parse_datetime("1985-04-12T23:20:50.123456789012Z") == datetime(
        1985, 4, 12, 23, 20, 50, 123456, tzinfo=UTC
    )
    assert parse_datetime("1985-04-12T23:20:50.123+01:45") == datetime(
        1985, 4, 12, 21, 35, 50, 123000, tzinfo=UTC
    )
    invalid = [
        line
        for line in (FIXTURES / "datetime_parse_invalid.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert invalid
    assert all(parse_datetime(text) is None for text in invalid)
    for text in ("1985-04-12", "1985-04-12T23:20:50", "1985-04-12 23:20:50Z", "", None, 12):
        assert parse_datetime(text) is None


# -- bad files ------------------------------------------------------------------------------
def test_a_file_cut_inside_a_block_names_the_block(tmp_path):
    with pytest.raises(ImportFailed, match=r"cut short inside block \d+ \(byte"):
        extract(truncated(SAMPLE, tmp_path))


def test_a_file_cut_between_blocks_is_incomplete(tmp_path):
    root, blocks = repo_blocks(ME, crafted_records())
    cut = tmp_path / "cut.car"
    cut.write_bytes(car_bytes(root, blocks[:-2]))  # the last two records are missing
    with pytest.raises(ImportFailed, match="is incomplete: 2 blocks its repository refers to"):
        extract(cut)
    cut.write_bytes(car_bytes(root, blocks[:2]))  # commit and root node: a subtree is missing
    with pytest.raises(ImportFailed, match="is incomplete"):
        extract(cut)
    cut.write_bytes(car_bytes(root, blocks[::-1][:-1]))  # written commit last, cut before it
    with pytest.raises(ImportFailed, match="holds no repository commit"):
        extract(cut)


def test_a_damaged_block_is_named(tmp_path):
    data = bytearray(SAMPLE.read_bytes())
    at = data.index(b"agreed, see you")
    data[at] ^= 0x20
    bad = tmp_path / "bad.car"
    bad.write_bytes(bytes(data))
    with pytest.raises(ImportFailed, match=r"block 2 \(byte [\d,]+\) does not match its CID"):
        extract(bad)


def test_a_car_without_a_commit_is_refused(tmp_path):
    cid, data = block({"$type": "app.bsky.graph.follow", "subject": CARA})
    path = tmp_path / "repo.car"
    path.write_bytes(car_bytes(cid, [(cid, data)]))
    with pytest.raises(ImportFailed, match="not a repository commit"):
        extract(path)


def test_identify():
    assert IMPORTER.identify(SAMPLE)
    assert not IMPORTER.identify(FIXTURES / "record-data-valid.json")
    with pytest.raises(ImportFailed, match="does not exist"):
        IMPORTER.identify(FIXTURES / "nothing-here.car")


# -- through the CLI ------------------------------------------------------------------------
def test_imports_cleanly_and_bob_is_engaged(cli):
    summary = imports_cleanly(cli, "bluesky", SAMPLE)
    assert (summary["people_created"], summary["interactions_added"]) == (1, 3)
    (person,) = cli.json("people")
    assert person["name"] == "bob.example.com"
    bob = cli.json("show", f"bluesky:{BOB}")
    assert bob["identities"] == [{"platform": "bluesky", "handle": BOB}]
    assert bob["counts"] == {"in": 0, "out": 3}
    assert bob["stage"] == "engaging"


def test_the_crafted_repository_through_the_cli(sqlite_cli, crafted):
    summary = imports_cleanly(sqlite_cli, "bluesky", crafted)
    assert (summary["people_created"], summary["interactions_added"]) == (3, 6)
    cara = sqlite_cli.json("show", f"bluesky:{CARA}")
    assert cara["counts"] == {"in": 0, "out": 3}
    assert cara["stage"] == "engaging"


def test_the_zipped_export_imports(sqlite_cli, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "repo.car").write_bytes(SAMPLE.read_bytes())
    summary = imports_cleanly(sqlite_cli, "bluesky", zipped(folder, tmp_path))
    assert summary["interactions_added"] == 3


def test_refuses_a_truncated_file(cli, tmp_path):
    refuses(cli, "bluesky", truncated(SAMPLE, tmp_path), "is cut short")


def test_refuses_a_truncated_zip(sqlite_cli, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "repo.car").write_bytes(truncated(SAMPLE, tmp_path).read_bytes())
    refuses(sqlite_cli, "bluesky", zipped(folder, tmp_path), "is cut short")  # the car inside
    (folder / "repo.car").write_bytes(SAMPLE.read_bytes())
    cut_zip = truncated(zipped(folder, tmp_path), tmp_path)
    refuses(sqlite_cli, "bluesky", cut_zip, "may be cut short")  # the zip itself


def test_refuses_another_format(cli, tmp_path):
    refuses(cli, "bluesky", wrong_format(tmp_path), "does not look like")
    refuses(cli, "bluesky", FIXTURES / "record-data-valid.json", "does not look like")
