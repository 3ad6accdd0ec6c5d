"""Bluesky: the repository export (Settings > Account > Export my data > Download CAR file),
a file named `repo.car`, given as is, zipped, or in a folder.

A CAR (CARv1) file is a varint-prefixed DAG-CBOR header `{"version": 1, "roots": [CID]}`
followed by blocks, each a varint length, a CID and the block's bytes. The root is the
signed commit `{"did", "version", "data", "rev", "prev", "sig"}`; `data` points to the root
of a Merkle Search Tree whose nodes `{"l": CID|null, "e": [{"p", "k", "v", "t"}]}` map record
keys ('app.bsky.feed.post/3l3qo4xkcqs2c', prefix-compressed: a key is the previous entry's
first `p` bytes plus `k`) to the CIDs of the records. Records are DAG-CBOR maps with a `$type`.

What kith takes from it (all `out`: the repository holds only what the user did):
* `app.bsky.feed.post`: a reply (`reply.parent.uri`) is a `reply` to the parent's author,
  each mention facet (`app.bsky.richtext.facet#mention`) a `mention`, a quote post
  (`embed.record`) a `share`; one touch per person and post, the strongest of the three;
* `app.bsky.feed.like` (`like`), `app.bsky.feed.repost` (`share`) of someone's post, and
  `app.bsky.graph.follow` (`follow`);
* people by DID (`bluesky:did:plc:...`); the handle a mention shows (`@name.bsky.social`)
  becomes their name; the commit's DID (and the profile's display name) is the user.
Records whose `createdAt` is not an RFC 3339 time, or is in the future, are left out, and so
are the user's replies to, likes of and mentions of themselves.

The file is read block by block (each block's SHA-256 checked against its CID) and only an
index of record keys and the few fields kept per record stay in memory. DAG-CBOR is decoded
by `libipld`; the CAR framing (varints and CIDs) is read here, so that a damaged file is
refused with the number and offset of the block that is wrong.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import libipld

from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.common import member_label
from kith.ingest.records import Contact, Handle, Me, Record, Touch

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
FOLLOW = "app.bsky.graph.follow"
PROFILE = "app.bsky.actor.profile"
COLLECTIONS = (POST, LIKE, REPOST, FOLLOW, PROFILE)
MENTION_FEATURE = "app.bsky.richtext.facet#mention"
TEXT_LIMIT = 500
#: no block of a repository comes near this; a larger length means a damaged file
MAX_BLOCK = 16 * 1024 * 1024
DAG_CBOR = 0x71
SHA2_256 = 0x12

#: the strongest touch a post makes with one person wins
_RANK = {Channel.REPLY: 3, Channel.MENTION: 2, Channel.SHARE: 1}
_DID = re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]+$")
_AT_URI = re.compile(r"^at://(did:[a-z]+:[a-zA-Z0-9._:%-]+)/([a-zA-Z0-9.-]+)/")
_HANDLE = re.compile(r"^@?([a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+)$")
_RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE)


# -- the CAR file ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Block:
    number: int  # 1 for the first block after the header
    offset: int  # where its section starts in the file
    cid: bytes
    data: bytes


class CarReader:
    """The header and blocks of a CARv1 stream, read one block at a time."""

    def __init__(self, stream: IO[bytes], label: str) -> None:
        self.stream = stream
        self.label = label
        self.offset = 0
        self.roots = self._header()

    def _varint(self, what: str) -> int | None:
        """The next unsigned LEB128 integer; None at the very end of the file."""
        value = shift = 0
        for count in range(10):
            byte = self.stream.read(1)
            if not byte:
                if count == 0:
                    return None
                raise ImportFailed(f"{self.label} is cut short inside {what}.")
            self.offset += 1
            value |= (byte[0] & 0x7F) << shift
            if byte[0] < 0x80:
                return value
            shift += 7
        raise ImportFailed(f"{self.label} is damaged: {what} has an impossible length.")

    def _read(self, size: int, what: str) -> bytes:
        data = self.stream.read(size)
        if len(data) < size:
            raise ImportFailed(f"{self.label} is cut short inside {what}.")
        self.offset += size
        return data

    def _header(self) -> list[bytes]:
        size = self._varint("its header")
        if size is None or not 0 < size <= 64 * 1024:
            raise ImportFailed(f"{self.label} is not a CAR file (no header).")
        try:
            header = libipld.decode_dag_cbor(self._read(size, "its header"))
        except ValueError as exc:
            raise ImportFailed(f"{self.label} is not a CAR file ({exc}).") from exc
        if not isinstance(header, dict) or header.get("version") != 1:
            version = header.get("version") if isinstance(header, dict) else None
            raise ImportFailed(
                f"{self.label} is not a CARv1 file (version {version}); Bluesky exports CARv1."
            )
        roots = header.get("roots")
        if not isinstance(roots, list) or not all(isinstance(r, bytes) for r in roots):
            raise ImportFailed(f"{self.label} is not a CAR file (its header has no roots).")
        return roots

    def __iter__(self) -> Iterator[Block]:
        number = 0
        while True:
            start = self.offset
            number += 1
            where = f"block {number} (byte {start:,})"
            size = self._varint(where)
            if size is None:
                return
            if not 0 < size <= MAX_BLOCK:
                raise ImportFailed(f"{self.label} is damaged: {where} claims {size:,} bytes.")
            section = self._read(size, where)
            cid, digest_code, digest = _split_cid(section, self.label, where)
            data = section[len(cid) :]
            if digest_code == SHA2_256 and hashlib.sha256(data).digest() != digest:
                raise ImportFailed(
                    f"{self.label} is damaged: the content of {where} does not match its CID."
                )
            yield Block(number, start, cid, data)


def _uvarint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise ValueError("truncated varint")


def _split_cid(section: bytes, label: str, where: str) -> tuple[bytes, int, bytes]:
    """(the CID's bytes, its hash function's code, the digest) at the start of a section."""
    try:
        if section[:2] == b"\x12\x20":  # CIDv0: a bare sha2-256 multihash
            return section[:34], SHA2_256, section[2:34]
        version, pos = _uvarint(section, 0)
        _codec, pos = _uvarint(section, pos)
        code, pos = _uvarint(section, pos)
        size, pos = _uvarint(section, pos)
    except ValueError:
        version, code, size, pos = -1, 0, 0, len(section) + 1
    if version != 1 or pos + size > len(section):
        raise ImportFailed(f"{label} is damaged: {where} has no readable CID.")
    return section[: pos + size], code, section[pos : pos + size]


def _codec(cid: bytes) -> int:
    if cid[:2] == b"\x12\x20":
        return 0x70  # CIDv0 is always dag-pb
    return _uvarint(cid, _uvarint(cid, 0)[1])[0]


# -- fields of records ----------------------------------------------------------------------
def parse_datetime(text: object) -> datetime | None:
    """An atproto datetime (RFC 3339 with a zone, any fraction of a second) in UTC; None when
    the syntax or the date is invalid, or Python cannot hold it (year 0)."""
    if not isinstance(text, str):
        return None
    found = _RFC3339.match(text.strip())
    if found is None:
        return None
    clock, fraction, zone = found.groups()
    zone = "+00:00" if zone in ("Z", "z") else zone
    try:
        moment = datetime.fromisoformat(f"{clock}{(fraction or '')[:7]}{zone}")
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def author_of(uri: object) -> str | None:
    """The DID in an at:// URI ('at://did:plc:abc/app.bsky.feed.post/3k...' -> 'did:plc:abc')."""
    if not isinstance(uri, str):
        return None
    found = _AT_URI.match(uri)
    return found.group(1) if found else None


def _collection_of(uri: object) -> str | None:
    found = _AT_URI.match(uri) if isinstance(uri, str) else None
    return found.group(2) if found else None


def _field(record: dict[str, Any], *path: str) -> Any:
    value: Any = record
    for name in path:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def _mentions(record: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    """(DID, the handle the text shows there) of each mention facet of a post."""
    text = record.get("text")
    raw = text.encode("utf-8") if isinstance(text, str) else b""
    for facet in record.get("facets") or ():
        if not isinstance(facet, dict):
            continue
        for feature in facet.get("features") or ():
            if not isinstance(feature, dict) or feature.get("$type") != MENTION_FEATURE:
                continue
            did = feature.get("did")
            if isinstance(did, str) and _DID.match(did):
                yield did, _shown_handle(raw, facet.get("index"))


def _shown_handle(text: bytes, index: object) -> str | None:
    if not isinstance(index, dict):
        return None
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        return None
    found = _HANDLE.match(text[start:end].decode("utf-8", "replace"))
    return found.group(1).lower() if found else None


def _quoted(record: dict[str, Any]) -> str | None:
    embed = record.get("embed")
    uri = _field(embed, "record", "uri") if isinstance(embed, dict) else None
    if not isinstance(uri, str):  # app.bsky.embed.recordWithMedia
        uri = _field(embed, "record", "record", "uri") if isinstance(embed, dict) else None
    return author_of(uri) if _collection_of(uri) == POST else None


# -- what one record did ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Act:
    """The touches one record makes: (DID, channel) each, when, and the post's text."""

    at: datetime
    targets: tuple[tuple[str, Channel], ...]
    text: str | None = None
    post: bool = False


def post_targets(record: dict[str, Any]) -> tuple[tuple[str, Channel], ...]:
    """Whom a post addresses: the reply's parent author, the mentioned, the quoted."""
    best: dict[str, Channel] = {}

    def offer(did: str | None, channel: Channel) -> None:
        if did and (did not in best or _RANK[channel] > _RANK[best[did]]):
            best[did] = channel

    offer(author_of(_field(record, "reply", "parent", "uri")), Channel.REPLY)
    for did, _ in _mentions(record):
        offer(did, Channel.MENTION)
    offer(_quoted(record), Channel.SHARE)
    return tuple(best.items())


def act_of(record: dict[str, Any], now: datetime) -> Act | None:
    """What a like, repost, follow or post did; None for anything else, or a bad date."""
    kind = record.get("$type")
    at = parse_datetime(record.get("createdAt"))
    if at is None or at > now + timedelta(days=1):
        return None
    if kind == POST:
        text = record.get("text")
        words = " ".join(text.split())[:TEXT_LIMIT] if isinstance(text, str) else ""
        return Act(at, post_targets(record), words or None, post=True)
    if kind in (LIKE, REPOST):
        did = author_of(_field(record, "subject", "uri"))
        channel = Channel.LIKE if kind == LIKE else Channel.SHARE
        return Act(at, ((did, channel),)) if did else None
    if kind == FOLLOW:
        subject = record.get("subject")
        ok = isinstance(subject, str) and _DID.match(subject)
        return Act(at, ((str(subject), Channel.FOLLOW),)) if ok else None
    return None


# -- the repository ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Node:
    """A tree node, kept until the end: a CAR may also hold stale nodes of older commits."""

    entries: tuple[tuple[str | None, bytes], ...]  # (key when of interest, record CID)
    children: tuple[bytes, ...]


@dataclass
class Repository:
    """What one pass over a CAR file learns; `finish()` walks the tree from the commit."""

    label: str
    root: bytes | None = None
    did: str | None = None
    data: bytes | None = None  # the tree's root node
    nodes: dict[bytes, Node] = field(default_factory=dict)
    acts: dict[bytes, Act] = field(default_factory=dict)  # record CID -> what it did
    names: dict[str, tuple[datetime, str]] = field(default_factory=dict)  # DID -> handle
    profiles: dict[bytes, str] = field(default_factory=dict)  # profile CID -> display name
    seen: set[bytes] = field(default_factory=set)
    keys: dict[bytes, list[str]] = field(default_factory=dict)  # record CID -> keys in tree

    def take(self, block: Block, now: datetime) -> None:
        self.seen.add(block.cid)
        if _codec(block.cid) != DAG_CBOR:
            return
        try:
            value = libipld.decode_dag_cbor(block.data)
        except ValueError as exc:
            raise ImportFailed(
                f"{self.label} is damaged: block {block.number} (byte {block.offset:,}) is not "
                f"valid DAG-CBOR ({exc})."
            ) from exc
        if not isinstance(value, dict):
            return
        if block.cid == self.root:
            self._commit(value, block)
        elif set(value) == {"e", "l"}:
            self.nodes[block.cid] = _node(value, block, self.label)
        else:
            self._record(value, block.cid, now)

    def _commit(self, commit: dict[str, Any], block: Block) -> None:
        did, data = commit.get("did"), commit.get("data")
        if not isinstance(did, str) or not _DID.match(did) or not isinstance(data, bytes):
            raise ImportFailed(
                f"{self.label}: block {block.number} is not a repository commit "
                "(no DID or no data); is this a Bluesky export?"
            )
        self.did, self.data = did, data

    def _record(self, record: dict[str, Any], cid: bytes, now: datetime) -> None:
        if record.get("$type") == PROFILE:
            name = record.get("displayName")
            if isinstance(name, str) and name.strip():
                self.profiles[cid] = " ".join(name.split())
            return
        act = act_of(record, now)
        if act is None or not act.targets:
            return
        self.acts[cid] = act
        if record.get("$type") == POST:
            for did, handle in _mentions(record):
                if handle and (did not in self.names or self.names[did][0] < act.at):
                    self.names[did] = (act.at, handle)

    def finish(self) -> str:
        """The repository's DID, once the tree is walked and no block it needs is missing."""
        if self.did is None or self.data is None:
            raise ImportFailed(
                f"{self.label} holds no repository commit; the file is incomplete or is not "
                "a Bluesky export."
            )
        missing = 0
        stack, walked = [self.data], set()
        while stack:
            cid = stack.pop()
            if cid in walked:  # a hostile file may share subtrees to blow the walk up
                continue
            walked.add(cid)
            node = self.nodes.get(cid)
            if node is None:
                missing += 1
                continue
            stack.extend(node.children)
            for key, value in node.entries:
                if value not in self.seen:
                    missing += 1
                elif key is not None:
                    self.keys.setdefault(value, []).append(key)
        if missing:
            raise ImportFailed(
                f"{self.label} is incomplete: {missing:,} blocks its repository refers to are "
                "missing (was the download cut short?)."
            )
        self.nodes.clear()
        return self.did


def _node(node: dict[str, Any], block: Block, label: str) -> Node:
    """A tree node's entries with their full keys (each is the previous key's first `p`
    bytes plus `k`) and its subtrees."""
    bad = ImportFailed(
        f"{label} is damaged: block {block.number} (byte {block.offset:,}) is not a valid "
        "repository tree node."
    )
    entries, left = node.get("e"), node.get("l")
    if not isinstance(entries, list):
        raise bad
    children = [left] if isinstance(left, bytes) else []
    found: list[tuple[str | None, bytes]] = []
    key = b""
    for entry in entries:
        if not isinstance(entry, dict):
            raise bad
        prefix, rest, value, right = (entry.get(n) for n in ("p", "k", "v", "t"))
        if not isinstance(prefix, int) or not isinstance(rest, bytes):
            raise bad
        if not isinstance(value, bytes) or not 0 <= prefix <= len(key):
            raise bad
        key = key[:prefix] + rest
        text = key.decode("utf-8", "replace")
        found.append((text if text.partition("/")[0] in COLLECTIONS else None, value))
        if isinstance(right, bytes):
            children.append(right)
    return Node(tuple(found), tuple(children))


def read_repository(stream: IO[bytes], label: str, now: datetime) -> tuple[Repository, str]:
    """The repository of a CAR stream and its DID (the user's)."""
    reader = CarReader(stream, label)
    repository = Repository(label, root=reader.roots[0] if reader.roots else None)
    for block in reader:
        repository.take(block, now)
    return repository, repository.finish()


def _profile_name(repository: Repository) -> str | None:
    for cid, name in repository.profiles.items():
        if f"{PROFILE}/self" in repository.keys.get(cid, ()):
            return name
    return None


def _external_id(uri: str, act: Act, did: str, channel: Channel) -> str:
    """The record's at:// URI; a post touching several people adds '#' and their DID."""
    return uri if not act.post or channel is Channel.REPLY else f"{uri}#{did}"


def records_of(repository: Repository, me: str) -> Iterator[Record]:
    """Me, then each person touched, then the touches."""
    yield Me((Handle("bluesky", me),), _profile_name(repository))
    touches: list[Touch] = []
    people: set[str] = set()
    for cid, act in repository.acts.items():
        for key in repository.keys.get(cid, ()):  # a record outside the tree is not in the repo
            uri = f"at://{me}/{key}"
            for did, channel in act.targets:
                if did == me:
                    continue
                people.add(did)
                external = _external_id(uri, act, did, channel)
                touches.append(
                    Touch(external, f"bluesky:{did}", act.at, channel, Direction.OUT, act.text)
                )
    for did in sorted(people):
        name = repository.names.get(did)
        yield Contact(f"bluesky:{did}", name[1] if name else None, (Handle("bluesky", did),))
    yield from sorted(touches, key=lambda t: (t.occurred_at, t.external_id))


# -- the importer ----------------------------------------------------------------------------
def _cars(archive: Archive) -> list[str]:
    return archive.names() if archive.is_single_file else archive.find("*.car")


def _looks_like_car(head: bytes) -> bool:
    try:
        size, pos = _uvarint(head, 0)
        if not 0 < size <= len(head) - pos:
            return False
        header = libipld.decode_dag_cbor(head[pos : pos + size])
    except ValueError:
        return False
    return isinstance(header, dict) and "roots" in header and "version" in header


class BlueskyImporter(Importer):
    source = "bluesky"
    title = "a Bluesky repository export (repo.car)"

    def identify(self, path: Path) -> bool:
        # an archive that cannot be opened (cut short, hostile) says so itself
        with Archive(path) as archive:
            cars = _cars(archive)
            if not cars:
                return False
            with archive.open_binary(cars[0]) as stream:
                return _looks_like_car(stream.read(4096))

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            cars = _cars(archive)
            if not cars:
                raise ImportFailed(f"{path.name} holds no .car file.")
            for name in cars:
                where = member_label(archive, name)
                with archive.open_binary(name) as stream:
                    repository, me = read_repository(stream, where, options.now)
                yield from records_of(repository, me)


IMPORTER = BlueskyImporter()
