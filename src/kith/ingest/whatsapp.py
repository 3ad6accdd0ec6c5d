"""WhatsApp's exported chat: a `.txt` file, or the `.zip` the phone makes around it.

In a chat, More > Export chat (Android) or the contact's name > Export Chat (iPhone) writes
one chat: Android `WhatsApp Chat with Ana Example.txt`, iPhone `_chat.txt` inside
`WhatsApp Chat - Ana Example.zip`, with the media beside it when "Attach media" was chosen.
Each message starts a line with a local timestamp in the phone's locale, then the sender:

    [15/01/2024, 09:12:44] Ana Example: text          (iPhone)
    15/01/2024, 09:12 - Ana Example: text             (Android)
    1/15/24, 9:12 AM - +1 (555) 010-0199: text        (12-hour clock, month first)
    2024-01-15, 09:12 - Ana Example: text             (year first)

Lines without a timestamp continue the message above. Media appear as placeholders
("<Media omitted>", "image omitted", "<attached: 00000001-PHOTO-....jpg>", "IMG-....jpg (file
attached)").

WhatsApp's own lines (system lines: "Messages and calls are end-to-end encrypted...", "Ana
added Bo", "Your security code with Ana changed") are never a message nor a sender. They are
known by their shape: no "Name: " part; iPhone's U+200E mark after it; or, in English, their
wording (`_CHAT_NOTICES`, `_GROUP_NOTICES`, `_GROUP_EVENTS`: the one list of them), since
group exports write some as if the group's name had sent them:

    12/01/2024, 09:00 - Family Trip 2024: Messages and calls are end-to-end encrypted. ...
    [12/01/2024, 09:00:00] Family Trip 2024: \u200eAna Example added you

A notice no one types (encryption, security code, disappearing messages, a new number) is a
system line whoever seems to send it. A line worded like a group event ("X added Y", "X
left") is one when its "Name: " is who it is about ("Bo: Bo left") or never writes a message
(the group's name); from a member, it is what they wrote.

Nothing in the file says the time zone (`options.tz` is used) or the date order: it is
inferred from the whole file (see `DateOrder`), which is why the file is read twice: once to
learn the date order and who takes part, once to yield the records. Messages have no ids: a
touch's id is a hash of the conversation, local time, sender, text and its index among
identical messages.

A chat kith cannot attribute is never skipped without a word. When nothing tells which
sender is the user (no `--me`, no earlier import), the import is refused, naming the senders
to choose from. A group of more than SMALL_GROUP people, a chat in which the user (as known)
does not write, and a chat that gives no interaction at all are left out with a `Note`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import Enum
from pathlib import Path, PurePosixPath

from kith.domain.identity import HandleError, name_key, normalise_phone
from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Myself, Options
from kith.ingest.common import (
    Occurrences,
    digest,
    identify_with,
    is_damaged_zip,
    member_label,
    refuse_damaged_zip,
    zone,
)
from kith.ingest.records import Contact, Handle, Me, Note, Record, Touch

#: groups with more participants than this (the user included) are left out
SMALL_GROUP = 8
HEAD_BYTES = 16 * 1024
#: the most distinct senders worth remembering: past SMALL_GROUP a chat is left out anyway
MAX_SENDERS = 64

# -- one line --------------------------------------------------------------------------------
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_S = "[ \u00a0\u202f]"
_DATE = r"(?P<a>\d{1,4})(?P<sep>[./\-])[ ]?(?P<b>\d{1,2})(?P=sep)[ ]?(?P<c>\d{1,4})\.?"
_TIME = r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
_AMPM = rf"(?:{_S}*(?P<ampm>[aApP]\.?{_S}?[mM]\.?))?"
_BRACKETED = re.compile(rf"^\[{_DATE},?{_S}+{_TIME}{_AMPM}\]{_S}?(?P<rest>.*)$")
_PLAIN = re.compile(rf"^{_DATE},?{_S}+{_TIME}{_AMPM}(?:{_S}[-–]{_S}|:{_S})(?P<rest>.*)$")

_QUOTES = '"“”«»„'
_PHONE = re.compile(r"^\+?[\d ().\-]{6,}$")
_EDITED = re.compile(r"\s*\u200e?<This message was edited>$")

# -- what a message is -----------------------------------------------------------------------
_MISSED_CALL = re.compile(r"^missed (voice|video|group voice|group video) call", re.IGNORECASE)
_CALL = re.compile(
    r"^(voice|video) call(?:,\s*\u200e?(?P<n>\d+)\s*(?P<unit>sec|min|hr|h)\w*)?",
    re.IGNORECASE,
)
_PLACEHOLDERS = (
    re.compile(r"^<[^<>]{1,60}>$"),  # <Media omitted>, <attached: ...>, <image omitted>
    re.compile(r"^[\w ]{1,30} omitted$", re.IGNORECASE),  # image omitted, GIF omitted
)
_FILE_ATTACHED = re.compile(
    r"^.+ \((file attached|archivo adjunto|Datei angehängt|fichier joint|arquivo anexado|"
    r"file allegato|bestand bijgevoegd)\)$",
    re.IGNORECASE,
)
_UNAVAILABLE = re.compile(
    r"^(this message was deleted\.?|you deleted this message\.?|null|"
    r"waiting for this message\..*)$",
    re.IGNORECASE,
)
#: iPhone marks these with U+200E too, yet they are the sender's own content
_MARKED_CONTENT = re.compile(r"^(live location|location|poll|contact card)\b", re.IGNORECASE)


# -- WhatsApp's own lines, in English: the one list of them ----------------------------------
def _wordings(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


#: notices no one types: system lines wherever they appear, "Name: " part or not
_CHAT_NOTICES = _wordings(
    r"messages and calls are end-to-end encrypted\b.*",
    r"messages (?:you send )?to this chat(?: and calls)? are now secured with end-to-end "
    r"encryption\b.*",
    r"(?:your security code with .+|.+'s security code|security code) changed\b.*",
    r".+ changed their phone number\b.*",
    r".+ changed (?:their number )?to \+[\d ().\-\u2011\u00a0\u202f]{6,}",
    r"(?:.+ )?(?:turned (?:on|off)|uses? a default timer for) disappearing messages\b.*",
    r"disappearing messages (?:were turned |are |is )?(?:on|off)\b.*",
    r"you (?:un)?blocked this contact\b.*",
    r"this chat is with a business account\b.*",
)
_GROUP_NOTICES = _wordings(
    r"messages (?:you send )?to this group are now secured with end-to-end encryption\b.*",
    r"you were added\b.*",
    r"you(?:'re| are) (?:now|no longer) an admin\b.*",
)
#: group events, about someone: system lines without a "Name: " part, with iPhone's mark, or
#: whose "Name: " is who they are about or never writes a message (the group's name)
_GROUP_EVENTS = _wordings(
    r".+ created (?:the |this )?group\b.*",
    r".+ (?:added|removed) .+",
    r".+ (?:was|were) (?:added|removed)\b.*",
    r".+ left",
    r".+ joined (?:using (?:this|the) group'?s invite link|from the community)\b.*",
    r".+ (?:changed|deleted|reset) (?:the subject|the settings|the group|this group|group)\b.*",
    r".+(?: is|'re| are) (?:now|no longer) an admin\b.*",
)
#: what else says a line already known to be WhatsApp's is a group's ("...to this group")
_THIS_GROUP = re.compile(r"\bthis group\b", re.IGNORECASE)


def _notice(text: str) -> bool:
    return bool(_CHAT_NOTICES.fullmatch(text) or _GROUP_NOTICES.fullmatch(text))


def _group_line(text: str) -> bool:
    """True for a system line only groups have ("Ana added Bo", "You were added")."""
    return bool(
        _GROUP_NOTICES.fullmatch(text) or _GROUP_EVENTS.fullmatch(text) or _THIS_GROUP.search(text)
    )


# -- who the chat is with --------------------------------------------------------------------
_TITLE = re.compile(
    r"(?:WhatsApp[ _-]?Chat(?: with| -| mit| met| con| avec| com)|"
    r"Chat de WhatsApp con|Conversa do WhatsApp com|Discussion WhatsApp avec|"
    r"Chat WhatsApp con)[ _](?P<title>.+)$",
    re.IGNORECASE,
)


class Kind(Enum):
    MESSAGE = "message"
    MEDIA = "media"
    CALL = "call"
    SYSTEM = "system"
    EVENT = "event"  # worded like a group event: the group's line, or a member's message


@dataclass(frozen=True, slots=True)
class Header:
    """The timestamp line that starts a message."""

    number: int  # line number, from 1
    a: str
    b: str
    c: str
    hour: int
    minute: int
    second: int
    ampm: str | None
    rest: str


def _header(line: str, number: int) -> Header | None:
    stripped = line.lstrip(_MARKS)
    found = _BRACKETED.match(stripped) or _PLAIN.match(stripped)
    if found is None:
        return None
    return Header(
        number,
        found["a"],
        found["b"],
        found["c"],
        int(found["h"]),
        int(found["m"]),
        int(found["s"] or 0),
        found["ampm"],
        found["rest"],
    )


def _clean_name(text: str) -> str:
    cleaned = text.strip(_MARKS + " ").replace("\u2011", "-")
    return " ".join(cleaned.replace("\u00a0", " ").replace("\u202f", " ").split())


def _split(rest: str) -> tuple[str | None, str]:
    """Sender and text of a message line; no sender for a system line."""
    colon = rest.find(":")
    if colon <= 0:
        return None, rest
    sender = _clean_name(rest[:colon])
    if not sender or len(sender) > 80 or any(q in sender for q in _QUOTES):
        return None, rest
    text = rest[colon + 1 :]
    return sender, text[1:] if text.startswith(" ") else text


@dataclass(frozen=True, slots=True)
class Reading:
    """What a message says, once its placeholders and marks are read."""

    kind: Kind
    text: str | None
    video: bool = False
    minutes: int | None = None


def _read(sender: str | None, first: str, more: list[str]) -> Reading:
    """What the message of `sender` whose first line's text is `first` (continued by `more`)
    is."""
    marked = first.startswith("\u200e")
    head = _EDITED.sub("", first.strip(_MARKS + " \t"))
    body = "\n".join([head, *more]).strip(_MARKS + " \t\r\n")
    body = _EDITED.sub("", body)
    if not more and _notice(head):
        return Reading(Kind.SYSTEM, body)
    missed = _MISSED_CALL.match(head)
    if missed and not more:
        return Reading(Kind.CALL, None, video="video" in missed.group(1).lower(), minutes=0)
    call = _CALL.match(head)
    if call and marked and not more:
        return Reading(Kind.CALL, None, call.group(1).lower() == "video", _call_minutes(call))
    if _FILE_ATTACHED.match(head):
        caption = "\n".join(more).strip()
        return Reading(Kind.MEDIA, caption or None)
    if not more and any(p.match(head) for p in _PLACEHOLDERS):
        return Reading(Kind.MEDIA, None)
    if not more and _UNAVAILABLE.match(head):
        return Reading(Kind.MESSAGE, None)
    if marked and not _MARKED_CONTENT.match(head):
        return Reading(Kind.SYSTEM, body)
    if not more and _GROUP_EVENTS.fullmatch(head):
        about_sender = sender is not None and name_key(head).startswith(name_key(sender) + " ")
        return Reading(Kind.SYSTEM if sender is None or about_sender else Kind.EVENT, body)
    return Reading(Kind.MESSAGE, body or None)


def _call_minutes(found: re.Match[str]) -> int | None:
    if found["n"] is None:
        return None
    n = int(found["n"])
    unit = found["unit"].lower()
    if unit == "sec":
        return max(1, round(n / 60))
    return n * 60 if unit.startswith("h") else n


# -- the date order --------------------------------------------------------------------------
class DateOrder(Enum):
    DMY = "day-first"
    MDY = "month-first"
    YMD = "year-first"


@dataclass
class DateEvidence:
    """What the dates of a whole file say about their order.

    A first field of four digits (or over 31) means year first; a first field over 12 means
    day first; a second over 12 means month first. When nothing decides, day first, unless
    the file uses a 12-hour clock (AM/PM), the habit of the United States, month first.
    """

    year_first: bool = False
    day_first: bool = False
    month_first: bool = False
    twelve_hour: bool = False

    def add(self, header: Header) -> None:
        a, b = int(header.a), int(header.b)
        if len(header.a) == 4 or a > 31:
            self.year_first = True
        elif a > 12:
            self.day_first = True
        if b > 12 and not (len(header.a) == 4 or a > 31):
            self.month_first = True
        if header.ampm:
            self.twelve_hour = True

    def order(self, name: str) -> DateOrder:
        if self.year_first:
            return DateOrder.YMD
        if self.day_first and self.month_first:
            raise ImportFailed(
                f"{name} mixes day-first and month-first dates; export the chat again."
            )
        if self.day_first:
            return DateOrder.DMY
        if self.month_first:
            return DateOrder.MDY
        return DateOrder.MDY if self.twelve_hour else DateOrder.DMY


def _year(text: str) -> int:
    value = int(text)
    return 2000 + value if len(text) <= 2 else value


def local_time(header: Header, order: DateOrder, name: str) -> datetime:
    """The naive local time of a timestamp line, in the file's date order."""
    if order is DateOrder.YMD:
        year, month, day = _year(header.a), int(header.b), int(header.c)
    elif order is DateOrder.DMY:
        day, month, year = int(header.a), int(header.b), _year(header.c)
    else:
        month, day, year = int(header.a), int(header.b), _year(header.c)
    hour = header.hour
    if header.ampm:
        afternoon = header.ampm[0] in "pP"
        if hour == 12:
            hour = 12 if afternoon else 0
        elif afternoon:
            hour += 12
    try:
        return datetime(year, month, day, hour, header.minute, header.second)
    except ValueError as exc:
        raise ImportFailed(
            f"{name}, line {header.number}: '{header.a}/{header.b}/{header.c}' "
            f"is not a date read {order.value} ({exc})."
        ) from exc


# -- people ----------------------------------------------------------------------------------
def _phone(text: str, region: str) -> str | None:
    if not _PHONE.match(text) or sum(c.isdigit() for c in text) < 6:
        return None
    try:
        return normalise_phone(text, region)
    except HandleError:
        return None


@dataclass(frozen=True, slots=True)
class Person:
    """A sender as the chat shows them: a display name or a phone number."""

    shown: str
    phone: str | None  # E.164 when the sender is a phone number

    @property
    def key(self) -> str:
        return f"whatsapp:{self.phone}" if self.phone else f"whatsapp:name:{name_key(self.shown)}"

    @property
    def handles(self) -> tuple[Handle, ...]:
        if self.phone:
            return (Handle("whatsapp", self.phone), Handle("phone", self.phone))
        return (Handle("whatsapp", f"name:{self.shown}"),)

    def contact(self) -> Contact:
        return Contact(self.key, self.shown, self.handles)


class _User:
    """The user's names and phone numbers, from --me and earlier imports."""

    def __init__(self, myself: Myself) -> None:
        shown = [*myself.names_on("whatsapp"), *(n for p, n in myself.named if p == "phone")]
        self.names: set[str] = {name_key(n) for n in shown}
        numbers = [h for h in myself.on("whatsapp") if not h.startswith("name:")]
        self.phones: set[str] = {*myself.phones, *numbers}

    @property
    def known(self) -> bool:
        return bool(self.names or self.phones)

    def is_user(self, person: Person) -> bool:
        if person.phone:
            return person.phone in self.phones
        return name_key(person.shown) in self.names

    def learn(self, person: Person) -> Me:
        if person.phone:
            self.phones.add(person.phone)
        else:
            self.names.add(name_key(person.shown))
        return Me(person.handles, None if person.phone else person.shown)


# -- the whole chat --------------------------------------------------------------------------
@dataclass
class Survey:
    """What a first read of the file tells: date order, senders, hints of a group."""

    dates: DateEvidence = field(default_factory=DateEvidence)
    senders: dict[str, int] = field(default_factory=dict)  # shown name -> messages
    header_sender: str | None = None  # the "Name: " of the first system line (iPhone)
    group_events: bool = False
    event_senders: set[str] = field(default_factory=set)  # who wrote lines worded as events
    lines: int = 0

    def add(self, sender: str | None, reading: Reading) -> None:
        if reading.kind is Kind.EVENT and sender is not None:
            self.event_senders.add(sender)
            return
        if reading.kind is Kind.SYSTEM or sender is None:
            if reading.kind is Kind.SYSTEM and sender is not None and self.header_sender is None:
                self.header_sender = sender
            if reading.text and _group_line(reading.text):
                self.group_events = True
            return
        if sender in self.senders or len(self.senders) < MAX_SENDERS:
            self.senders[sender] = self.senders.get(sender, 0) + 1

    @property
    def group(self) -> bool:
        """Group events were seen, or lines worded as events from a name that never writes
        a message (the group's)."""
        return self.group_events or any(s not in self.senders for s in self.event_senders)


@dataclass(frozen=True, slots=True)
class Plan:
    """Who the chat is with: one partner, or the members of a small group."""

    order: DateOrder
    senders: frozenset[str]  # who writes messages (not the group's name)
    users: frozenset[str]  # senders who are the user
    partner: Person | None = None  # a one-to-one chat
    group: bool = False
    left_out: str | None = None  # why nothing is imported (a Note), e.g. a group too large

    @property
    def conversation(self) -> str:
        return f"chat:{self.partner.key}" if self.partner else "group"


@dataclass
class _Message:
    header: Header
    sender: str | None
    first: str
    more: list[str] = field(default_factory=list)


def _messages(lines: Iterable[str]) -> Iterator[_Message]:
    """The file's messages: a timestamp line and the lines that continue it."""
    current: _Message | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        header = _header(line, number)
        if header is None:
            if current is not None:
                current.more.append(line)
            continue
        if current is not None:
            yield current
        sender, text = _split(header.rest)
        current = _Message(header, sender, text)
    if current is not None:
        yield current


class _Chat:
    """One chat file: survey it, decide who it is with, then yield its records."""

    def __init__(self, archive: Archive, member: str, title: str | None, options: Options):
        self.archive = archive
        self.member = member
        self.title = title
        self.options = options
        self.label = member_label(archive, member)

    def _lines(self) -> Iterator[str]:
        with self.archive.open_text(self.member) as stream:
            yield from stream

    def person(self, shown: str) -> Person:
        return Person(shown, _phone(shown, self.options.region))

    def survey(self) -> Survey:
        survey = Survey()
        for message in _messages(self._lines()):
            survey.lines = message.header.number
            survey.dates.add(message.header)
            survey.add(message.sender, _read(message.sender, message.first, message.more))
        if not survey.lines:
            raise ImportFailed(f"{self.label} holds no WhatsApp messages.")
        return survey

    def plan(self, survey: Survey, user: _User) -> tuple[Plan, list[Me]]:
        order = survey.dates.order(self.label)
        senders = frozenset(survey.senders)
        people = {shown: self.person(shown) for shown in survey.senders}
        users = {s for s, p in people.items() if user.is_user(p)}
        # senders spelt two ways ("Ana Example", "Ana ExamplE") are one person: their handle
        # is the same, so neither can be the user while the other is not
        by_key: dict[str, str] = {}
        for shown in people:
            if shown not in users:
                by_key.setdefault(people[shown].key, shown)
        others = list(by_key.values())
        learnt: list[Me] = [user.learn(people[s]) for s in sorted(users)]
        # whom the file's name, or iPhone's first system line, says the chat is with
        named = [self.person(s) for s in (self.title, survey.header_sender) if s]

        def left_out(why: str) -> tuple[Plan, list[Me]]:
            return Plan(order, senders, frozenset(users), left_out=why), learnt

        if not people:
            return left_out(
                f"{self.label} holds no message from anyone, only WhatsApp's own notices; "
                "nothing to import."
            )
        if len(others) == 2 and not users and not survey.group:
            keys = {p.key for p in named}
            partner = next((s for s in others if people[s].key in keys), None)
            if partner is None:
                if user.known:
                    return left_out(self._not_you(others))
                raise ImportFailed(
                    f"{self.label}: cannot tell whether you are {others[0]} or {others[1]}; "
                    "pass --me with your name as this chat shows it."
                )
            mine = others[0] if partner == others[1] else others[1]
            learnt.append(user.learn(people[mine]))
            return Plan(order, senders, frozenset({mine}), partner=people[partner]), learnt
        if len(others) >= 2 or survey.group:
            size = len(others) + 1 if users else len(others)  # when unknown, the user wrote
            if size > SMALL_GROUP:
                wrote = f"{size} or more" if len(senders) >= MAX_SENDERS else f"{size}"
                return left_out(
                    f"{self.label} is a group of more than {SMALL_GROUP} people ({wrote} of "
                    f"them wrote in it); kith imports groups of up to {SMALL_GROUP}, so it was "
                    "left out."
                )
            if not users:
                if user.known:
                    return left_out(self._not_you(others))
                raise ImportFailed(
                    f"{self.label} is a group chat and none of its senders ({', '.join(others)}) "
                    "is known to be you; pass --me with your name as this chat shows it."
                )
            return Plan(order, senders, frozenset(users), group=True), learnt
        if len(others) == 1 and not users and named and people[others[0]].key != named[0].key:
            # the chat is with someone else (says its name): the lone sender is the user
            learnt.append(user.learn(people[others[0]]))
            return Plan(order, senders, frozenset(others), partner=named[0]), learnt
        if len(others) == 1:
            return Plan(order, senders, frozenset(users), partner=people[others[0]]), learnt
        if not named:
            return left_out(
                f"{self.label}: only you wrote in it and its name does not say who the chat is "
                "with; nothing was imported from it (keep the name WhatsApp gives the file)."
            )
        return Plan(order, senders, frozenset(users), partner=named[0]), learnt

    def _not_you(self, others: list[str]) -> str:
        return (
            f"{self.label} was left out: none of its senders ({', '.join(others)}) is you as "
            "--me or earlier imports know you; if you wrote in it, import it again with --me "
            "and your name as this chat shows it."
        )

    def records(self, plan: Plan, tz: tzinfo) -> Iterator[Record]:
        """The chat's contacts and touches, then a Note when it gives no touch at all."""
        if plan.left_out:
            yield Note(plan.left_out)
            return
        occurrences = Occurrences()
        announced: set[str] = set()
        for message in _messages(self._lines()):
            if message.sender not in plan.senders:
                continue  # WhatsApp's own lines, with no sender or with the group's name
            reading = _read(message.sender, message.first, message.more)
            if reading.kind is Kind.SYSTEM:
                continue
            local = local_time(message.header, plan.order, self.label)
            at = local.isoformat()
            sender = self.person(message.sender)
            raw = "\n".join([message.first, *message.more])
            index = occurrences.next(at, digest(sender.key, raw))
            external_id = "sha1:" + digest(plan.conversation, at, sender.key, raw, str(index))
            when = local.replace(tzinfo=tz).astimezone(UTC)
            mine = message.sender in plan.users
            if plan.partner is not None:
                touch = self._personal(plan.partner, reading, mine, external_id, when)
                contact = plan.partner
            elif mine or reading.kind is Kind.CALL:
                continue  # the user's messages to a group are not attributed to anyone
            else:
                touch = Touch(
                    external_id, sender.key, when, Channel.CHAT, Direction.IN, reading.text
                )
                contact = sender
            if contact.key not in announced:
                announced.add(contact.key)
                yield contact.contact()
            yield touch
        if not announced:
            yield Note(
                f"{self.label}: no message in it can be attributed to anyone but you; nothing "
                "was imported from it."
            )

    @staticmethod
    def _personal(
        partner: Person, reading: Reading, mine: bool, external_id: str, when: datetime
    ) -> Touch:
        if reading.kind is Kind.CALL:
            channel = Channel.VIDEO if reading.video else Channel.CALL
            return Touch(
                external_id, partner.key, when, channel, Direction.BOTH, minutes=reading.minutes
            )
        direction = Direction.OUT if mine else Direction.IN
        return Touch(external_id, partner.key, when, Channel.CHAT, direction, reading.text)


# -- finding the chat files ------------------------------------------------------------------
def _title(name: str) -> str | None:
    stem = PurePosixPath(name).stem if name.lower().endswith((".txt", ".zip")) else name
    found = _TITLE.search(stem)
    if found is None:
        return None
    title = re.sub(r"\s*\(\d+\)$", "", found["title"]).strip()
    return _clean_name(title) or None


def _looks_like_chat(head: bytes) -> bool:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and _header(lines[0], 1) is not None


def _head(archive: Archive, member: str) -> bytes:
    with archive.open_binary(member) as stream:
        return stream.read(HEAD_BYTES)


def _chat_files(archive: Archive) -> list[str]:
    """`_chat.txt` and `WhatsApp Chat with ....txt` files; else any .txt that reads as one."""
    texts = archive.find("*.txt", "*.TXT")
    named = [
        n
        for n in texts
        if PurePosixPath(n).name == "_chat.txt"
        or "whatsapp" in PurePosixPath(n).name.lower()
        or _title(PurePosixPath(n).name)
    ]
    chosen = named or texts
    return [n for n in chosen if _looks_like_chat(_head(archive, n))]


def _title_of(archive: Archive, member: str, count: int) -> str | None:
    path = PurePosixPath(member)
    found = _title(path.name)
    if found is None and path.parent.name:
        found = _title(path.parent.name)
    if found is None and count == 1:
        # the .zip's name, or the folder of a lone `_chat.txt` given on its own
        outer = archive.path.parent if archive.is_single_file else archive.path
        found = _title(outer.name)
    return found


class WhatsAppImporter(Importer):
    source = "whatsapp"
    title = "a WhatsApp chat export (.txt or .zip)"

    def identify(self, path: Path) -> bool:
        # a zip cut short is taken: extract says what is wrong with it
        return is_damaged_zip(path) or identify_with(path, _chat_files)

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        local = zone(options.tz)
        refuse_damaged_zip(path, "export the chat again")
        user = _User(options.myself)
        with Archive(path, options.progress) as archive:
            members = _chat_files(archive)
            if not members:
                raise ImportFailed(f"{path.name} holds no WhatsApp chat (.txt).")
            for member in members:
                chat = _Chat(archive, member, _title_of(archive, member, len(members)), options)
                plan, learnt = chat.plan(chat.survey(), user)
                yield from learnt
                yield from chat.records(plan, local)


IMPORTER = WhatsAppImporter()
