"""X (Twitter) archive: the .zip from Settings > Your account > Download an archive, or its
unpacked folder.

What it holds (all under `data/`, each file a JSON array behind `window.YTD.<type>.partN = `):
`tweets.js` (older archives: `tweet.js`; large ones split in `tweets-part1.js`, ...),
`direct-messages.js`, `direct-messages-group.js`, `account.js`, `follower.js`,
`following.js`, `like.js`, `manifest.js`.

What kith takes from it:
* the user's own tweets that reply to someone (`reply`), mention someone (`mention`), or
  retweet someone (`share`); a tweet addressed to no one is no interaction;
* direct messages both ways (`dm`), and small group conversations (a member's message is a
  `chat` from that member);
* followers (`follow` in) and accounts the user follows (`follow` out), dated at the
  archive's generation date since the archive does not say when;
* people by their numeric id (`x:id:123`) and, where the archive shows it, their handle
  (`x:handle`) and display name (from mentions and reply fields).
Likes are left out: the archive does not say whose tweet was liked.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.jsonstream import iter_array
from kith.ingest.records import Contact, Handle, Me, Record, Touch

TWEET_FILES = ("tweets.js", "tweet.js", "tweets-part*.js", "tweet-part*.js")
#: manifest.js is a few kilobytes; more than this is not a manifest
MANIFEST_LIMIT = 1 << 20
SMALL_GROUP = 8
_RT = re.compile(r"^RT @(\w+):")
_LEADING = re.compile(r"^@(\w{1,15})\b")
_PART = re.compile(r"part(\d+)\.js$")


def _part_order(name: str) -> tuple[int, str]:
    found = _PART.search(name)
    return (int(found.group(1)) if found else 0, name)


_MONTHS = {
    m: n
    for n, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


def _parse_time(value: str) -> datetime:
    """X writes 'Wed Oct 11 09:05:00 +0000 2023' in tweets and ISO-8601 in DMs."""
    if value[:4].isdigit():
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        parts = value.split()
        if len(parts) == 6 and parts[4] == "+0000" and parts[1] in _MONTHS:  # the usual form
            hour, minute, second = parts[3].split(":")
            return datetime(
                int(parts[5]),
                _MONTHS[parts[1]],
                int(parts[2]),
                int(hour),
                int(minute),
                int(second),
                tzinfo=UTC,
            )
        moment = parsedate_to_datetime(_rfc2822(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rfc2822(value: str) -> str:
    # 'Wed Oct 11 09:05:00 +0000 2023' -> 'Wed, 11 Oct 2023 09:05:00 +0000'
    parts = value.split()
    if len(parts) == 6:
        weekday, month, day, clock, zone, year = parts
        return f"{weekday}, {day} {month} {year} {clock} {zone}"
    return value


def _expand(text: str, urls: list[dict[str, Any]] | None) -> str:
    """Tweet text with t.co links expanded and HTML entities decoded."""
    for url in urls or ():
        short, full = url.get("url"), url.get("expanded_url") or url.get("expanded")
        if short and full:
            text = text.replace(short, full)
    return html.unescape(text) if "&" in text else text


@dataclass
class _People:
    """What the archive tells about each account, by numeric id."""

    me: str
    handles: dict[str, str] = field(default_factory=dict)  # id -> screen name
    names: dict[str, str] = field(default_factory=dict)  # id -> display name
    sent: set[str] = field(default_factory=set)  # ids already yielded as contacts
    shown: dict[str, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    # id -> the @handle a reply to them starts with, when the archive names them nowhere else
    # (a label only: never an identity, since nothing in the archive ties it to the id)
    leading: dict[str, str] = field(default_factory=dict)

    def learn(self, user_id: str | None, handle: str | None, name: str | None) -> None:
        if not user_id:
            return
        if handle:
            self.handles.setdefault(user_id, handle)
        if name:
            self.names.setdefault(user_id, name)

    def contact(self, user_id: str) -> Contact | None:
        """The contact for `user_id`, again when more has been learnt since (else None)."""
        known = (self.handles.get(user_id), self.names.get(user_id), self.leading.get(user_id))
        if self.shown.get(user_id) == known:
            return None
        self.shown[user_id] = known
        handle, name, leading = known
        handles = [Handle("x", f"id:{user_id}")]
        if handle:
            handles.append(Handle("x", handle))
        shown = handle or leading
        label = name or (f"@{shown}" if shown else f"X user {user_id}")
        return Contact(key=f"x:{user_id}", name=label, handles=tuple(handles))


class XImporter(Importer):
    source = "x"
    title = "an X (Twitter) archive"

    def identify(self, path: Path) -> bool:
        with Archive(path) as archive:
            return bool(
                archive.find(*TWEET_FILES, "direct-messages.js", "direct-message.js", "account.js")
            )

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            account = self._account(archive)
            conversations = self._conversation_ids(archive)
            me = self._whoami(archive, account, conversations, options)
            people = _People(me=me)
            handles = [Handle("x", f"id:{me}")]
            if account.get("accountId") == me and account.get("username"):
                handles.append(Handle("x", account["username"]))
                if account.get("email"):
                    handles.append(Handle("email", account["email"]))
            own = account.get("accountId") == me
            yield Me(tuple(handles), account.get("accountDisplayName") if own else None)
            yield from self._tweets(archive, people)
            yield from self._direct_messages(archive, people)
            yield from self._group_messages(archive, people)
            yield from self._follows(archive, people, options)

    # -- reading files ------------------------------------------------------------------
    @staticmethod
    def _array(archive: Archive, name: str) -> Iterator[Any]:
        with archive.open_binary(name, counted=False) as stream:
            yield from iter_array(stream, name, archive.size(name), archive.advance)

    def _files(self, archive: Archive, *patterns: str) -> list[str]:
        return sorted(archive.find(*patterns), key=_part_order)

    def _account(self, archive: Archive) -> dict[str, Any]:
        """The account: account.js, else the `userInfo` of manifest.js (archives that have
        no account.js still name their account there), in account.js's field names."""
        for name in self._files(archive, "account.js"):
            for item in self._array(archive, name):
                account = item.get("account", item) if isinstance(item, dict) else {}
                if isinstance(account, dict) and account.get("accountId"):
                    return account
        info = self._manifest(archive).get("userInfo")
        if isinstance(info, dict) and str(info.get("accountId") or "").isdigit():
            return {
                "accountId": str(info["accountId"]),
                "username": info.get("userName"),
                "accountDisplayName": info.get("displayName"),
            }
        return {}

    def _manifest(self, archive: Archive) -> dict[str, Any]:
        """manifest.js: `window.__THAR_CONFIG = {...}` (an object, not an array)."""
        for name in self._files(archive, "manifest.js"):
            with archive.open_binary(name) as stream:
                data = stream.read(MANIFEST_LIMIT)
            body = data.partition(b"=")[2].strip().rstrip(b";")
            try:
                found = json.loads(body)
            except ValueError:
                return {}
            return found if isinstance(found, dict) else {}
        return {}

    def _conversation_ids(self, archive: Archive) -> list[set[str]]:
        """The two participants of each one-to-one conversation."""
        pairs: list[set[str]] = []
        for name in self._files(
            archive, "direct-messages.js", "direct-message.js", "direct-messages-part*.js"
        ):
            for item in self._array(archive, name):
                conversation = item.get("dmConversation", {})
                ids = str(conversation.get("conversationId", "")).split("-")
                if len(ids) == 2 and all(i.isdigit() for i in ids):
                    pairs.append(set(ids))
        return pairs

    def _whoami(
        self,
        archive: Archive,
        account: dict[str, Any],
        conversations: list[set[str]],
        options: Options,
    ) -> str:
        """The user's account id: --me (an id, or the account's handle), else account.js or
        manifest.js, unless the direct messages show that another id is in every
        conversation (an archive assembled from several accounts)."""
        account_id = str(account.get("accountId") or "")
        username = str(account.get("username") or "").casefold()
        myself = options.myself
        for given in (*myself.on("x"), *myself.bare, *myself.names):
            value = given.removeprefix("id:")
            if value.isdigit():
                return value
            if account_id and value.casefold() == username:
                return account_id
        if not conversations:
            if account_id:
                return account_id
            raise ImportFailed(
                "This X archive does not say whose it is (no account.js or manifest.js); pass "
                "your numeric account id with --me x:id:NUMBER (x.com: Settings, Your account, "
                "Account information)."
            )
        seen = Counter(i for pair in conversations for i in pair)
        common = {i for i, n in seen.items() if n == len(conversations)}
        if account_id in common:
            return account_id
        if len(common) > 1:  # a single conversation: the other side is someone the user
            common -= self._others(archive)  # follows, is followed by, or mentions
        if len(common) == 1:
            return common.pop()
        if account_id:
            return account_id
        raise ImportFailed(
            "Cannot tell which account in this X archive is yours; pass your numeric account "
            "id with --me x:id:NUMBER."
        )

    def _others(self, archive: Archive) -> set[str]:
        """Accounts the archive shows as other people: followers, followed, mentioned."""
        others: set[str] = set()
        for pattern, key in (("follower*.js", "follower"), ("following*.js", "following")):
            for name in self._files(archive, pattern):
                for item in self._array(archive, name):
                    others.add(str((item.get(key) or {}).get("accountId") or ""))
        for name in self._files(archive, *TWEET_FILES):
            for item in self._array(archive, name):
                tweet = item.get("tweet", item) if isinstance(item, dict) else {}
                if not _RT.match(str(tweet.get("full_text") or "")):
                    for m in (tweet.get("entities") or {}).get("user_mentions") or ():
                        others.add(str(m.get("id_str") or m.get("id") or ""))
        return others

    # -- tweets ---------------------------------------------------------------------------
    def _tweets(self, archive: Archive, people: _People) -> Iterator[Record]:
        for name in self._files(archive, *TWEET_FILES):
            for n, item in enumerate(self._array(archive, name)):
                tweet = item.get("tweet", item) if isinstance(item, dict) else None
                if not isinstance(tweet, dict) or ("id_str" not in tweet and "id" not in tweet):
                    raise ImportFailed(f"'{name}': record {n + 1} is not a tweet.")
                yield from self._tweet(tweet, people)

    def _tweet(self, tweet: dict[str, Any], people: _People) -> Iterator[Record]:
        tweet_id = str(tweet.get("id_str") or tweet["id"])
        when = _parse_time(tweet["created_at"])
        entities = tweet.get("entities") or {}
        mentions = [m for m in entities.get("user_mentions") or () if isinstance(m, dict)]
        for m in mentions:
            people.learn(
                str(m.get("id_str") or m.get("id") or ""), m.get("screen_name"), m.get("name")
            )
        text = _expand(str(tweet.get("full_text") or tweet.get("text") or ""), entities.get("urls"))
        reply_to = str(
            tweet.get("in_reply_to_user_id_str") or tweet.get("in_reply_to_user_id") or ""
        )
        people.learn(reply_to, tweet.get("in_reply_to_screen_name"), None)
        if reply_to and reply_to not in people.handles:
            leading = _LEADING.match(text)
            if leading:
                people.leading.setdefault(reply_to, leading.group(1))
        retweet = _RT.match(text)
        addressed: list[tuple[str, Channel]] = []
        if retweet:
            author = next(
                (
                    str(m.get("id_str") or m.get("id"))
                    for m in mentions
                    if str(m.get("screen_name", "")).lower() == retweet.group(1).lower()
                ),
                None,
            )
            if author:
                addressed.append((author, Channel.SHARE))
        else:
            if reply_to and reply_to != people.me:
                addressed.append((reply_to, Channel.REPLY))
            for m in mentions:
                user_id = str(m.get("id_str") or m.get("id") or "")
                if user_id and user_id != people.me and all(user_id != a for a, _ in addressed):
                    addressed.append((user_id, Channel.MENTION))
        for user_id, channel in addressed:
            if (contact := people.contact(user_id)) is not None:
                yield contact
            suffix = "" if channel is not Channel.MENTION else f":mention:{user_id}"
            yield Touch(  # positional: tweets are the most numerous records of an import
                f"tweet:{tweet_id}{suffix}",
                f"x:{user_id}",
                when,
                channel,
                Direction.OUT,
                text,
            )

    # -- direct messages ------------------------------------------------------------------
    def _direct_messages(self, archive: Archive, people: _People) -> Iterator[Record]:
        for name in self._files(
            archive, "direct-messages.js", "direct-message.js", "direct-messages-part*.js"
        ):
            for item in self._array(archive, name):
                conversation = item.get("dmConversation", {})
                for event in conversation.get("messages") or ():
                    message = event.get("messageCreate") if isinstance(event, dict) else None
                    if not message:
                        continue
                    sender = str(message.get("senderId", ""))
                    recipient = str(message.get("recipientId", ""))
                    other = recipient if sender == people.me else sender
                    if not other or other == people.me:
                        continue
                    if (contact := people.contact(other)) is not None:
                        yield contact
                    yield Touch(
                        f"dm:{message['id']}",
                        f"x:{other}",
                        _parse_time(message["createdAt"]),
                        Channel.DM,
                        Direction.OUT if sender == people.me else Direction.IN,
                        _expand(str(message.get("text") or ""), message.get("urls")),
                    )

    def _group_messages(self, archive: Archive, people: _People) -> Iterator[Record]:
        for name in self._files(
            archive,
            "direct-messages-group.js",
            "direct-message-group.js",
            "direct-messages-group-part*.js",
        ):
            for item in self._array(archive, name):
                conversation = item.get("dmConversation", {})
                events = [e for e in conversation.get("messages") or () if isinstance(e, dict)]
                members = self._members(events, people.me)
                if len(members) + 1 > SMALL_GROUP:
                    continue
                for event in events:
                    message = event.get("messageCreate")
                    if not message:
                        continue
                    sender = str(message.get("senderId", ""))
                    if not sender or sender == people.me:
                        continue
                    if (contact := people.contact(sender)) is not None:
                        yield contact
                    yield Touch(
                        f"dm:{message['id']}",
                        f"x:{sender}",
                        _parse_time(message["createdAt"]),
                        Channel.CHAT,
                        Direction.IN,
                        _expand(str(message.get("text") or ""), message.get("urls")),
                    )

    @staticmethod
    def _members(events: list[dict[str, Any]], me: str) -> set[str]:
        members: set[str] = set()
        for event in events:
            for kind, body in event.items():
                if not isinstance(body, dict):
                    continue
                if kind == "messageCreate":
                    members.add(str(body.get("senderId", "")))
                for key in ("participantsSnapshot", "userIds"):
                    members.update(str(u) for u in body.get(key) or ())
                for key in ("initiatingUserId", "userId"):
                    if body.get(key):
                        members.add(str(body[key]))
        members.discard("")
        members.discard(me)
        return members

    # -- follows --------------------------------------------------------------------------
    def _generated(self, archive: Archive, options: Options) -> datetime:
        for name in self._files(archive, "manifest.js"):
            with archive.open_binary(name) as stream:
                data = stream.read()
            found = re.search(rb'"generationDate"\s*:\s*"([^"]+)"', data)
            if found:
                try:
                    return _parse_time(found.group(1).decode())
                except ValueError:
                    break
        return options.now

    def _follows(self, archive: Archive, people: _People, options: Options) -> Iterator[Record]:
        when = self._generated(archive, options)
        for pattern, key, direction in (
            ("follower*.js", "follower", Direction.IN),
            ("following*.js", "following", Direction.OUT),
        ):
            for name in self._files(archive, pattern):
                for item in self._array(archive, name):
                    body = item.get(key, {}) if isinstance(item, dict) else {}
                    user_id = str(body.get("accountId") or "")
                    if not user_id.isdigit() or user_id == people.me:
                        continue
                    if (contact := people.contact(user_id)) is not None:
                        yield contact
                    yield Touch(
                        f"{key}:{user_id}",
                        f"x:{user_id}",
                        when,
                        Channel.FOLLOW,
                        direction,
                    )


IMPORTER = XImporter()
