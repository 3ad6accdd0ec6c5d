"""What Facebook and Instagram exports share: Meta's "Download your information" in JSON.

Both platforms write each conversation as one folder of pages, newest first:

    [your_facebook_activity/ | your_activity_across_facebook/ | your_instagram_activity/]
    messages/<inbox | archived_threads | e2ee_cutover | message_requests | ...>/
        <name>_<id>/message_1.json, message_2.json, ...

and each page is `{"participants": [{"name"}], "messages": [{"sender_name", "timestamp_ms",
"content", "type", "call_duration", "photos", "share", "reactions", "is_unsent", ...}],
"title", "thread_path", "is_still_participant"}`. Messages carry display names only.

Every string is mojibake: Meta writes the UTF-8 bytes of a text as `\\u00XX` escapes, so "José"
arrives as "JosÃ©". `repair` undoes it where the round trip proves it (the text encodes as
Latin-1 and those bytes decode as UTF-8), and leaves any other text alone.

This module turns conversation pages into records; the platform modules add what only they
know (how a person is named, the profile file, friends, followers, comments).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from kith.domain.identity import name_key
from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import ImportFailed, Myself
from kith.ingest.common import digest, starts_like_zip
from kith.ingest.jsonstream import orjson_words
from kith.ingest.records import Contact, Handle, Record, Touch

#: a group conversation counts when it has at most this many people, the user included
SMALL_GROUP = 8

#: folders of conversations the user never took part in (requests never accepted, spam)
LEFT_OUT_FOLDERS = frozenset({"message_requests", "filtered_threads", "stranger_threads"})

#: display names Meta gives to deleted or deactivated accounts: they name no one
NOBODY = frozenset(
    {"facebook user", "instagram user", "instagramuser", "deleted user", "facebook member"}
)

_MESSAGE_PAGE = re.compile(r"^message_(\d+)\.json$")
_HTML_PAGE = re.compile(r"^message_\d+\.html$")
_REACTION = re.compile(r"^(?:reacted\b.*\bto your message|liked a message)\W*$", re.I | re.S)
_VIDEO_CALL = re.compile(r"\bvideo (?:chat|call)\b", re.I)
_MISSED_CALL = re.compile(r"\bmissed\b", re.I)
#: message types that are group bookkeeping, not something anyone said
_BOOKKEEPING = frozenset({"subscribe", "unsubscribe"})
#: how much of a single file `identify` reads to recognise it
SNIFF_BYTES = 64 * 1024


# -- text and time ------------------------------------------------------------------------
def repair(text: str) -> str:
    """Undo Meta's mojibake ("JosÃ©" -> "José") when the round trip proves it was mojibake."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def text_of(value: object) -> str | None:
    """A repaired, stripped string, or None for anything else or nothing."""
    if not isinstance(value, str):
        return None
    repaired = repair(value).strip()
    return repaired or None


def at_seconds(value: object, where: str) -> datetime:
    """A UTC time from epoch seconds; anything else is an ImportFailed naming `where`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ImportFailed(f"{where} has no valid timestamp ({value!r}).")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ImportFailed(f"{where} has a timestamp out of range ({value!r}).") from exc


def at_ms(value: object, where: str) -> datetime:
    """A UTC time from epoch milliseconds (`timestamp_ms`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ImportFailed(f"{where} has no valid timestamp_ms ({value!r}).")
    return at_seconds(value / 1000, where)


# -- files ----------------------------------------------------------------------------------
def read_json(archive: Archive, name: str) -> Any:
    """One JSON member, parsed; bad or cut-short JSON is an ImportFailed naming file and line."""
    data = archive.read_bytes(name)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        line = data[: exc.pos].count(b"\n") + 1
        raise ImportFailed(
            f"'{name}' in {archive.path.name} is cut short or not valid JSON "
            f"(line {line}): {orjson_words(exc.msg)}."
        ) from exc


def sniff(path: Path, markers: Iterable[bytes]) -> bool:
    """True when the start of the single file `path` holds one of `markers` (JSON keys)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return False
    return any(marker in head for marker in markers)


def looks_like_single_file(path: Path, markers: Iterable[bytes]) -> bool:
    """A lone file of the export: a conversation page, a file with one of `markers`, or a
    zip cut short (so that the user hears it is damaged, not that it is something else)."""
    page = (b'"participants"', b'"sender_name"')
    return sniff(path, (*page, *markers)) or starts_like_zip(path)


def identify(path: Path, markers: Iterable[bytes], looks_like: Callable[[Archive], bool]) -> bool:
    """`identify` for a Meta export: a lone file with one of `markers` (JSON keys), or an
    export that `looks_like` the platform's; a zip that cannot be opened is taken, so that
    extract says what is wrong with it."""
    try:
        with Archive(path) as archive:
            if archive.is_single_file:
                return looks_like_single_file(path, markers)
            return looks_like(archive)
    except (ImportFailed, OSError):
        return starts_like_zip(path)


def refuse_damaged_zip(archive: Archive) -> None:
    """A zip cut short reads as one unknown file: say what it is instead."""
    if archive.is_single_file and starts_like_zip(archive.path):
        raise ImportFailed(
            f"{archive.path.name} is a damaged or incomplete zip file (cut short while "
            "downloading?); download it again."
        )


def components(name: str) -> tuple[str, ...]:
    """The folders and file name of an archive member, lower-cased."""
    return tuple(part.lower() for part in PurePosixPath(name).parts)


def has_html_messages(archive: Archive) -> bool:
    """The HTML flavour of the export: conversations as message_1.html."""
    return any(_HTML_PAGE.match(components(n)[-1]) for n in archive.names())


@dataclass(frozen=True, slots=True)
class Page:
    """One message_N.json: which conversation folder it belongs to, and its number."""

    name: str  # the archive member
    folder: str  # the conversation's folder name ("" for a lone file)
    category: str  # inbox, archived_threads, e2ee_cutover, ... ("" when unknown)
    number: int


def message_pages(archive: Archive) -> list[Page]:
    """The conversation pages that count, conversation by conversation, page by page.

    Message requests never accepted and filtered (spam) conversations are left out.
    """
    pages: list[Page] = []
    for name in archive.names():
        parts = PurePosixPath(name).parts
        match = _MESSAGE_PAGE.match(parts[-1].lower())
        if match is None and not archive.is_single_file:
            continue
        folder = parts[-2] if len(parts) >= 2 else ""
        category = parts[-3].lower() if len(parts) >= 3 else ""
        if category in LEFT_OUT_FOLDERS:
            continue
        number = int(match.group(1)) if match else 1
        pages.append(Page(name, folder, category, number))
    pages.sort(key=lambda p: (p.category, p.folder, p.number, p.name))
    return pages


# -- conversations ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Conversation:
    """One conversation page, with names repaired."""

    page: Page
    thread: str  # stable id of the conversation across exports
    participants: tuple[str, ...]
    messages: list[Any]
    declared_group: bool  # the export says so (thread_type "RegularGroup")
    user_left: bool  # is_still_participant is false

    def where(self, index: int) -> str:
        return f"'{self.page.name}' message {index + 1}"


def load_conversation(archive: Archive, page: Page) -> Conversation:
    """Parse one page; anything that is not a conversation page is an ImportFailed."""
    data = read_json(archive, page.name)
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ImportFailed(
            f"'{page.name}' in {archive.path.name} is not a conversation page (no messages list)."
        )
    messages: list[Any] = data["messages"]
    participants = _participants(data.get("participants"), messages)
    thread_type = str(data.get("thread_type") or "")
    return Conversation(
        page=page,
        thread=_thread_id(data, page, participants),
        participants=participants,
        messages=messages,
        declared_group="group" in thread_type.lower(),
        user_left=data.get("is_still_participant") is False,
    )


def _participants(raw: object, messages: list[Any]) -> tuple[str, ...]:
    names: list[str] = []
    if isinstance(raw, list):
        for item in raw:
            name = text_of(item.get("name") if isinstance(item, dict) else item)
            if name:
                names.append(name)
    if not names:  # some pages (and hand-cut files) have no participants: use the senders
        for message in messages:
            if isinstance(message, dict):
                name = text_of(message.get("sender_name"))
                if name:
                    names.append(name)
    return tuple(dict.fromkeys(names))


def _thread_id(data: dict[str, Any], page: Page, participants: tuple[str, ...]) -> str:
    """The conversation folder's name: the same in every export, whichever folder holds it."""
    thread_path = data.get("thread_path")
    if isinstance(thread_path, str) and thread_path.strip("/"):
        return thread_path.strip("/").rsplit("/", 1)[-1]
    if page.folder:
        return page.folder
    return "+".join(sorted(name_key(p) for p in participants))


# -- people and the user -----------------------------------------------------------------------
def named(platform: str, name: str) -> Contact:
    """A person known by display name only: `<platform>:name:<Display Name>`."""
    return Contact(
        key=f"{platform}:name:{name_key(name)}", name=name, handles=(name_handle(platform, name),)
    )


def name_handle(platform: str, name: str) -> Handle:
    return Handle(platform, f"name:{name}")


def names_given(myself: Myself, platform: str) -> set[str]:
    """The display names `--me` (and earlier imports) gave, as name keys: "Ana Example" and
    "facebook:name:Ana Example" are names; handles, e-mail addresses and numbers are not."""
    return {key for name in myself.names_on(platform) if (key := name_key(name))}


def infer_me(
    archive: Archive, pages: list[Page], hints: set[str], platform: str, title: str
) -> tuple[str, ...]:
    """The user's display name(s) when no profile file says: the names given with --me that
    appear in the conversations, else the one participant of every one-to-one conversation."""
    seen: dict[str, str] = {}  # folded -> as written
    pairs: list[set[str]] = []
    for page in pages:
        conversation = load_conversation(archive, page)
        names = {name_key(p): p for p in conversation.participants}
        seen.update(names)
        if len(names) == 2 and not conversation.declared_group:
            pairs.append(set(names))
    given = [seen[n] for n in sorted(hints & set(seen))]
    if given:
        return tuple(given)
    common = set.intersection(*pairs) if pairs else set()
    if len(common) == 1 and len(pairs) >= 2:
        return (seen[common.pop()],)
    raise ImportFailed(
        f"{archive.path.name}: kith cannot tell which participant is you in this {title}; "
        f'pass your display name, e.g. --me "Your Name" (or --me {platform}:name:"Your Name").'
    )


# -- messages -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Said:
    """What one message amounts to."""

    kind: str  # "message", "call" or "like"
    channel: Channel | None  # None: the conversation's own channel (dm or chat)
    text: str | None = None
    minutes: int | None = None


def what_was_said(message: dict[str, Any]) -> Said | None:
    """The meaning of one message; None for what is no contact (unsent, group bookkeeping)."""
    if message.get("is_unsent") is True:
        return None
    kind = str(message.get("type") or "").lower()
    if kind in _BOOKKEEPING:
        return None
    content = text_of(message.get("content"))
    duration = message.get("call_duration")
    if kind == "call" or (isinstance(duration, int | float) and not isinstance(duration, bool)):
        return _call(content, duration)
    if content and content[0] in "RrLl" and len(content) <= 80 and _REACTION.match(content):
        return Said("like", Channel.LIKE)
    share = message.get("share")
    if content is None and isinstance(share, dict):
        content = text_of(share.get("link")) or text_of(share.get("share_text"))
    return Said("message", None, content)


def _call(content: str | None, duration: object) -> Said:
    channel = Channel.VIDEO if content and _VIDEO_CALL.search(content) else Channel.CALL
    minutes: int | None
    if isinstance(duration, int | float) and not isinstance(duration, bool):
        minutes = max(0, math.ceil(duration / 60))  # 0 seconds: a missed call
    else:
        minutes = 0 if content and _MISSED_CALL.search(content) else None
    return Said("call", channel, None, minutes)


ContactFor = Callable[[str, "Conversation", bool], Contact]
"""How a platform names a person: (display name, conversation, one-to-one?) -> Contact."""


@dataclass
class ConversationReader:
    """Turns conversation pages into contacts and touches, as the house rules say.

    One-to-one: each message is a touch with the other person (`out` when the user wrote,
    `in` otherwise), calls are `both`. Small groups (at most SMALL_GROUP people, the user
    included): each member's own message is a `chat` from them; the user's messages and
    group calls are attributed to no one. Larger groups are left out.
    """

    platform: str
    direct: Channel  # the channel of one-to-one messages
    me: set[str]  # the user's display names, folded
    contact_for: ContactFor
    _contacts: set[str] = field(default_factory=set)  # keys already yielded
    _seen: Counter[tuple[str, ...]] = field(default_factory=Counter)  # per page, for twins

    def records(self, conversation: Conversation) -> Iterator[Record]:
        people = [p for p in conversation.participants if name_key(p) not in self.me]
        with_me = len(people) < len(conversation.participants)
        size = len(people) + 1
        if not people or size > SMALL_GROUP:
            return
        self._seen.clear()
        if len(people) == 1 and with_me and not conversation.declared_group:
            yield from self._one_to_one(conversation, people[0])
        elif with_me or conversation.declared_group or (conversation.user_left and size > 2):
            yield from self._group(conversation)
        # else: two people and neither is the user: kith cannot tell who is who; left out

    def _once(self, contact: Contact) -> Iterator[Contact]:
        """The contact, the first time it is met in this import."""
        if contact.key not in self._contacts:
            self._contacts.add(contact.key)
            yield contact

    def _one_to_one(self, conversation: Conversation, other: str) -> Iterator[Record]:
        if name_key(other) in NOBODY:
            return
        contact = self.contact_for(other, conversation, True)
        yield from self._once(contact)
        them = name_key(other)
        for index, message, _sender, who, said in self._messages(conversation):
            if who in self.me:
                direction = Direction.OUT
            elif who == them:
                direction = Direction.IN
            else:
                continue  # someone else (a system line): not part of this conversation
            if said.kind == "call":
                direction = Direction.BOTH
            yield self._touch(conversation, index, message, who, said, contact.key, direction)

    def _group(self, conversation: Conversation) -> Iterator[Record]:
        for index, message, sender, who, said in self._messages(conversation):
            if who in self.me or who in NOBODY or said.kind == "call":
                continue
            contact = self.contact_for(sender, conversation, False)
            yield from self._once(contact)
            channel_said = said if said.channel else Said(said.kind, Channel.CHAT, said.text)
            yield self._touch(
                conversation, index, message, who, channel_said, contact.key, Direction.IN
            )

    def _messages(
        self, conversation: Conversation
    ) -> Iterator[tuple[int, dict[str, Any], str, str, Said]]:
        """(index, message, sender as written, sender folded, meaning) of what counts."""
        senders: dict[str, tuple[str, str] | None] = {}  # a page has few senders
        for index, message in enumerate(conversation.messages):
            if not isinstance(message, dict):
                raise ImportFailed(f"{conversation.where(index)} is not a message object.")
            raw = message.get("sender_name")
            if not isinstance(raw, str):
                continue
            if raw not in senders:
                name = text_of(raw)
                senders[raw] = (name, name_key(name)) if name else None
            sender = senders[raw]
            said = what_was_said(message)
            if sender is None or said is None:
                continue
            yield index, message, sender[0], sender[1], said

    def _touch(
        self,
        conversation: Conversation,
        index: int,
        message: dict[str, Any],
        who: str,
        said: Said,
        contact: str,
        direction: Direction,
    ) -> Touch:
        stamp = message.get("timestamp_ms")
        if isinstance(stamp, int) and not isinstance(stamp, bool) and stamp > 0:
            when = datetime.fromtimestamp(stamp / 1000, UTC)
        else:
            when = at_ms(stamp, conversation.where(index))
        return Touch(
            external_id=self._external_id(conversation, str(stamp), who, said),
            contact=contact,
            occurred_at=when,
            channel=said.channel or self.direct,
            direction=direction,
            text=said.text,
            minutes=said.minutes,
        )

    def _external_id(self, conversation: Conversation, stamp: str, who: str, said: Said) -> str:
        """Conversation + time + sender + kind + text, and which occurrence of that on the page
        (twins in one millisecond are rare but real)."""
        key = (stamp, who, said.kind, said.text or "")
        occurrence = self._seen[key]
        self._seen[key] += 1
        return f"{self.platform}:m:" + digest(conversation.thread, *key, occurrence)
