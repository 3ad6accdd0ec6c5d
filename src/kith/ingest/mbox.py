"""mbox: Gmail's Takeout ("All mail Including Spam and Trash.mbox", inside the Takeout .zip or
.tgz) or any mbox file that a mail program writes.

An mbox is one text file of messages, each starting with a 'From ' line (the "postmark",
e.g. 'From 1781234567890123456@xxx Tue Mar 05 10:15:00 +0000 2024'); body lines that begin
with 'From ' are escaped as '>From '. Gmail adds `X-GM-THRID` (the thread) and
`X-Gmail-Labels` (Inbox, Sent, Spam, Trash, Chat, Drafts, Important, Category ...).
Files can be gigabytes: messages are read one at a time by a small separator search (about
25 times faster than the stdlib `mailbox.mbox`, which parses every message whole), and only
the headers of each message are parsed unless it becomes an interaction.

What kith takes from it: each message between the user and one person, as an `email`
touch: `out` to each recipient of a message the user sent (To, Cc and Bcc, at most
MAX_RECIPIENTS besides the user: a mail to more people is an announcement, not a
conversation), `in` from the sender of a message whose To or Cc names the user (again with
at most MAX_RECIPIENTS others). Left out: Spam, Trash, Chat and Drafts; mailing lists and
automated mail (List-Id, List-Unsubscribe, Precedence bulk/list/junk, Auto-Submitted,
vacation replies, and senders such as noreply@, notifications@ or mailer-daemon@); mail
addressed to a list the mailbox receives (its List-Post address). The user's addresses are
the ones given with --me plus every From address of mail labelled Sent.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.errors import CloseBoundaryNotFoundDefect, MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from dateutil import parser as dateparser

from kith.domain.model import Channel, Direction
from kith.ingest.archive import Archive
from kith.ingest.base import BytesRead, Importer, ImportFailed, Options
from kith.ingest.common import digest, member_label, stable_id
from kith.ingest.records import Contact, Handle, Me, Record, Touch

#: a message to more people than this (besides the user) is not a conversation
MAX_RECIPIENTS = 5
#: an interaction keeps the subject and the start of the body, this long at most
TEXT_LIMIT = 500
#: Gmail labels whose messages are left out
SKIPPED_LABELS = frozenset({"spam", "trash", "chat", "chats", "drafts", "draft"})
SENT = "sent"
CHUNK = 1024 * 1024

#: what identifies a message without a Message-ID
_HASHED_HEADERS = ("From", "Date", "Subject", "X-GM-THRID")
_HEADER_ERRORS = (ValueError, IndexError, TypeError, AttributeError, LookupError, MessageError)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_POSTMARK = re.compile(rb"From \S+ +[A-Za-z]{3},? +[A-Za-z]{3} +\d{1,2} +\d{1,2}:\d\d")
_LABELS = re.compile(rb"^X-Gmail-Labels:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.MULTILINE | re.IGNORECASE)
_LIST_POST = re.compile(rb"^List-Post:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.MULTILINE | re.IGNORECASE)
_BULK = re.compile(
    rb"^(List-Id|List-Unsubscribe|X-Autoreply|X-Autorespond)[ \t]*:"
    rb"|^Precedence:[ \t]*(bulk|list|junk)\b"
    rb"|^Auto-Submitted:[ \t]*(?!no\b)\S",
    re.MULTILINE | re.IGNORECASE,
)
_MAILTO = re.compile(r"<mailto:([^>?\s]+)", re.IGNORECASE)
_HEADER_LINE = re.compile(
    rb"^(From|To|Date|Subject|Message-ID|Received|Return-Path|Delivered-To|X-GM-THRID)[ \t]*:",
    re.MULTILINE | re.IGNORECASE,
)
_AUTOMATED_LOCAL = re.compile(
    r"(no[-_.]?reply|do[-_.]?not[-_.]?reply|bounce)"
    r"|^(notifications?|notify|mailer[-_.]?daemon|postmaster|automailer)([-+_.]|$)"
)
_MBOXRD_FROM = re.compile(r"^>(>*From )", re.MULTILINE)
_REPLY_INTRO = re.compile(
    r"(wrote|writes|schrieb|a écrit|escribió|ha scritto|screef|skrev)\s*:\s*$", re.IGNORECASE
)
_CUT_LINES = re.compile(
    r"^(-- ?|_{10,}|-{3,} ?(Original Message|Forwarded message|Ursprüngliche Nachricht).*"
    r"|Sent from my .*|Get Outlook for .*)$",
    re.IGNORECASE,
)

_HEADERS_ONLY = HeaderParser(policy=policy.compat32)
_WHOLE = BytesParser(policy=policy.compat32)


# -- reading the file, one message at a time ---------------------------------------------
@dataclass(frozen=True, slots=True)
class RawMessage:
    """One message as the file holds it: its 'From ' line, then headers and body."""

    number: int  # 1 for the first message of the file
    line: int  # the line of its 'From ' separator
    postmark: bytes
    data: bytes

    @property
    def header_bytes(self) -> bytes:
        end = _end_of_headers(self.data)
        return self.data if end is None else self.data[:end]


def _end_of_headers(data: bytes) -> int | None:
    """Where the blank line after the headers starts (a message may start with it)."""
    if data.startswith((b"\n", b"\r\n")):
        return 0
    found = [i for i in (data.find(b"\n\n"), data.find(b"\n\r\n")) if i >= 0]
    return min(found) + 1 if found else None


def _is_separator(buffer: bytearray, newline: int, line: bytes) -> bool:
    """A 'From ' line after a blank line, or one that looks like a real postmark."""
    before = buffer[max(newline - 2, 0) : newline]
    blank_before = before.endswith(b"\n") or before == b"\n\r"
    return blank_before or _POSTMARK.match(line) is not None


def split_messages(stream: IO[bytes], label: str) -> Iterator[RawMessage]:
    """The messages of an mbox stream; a last message cut short raises ImportFailed."""
    buffer = bytearray()
    start = scan = 0  # start of the current message; where the separator search resumes
    line = 1
    number = 0
    began = False
    eof = False
    while not eof:
        chunk = stream.read(CHUNK)
        eof = not chunk
        if start:
            del buffer[:start]
            scan -= start
            start = 0
        buffer.extend(chunk)
        if not began:
            if not buffer.strip() and not eof:
                continue
            skipped = len(buffer) - len(buffer.lstrip())
            if not bytes(buffer[skipped : skipped + 5]) == b"From ":
                raise ImportFailed(f"{label} is not an mbox file: it does not begin with 'From '.")
            line += buffer.count(b"\n", 0, skipped)
            start, scan, began = skipped, skipped, True
        while True:
            newline = buffer.find(b"\nFrom ", scan)
            if newline < 0:
                scan = max(start, len(buffer) - 6)
                break
            end_of_line = buffer.find(b"\n", newline + 1)
            if end_of_line < 0 and not eof:
                scan = newline
                break
            stop = len(buffer) if end_of_line < 0 else end_of_line
            if _is_separator(buffer, newline, bytes(buffer[newline + 1 : stop])):
                number += 1
                yield _raw(number, line, bytes(buffer[start : newline + 1]))
                line += buffer.count(b"\n", start, newline + 1)
                start = newline + 1
            scan = newline + 1
    rest = bytes(buffer[start:])
    if began and rest.strip():
        last = _raw(number + 1, line, rest)
        _check_complete(last, label)
        yield last


def _raw(number: int, line: int, message: bytes) -> RawMessage:
    postmark, _, data = message.partition(b"\n")
    return RawMessage(number, line, postmark.rstrip(b"\r"), data)


def _check_complete(message: RawMessage, label: str) -> None:
    """The last message of a file that was cut short (a failed download) is refused."""
    where = f"{label}: message {message.number} (line {message.line})"
    if not message.data.endswith(b"\n") or _end_of_headers(message.data) is None:
        raise ImportFailed(f"{where} is cut short; the file looks incomplete.")
    if b"multipart" in message.header_bytes.lower():
        parsed = _WHOLE.parsebytes(message.data)
        if any(
            isinstance(d, CloseBoundaryNotFoundDefect)
            for part in parsed.walk()
            for d in part.defects
        ):
            raise ImportFailed(f"{where} is cut short: its last part never ends.")


# -- header fields ------------------------------------------------------------------------
def decoded(value: str) -> str:
    """A header value unfolded, with RFC 2047 encoded words ('=?UTF-8?Q?...?=') decoded."""
    text = " ".join(value.split())
    if "=?" in text:
        with contextlib.suppress(*_HEADER_ERRORS):
            text = " ".join(str(make_header(decode_header(text))).split())
    return text


def labels_of(header_bytes: bytes) -> frozenset[str]:
    """Gmail labels of a message, lower-cased ('Category Personal' -> 'category personal')."""
    found = _LABELS.search(header_bytes)
    if found is None:
        return frozenset()
    text = decoded(found.group(1).decode("utf-8", "replace"))
    labels = next(csv.reader([text], skipinitialspace=True), [])
    return frozenset(label.strip().casefold() for label in labels if label.strip())


def list_addresses(header_bytes: bytes) -> set[str]:
    found = _LIST_POST.search(header_bytes)
    if found is None:
        return set()
    return {
        m.lower()
        for m in _MAILTO.findall(decoded(found.group(1).decode("utf-8", "replace")))
        if _EMAIL.match(m)
    }


def headers_of(header_bytes: bytes) -> Message:
    """The header fields, parsed the fast way (compat32: plain strings, decoded on use);
    the modern parser is about six times slower and only the body needs it."""
    return _HEADERS_ONLY.parsestr(header_bytes.decode("utf-8", "replace"))


def _header_text(headers: Message, name: str) -> str:
    value = headers.get(name)
    return "" if value is None else " ".join(str(value).split())


def addresses(headers: Message, *names: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) of the valid addresses in these header fields."""
    values = [str(v) for name in names for v in headers.get_all(name, [])]
    try:
        pairs = getaddresses(values)
    except _HEADER_ERRORS:
        return []
    found: dict[str, str] = {}
    for display, spec in pairs:
        address = spec.strip().strip("<>").lower()
        if _EMAIL.match(address):
            person = _clean_name(display, address)
            if address not in found or (person and not found[address]):
                found[address] = person
    return [(n, a) for a, n in found.items()]


def _clean_name(display: str, address: str) -> str:
    name = decoded(display).strip("'\" ")
    return "" if "@" in name or name.lower() == address else name


def is_automated_address(address: str) -> bool:
    """noreply@, no-reply@, donotreply@, notifications@, mailer-daemon@, bounces..."""
    return _AUTOMATED_LOCAL.search(address.partition("@")[0]) is not None


def is_bulk(header_bytes: bytes) -> bool:
    """A mailing list, a newsletter or an automatic message, by its headers: List-Id,
    List-Unsubscribe, Precedence bulk/list/junk, Auto-Submitted (but 'no'), X-Autoreply."""
    return _BULK.search(header_bytes) is not None


def message_time(headers: Message, postmark: bytes, now: datetime) -> datetime | None:
    """The Date header in UTC; the 'From ' line's date when Date is missing, unreadable or
    implausible (before 1971 or in the future); None when neither can be read."""
    moment = _date_header(headers)
    if moment is None or not _plausible(moment, now):
        moment = _postmark_date(postmark)
    return moment if moment is not None and _plausible(moment, now) else None


def _date_header(headers: Message) -> datetime | None:
    value = _header_text(headers, "Date")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (*_HEADER_ERRORS, OverflowError):
        return None
    return _utc(moment)


def _postmark_date(postmark: bytes) -> datetime | None:
    parts = postmark.decode("ascii", "replace").split(None, 2)
    if len(parts) < 3:
        return None
    try:
        moment = dateparser.parse(parts[2])
    except (ValueError, OverflowError):
        return None
    return _utc(moment)


def _utc(moment: datetime) -> datetime:
    # '-0000' (zone unknown) and zone-less times are read as UTC, as RFC 5322 says
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _plausible(moment: datetime, now: datetime) -> bool:
    return datetime(1971, 1, 1, tzinfo=UTC) <= moment <= now + timedelta(days=2)


def message_id(headers: Message) -> str:
    """The Message-ID; else a hash of From, Date, Subject and the Gmail thread."""
    found = _header_text(headers, "Message-ID")
    if found:
        return found
    return "sha1:" + digest(*(_header_text(headers, h) for h in _HASHED_HEADERS))


# -- text ---------------------------------------------------------------------------------
class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head", "blockquote"):
            self.hidden += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head", "blockquote") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _body_text(message: Message) -> str:
    """The first text/plain part, else the first text/html part as text."""
    html: Message | None = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return _part_text(part)
        if kind == "text/html" and html is None:
            html = part
    return "" if html is None else _html_text(_part_text(html))


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", "replace")


def own_words(body: str) -> str:
    """The body without quoted lines, the quoted reply and the signature."""
    lines = _MBOXRD_FROM.sub(r"\1", body[: TEXT_LIMIT * 20].replace("\r\n", "\n")).split("\n")
    kept: list[str] = []
    size = 0
    for line in lines:
        if size > TEXT_LIMIT:
            break
        stripped = line.strip()
        intro = stripped.endswith(":") and _REPLY_INTRO.search(stripped) is not None
        if intro or _CUT_LINES.match(stripped):
            if intro and kept and kept[-1].startswith("On "):
                kept.pop()  # 'On Tue, 5 Mar 2024, Ana <ana@example.org>' / 'wrote:'
            break
        if not stripped.startswith(">"):
            kept.append(stripped)
            size += len(stripped) + 1
    return " ".join(" ".join(kept).split())


def message_text(message: Message, subject: str) -> str | None:
    """The subject, then the start of the user's or their own words."""
    try:
        body = own_words(_body_text(message))
    except _HEADER_ERRORS:
        body = ""
    text = "\n".join(part for part in (subject, body) if part)
    return text[:TEXT_LIMIT] or None


# -- the user -----------------------------------------------------------------------------
@dataclass
class Mailbox:
    """What the first pass learns: the user's addresses and name, the lists' addresses."""

    own: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    lists: set[str] = field(default_factory=set)
    met: bool = False  # one of the user's addresses appears in some message's headers

    def me(self) -> Me:
        name = self.names.most_common(1)[0][0] if self.names else None
        return Me(tuple(Handle("email", a) for a in sorted(self.own)), name)


def _learn(mailbox: Mailbox, message: RawMessage) -> None:
    header = message.header_bytes
    mailbox.lists |= list_addresses(header)
    if not mailbox.met:
        lowered = header.lower()
        mailbox.met = any(a.encode() in lowered for a in mailbox.own)
    if SENT not in labels_of(header):
        return
    for name, address in addresses(headers_of(header), "From")[:1]:
        if not is_automated_address(address):
            mailbox.own.add(address)
            mailbox.met = True
            if name:
                mailbox.names[name] += 1


# -- one message to touches ---------------------------------------------------------------
@dataclass
class People:
    """Contacts already yielded, and whether they had a name."""

    named: dict[str, bool] = field(default_factory=dict)

    def contact(self, address: str, name: str) -> Iterator[Contact]:
        known = self.named.get(address)
        if known is None or (name and not known):
            self.named[address] = bool(name)
            yield Contact(f"email:{address}", name or None, (Handle("email", address),))


@dataclass(frozen=True, slots=True)
class _Plan:
    """Who a message touches, and which way."""

    direction: Direction
    people: list[tuple[str, str]]  # (name, address)


def plan(header_bytes: bytes, mailbox: Mailbox) -> tuple[Message, _Plan] | None:
    """The parsed headers and who the message touches; None when it is no one-to-one
    conversation with a person (cheap byte checks first: most mail is bulk)."""
    labels = labels_of(header_bytes)
    if labels & SKIPPED_LABELS or is_bulk(header_bytes):
        return None
    headers = headers_of(header_bytes)
    own, lists = mailbox.own, mailbox.lists
    sender = addresses(headers, "From")[:1]
    recipients = addresses(headers, "To", "Cc", "Bcc")
    others = [(n, a) for n, a in recipients if a not in own]
    if len(others) > MAX_RECIPIENTS or any(a in lists for _, a in recipients):
        return None
    if SENT in labels or (sender and sender[0][1] in own):
        people = [(n, a) for n, a in others if not is_automated_address(a)]
        return (headers, _Plan(Direction.OUT, people)) if people else None
    addressed = {a for _, a in addresses(headers, "To", "Cc")}
    if not sender or not addressed & own:
        return None
    address = sender[0][1]
    if address in own or address in lists or is_automated_address(address):
        return None
    return headers, _Plan(Direction.IN, sender)


def touches(
    message: RawMessage, mailbox: Mailbox, people: People, now: datetime
) -> Iterator[Record]:
    planned = plan(message.header_bytes, mailbox)
    if planned is None:
        return
    headers, found = planned
    when = message_time(headers, message.postmark, now)
    if when is None:
        return
    ident = message_id(headers)
    text = message_text(_WHOLE.parsebytes(message.data), decoded(_header_text(headers, "Subject")))
    for name, address in found.people:
        yield from people.contact(address, name)
        external = ident if found.direction is Direction.IN else f"{ident} to {address}"
        yield Touch(
            stable_id(external),
            f"email:{address}",
            when,
            Channel.EMAIL,
            found.direction,
            text=text,
        )


# -- the importer -------------------------------------------------------------------------
def _members(archive: Archive) -> list[str]:
    """The mbox files: the file given, or in a folder or archive each '*.mbox' (Takeout)
    and each file named 'mbox' (Apple Mail exports a folder 'Inbox.mbox/mbox')."""
    if archive.is_single_file:
        return archive.names()
    return archive.find("*.mbox", "mbox")


def _half(progress: BytesRead | None, second: bool) -> BytesRead:
    """Two passes over the file share one progress bar."""

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress((done + (total if second else 0)) // 2, total)

    return report


def _messages(archive: Archive, members: Iterable[str]) -> Iterator[RawMessage]:
    for member in members:
        with archive.open_binary(member) as stream:
            yield from split_messages(stream, member_label(archive, member))


class MboxImporter(Importer):
    source = "mbox"
    title = "an mbox mail file (Gmail Takeout)"

    def identify(self, path: Path) -> bool:
        # an archive that cannot be opened (cut short, hostile) says so itself
        with Archive(path) as archive:
            if not archive.is_single_file:
                return bool(_members(archive))
            with archive.open_binary(archive.names()[0]) as stream:
                head = stream.read(8192)
        return head.lstrip().startswith(b"From ") and _HEADER_LINE.search(head) is not None

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        mailbox = Mailbox(own=set(options.myself.emails))
        with Archive(path, _half(options.progress, second=False)) as archive:
            members = _members(archive)
            if not members:
                raise ImportFailed(f"{path.name} holds no .mbox file.")
            for message in _messages(archive, members):
                _learn(mailbox, message)
        if not mailbox.met:
            known = f" and none of {', '.join(sorted(mailbox.own))} appears" if mailbox.own else ""
            raise ImportFailed(
                f"kith cannot tell which address is yours in {path.name} (no message is "
                f"labelled Sent{known}); pass it with --me you@example.com."
            )
        yield mailbox.me()
        people = People()
        with Archive(path, _half(options.progress, second=True)) as archive:
            for message in _messages(archive, members):
                yield from touches(message, mailbox, people, options.now)


IMPORTER = MboxImporter()
