"""Telegram Desktop's machine-readable export: `result.json`.

Telegram Desktop (Settings > Advanced > Export Telegram data, format "Machine-readable
JSON") writes a folder `DataExport_<date>/` holding `result.json`; exporting one chat (chat
menu > Export chat history, JSON) writes `ChatExport_<date>/result.json`. Either folder, its
.zip, or the file itself can be imported. Two shapes:

* a full export: `{"personal_information": {"user_id", "first_name", "last_name",
  "phone_number", "username"}, "contacts": {"list": [{"user_id", "first_name", "last_name",
  "phone_number", "date"}]}, "chats": {"list": [chat, ...]}, "left_chats": {"list": [...]}}`
* a single-chat export: one chat object at the top level.

A chat is `{"name", "type", "id", "messages": [...]}` with `type` one of personal_chat,
private_group, private_supergroup, public_supergroup, private_channel, public_channel,
saved_messages, bot_chat, replies... A message is `{"id", "type": "message" | "service",
"date": local time without a zone, "date_unixtime" (newer exports), "from", "from_id":
"user123456", "text": str | [str | {"type", "text"}], photo/file/... media fields}`; a
service message has `actor`, `actor_id` and `action`: `phone_call` (with
`duration_seconds`, `discard_reason`) is a call, the others are not touches.

Memory: the file is read as a stream of JSON events (ijson), one message at a time. A
personal chat's messages become touches as they are read. A group's are held, as small
records, until the chat ends (only then is its number of participants known), and dropped
as soon as it grows past the small-group limit.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped,unused-ignore]

from kith.domain.identity import HandleError, name_key, normalise_phone
from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Myself, Options
from kith.ingest.common import (
    Occurrences,
    digest,
    identify_with,
    is_damaged_zip,
    refuse_damaged_zip,
    zone,
)
from kith.ingest.jsonstream import parser_words
from kith.ingest.records import Contact, Handle, Me, Record, Touch

#: groups with more participants than this (the user included) are left out
SMALL_GROUP = 8
PERSONAL = frozenset({"personal_chat"})
GROUPS = frozenset({"private_group", "private_supergroup", "public_supergroup"})
#: chats kept until their end because the export does not say what they are
UNTYPED = ""
CHAT_PREFIXES = ("", "chats.list.item", "left_chats.list.item")
#: where the messages of each kind of chat sit, and the chat they belong to
MESSAGE_PREFIXES = {f"{p}.messages.item".lstrip("."): p for p in CHAT_PREFIXES}
HEADER_PREFIXES = {
    f"{p}.{key}".lstrip("."): (p, key) for p in CHAT_PREFIXES for key in ("name", "type", "id")
}
#: small objects read whole besides messages, and what they are
OBJECT_PREFIXES = {"personal_information": "account", "contacts.list.item": "contact"}
#: the prefix under which whole objects are handed to ijson's (C) builder
WHOLE = "\x00"
HEAD_BYTES = 64 * 1024
MISSED = frozenset({"missed", "busy"})
MEMBER_ACTIONS = frozenset({"create_group", "invite_members"})

_FULL_EXPORT = re.compile(rb'"(personal_information|chats|left_chats)"\s*:\s*\{')
_CHAT_EXPORT = re.compile(rb'"messages"\s*:\s*\[')
_MESSAGE_FIELDS = re.compile(rb'"(date_unixtime|from_id)"|"date"\s*:\s*"\d{4}-')
_USER_ID = re.compile(r"^user(\d+)$")


# -- who is who ------------------------------------------------------------------------------
def _sender_handle(from_id: object, name: object) -> str | None:
    """`id:123` for a user id, `name:<name>` when the export gives only a name; None for
    senders that are not people (a channel posting in a group)."""
    if isinstance(from_id, str) and from_id:
        found = _USER_ID.match(from_id)
        return f"id:{found.group(1)}" if found else None
    if isinstance(from_id, int):
        return f"id:{from_id}"
    if isinstance(name, str) and name.strip():
        return f"name:{name_key(name)}"
    return None


class _User:
    """What is known of the user: Telegram ids and handles, and display names."""

    def __init__(self, myself: Myself) -> None:
        self.handles: set[str] = set(myself.on("telegram"))  # "id:777001", "samself", "name:…"
        self.names: set[str] = set()
        self.announced: set[str] = set()
        for name in myself.names:
            bare = _USER_ID.match(name)  # a sender id as the export writes it: user777001
            if bare:
                self.handles.add(f"id:{bare.group(1)}")
            else:
                self.names.add(name_key(name))

    @property
    def known(self) -> bool:
        return bool(self.handles or self.names)

    @property
    def has_id(self) -> bool:
        return any(h.startswith("id:") for h in self.handles)

    def is_user(self, handle: str, name: str | None) -> bool | None:
        """True or False; None when nothing at all is known about the user."""
        if handle in self.handles:
            return True
        if handle.startswith("id:") and self.has_id:
            return False
        if name is not None and name_key(name) in self.names:
            return True
        if handle.startswith("name:") and handle[5:] in self.names:
            return True
        return False if self.known else None

    def learn(self, handle: str, name: str | None) -> Me | None:
        """The user found in a personal chat; a Me record the first time."""
        self.handles.add(handle)
        if name:
            self.names.add(name_key(name))
        if handle in self.announced:
            return None
        self.announced.add(handle)
        return Me((Handle("telegram", handle),), name or None)


# -- messages --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Message:
    """What kith keeps of one message or call.

    `number` is the message's id in its chat; a message without one carries what its hashed
    id is made of (time, sender, text, index among identical messages) in `fallback`.
    """

    number: int | None
    fallback: tuple[str, ...]
    at: datetime
    sender: str | None  # "id:123" / "name:..."; None for a call
    sender_name: str | None
    text: str | None
    call_minutes: int | None = None
    is_call: bool = False


def _text(value: object) -> str | None:
    """A message's text: a string, or a list of strings and entities whose text is joined."""
    if isinstance(value, str):
        joined = value
    elif isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        joined = "".join(parts)
    else:
        joined = ""
    return joined if joined.strip() else None


def _minutes(message: dict[str, Any]) -> int:
    """A call's minutes, rounded up; 0 for a call that was missed, busy or never answered."""
    if message.get("discard_reason") in MISSED:
        return 0
    seconds = message.get("duration_seconds")
    if not isinstance(seconds, int | float) or seconds <= 0:
        return 0
    return max(1, math.ceil(seconds / 60))


# -- chats -----------------------------------------------------------------------------------
@dataclass
class _Chat:
    """One chat while it is read."""

    name: str | None = None
    type: str | None = None
    id: str | None = None
    saw_messages: bool = False
    peer_announced: bool = False
    held: list[_Message] = field(default_factory=list)
    members: dict[str, str | None] = field(default_factory=dict)  # sender handle -> name
    member_names: set[str] = field(default_factory=set)
    listed_names: set[str] = field(default_factory=set)  # from create/invite actions
    too_large: bool = False
    occurrences: Occurrences = field(default_factory=Occurrences)

    @property
    def label(self) -> str:
        return f"'{self.name}'" if self.name else (f"id {self.id}" if self.id else "without name")

    def set(self, key: str, value: object) -> None:
        """A field of the chat's header: its name, type or id."""
        if key == "name" and isinstance(value, str):
            self.name = value
        elif key == "type" and isinstance(value, str):
            self.type = value
        elif key == "id" and isinstance(value, int | str) and not isinstance(value, bool):
            self.id = str(value)

    @property
    def identity(self) -> str:
        return self.id if self.id is not None else f"name:{self.name or ''}"

    def external_id(self, message: _Message) -> str:
        """`<chat id>:<message id>`, or a hash when the export gives no message id. Known
        only once the chat's id is, hence computed when the touch is made."""
        if message.number is not None:
            return f"{self.identity}:{message.number}"
        return "sha1:" + digest(self.identity, *message.fallback)

    @property
    def peer(self) -> str | None:
        return f"id:{self.id}" if self.id is not None and self.id.isdigit() else None

    @property
    def streams(self) -> bool:
        """A personal chat whose header came first: its messages need not be held."""
        return self.type in PERSONAL and self.peer is not None

    @property
    def left_out(self) -> bool:
        return self.type is not None and self.type not in PERSONAL | GROUPS

    def participants(self, user: _User) -> int:
        """Participants, the user included: distinct senders and named members."""
        others = {h for h, n in self.members.items() if not user.is_user(h, n)}
        extra = {n for n in self.listed_names - self.member_names if n not in user.names}
        return len(others) + len(extra) + 1

    def hold(self, message: _Message) -> None:
        if self.too_large:
            return
        if message.sender is not None:
            self.add_member(message.sender, message.sender_name)
        if not self.too_large:
            self.held.append(message)

    def add_member(self, handle: str, name: str | None) -> None:
        if self.too_large or handle in self.members:
            return
        self.members[handle] = name
        if name:
            self.member_names.add(name_key(name))
        self._check_size()

    def list_members(self, names: object) -> None:
        if self.too_large or not isinstance(names, list):
            return
        self.listed_names.update(name_key(n) for n in names if isinstance(n, str) and n.strip())
        self._check_size()

    def _check_size(self) -> None:
        """More distinct people than a small group holds, whoever the user is: drop it."""
        distinct = len(self.members) + len(self.listed_names - self.member_names)
        if distinct > SMALL_GROUP:
            self.too_large = True
            self.held.clear()
            self.members.clear()
            self.member_names.clear()
            self.listed_names.clear()


def _contact(handle: str, name: str | None) -> Contact:
    if not name and handle.startswith("id:"):
        name = f"Telegram user {handle[3:]}"  # a deleted account
    return Contact(f"telegram:{handle}", name or None, (Handle("telegram", handle),))


class _Reader:
    """Turns the JSON events of one or more `result.json` files into records."""

    def __init__(self, options: Options, tz: tzinfo) -> None:
        self.options = options
        self.zone = tz
        self.user = _User(options.myself)
        self.file = "result.json"

    # -- the event stream ----------------------------------------------------------------
    def read(self, stream: IO[bytes], name: str) -> Iterator[Record]:
        self.file = name
        tagger = _Tagger()
        last: tuple[_Chat, object] | None = None  # for error messages
        try:
            events = tagger.follow(ijson.parse(stream, use_float=True))
            for value in ijson.items(events, WHOLE):
                for ended in tagger.ended():
                    yield from self._finish(ended)
                kind, chat = tagger.next()
                if kind == "account":
                    yield from self._personal_information(value)
                elif kind == "contact":
                    yield from self._listed_contact(value)
                elif chat is not None:
                    last = (chat, value.get("id") if isinstance(value, dict) else None)
                    yield from self._message(chat, value)
            for ended in tagger.ended():
                yield from self._finish(ended)
        except ijson.JSONError as exc:
            raise ImportFailed(self._broken(exc, last)) from exc

    def _broken(self, exc: Exception, last: tuple[_Chat, object] | None) -> str:
        detail = parser_words(exc)
        where = ""
        if last is not None:
            where = f" after message {last[1]} of chat {last[0].label}"
        return f"{self.file} is cut short or is not valid JSON{where} ({detail})."

    # -- the account and its address book ------------------------------------------------
    def _personal_information(self, info: object) -> Iterator[Record]:
        if not isinstance(info, dict):
            return
        handles: list[Handle] = []
        user_id = info.get("user_id")
        if isinstance(user_id, int) or (isinstance(user_id, str) and user_id.isdigit()):
            handles.append(Handle("telegram", f"id:{user_id}"))
            self.user.handles.add(f"id:{user_id}")
            self.user.announced.add(f"id:{user_id}")
        username = info.get("username")
        if isinstance(username, str) and username.strip().lstrip("@"):
            handles.append(Handle("telegram", username.strip()))
        phone = info.get("phone_number")
        if isinstance(phone, str) and phone.strip():
            handles.append(Handle("phone", phone.strip()))
        name = _full_name(info)
        if name:
            self.user.names.add(name_key(name))
        if handles:
            yield Me(tuple(handles), name)

    def _listed_contact(self, item: object) -> Iterator[Record]:
        """A contact of the user's Telegram address book, with their phone number."""
        if not isinstance(item, dict):
            return
        handles: list[Handle] = []
        key = None
        user_id = item.get("user_id")
        if isinstance(user_id, int) and user_id > 0:
            key = f"telegram:id:{user_id}"
            handles.append(Handle("telegram", f"id:{user_id}"))
        phone = item.get("phone_number")
        if isinstance(phone, str) and phone.strip():
            try:
                number = normalise_phone(phone, self.options.region)
            except HandleError:
                number = None
            if number is not None:
                handles.append(Handle("phone", phone.strip()))
                key = key or f"telegram:phone:{number}"
        if key is not None:
            yield Contact(key, _full_name(item), tuple(handles))

    # -- messages ------------------------------------------------------------------------
    def _message(self, chat: _Chat, message: object) -> Iterator[Record]:
        chat.saw_messages = True
        if chat.left_out or chat.too_large:
            return
        if not isinstance(message, dict):
            raise ImportFailed(
                f"{self.file}: chat {chat.label} holds a message that is not an object."
            )
        kind = message.get("type")
        if kind == "message":
            sender = _sender_handle(message.get("from_id"), message.get("from"))
            if sender is None:
                return
            name = message.get("from") if isinstance(message.get("from"), str) else None
            taken = _Message(
                *self._number(chat, message, sender),
                self._when(chat, message),
                sender,
                name,
                _text(message.get("text")),
            )
        elif kind == "service":
            yield from self._service(chat, message)
            return
        else:
            return
        if chat.streams:
            yield from self._personal(chat, [taken])
        else:
            chat.hold(taken)

    def _service(self, chat: _Chat, message: dict[str, Any]) -> Iterator[Record]:
        action = message.get("action")
        actor_name = message.get("actor") if isinstance(message.get("actor"), str) else None
        actor = _sender_handle(message.get("actor_id"), actor_name)
        if action in MEMBER_ACTIONS:
            chat.list_members(message.get("members"))
        if action != "phone_call":
            if not chat.streams and actor is not None:
                chat.add_member(actor, actor_name)
            return
        call = _Message(
            *self._number(chat, message, actor or ""),
            self._when(chat, message),
            None,
            None,
            None,
            _minutes(message),
            is_call=True,
        )
        if chat.streams:
            yield from self._personal(chat, [call])
        else:
            chat.hold(call)

    @staticmethod
    def _number(
        chat: _Chat, message: dict[str, Any], sender: str
    ) -> tuple[int | None, tuple[str, ...]]:
        """The message's id, or what a hashed id is made of when it has none."""
        number = message.get("id")
        if isinstance(number, int) and not isinstance(number, bool):
            return number, ()
        at = str(message.get("date_unixtime") or message.get("date") or "")
        text = _text(message.get("text")) or ""
        index = chat.occurrences.next(at, digest(sender, text))
        return None, (at, sender, text, str(index))

    def _when(self, chat: _Chat, message: dict[str, Any]) -> datetime:
        unix = message.get("date_unixtime")
        try:
            if unix is not None and str(unix).strip():
                return datetime.fromtimestamp(int(str(unix)), UTC)
            local = datetime.fromisoformat(str(message["date"]))
        except (KeyError, ValueError, OverflowError, OSError) as exc:
            raise ImportFailed(
                f"{self.file}: message {message.get('id', '?')} of chat {chat.label} "
                "has no readable date."
            ) from exc
        aware = local if local.tzinfo is not None else local.replace(tzinfo=self.zone)
        return aware.astimezone(UTC)

    # -- chats ---------------------------------------------------------------------------
    def _personal(
        self, chat: _Chat, messages: list[_Message], peer: str | None = None
    ) -> Iterator[Record]:
        """Touches of a one-to-one chat: `out` when the user wrote, `in` when the peer did."""
        peer = peer or chat.peer
        if peer is None:
            return
        for message in messages:
            if not chat.peer_announced:
                chat.peer_announced = True
                yield _contact(peer, chat.name if chat.peer else self._name_of(chat, peer))
            if message.is_call:
                yield Touch(
                    chat.external_id(message),
                    f"telegram:{peer}",
                    message.at,
                    Channel.CALL,
                    Direction.BOTH,
                    minutes=message.call_minutes,
                )
                continue
            assert message.sender is not None
            mine = self.user.is_user(message.sender, message.sender_name)
            if mine is None or (mine is False and not self.user.has_id and message.sender != peer):
                mine = message.sender != peer
                if mine:
                    learnt = self.user.learn(message.sender, message.sender_name)
                    if learnt is not None:
                        yield learnt
            yield Touch(
                chat.external_id(message),
                f"telegram:{peer}",
                message.at,
                Channel.CHAT,
                Direction.OUT if mine else Direction.IN,
                text=message.text,
            )

    @staticmethod
    def _name_of(chat: _Chat, handle: str) -> str | None:
        return chat.members.get(handle) or chat.name

    def _finish(self, chat: _Chat) -> Iterator[Record]:
        """A chat whose end was reached: the held messages become touches, or are dropped."""
        if chat.left_out or chat.too_large or not chat.held:
            return
        if chat.streams:
            yield from self._personal(chat, chat.held)
        elif chat.type in GROUPS:
            yield from self._group(chat)
        else:
            yield from self._untyped(chat)
        chat.held.clear()

    def _untyped(self, chat: _Chat) -> Iterator[Record]:
        """A chat the export does not type, or a personal chat without an id (older or
        trimmed exports): one other sender makes a personal chat, more make a group."""
        if chat.peer is not None and chat.peer in chat.members and len(chat.members) <= 2:
            yield from self._personal(chat, chat.held)
            return
        mine = [h for h, n in chat.members.items() if self.user.is_user(h, n)]
        others = [h for h, n in chat.members.items() if not self.user.is_user(h, n)]
        if len(others) == 1 and (mine or chat.type in PERSONAL or len(chat.members) == 1):
            yield from self._personal(chat, chat.held, others[0])
        elif not mine and others:
            raise ImportFailed(
                f"{self.file}: cannot tell which sender of chat {chat.label} is you; "
                "pass --me with your Telegram name or telegram:id:<your user id>."
            )
        elif len(others) > 1 and chat.type not in PERSONAL:
            yield from self._group(chat)

    def _group(self, chat: _Chat) -> Iterator[Record]:
        """A small group: each member's own message is a touch with them; the user's are not
        attributed to anyone."""
        if not self.user.has_id and not any(
            self.user.is_user(h, n) for h, n in chat.members.items()
        ):
            raise ImportFailed(
                f"{self.file}: cannot tell which member of group {chat.label} is you; "
                "pass --me with your Telegram name or telegram:id:<your user id>."
            )
        if chat.participants(self.user) > SMALL_GROUP:
            return
        announced: set[str] = set()
        for message in chat.held:
            if message.is_call or message.sender is None:
                continue
            if self.user.is_user(message.sender, message.sender_name):
                continue
            if message.sender not in announced:
                announced.add(message.sender)
                yield _contact(message.sender, message.sender_name)
            yield Touch(
                chat.external_id(message),
                f"telegram:{message.sender}",
                message.at,
                Channel.CHAT,
                Direction.IN,
                text=message.text,
            )


Tag = tuple[str, "_Chat | None"]


class _Tagger:
    """Follows the parser's events: keeps each chat's header, and hands every object worth
    reading whole (the account, an address-book entry, one message) to ijson's builder, which
    is written in C, under the one prefix WHOLE; what each object is, and where chats end, is
    queued in `tags`, in the order the objects come out. One message at a time is in memory.
    """

    def __init__(self) -> None:
        self.chats: dict[str, _Chat] = {}
        self.tags: deque[Tag] = deque()

    def follow(self, events: Iterable[tuple[str, str, Any]]) -> Iterator[tuple[str, str, Any]]:
        chats, tags = self.chats, self.tags
        for prefix, event, value in events:
            if prefix == WHOLE:  # a key that would pass for ours
                prefix = WHOLE + WHOLE
            elif event == "start_map" or event == "end_map":
                start = event == "start_map"
                if prefix in MESSAGE_PREFIXES:
                    chat = chats.get(MESSAGE_PREFIXES[prefix])
                    if chat is not None:
                        if start:
                            tags.append(("message", chat))
                        prefix = WHOLE
                elif prefix in OBJECT_PREFIXES:
                    if start:
                        tags.append((OBJECT_PREFIXES[prefix], None))
                    prefix = WHOLE
                elif prefix in CHAT_PREFIXES:
                    if start:
                        chats[prefix] = _Chat()
                    elif prefix in chats:
                        tags.append(("end", chats.pop(prefix)))
            elif prefix in HEADER_PREFIXES:
                chat_prefix, key = HEADER_PREFIXES[prefix]
                if chat_prefix in chats:
                    chats[chat_prefix].set(key, value)
            yield prefix, event, value

    def ended(self) -> Iterator[_Chat]:
        """The chats that ended before the next object."""
        while self.tags and self.tags[0][0] == "end":
            chat = self.tags.popleft()[1]
            if chat is not None:
                yield chat

    def next(self) -> Tag:
        return self.tags.popleft() if self.tags else ("unknown", None)


def _full_name(item: dict[str, Any]) -> str | None:
    parts = [item.get("first_name"), item.get("last_name")]
    name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return name or None


# -- the importer ------------------------------------------------------------------------------
def _results(archive: Archive) -> list[str]:
    found = archive.find("result.json")
    if not found and archive.is_single_file and archive.path.suffix.lower() == ".json":
        found = archive.names()
    return found


def _holds_telegram(archive: Archive) -> bool:
    """A result.json that reads as Telegram's, or (in a folder or zip) its HTML export, which
    extract refuses with a word on how to export JSON instead."""
    results = _results(archive)
    if not results:
        return bool(archive.find("messages*.html")) and not archive.is_single_file
    with archive.open_binary(results[0]) as stream:
        return _looks_like_telegram(stream.read(HEAD_BYTES))


def _looks_like_telegram(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"{"):
        return False
    if _FULL_EXPORT.search(head):
        return True
    return bool(_CHAT_EXPORT.search(head) and _MESSAGE_FIELDS.search(head))


class TelegramImporter(Importer):
    source = "telegram"
    title = "a Telegram Desktop export (result.json)"

    def identify(self, path: Path) -> bool:
        # a zip cut short is taken: extract says what is wrong with it
        return is_damaged_zip(path) or identify_with(path, _holds_telegram)

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        local = zone(options.tz)
        refuse_damaged_zip(path, "download the export again")
        with Archive(path, options.progress) as archive:
            results = _results(archive)
            if not results:
                if archive.find("messages*.html"):
                    raise ImportFailed(
                        f"{path.name} is Telegram's HTML export; export again choosing "
                        "'Machine-readable JSON' as the format."
                    )
                raise ImportFailed(f"{path.name} holds no result.json.")
            reader = _Reader(options, local)
            for name in results:
                with archive.open_binary(name) as stream:
                    yield from reader.read(stream, name)


IMPORTER = TelegramImporter()
