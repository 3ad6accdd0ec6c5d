"""Facebook's "Download your information" export, JSON format (a .zip, its folder, or one file).

Where things are has moved over the years; kith finds files by name, wherever they are:

* Messenger conversations: `messages/inbox/<name>_<id>/message_N.json` (older exports),
  `your_activity_across_facebook/messages/...` (2022-2023), `your_facebook_activity/messages/...`
  (2024 on); besides `inbox`, `archived_threads` and `e2ee_cutover` count, `message_requests`
  and `filtered_threads` (never accepted, spam) do not. Page format: see `kith.ingest.meta`.
* You: `profile_information/profile_information.json` (or under `personal_information/`):
  `{"profile_v2": {"name": {"full_name"}, "username", "profile_uri", "emails": {"emails"},
  "phone_numbers": [{"phone_number"}]}}` (older: `"profile"`).
* Friends: `friends/friends.json`, `friends_and_followers/friends.json` or
  `connections/friends/your_friends.json`: `{"friends_v2": [{"name", "timestamp"}]}`
  (older: `"friends"`).
* Your comments: `comments/comments.json` or `comments_and_reactions/comments.json`:
  `{"comments_v2": [{"timestamp", "title": "Ana commented on Bob's post.",
  "data": [{"comment": {"timestamp", "comment", "author"}}]}]}`.

Messages know people by display name only, so a person is `facebook:name:<Display Name>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from kith.domain.identity import name_key
from kith.domain.model import Channel, Direction
from kith.ingest import meta
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.common import digest
from kith.ingest.records import Contact, Handle, Me, Record, Touch

PLATFORM = "facebook"
_OWN_FOLDERS = frozenset(
    {"your_facebook_activity", "your_activity_across_facebook", "friends_and_followers"}
)
_OWN_FILES = frozenset({"profile_information.json", "your_friends.json"})
_OTHER_FOLDERS = frozenset({"your_instagram_activity", "followers_and_following"})
_OTHER_FILES = frozenset({"personal_information.json", "instagram_profile_information.json"})
_FRIENDS_FILE = re.compile(r"^(?:your_)?friends(?:_\d+)?\.json$")
_COMMENTS_FILE = re.compile(r"^comments(?:_\d+)?\.json$")
_SINGLE_FILE_KEYS = (
    b'"friends_v2"',
    b'"friends"',
    b'"comments_v2"',
    b'"comments"',
    b'"profile_v2"',
    b'"profile"',
)
#: "Ana commented on Bob's post." / "Ana replied to Bob's comment." (the export's own words;
#: exports in other languages word it otherwise and their comments are left out)
_COMMENT_TITLE = re.compile(
    r"^.+? (?P<verb>commented on|replied to) (?P<who>.+?)['’]s (?P<what>.+?)\.?$", re.S
)
_NOT_A_NAME = re.compile(r"^(?:a|an|the|his|her|their|your|my|own|this|that)\b", re.I)


def person(name: str) -> Contact:
    """A Facebook person: display names are all the export knows."""
    return meta.named(PLATFORM, name)


class FacebookImporter(Importer):
    source: ClassVar[str] = "facebook"
    title: ClassVar[str] = "a Facebook export (Download your information, JSON)"

    def identify(self, path: Path) -> bool:
        return meta.identify(path, _SINGLE_FILE_KEYS, _looks_like_facebook)

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            yield from _Export(archive, options).records()


def _looks_like_facebook(archive: Archive) -> bool:
    name = archive.path.name.lower()
    own = other = threads = False
    for member in archive.names():
        parts = meta.components(member)
        own |= bool(_OWN_FOLDERS.intersection(parts[:-1])) or parts[-1] in _OWN_FILES
        other |= bool(_OTHER_FOLDERS.intersection(parts[:-1])) or parts[-1] in _OTHER_FILES
        threads |= parts[-1].startswith("message_") and "messages" in parts
    own |= name.startswith("facebook")
    other |= name.startswith("instagram")
    return own or (threads and not other)


class _Export:
    """One export being read: finds the user, then streams conversations, friends, comments."""

    def __init__(self, archive: Archive, options: Options) -> None:
        meta.refuse_damaged_zip(archive)
        self.archive = archive
        self.options = options
        single = archive.is_single_file
        self.single: Any = None
        if single:
            self.single = meta.read_json(archive, archive.names()[0])
            if not _is_facebook_file(self.single):
                raise ImportFailed(f"{archive.path.name} holds nothing kith reads.")
        self.pages = self._pages()
        self.profiles = self._files(lambda parts: parts[-1] == "profile_information.json")
        self.friends = self._files(
            lambda parts: bool(_FRIENDS_FILE.match(parts[-1])) and "friends" in "/".join(parts[:-1])
        )
        self.comments = self._files(
            lambda parts: (
                bool(_COMMENTS_FILE.match(parts[-1])) and "comments" in "/".join(parts[:-1])
            )
        )

    def _pages(self) -> list[meta.Page]:
        if self.single is not None:
            is_page = isinstance(self.single, dict) and "messages" in self.single
            return meta.message_pages(self.archive) if is_page else []
        return meta.message_pages(self.archive)

    def _files(self, wanted: Any) -> list[str]:
        if self.single is not None:
            return list(self.archive.names())
        return [n for n in self.archive.names() if wanted(meta.components(n))]

    def _data(self, name: str) -> Any:
        return self.single if self.single is not None else meta.read_json(self.archive, name)

    # -- the whole export -------------------------------------------------------------------
    def records(self) -> Iterator[Record]:
        if not self.pages and self.single is None and not (self.friends or self.comments):
            raise ImportFailed(self._nothing_to_read())
        me = self._me()
        if me.handles:
            yield me
        my_names = {name_key(h.value[5:]) for h in me.handles if h.value.startswith("name:")}
        reader = meta.ConversationReader(
            PLATFORM, Channel.CHAT, my_names, lambda name, _c, _one: person(name)
        )
        for page in self.pages:
            yield from reader.records(meta.load_conversation(self.archive, page))
        for name in self.friends:
            yield from self._friends(name)
        for name in self.comments:
            yield from self._comments(name, my_names)

    def _nothing_to_read(self) -> str:
        where = self.archive.path.name
        if meta.has_html_messages(self.archive):
            return (
                f"{where} is the HTML version of the Facebook export; kith reads the JSON "
                "version: download your information again and choose Format: JSON."
            )
        return (
            f"{where} holds no Messenger conversations, friends or comments kith can read "
            "(one part of a multi-part download may hold only photos and videos)."
        )

    # -- the user ---------------------------------------------------------------------------
    def _me(self) -> Me:
        handles: list[Handle] = []
        names: list[str] = []
        for name in self.profiles:
            found_names, found_handles = _profile(self._data(name))
            names += found_names
            handles += found_handles
        if not names:
            hints = meta.names_given(self.options.myself, PLATFORM)
            if self.pages:
                names = list(meta.infer_me(self.archive, self.pages, hints, PLATFORM, "export"))
            else:  # friends and comments do not need to know who you are
                names = sorted(hints)
        handles = [*(meta.name_handle(PLATFORM, n) for n in dict.fromkeys(names)), *handles]
        return Me(tuple(dict.fromkeys(handles)), names[0] if names else None)

    # -- friends ----------------------------------------------------------------------------
    def _entries(self, name: str, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(where, entry) of each entry of a file's `<kind>_v2` (older: `<kind>`) list."""
        data = self._data(name)
        entries = data.get(f"{kind}_v2", data.get(kind)) if isinstance(data, dict) else None
        if not isinstance(entries, list):
            if self.single is not None:
                return
            raise ImportFailed(f"'{name}' in {self.archive.path.name} holds no {kind} list.")
        for index, entry in enumerate(entries):
            where = f"'{name}' {kind.removesuffix('s')} {index + 1}"
            if not isinstance(entry, dict):
                raise ImportFailed(f"{where} is not an object.")
            yield where, entry

    def _friends(self, name: str) -> Iterator[Record]:
        for where, entry in self._entries(name, "friends"):
            friend = meta.text_of(entry.get("name"))
            if friend is None or name_key(friend) in meta.NOBODY:
                continue
            contact = person(friend)
            yield contact
            if entry.get("timestamp") in (None, 0):
                continue
            yield Touch(
                external_id=f"{PLATFORM}:friend:{digest(name_key(friend))}",
                contact=contact.key,
                occurred_at=meta.at_seconds(entry.get("timestamp"), where),
                channel=Channel.FOLLOW,
                direction=Direction.IN,
            )

    # -- comments ---------------------------------------------------------------------------
    def _comments(self, name: str, my_names: set[str]) -> Iterator[Record]:
        for where, entry in self._entries(name, "comments"):
            addressed = _addressed(entry, my_names)
            if addressed is None:
                continue
            who, channel = addressed
            text, stamp = _comment_body(entry)
            contact = person(who)
            yield contact
            yield Touch(
                external_id=f"{PLATFORM}:c:"
                + digest(stamp, name_key(who), channel.value, text or ""),
                contact=contact.key,
                occurred_at=meta.at_seconds(stamp, where),
                channel=channel,
                direction=Direction.OUT,
                text=text,
            )


def _is_facebook_file(data: Any) -> bool:
    """A lone file kith reads: a conversation page, friends, comments or the profile."""
    keys = ("messages", "friends_v2", "friends", "comments_v2", "comments", "profile_v2", "profile")
    return isinstance(data, dict) and any(key in data for key in keys)


def _profile(data: Any) -> tuple[list[str], list[Handle]]:
    """The user's names and handles from profile_information.json."""
    if not isinstance(data, dict):
        return [], []
    profile = data.get("profile_v2", data.get("profile"))
    if not isinstance(profile, dict):
        return [], []
    names: list[str] = []
    name = profile.get("name")
    if isinstance(name, dict):
        full = meta.text_of(name.get("full_name"))
        short = " ".join(
            n
            for n in (meta.text_of(name.get("first_name")), meta.text_of(name.get("last_name")))
            if n
        )
        names = [n for n in dict.fromkeys((full, short or None)) if n]
    elif meta.text_of(name):
        names = [str(meta.text_of(name))]
    handles: list[Handle] = []
    for key in ("username", "profile_uri"):
        value = meta.text_of(profile.get(key))
        if value and "profile.php" not in value:  # profile.php?id=...: no username to match
            handles.append(Handle(PLATFORM, value))
    emails = profile.get("emails")
    if isinstance(emails, dict):
        for email in emails.get("emails") or []:
            if meta.text_of(email):
                handles.append(Handle("email", str(meta.text_of(email))))
    for phone in profile.get("phone_numbers") or []:
        number = meta.text_of(phone.get("phone_number")) if isinstance(phone, dict) else None
        if number:
            handles.append(Handle("phone", number))
    return names, handles


def _addressed(entry: dict[str, Any], my_names: set[str]) -> tuple[str, Channel] | None:
    """Whose post or comment the user answered, from the title; None for their own posts and
    for titles kith cannot read."""
    title = meta.text_of(entry.get("title"))
    match = _COMMENT_TITLE.match(title or "")
    if match is None:
        return None
    who = match.group("who").strip()
    if not who or _NOT_A_NAME.match(who) or name_key(who) in my_names:
        return None
    channel = Channel.REPLY if match.group("verb") == "replied to" else Channel.COMMENT
    return who, channel


def _comment_body(entry: dict[str, Any]) -> tuple[str | None, object]:
    """The comment's text and time (the comment's own, else the entry's)."""
    for item in entry.get("data") or []:
        comment = item.get("comment") if isinstance(item, dict) else None
        if isinstance(comment, dict):
            return meta.text_of(comment.get("comment")), comment.get(
                "timestamp", entry.get("timestamp")
            )
    return None, entry.get("timestamp")


IMPORTER = FacebookImporter()
__all__ = ["IMPORTER", "FacebookImporter"]
