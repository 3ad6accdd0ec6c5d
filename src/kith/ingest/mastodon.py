"""Mastodon account archive ("Request your archive"): a .zip (a .tar.gz before Mastodon 4)
holding ActivityStreams JSON at its root:

* `actor.json`: the user (`id` like https://host/users/name, `preferredUsername`, `name`,
  `followers`), so the user's handle is `name@host`;
* `outbox.json`: an OrderedCollection whose `orderedItems` are what the user did: `Create`
  of a Note (a post; `inReplyTo`, `tag` with Mention entries, `to`/`cc` giving its
  visibility, HTML `content`) and `Announce` (a boost; `object` is the boosted status URL);
* `likes.json`: an OrderedCollection of the URLs of the statuses the user favourited (no
  dates); `bookmarks.json` (ignored); media files.

Everything in the archive is the user's own doing, so every touch is `out`: a reply to
someone else's status is a `reply` to its author; each other account mentioned is a
`mention` (one touch per person and post, a reply wins over a mention); a post addressed to
neither the public nor the user's followers is a direct message, a `dm` when it goes to one
person (the user's messages to a group are not attributed to anyone); a boost is a `share`
with the boosted status's author; a favourite is a `like` with the liked status's author,
dated by the liked status's own id (Mastodon ids carry their creation time in milliseconds
above 16 bits), since the archive does not say when the user liked it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import ijson

from kith.domain.identity import HandleError, normalise
from kith.domain.links import split_url
from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Myself, Options
from kith.ingest.common import identify_with, member_label, stable_id
from kith.ingest.jsonstream import parser_words
from kith.ingest.records import Contact, Handle, Me, Record, Touch

OUTBOX = "outbox.json"
ACTOR = "actor.json"
LIKES = "likes.json"
FILES = (OUTBOX, ACTOR, LIKES)
PUBLIC = frozenset(
    {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public", "as#Public"}
)
POST_TYPES = frozenset({"Note", "Question", "Article", "Page"})
#: Mastodon ids before this moment are not time-based (sequential ids before v2.0)
EARLIEST_ID_TIME = datetime(2016, 1, 1, tzinfo=UTC)

_STATUS_PATHS = (
    re.compile(r"^/users/([^/]+)/statuses/([^/]+)"),
    re.compile(r"^/@([^/]+)/([^/]+)"),
)
_COLLECTION_ID = re.compile(r'"id"\s*:\s*"((?:outbox|likes|bookmarks)\.json)"', re.IGNORECASE)
_ACTOR_PATHS = (re.compile(r"^/users/([^/]+)/?$"), re.compile(r"^/@([^/]+)/?$"))


# -- accounts ---------------------------------------------------------------------------------
def account(user: str, host: str) -> str | None:
    """`user@host`, normalised (`@lena@other.host` in a path names a remote account)."""
    user = unquote(user).lstrip("@")
    if "@" in user:
        user, _, host = user.partition("@")
    try:
        return normalise("mastodon", f"{user}@{host}")
    except HandleError:
        return None


def _split(url: str) -> tuple[str, str] | None:
    parts = split_url(url.strip())
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.lower(), parts.path


def actor_account(url: str) -> str | None:
    """The account of an actor URL: https://host/users/name or https://host/@name."""
    split = _split(url)
    if split is None:
        return None
    host, path = split
    for pattern in _ACTOR_PATHS:
        if match := pattern.match(path):
            return account(match[1], host)
    return None


def status_author(url: str) -> str | None:
    """The author of a status URL: https://host/users/name/statuses/ID or https://host/@name/ID."""
    split = _split(url)
    if split is None:
        return None
    host, path = split
    for pattern in _STATUS_PATHS:
        if match := pattern.match(path):
            return account(match[1], host)
    return None


def status_time(url: str, now: datetime) -> datetime | None:
    """When a Mastodon status was created, read from its id (milliseconds << 16)."""
    split = _split(url)
    if split is None:
        return None
    for pattern in _STATUS_PATHS:
        if (match := pattern.match(split[1])) and match[2].isdigit():
            try:
                moment = datetime.fromtimestamp((int(match[2]) >> 16) / 1000, UTC)
            except (OverflowError, OSError, ValueError):
                return None
            if EARLIEST_ID_TIME <= moment <= now + timedelta(days=1):
                return moment
    return None


def mention_accounts(post: dict[str, Any]) -> dict[str, str]:
    """Mentioned actor URL -> account, from the post's Mention tags (their `name` is
    `@user@host`, or `@user` for the author's own server)."""
    found: dict[str, str] = {}
    for tag in as_list(post.get("tag")):
        if not isinstance(tag, dict) or tag.get("type") != "Mention":
            continue
        href = str(tag.get("href") or "")
        name = str(tag.get("name") or "").lstrip("@")
        split = _split(href)
        if "@" in name:  # user@host: the account itself
            acct = account(name, "")
        else:  # a local name: the host comes from the actor URL
            acct = actor_account(href) or (account(name, split[0]) if name and split else None)
        if acct:
            found[href] = acct
    return found


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# -- text -------------------------------------------------------------------------------------
class _Text(HTMLParser):
    """Plain text of a post's HTML: paragraphs and line breaks kept as new lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: Any) -> str | None:
    if not isinstance(html, str) or not html.strip():
        return None
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text or None


# -- the user ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class User:
    """The archive's owner: actor URL, account and followers collection (each when known)."""

    actor: str | None = None
    acct: str | None = None
    followers: str | None = None
    name: str | None = None

    def is_self(self, acct: str | None = None, actor: str | None = None) -> bool:
        return (acct is not None and acct == self.acct) or (
            actor is not None and actor == self.actor
        )

    def is_followers(self, url: str) -> bool:
        if self.followers is not None:
            return url == self.followers
        return url.endswith("/followers")


def user_from_actor(data: dict[str, Any]) -> User:
    actor = str(data.get("id") or "")
    split = _split(actor) or _split(str(data.get("url") or ""))
    username = str(data.get("preferredUsername") or "")
    acct = account(username, split[0]) if username and split else actor_account(actor)
    followers = data.get("followers")
    return User(
        actor or None,
        acct,
        followers if isinstance(followers, str) else (f"{actor}/followers" if actor else None),
        str(data["name"]) if data.get("name") else None,
    )


def user_from(myself: Myself) -> User:
    """The account --me (or an earlier import) gave, without its actor."""
    return User(acct=next(iter(myself.on("mastodon")), None))


# -- what one activity means ----------------------------------------------------------------
@dataclass(frozen=True)
class Act:
    """One touch before it becomes a record: with whom, how, when."""

    acct: str
    channel: Channel
    external_id: str
    when: datetime
    text: str | None = None


def published(*things: dict[str, Any]) -> datetime | None:
    for thing in things:
        value = thing.get("published")
        if isinstance(value, str) and value.strip():
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                return None
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def addressees(post: dict[str, Any], activity: dict[str, Any], user: User) -> list[str]:
    """The actors a post was addressed to (`to` and `cc`), without collections or the user."""
    urls = [
        *as_list(post.get("to", activity.get("to"))),
        *as_list(post.get("cc", activity.get("cc"))),
    ]
    return [
        u
        for u in dict.fromkeys(str(u) for u in urls if isinstance(u, str))
        if u not in PUBLIC and not user.is_followers(u) and not user.is_self(actor=u)
    ]


def is_direct(post: dict[str, Any], activity: dict[str, Any], user: User) -> bool:
    """Neither the public nor the user's followers are in `to`: a direct message."""
    to = [str(u) for u in as_list(post.get("to", activity.get("to")))]
    return not any(u in PUBLIC or user.is_followers(u) for u in to)


def post_acts(activity: dict[str, Any], user: User, when: datetime) -> Iterator[Act]:
    """The touches of one post the user wrote."""
    post = activity.get("object")
    if not isinstance(post, dict) or not isinstance(post.get("type"), str):
        return
    if post["type"] not in POST_TYPES:
        return
    post_id = str(post.get("id") or activity.get("id") or "")
    text = plain_text(post.get("content"))
    mentioned = mention_accounts(post)
    if is_direct(post, activity, user):
        people = {
            acct
            for url in addressees(post, activity, user)
            if (acct := mentioned.get(url) or actor_account(url)) and not user.is_self(acct=acct)
        }
        if len(people) == 1:  # the user writing to a group is no touch with anyone
            (acct,) = people
            yield Act(acct, Channel.DM, stable_id(f"{post_id}#dm:{acct}"), when, text)
        return
    targets: dict[str, Channel] = {}
    replied = status_author(str(post.get("inReplyTo") or ""))
    if replied and not user.is_self(acct=replied):
        targets[replied] = Channel.REPLY
    for acct in mentioned.values():
        if not user.is_self(acct=acct):
            targets.setdefault(acct, Channel.MENTION)
    for acct, channel in targets.items():
        yield Act(acct, channel, stable_id(f"{post_id}#{channel.value}:{acct}"), when, text)


def boost_act(activity: dict[str, Any], user: User, when: datetime) -> Iterator[Act]:
    """A boost: a share with the boosted status's author."""
    boosted = activity.get("object")
    url = str(boosted.get("id") or "") if isinstance(boosted, dict) else str(boosted or "")
    author = status_author(url)
    if author is None and isinstance(boosted, dict):
        author = actor_account(str(boosted.get("attributedTo") or ""))
    if author is None:  # the boosted author is the one actor Mastodon adds to `cc`
        actors = {actor_account(u) for u in addressees({}, activity, user)} - {None}
        author = next(iter(actors)) if len(actors) == 1 else None
    if author is None or user.is_self(acct=author):
        return
    activity_id = str(activity.get("id") or f"announce:{url}")
    yield Act(author, Channel.SHARE, stable_id(activity_id), when)


def activity_acts(activity: dict[str, Any], user: User, where: str) -> Iterator[Act]:
    kind = activity.get("type")
    if kind not in ("Create", "Announce"):
        return
    post = activity.get("object")
    when = published(*(p for p in (post, activity) if isinstance(p, dict)))
    if when is None:
        raise ImportFailed(f"{where} has no readable 'published' time.")
    if kind == "Create":
        yield from post_acts(activity, user, when)
    else:
        yield from boost_act(activity, user, when)


# -- reading the archive ----------------------------------------------------------------------
def find_files(archive: Archive) -> dict[str, str]:
    """The archive's JSON files by name (outbox.json, actor.json, likes.json)."""
    if archive.is_single_file:
        (name,) = archive.names()
        with archive.open_binary(name) as stream:
            head = stream.read(65536).decode("utf-8", errors="replace")
        kind = sniff_kind(name, head)
        return {kind: name} if kind else {}
    found: dict[str, str] = {}
    for name in archive.names():
        base = name.rsplit("/", 1)[-1].lower()
        if base in FILES:
            found.setdefault(base, name)
    return found


def sniff_kind(name: str, head: str) -> str | None:
    """Which archive file a lone JSON file is: Mastodon names its collections
    ("id": "outbox.json"); a renamed file is known by its name or, for an outbox, its
    ActivityStreams collection."""
    if match := _COLLECTION_ID.search(head):
        kind = match[1].lower()
        return kind if kind in FILES else None  # bookmarks.json: nothing to read
    if '"Person"' in head and '"preferredUsername"' in head:
        return ACTOR
    lowered = name.lower()
    if lowered.endswith(".json"):
        for kind in (LIKES, OUTBOX, ACTOR):
            if kind.removesuffix(".json") in lowered:
                return kind
    if "activitystreams" in head and "OrderedCollection" in head:
        return OUTBOX
    return None


def read_actor(archive: Archive, member: str) -> User:
    where = member_label(archive, member, quoted=False)
    try:
        data = json.loads(archive.read_bytes(member))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{where} is not valid JSON ({exc}); it may be cut short.") from exc
    if not isinstance(data, dict):
        raise ImportFailed(f"{where} does not describe an account.")
    return user_from_actor(data)


def ordered_items(archive: Archive, member: str) -> Iterator[tuple[int, Any]]:
    """The `orderedItems` of a collection, one at a time (outboxes can be large)."""
    where = member_label(archive, member, quoted=False)
    number = 0
    with archive.open_binary(member) as stream:
        try:
            for number, item in enumerate(
                ijson.items(stream, "orderedItems.item", use_float=True), 1
            ):
                yield number, item
        except ijson.JSONError as exc:
            raise ImportFailed(
                f"{where} is damaged after item {number} ({parser_words(exc)[:80]}); "
                "it may be cut short: download the archive again."
            ) from exc


class MastodonImporter(Importer):
    source = "mastodon"
    title = "a Mastodon account archive"

    def identify(self, path: Path) -> bool:
        return identify_with(path, find_files)

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            yield from _Run(archive, find_files(archive), options).records()


class _Run:
    def __init__(self, archive: Archive, files: dict[str, str], options: Options) -> None:
        self.archive = archive
        self.files = files
        self.options = options
        self.user = (
            read_actor(archive, files[ACTOR]) if ACTOR in files else user_from(options.myself)
        )
        self.known: set[str] = set()

    def records(self) -> Iterator[Record]:
        if self.user.acct is not None:
            yield Me((Handle("mastodon", self.user.acct),), self.user.name)
        if OUTBOX in self.files:
            yield from self.outbox(self.files[OUTBOX])
        if LIKES in self.files:
            yield from self.likes(self.files[LIKES])

    def touch(self, act: Act) -> Iterator[Record]:
        key = f"mastodon:{act.acct}"
        if key not in self.known:
            self.known.add(key)
            yield Contact(key, None, (Handle("mastodon", act.acct),))
        yield Touch(act.external_id, key, act.when, act.channel, Direction.OUT, act.text)

    def outbox(self, member: str) -> Iterator[Record]:
        where = member_label(self.archive, member, quoted=False)
        for number, activity in ordered_items(self.archive, member):
            if not isinstance(activity, dict):
                raise ImportFailed(f"{where}: item {number} is not an activity.")
            if self.user.actor is None:
                known = self.user.acct
                self.user = self.user_of(activity)
                if self.user.acct is not None and self.user.acct != known:
                    yield Me((Handle("mastodon", self.user.acct),))
            for act in activity_acts(activity, self.user, f"{where}, item {number}"):
                yield from self.touch(act)

    def user_of(self, activity: dict[str, Any]) -> User:
        """Without actor.json the outbox's own `actor` is the user."""
        actor = str(activity.get("actor") or "")
        if not actor:
            return self.user
        acct = actor_account(actor) or self.user.acct
        return User(actor, acct, f"{actor}/followers", self.user.name)

    def likes(self, member: str) -> Iterator[Record]:
        where = member_label(self.archive, member, quoted=False)
        for number, url in ordered_items(self.archive, member):
            if not isinstance(url, str):
                raise ImportFailed(f"{where}: item {number} is not a status address.")
            author = status_author(url)
            when = status_time(url, self.options.now)
            if author is None or when is None or self.user.is_self(acct=author):
                continue  # not a Mastodon status address: no author, no date
            yield from self.touch(Act(author, Channel.LIKE, stable_id(f"like:{url}"), when))


IMPORTER = MastodonImporter()
