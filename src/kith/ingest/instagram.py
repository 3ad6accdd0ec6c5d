"""Instagram's "Download your information" export, JSON format (a .zip, its folder, or one file).

kith finds files by name, wherever the year's layout puts them:

* Direct messages: `messages/inbox/<name>_<id>/message_N.json` (older) or
  `your_instagram_activity/messages/inbox/...` (2023 on); `message_requests` is left out.
  Same page format as Facebook's (see `kith.ingest.meta`): senders by display name.
* You: `personal_information.json` (under `account_information/`, `personal_information/` or
  `personal_information/personal_information/`): `{"profile_user": [{"string_map_data":
  {"Username": {"value"}, "Name": {"value"}, "Email": {"value"}, ...}}]}`.
* Followers and following (`followers_and_following/` or
  `connections/followers_and_following/`): `followers_1.json` is a list, `following.json` is
  `{"relationships_following": [...]}` (older `followers.json`: `{"relationships_followers"}`);
  each item `{"title", "string_list_data": [{"href": "https://www.instagram.com/<user>",
  "value": "<user>", "timestamp"}]}`. Since 2025 the username is in `title`, `value` is gone and
  `href` reads `https://www.instagram.com/_u/<user>`.
* Your comments: `comments/post_comments_1.json` (a list of `{"string_map_data": {"Comment",
  "Media Owner", "Time"}}`; older: `{"comments_media_comments": [{"title": owner,
  "string_list_data": [{"value", "timestamp"}]}]}`) and `reels_comments.json`.

Relationships and comments name people by username (`instagram:<user>`); messages by display
name (`instagram:name:<Name>`), and a one-to-one conversation's folder name starts with the
other person's username with its dots and underscores dropped (`anaexample_1234567890`): when
exactly one username the export knows reads that way, the person gets both handles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from kith.domain.identity import name_key
from kith.domain.links import split_url
from kith.domain.model import Channel, Direction
from kith.ingest import meta
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.common import digest
from kith.ingest.records import Contact, Handle, Me, Record, Touch

PLATFORM = "instagram"
_OWN_FOLDERS = frozenset({"your_instagram_activity", "followers_and_following"})
_OWN_FILES = frozenset({"personal_information.json", "instagram_profile_information.json"})
_OTHER_FOLDERS = frozenset(
    {"your_facebook_activity", "your_activity_across_facebook", "friends_and_followers"}
)
_OTHER_FILES = frozenset({"profile_information.json", "your_friends.json"})
_FOLLOWERS = re.compile(r"^followers(?:_\d+)?\.json$")
_FOLLOWING = re.compile(r"^following(?:_\d+)?\.json$")
_COMMENTS = re.compile(r"^(?:post_comments(?:_\d+)?|reels_comments)\.json$")
_SINGLE_FILE_KEYS = (
    b'"relationships_follow',
    b'"string_list_data"',
    b'"string_map_data"',
    b'"profile_user"',
)
_NOT_USERNAME = re.compile(r"[^a-z0-9]")


def username_of(text: str | None) -> str | None:
    """A username as kith writes it: lower case, without @; None when it is not one."""
    if not text:
        return None
    value = text.strip().lstrip("@").lower()
    if not value or any(c.isspace() for c in value) or "/" in value:
        return None
    return value


def account(username: str, name: str | None = None) -> Contact:
    """An Instagram account the export names by username (and display name, when known)."""
    handles = (Handle(PLATFORM, username), *((meta.name_handle(PLATFORM, name),) if name else ()))
    return Contact(key=f"{PLATFORM}:{username}", name=name, handles=handles)


def display_name_only(name: str) -> Contact:
    return meta.named(PLATFORM, name)


class InstagramImporter(Importer):
    source: ClassVar[str] = "instagram"
    title: ClassVar[str] = "an Instagram export (Download your information, JSON)"

    def identify(self, path: Path) -> bool:
        return meta.identify(path, _SINGLE_FILE_KEYS, _looks_like_instagram)

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            yield from _Export(archive, options).records()


def _looks_like_instagram(archive: Archive) -> bool:
    name = archive.path.name.lower()
    own = other = threads = False
    for member in archive.names():
        parts = meta.components(member)
        base = parts[-1]
        own |= bool(_OWN_FOLDERS.intersection(parts[:-1])) or base in _OWN_FILES
        own |= bool(_FOLLOWERS.match(base) or _FOLLOWING.match(base))
        other |= bool(_OTHER_FOLDERS.intersection(parts[:-1])) or base in _OTHER_FILES
        threads |= base.startswith("message_") and "messages" in parts
    own |= name.startswith("instagram")
    other |= name.startswith("facebook")
    return own or (threads and not other)


@dataclass(frozen=True, slots=True)
class _Follow:
    username: str
    timestamp: object
    direction: Direction  # in: they follow the user; out: the user follows them
    where: str


class _Export:
    """One export being read: the user, then messages, follows and comments."""

    def __init__(self, archive: Archive, options: Options) -> None:
        meta.refuse_damaged_zip(archive)
        self.archive = archive
        self.options = options
        self.single: Any = None
        if archive.is_single_file:
            self.single = meta.read_json(archive, archive.names()[0])
            kind = _kind_of_single(archive.names()[0], self.single)
            if kind is None:
                raise ImportFailed(f"{archive.path.name} holds nothing kith reads.")
            self.pages = meta.message_pages(archive) if kind == "messages" else []
            self.profiles = archive.names() if kind == "profile" else []
            self.relationships = archive.names() if kind == "follows" else []
            self.comments = archive.names() if kind == "comments" else []
            return
        self.pages = meta.message_pages(archive)
        self.profiles = self._files(lambda base: base == "personal_information.json")
        self.relationships = self._files(
            lambda base: bool(_FOLLOWERS.match(base) or _FOLLOWING.match(base))
        )
        self.comments = self._files(lambda base: bool(_COMMENTS.match(base)))

    def _files(self, wanted: Callable[[str], bool]) -> list[str]:
        return [n for n in self.archive.names() if wanted(meta.components(n)[-1])]

    def _data(self, name: str) -> Any:
        return self.single if self.single is not None else meta.read_json(self.archive, name)

    # -- the whole export -------------------------------------------------------------------
    def records(self) -> Iterator[Record]:
        if self.single is None and not (self.pages or self.relationships or self.comments):
            raise ImportFailed(self._nothing_to_read())
        me, my_usernames = self._me()
        if me.handles:
            yield me
        my_names = {name_key(h.value[5:]) for h in me.handles if h.value.startswith("name:")}
        follows = [f for name in self.relationships for f in self._follows(name)]
        comments = [c for name in self.comments for c in self._comments(name, my_usernames)]
        known = _UsernameIndex({f.username for f in follows} | {c[0] for c in comments})
        known.forget(my_usernames)

        def contact_for(name: str, conversation: meta.Conversation, one_to_one: bool) -> Contact:
            username = known.of_folder(conversation.page.folder) if one_to_one else None
            return account(username, name) if username else display_name_only(name)

        reader = meta.ConversationReader(PLATFORM, Channel.DM, my_names, contact_for)
        for page in self.pages:
            yield from reader.records(meta.load_conversation(self.archive, page))
        for follow in follows:
            yield from _follow_records(follow)
        for username, touch in comments:
            yield account(username)
            yield touch

    def _nothing_to_read(self) -> str:
        where = self.archive.path.name
        if meta.has_html_messages(self.archive):
            return (
                f"{where} is the HTML version of the Instagram export; kith reads the JSON "
                "version: download your information again and choose Format: JSON."
            )
        return (
            f"{where} holds no Instagram messages, followers or comments kith can read "
            "(one part of a multi-part download may hold only photos and videos)."
        )

    # -- the user ---------------------------------------------------------------------------
    def _me(self) -> tuple[Me, set[str]]:
        names: list[str] = []
        handles: list[Handle] = []
        for name in self.profiles:
            found_names, found_handles = _profile(self._data(name))
            names += found_names
            handles += found_handles
        usernames = {h.value for h in handles if h.platform == PLATFORM}
        usernames |= {
            u
            for handle in self.options.myself.on(PLATFORM)
            if not handle.startswith("name:") and (u := username_of(handle))
        }
        if not names and self.pages:
            hints = meta.names_given(self.options.myself, PLATFORM) | usernames
            names = list(meta.infer_me(self.archive, self.pages, hints, PLATFORM, "export"))
        handles = [*(meta.name_handle(PLATFORM, n) for n in dict.fromkeys(names)), *handles]
        return Me(tuple(dict.fromkeys(handles)), names[0] if names else None), usernames

    # -- followers and following --------------------------------------------------------------
    def _follows(self, name: str) -> Iterator[_Follow]:
        data = self._data(name)
        base = meta.components(name)[-1]
        groups: list[tuple[object, Direction]] = []
        if isinstance(data, dict):
            for key, direction in (
                ("relationships_followers", Direction.IN),
                ("relationships_following", Direction.OUT),
            ):
                if key in data:
                    groups.append((data[key], direction))
        elif isinstance(data, list):  # followers_1.json
            following = "following" in base and "followers" not in base
            groups.append((data, Direction.OUT if following else Direction.IN))
        if not groups:
            raise ImportFailed(f"'{name}' in {self.archive.path.name} holds no followers list.")
        for items, direction in groups:
            if not isinstance(items, list):
                raise ImportFailed(f"'{name}' in {self.archive.path.name} is not a list.")
            for index, item in enumerate(items):
                yield from _follows_of(item, direction, f"'{name}' item {index + 1}")

    # -- comments ---------------------------------------------------------------------------
    def _comments(self, name: str, my_usernames: set[str]) -> Iterator[tuple[str, Touch]]:
        data = self._data(name)
        items: object = data
        if isinstance(data, dict):
            items = next((v for k, v in data.items() if k.startswith("comments_")), None)
        if not isinstance(items, list):
            raise ImportFailed(f"'{name}' in {self.archive.path.name} holds no comments list.")
        for index, item in enumerate(items):
            where = f"'{name}' comment {index + 1}"
            if not isinstance(item, dict):
                raise ImportFailed(f"{where} is not an object.")
            owner, text, stamp = _comment_fields(item)
            if owner is None or owner in my_usernames or stamp in (None, 0):
                continue
            touch = Touch(
                external_id=f"{PLATFORM}:c:" + digest(stamp, owner, text or ""),
                contact=f"{PLATFORM}:{owner}",
                occurred_at=meta.at_seconds(stamp, where),
                channel=Channel.COMMENT,
                direction=Direction.OUT,
                text=text,
            )
            yield owner, touch


def _kind_of_single(name: str, data: Any) -> str | None:
    """What a lone file holds: messages, profile, follows or comments (None: nothing kith reads)."""
    base = meta.components(name)[-1]
    if isinstance(data, dict):
        if isinstance(data.get("messages"), list):
            return "messages"
        if "profile_user" in data:
            return "profile"
        if any(k.startswith("relationships_follow") for k in data):
            return "follows"
        if any(k.startswith("comments_") for k in data):
            return "comments"
        return None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        if "string_map_data" in data[0] or "comment" in base:
            return "comments"
        if "string_list_data" in data[0]:
            return "follows"
    return None


class _UsernameIndex:
    """Usernames the export knows, by how a conversation folder would spell them."""

    def __init__(self, usernames: set[str]) -> None:
        self.exact = set(usernames)
        self.spelt: dict[str, set[str]] = {}
        for username in usernames:
            self.spelt.setdefault(_NOT_USERNAME.sub("", username), set()).add(username)

    def forget(self, usernames: set[str]) -> None:
        for username in usernames:
            self.exact.discard(username)
            self.spelt.get(_NOT_USERNAME.sub("", username), set()).discard(username)

    def of_folder(self, folder: str) -> str | None:
        """The one username a one-to-one conversation folder (`<user>_<id>`) names, if any."""
        prefix = folder.rsplit("_", 1)[0].lower() if "_" in folder else ""
        if not prefix:
            return None
        if prefix in self.exact:
            return prefix
        candidates = self.spelt.get(_NOT_USERNAME.sub("", prefix), set())
        return next(iter(candidates)) if len(candidates) == 1 else None


def _profile(data: Any) -> tuple[list[str], list[Handle]]:
    """The user's display name, username, e-mail and phone from personal_information.json."""
    users = data.get("profile_user") if isinstance(data, dict) else None
    if not isinstance(users, list):
        return [], []
    names: list[str] = []
    handles: list[Handle] = []
    for user in users:
        fields = user.get("string_map_data") if isinstance(user, dict) else None
        if not isinstance(fields, dict):
            continue
        for label, entry in fields.items():
            value = meta.text_of(entry.get("value")) if isinstance(entry, dict) else None
            key = label.casefold()
            if not value:
                continue
            if key == "username" and username_of(value):
                handles.append(Handle(PLATFORM, str(username_of(value))))
                names.append(value)  # senders without a display name show their username
            elif key == "name":
                names.insert(0, value)
            elif key.startswith("email"):
                handles.append(Handle("email", value))
            elif key.startswith("phone"):
                handles.append(Handle("phone", value))
    return list(dict.fromkeys(names)), handles


def _follows_of(item: object, direction: Direction, where: str) -> Iterator[_Follow]:
    if not isinstance(item, dict):
        raise ImportFailed(f"{where} is not an object.")
    entries = item.get("string_list_data")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        username = (
            username_of(meta.text_of(entry.get("value")))
            or username_of(meta.text_of(item.get("title")))
            or _username_in(entry.get("href"))
        )
        if username:
            yield _Follow(username, entry.get("timestamp"), direction, where)


def _username_in(href: object) -> str | None:
    """The username in https://www.instagram.com/<user> (or /_u/<user>, since 2025)."""
    if not isinstance(href, str):
        return None
    parts = split_url(href)
    if parts is None or not (parts.hostname or "").endswith("instagram.com"):
        return None
    segments = [s for s in parts.path.split("/") if s and s != "_u"]
    return username_of(segments[-1]) if segments else None


def _follow_records(follow: _Follow) -> Iterator[Record]:
    contact = account(follow.username)
    yield contact
    if follow.timestamp in (None, 0):
        return  # no date: the person is known, the follow is not an interaction kith can date
    kind = "follower" if follow.direction is Direction.IN else "following"
    yield Touch(
        external_id=f"{PLATFORM}:{kind}:{follow.username}",
        contact=contact.key,
        occurred_at=meta.at_seconds(follow.timestamp, follow.where),
        channel=Channel.FOLLOW,
        direction=follow.direction,
    )


def _comment_fields(item: dict[str, Any]) -> tuple[str | None, str | None, object]:
    """(media owner's username, comment text, time) of one comment, in either layout."""
    fields = item.get("string_map_data")
    if isinstance(fields, dict):
        by_label = {k.casefold(): v for k, v in fields.items() if isinstance(v, dict)}
        owner = username_of(meta.text_of(by_label.get("media owner", {}).get("value")))
        text = meta.text_of(by_label.get("comment", {}).get("value"))
        stamp = by_label.get("time", {}).get("timestamp")
        return owner, text, stamp
    entries = item.get("string_list_data")
    first = entries[0] if isinstance(entries, list) and entries else {}
    if not isinstance(first, dict):
        return None, None, None
    owner = username_of(meta.text_of(item.get("title")))
    return owner, meta.text_of(first.get("value")), first.get("timestamp")


IMPORTER = InstagramImporter()
__all__ = ["IMPORTER", "InstagramImporter"]
