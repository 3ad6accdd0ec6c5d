"""LinkedIn data export ("Get a copy of your data"): a .zip of CSV files at its root.

What kith reads from it:

* `Connections.csv`: `First Name,Last Name,URL,Email Address,Company,Position,Connected On`,
  dates like `12 Mar 2024`. Since 2021 a "Notes:" preamble of a few lines comes before the
  header; exports from before mid-2023 have no URL column; hidden profiles leave rows that
  hold only a date.
* `messages.csv`: `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT
  PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER,...`, dates like `2024-03-14 09:12:44 UTC`,
  CONTENT spanning several lines; exports from 2020 to mid-2023 lack `RECIPIENT PROFILE URLS`
  (TO joins names with ", "); sponsored messages have no sender URL. Exports from 2018 wrote
  `From,To,Date,Subject,Content,Direction,Folder`, with names only and INCOMING/OUTGOING,
  and Connected On sometimes with a clock time (`1/4/18, 12:38 AM`). Message text keeps
  HTML entities (`&rsquo;`, `&nbsp;`, `&amp;`).
* `Invitations.csv`: `From,To,Sent At,Message,Direction` (`3/12/24, 9:15 AM`), and since
  2023 `inviterProfileUrl,inviteeProfileUrl`.
* `Profile.csv`: the user's own first and last name.

Files are UTF-8 (with or without a byte-order mark); some old exports wrote UTF-16LE,
tab-separated files, which are read too.

Each connection is a contact with a `follow` touch at the connection time in `options.tz`
(noon for a bare date, moved to just before the first message with them that day when that
is earlier): `out` when Invitations.csv shows the user sent the invitation, `in` otherwise.
An invitation with a message is a `dm`. Messages are `dm` both ways in one-to-one
conversations; in groups of at most 8 (the user included) each member's own message is a
`chat` in; the user's messages to a group, and larger groups, are left out.

Texts are yielded with HTML entities decoded and non-breaking spaces made plain. A message
without text (empty CONTENT) is no touch: the user's empty messages at the connection time
are invitation acceptances, which the `follow` already stands for. 2018 messages have no
sender URL to tell sponsored InMail ("Ana from Some Cloud") from people: when
Connections.csv is there, the messages of a sender who is not a connection and to whom the
user never wrote (no OUTGOING message to that name) are left out, and a `Note` says how
many. Message ids are made from the text as written, so they do not change.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

from kith.domain.identity import HandleError, name_key, normalise
from kith.domain.model import Channel, Direction
from kith.domain.phrasing import plural
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Myself, Options
from kith.ingest.common import detect_encoding, digest, identify_with, member_label
from kith.ingest.records import Contact, Handle, Me, Note, Record, Touch

#: the user plus at most 7 others: larger group conversations are left out
MAX_GROUP = 8
#: lines read while looking for the header row (the "Notes:" preamble is 3 lines)
MAX_PREAMBLE_LINES = 20
#: senders that stand for a hidden or deleted member, not one person
PLACEHOLDER_NAMES = frozenset({"linkedin member", "linkedin user"})

CONNECTIONS = "connections.csv"
MESSAGES = "messages.csv"
INVITATIONS = "invitations.csv"
PROFILE = "profile.csv"

#: how each file's header row starts (upper case, comma-separated, quotes removed)
HEADERS: dict[str, tuple[str, ...]] = {
    CONNECTIONS: ("FIRST NAME,LAST NAME",),
    MESSAGES: ("CONVERSATION ID,", "FROM,TO,DATE,"),
    INVITATIONS: ("FROM,TO,SENT AT",),
    PROFILE: ("FIRST NAME,LAST NAME",),
}

#: columns without which a file cannot be read (a header cut short lacks them)
REQUIRED: dict[str, tuple[str, ...]] = {
    CONNECTIONS: ("FIRST NAME", "LAST NAME", "CONNECTED ON"),
    MESSAGES: ("FROM", "TO", "DATE", "CONTENT"),
    INVITATIONS: ("FROM", "TO", "SENT AT", "DIRECTION"),
    PROFILE: ("FIRST NAME", "LAST NAME"),
}
#: the files a user may give alone
KINDS = (CONNECTIONS, MESSAGES, INVITATIONS)

#: "12 Mar 2024"; "4-Apr-21" once a spreadsheet has re-saved the file
_DAY = re.compile(r"^\s*(\d{1,2})([ -])([A-Za-z]{3})[a-z]*\2(\d{4}|\d{2})\s*$")
_DAY_FIRST = re.compile(r"^\s*\d{1,2}[ -][A-Za-z]")
_MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DEFAULT_DAY = datetime(2000, 1, 1)
#: a clock time in a Connected On cell ("1/4/18, 12:38 AM", "04 Jan 2018 00:38")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
#: zone names dateutil would otherwise read as the machine's own zone
_ZONES = {"UTC": UTC, "GMT": UTC, "Z": UTC}


# -- CSV files ---------------------------------------------------------------------------
def _header_key(line: str) -> str:
    """A header line as `A,B,C`: upper case, quotes and surrounding blanks removed."""
    cells = next(csv.reader([line.replace("\t", ",")]), [])
    return ",".join(c.strip().strip('"').strip().upper() for c in cells)


def _is_header(line: str, starts: tuple[str, ...]) -> bool:
    return _header_key(line).startswith(starts)


@dataclass
class Table:
    """The rows of one CSV file, each a dict keyed by upper-case column name."""

    member: str
    where: str  # "messages.csv in export.zip", for messages
    columns: list[str]
    reader: _LineReader
    offset: int  # lines before the header row, included

    def line(self) -> int:
        return self.offset + self.reader.line_num

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self.columns)
        for cells in self.reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != width:
                raise ImportFailed(
                    f"{self.where}: line {self.line()} has {len(cells)} fields where the "
                    f"header has {width}; the file may be cut short or damaged."
                )
            yield self.line(), dict(zip(self.columns, cells, strict=True))


class _LineReader:
    """csv.reader with its line counter visible to the type checker."""

    def __init__(self, stream: io.TextIOWrapper, delimiter: str) -> None:
        self._reader = csv.reader(stream, delimiter=delimiter, strict=True)

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> _LineReader:
        return self

    def __next__(self) -> list[str]:
        return next(self._reader)


def open_kind(archive: Archive, member: str, kind: str) -> AbstractContextManager[Table]:
    """Open one of the LinkedIn files (`kind` is its lower-case standard name)."""
    return open_table(archive, member, HEADERS[kind], REQUIRED[kind])


@contextmanager
def open_table(
    archive: Archive, member: str, starts: tuple[str, ...], required: tuple[str, ...] = ()
) -> Iterator[Table]:
    """Open one CSV member: find its header row past any preamble, whatever its encoding
    and delimiter; bad bytes or quoting become an ImportFailed naming the file and line."""
    where = where_in(archive, member)
    stream = archive.open_binary(member)
    table: Table | None = None
    try:
        encoding = detect_encoding(_peek(stream, 4))
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        header, offset = _find_header(text, starts, where)
        delimiter = "\t" if header.count("\t") > header.count(",") else ","
        columns = [
            c.strip().strip('"').strip().upper()
            for c in next(csv.reader([header], delimiter=delimiter))
        ]
        missing = [c for c in required if c not in columns]
        if missing:
            raise ImportFailed(
                f"{where}: the header row lacks '{missing[0].title()}'; the file may be cut short."
            )
        table = Table(member, where, columns, _LineReader(text, delimiter), offset)
        yield table
    except UnicodeDecodeError as exc:
        line = f" near line {table.line()}" if table else ""
        raise ImportFailed(f"{where} is not readable text{line} ({exc.reason}).") from exc
    except csv.Error as exc:
        line = f" near line {table.line()}" if table else ""
        raise ImportFailed(f"{where} is damaged{line} ({exc}); the file may be cut short.") from exc
    finally:
        stream.close()


def _peek(stream: IO[bytes], size: int) -> bytes:
    """The first bytes of a stream, left unread (the archive's streams are buffered)."""
    return stream.peek(size)[:size] if isinstance(stream, io.BufferedReader) else b""


def _find_header(text: io.TextIOWrapper, starts: tuple[str, ...], where: str) -> tuple[str, int]:
    for number in range(1, MAX_PREAMBLE_LINES + 1):
        line = text.readline()
        if not line:
            break
        if _is_header(line, starts):
            return line.rstrip("\r\n"), number
    raise ImportFailed(
        f"{where} has no header row starting '{starts[0].title()}'; "
        "it may be cut short or not come from a LinkedIn export."
    )


def sniff_kind(head: bytes) -> str | None:
    """Which LinkedIn file a lone CSV is, from its first bytes (None: not one of them)."""
    encoding = detect_encoding(head[:4])
    text = head.decode(encoding, errors="replace")
    for line in text.splitlines()[:MAX_PREAMBLE_LINES]:
        key = _header_key(line)
        if key.startswith("FIRST NAME,LAST NAME") and "CONNECTED ON" in key:
            return CONNECTIONS
        if key.startswith("CONVERSATION ID,") or (
            key.startswith("FROM,TO,DATE,") and "DIRECTION" in key
        ):
            return MESSAGES
        if key.startswith("FROM,TO,SENT AT"):
            return INVITATIONS
    return None


def find_files(archive: Archive) -> dict[str, str]:
    """The LinkedIn files of an export, by lower-case file name (first found wins)."""
    if archive.is_single_file:
        (name,) = archive.names()
        with archive.open_binary(name) as stream:
            kind = sniff_kind(stream.read(8192))
        if kind is None and name.lower().endswith(".csv"):
            # a lone file renamed on download ("Connections (1).csv"), maybe cut short
            # before its header: extract says so
            kind = next((k for k in KINDS if k.removesuffix(".csv") in name.lower()), None)
        return {kind: name} if kind else {}
    found: dict[str, str] = {}
    for name in archive.names():
        base = name.rsplit("/", 1)[-1].lower()
        if base in HEADERS:
            found.setdefault(base, name)
    return found


# -- people and times ----------------------------------------------------------------------
def where_in(archive: Archive, member: str) -> str:
    """How messages name a LinkedIn file: "messages.csv in export.zip"."""
    return member_label(archive, member, quoted=False)


def slug_of(url: str) -> str | None:
    """The profile name in a LinkedIn URL ("https://www.linkedin.com/in/ana-k" -> "ana-k")."""
    text = unquote(url.strip())
    if not text:
        return None
    try:
        return normalise("linkedin", text)
    except HandleError:
        return None


def profile_url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


@dataclass(frozen=True)
class Party:
    """Someone in a file: a display name and, when the file gives one, a profile slug."""

    name: str
    slug: str | None = None

    @property
    def key(self) -> str | None:
        """`slug`, else `name:<name>`; None for a placeholder such as "LinkedIn Member"."""
        if self.slug:
            return self.slug
        nk = name_key(self.name)
        if not nk or nk in PLACEHOLDER_NAMES:
            return None
        return f"name:{nk}"


def contact_of(key: str, shown: str | None) -> Contact:
    """The contact for a party key, with the profile URL or display-name handle."""
    if key.startswith("name:"):
        name = shown or key[5:]
        return Contact(f"linkedin:{key}", name, (Handle("linkedin", f"name:{name}"),))
    return Contact(f"linkedin:{key}", shown or None, (Handle("linkedin", profile_url(key)),))


def parse_day(text: str, tz: ZoneInfo, where: str) -> datetime:
    """A connection date ("12 Mar 2024") as noon that day in `tz`."""
    match = _DAY.match(text)
    try:
        two_digits = match is not None and len(match[4]) == 2
        if match and match[3].lower() in _MONTHS and not (two_digits and match[2] == " "):
            year = int(match[4]) + (2000 if two_digits else 0)
            day = datetime(year, _MONTHS[match[3].lower()], int(match[1]))
        elif _DAY_FIRST.match(text):
            raise ValueError(text)  # "12 Mar 20": a date cut short
        else:
            day = dateparser.parse(text, default=_DEFAULT_DAY)
    except (ValueError, OverflowError) as exc:
        raise ImportFailed(f"{where}: '{text[:40]}' is not a date.") from exc
    return day.replace(hour=12, minute=0, second=0, microsecond=0, tzinfo=tz).astimezone(UTC)


def parse_time(text: str, tz: ZoneInfo, where: str) -> datetime:
    """A message or invitation time; one written without a zone is read in `tz`."""
    try:
        moment = dateparser.parse(text, default=_DEFAULT_DAY, tzinfos=_ZONES)
    except (ValueError, OverflowError) as exc:
        raise ImportFailed(f"{where}: '{text[:40]}' is not a date and time.") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def clean_text(text: str) -> str:
    """Message text as shown: HTML entities (`&rsquo;`, `&amp;`) decoded, non-breaking
    spaces made plain."""
    return html.unescape(text).replace("\xa0", " ").strip()


def looks_like_suffix(piece: str) -> bool:
    """ "Ph.D.", "MBA": a piece of a comma-joined TO that belongs to the name before it."""
    word = piece.strip()
    return bool(word) and " " not in word and ("." in word or word.isupper())


def split_names(text: str) -> list[str]:
    """The names of a TO field ("Ana Lee, Jane Doe, Ph.D." -> ["Ana Lee", "Jane Doe, Ph.D."])."""
    names: list[str] = []
    for piece in text.split(","):
        if names and looks_like_suffix(piece):
            names[-1] = f"{names[-1]},{piece}"
        elif piece.strip():
            names.append(piece.strip())
    return [" ".join(n.split()) for n in names]


# -- the user -------------------------------------------------------------------------------
@dataclass
class User:
    """What is known of the user: profile slugs and display names (name keys)."""

    slugs: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # name key -> name as written

    def add_name(self, name: str) -> None:
        nk = name_key(name)
        if nk and nk not in PLACEHOLDER_NAMES:
            self.names.setdefault(nk, " ".join(name.split()))

    def add(self, party: Party) -> None:
        if party.slug:
            self.slugs.add(party.slug)
        self.add_name(party.name)

    def is_me(self, key: str | None, name: str = "") -> bool:
        if key is None:
            return False
        if key.startswith("name:"):
            return key[5:] in self.names
        return key in self.slugs or (not self.slugs and name_key(name) in self.names)

    def record(self) -> Me | None:
        """The user's profile URLs and name. Display names are not handles here: a
        namesake among the contacts must not be taken for the user."""
        if not self.slugs and not self.names:
            return None
        handles = tuple(Handle("linkedin", profile_url(s)) for s in sorted(self.slugs))
        return Me(handles, next(iter(self.names.values()), None))


def user_from(myself: Myself) -> User:
    """--me (and what earlier imports learnt): linkedin profiles, and display names."""
    found = User()
    found.slugs.update(h for h in myself.on("linkedin") if not h.startswith("name:"))
    for name in myself.names_on("linkedin"):
        found.add_name(name)
    return found


# -- invitations ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Invitation:
    other: Party
    direction: Direction
    sent_at: datetime | None
    message: str
    external_id: str


def read_invitations(table: Table, tz: ZoneInfo, me: User) -> list[Invitation]:
    """Every invitation (a few thousand at most); the user's side teaches who they are."""
    found: list[Invitation] = []
    for line, row in table.rows():
        outgoing = row.get("DIRECTION", "").strip().upper() == "OUTGOING"
        sender = Party(row.get("FROM", "").strip(), slug_of(row.get("INVITERPROFILEURL", "")))
        receiver = Party(row.get("TO", "").strip(), slug_of(row.get("INVITEEPROFILEURL", "")))
        user, other = (sender, receiver) if outgoing else (receiver, sender)
        me.add(user)
        sent = row.get("SENT AT", "").strip()
        sent_at = parse_time(sent, tz, f"{table.where}, line {line}") if sent else None
        written = row.get("MESSAGE", "").strip()
        external_id = "invitation:" + digest(sender.name, receiver.name, sent, written)
        direction = Direction.OUT if outgoing else Direction.IN
        found.append(Invitation(other, direction, sent_at, clean_text(written), external_id))
    return found


class InvitationIndex:
    """Invitations by the other party's slug and name, each taken at most once."""

    def __init__(self, invitations: list[Invitation]) -> None:
        self.left = dict(enumerate(invitations))
        self.by_slug: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for n, inv in self.left.items():
            if inv.other.slug:
                self.by_slug.setdefault(inv.other.slug, n)
            if name_key(inv.other.name):
                self.by_name.setdefault(name_key(inv.other.name), n)

    def take(self, slug: str | None, name: str) -> Invitation | None:
        n = self.by_slug.get(slug) if slug else None
        if (n is None or n not in self.left) and name_key(name):
            n = self.by_name.get(name_key(name))
        if n is None:
            return None
        return self.left.pop(n, None)

    def remaining(self) -> list[Invitation]:
        return list(self.left.values())


# -- messages, first pass: who is in each conversation ------------------------------------------
@dataclass
class Conversation:
    parties: dict[str, str] = field(default_factory=dict)  # party key -> name as written
    names: dict[str, str] = field(default_factory=dict)  # name key -> slug seen with it
    others: tuple[str, ...] = ()  # party keys other than the user, once the user is known
    mine: bool = False  # the user was recognised in it (else it is left out)


@dataclass
class MessageRow:
    line: int
    conversation: str
    sender: Party
    recipients: list[Party]
    sent: str
    text: str  # CONTENT as written (message ids are made from it)
    outgoing: bool | None  # the 2018 layout says; the current one does not


def skipped(row: dict[str, str]) -> bool:
    """Drafts, spam, and sponsored messages (which have no sender profile)."""
    if row.get("IS MESSAGE DRAFT", "").strip().lower() in ("yes", "true"):
        return True
    if row.get("FOLDER", "").strip().upper() == "SPAM":
        return True
    return "SENDER PROFILE URL" in row and not row["SENDER PROFILE URL"].strip()


def recipients_of(row: dict[str, str]) -> list[Party]:
    names = split_names(row.get("TO", ""))
    urls = [u for u in row.get("RECIPIENT PROFILE URLS", "").split(",") if u.strip()]
    if not urls:
        return [Party(n) for n in names]
    slugs = [slug_of(u) for u in urls]
    if len(slugs) == len(names):
        return [Party(n, s) for n, s in zip(names, slugs, strict=True)]
    return [Party("", s) for s in slugs if s]


def message_rows(table: Table) -> Iterator[MessageRow]:
    legacy = "CONVERSATION ID" not in table.columns
    for line, row in table.rows():
        if skipped(row):
            continue
        text = row.get("CONTENT", "").strip()
        sender = Party(
            " ".join(row.get("FROM", "").split()), slug_of(row.get("SENDER PROFILE URL", ""))
        )
        if legacy:
            outgoing = row.get("DIRECTION", "").strip().upper() == "OUTGOING"
            conversation = ""
        else:
            outgoing = None
            conversation = row.get("CONVERSATION ID", "").strip()
        yield MessageRow(
            line,
            conversation,
            sender,
            recipients_of(row),
            row.get("DATE", "").strip(),
            text,
            outgoing,
        )


@dataclass
class Directory:
    """What the first pass over messages.csv learnt."""

    conversations: dict[str, Conversation] = field(default_factory=dict)
    slugs_by_name: dict[str, set[str]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # party key -> display name
    written_to: set[str] = field(default_factory=set)  # 2018 layout: recipients of the user
    legacy: bool = False

    def observe(self, row: MessageRow) -> None:
        conversation = self.conversations.setdefault(row.conversation, Conversation())
        for party in (row.sender, *row.recipients):
            key = party.key
            if key is None:
                continue
            conversation.parties.setdefault(key, party.name)
            if party.name:
                self.shown.setdefault(key, party.name)
            if party.slug and party.name:
                conversation.names.setdefault(name_key(party.name), party.slug)
                self.slugs_by_name.setdefault(name_key(party.name), set()).add(party.slug)

    def resolve(self, key: str | None, conversation: Conversation) -> str | None:
        """A name-only party as the slug seen with that name (in the conversation, else
        anywhere in the file when only one slug carries it)."""
        if key is None or not key.startswith("name:"):
            return key
        nk = key[5:]
        slug = conversation.names.get(nk)
        if slug is None and len(self.slugs_by_name.get(nk, ())) == 1:
            (slug,) = self.slugs_by_name[nk]
        return slug or key

    def keys(self, conversation: Conversation) -> set[str]:
        return {k for k in (self.resolve(p, conversation) for p in conversation.parties) if k}


def read_directory(table: Table, me: User) -> Directory:
    directory = Directory(legacy="CONVERSATION ID" not in table.columns)
    for row in message_rows(table):
        if row.outgoing is True:
            me.add(row.sender)
            directory.written_to.update(k for p in row.recipients if (k := p.key))
        elif row.outgoing is False and len(row.recipients) == 1:
            me.add(row.recipients[0])
        if not directory.legacy:
            directory.observe(row)
    return directory


def find_the_user(directory: Directory, me: User, connections: set[str], where: str) -> None:
    """Make sure the user is known in every conversation: from what --me, Profile.csv and
    Invitations.csv said, else the one party present in every conversation (a user is never
    their own connection). Raises ImportFailed when nobody fits."""
    conversations = list(directory.conversations.values())
    if not conversations:
        return

    def covered(conversation: Conversation) -> bool:
        return any(
            me.is_me(k, conversation.parties.get(k) or directory.shown.get(k, ""))
            for k in directory.keys(conversation) | set(conversation.parties)
        )

    if not all(covered(c) for c in conversations):
        everywhere = set.intersection(*(directory.keys(c) for c in conversations))
        candidates = {k for k in everywhere if not k.startswith("name:")}
        if len(candidates) > 1 and me.names:
            named = {k for k in candidates if name_key(directory.shown.get(k, "")) in me.names}
            candidates = named or candidates
        if len(candidates) > 1:
            candidates -= connections
        if len(candidates) == 1:
            me.slugs |= candidates
            me.add_name(directory.shown.get(next(iter(candidates)), ""))
    if not any(covered(c) for c in conversations):
        raise ImportFailed(
            f"Cannot tell which participant of {where} is you; pass "
            "--me linkedin:<your profile name> (as in linkedin.com/in/<your profile name>)."
        )
    for conversation in conversations:
        conversation.mine = covered(conversation)
        keys = directory.keys(conversation)
        conversation.others = tuple(
            sorted(k for k in keys if not me.is_me(k, directory.shown.get(k, "")))
        )


# -- the importer ------------------------------------------------------------------------------
class LinkedInImporter(Importer):
    source = "linkedin"
    title = "a LinkedIn data export"

    def identify(self, path: Path) -> bool:
        return identify_with(path, find_files)

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            yield from _Export(archive, find_files(archive), options).records()


class _Export:
    """One run over an export: the files are read in the order the records need."""

    def __init__(self, archive: Archive, files: dict[str, str], options: Options) -> None:
        self.archive = archive
        self.files = files
        self.tz = ZoneInfo(options.tz)
        self.me = user_from(options.myself)
        self.yielded: set[str] = set()
        self.directory: Directory | None = None
        #: 2018 layout with Connections.csv: the senders whose messages are kept (party keys
        #: of connections and of everyone the user wrote to); None: every sender
        self.known: set[str] | None = None
        #: messages left out by `known`, by sender
        self.left_out: Counter[str] = Counter()
        #: the first message with each contact on each day (in `tz`)
        self.first_on_day: dict[tuple[str, date], datetime] = {}

    def records(self) -> Iterator[Record]:
        self.read_profile()
        invitations = self.read_invitations()
        directory = self.directory = self.read_directory()
        connected = self.read_connections()
        if directory is not None and not directory.legacy:
            where = where_in(self.archive, self.files[MESSAGES])
            slugs = {p.slug for p in connected or () if p.slug}
            find_the_user(directory, self.me, slugs, where)
        if directory is not None and connected is not None:
            if directory.legacy:
                self.known = {k for p in connected if (k := p.key)} | directory.written_to
            self.first_on_day = self.first_messages(directory)
        me = self.me.record()
        if me is not None:
            yield me
        index = InvitationIndex(invitations)
        yield from self.connections(index)
        yield from self.open_invitations(index)
        if directory is not None:
            yield from self.messages(directory)
        if self.left_out:
            messages, senders = self.left_out.total(), len(self.left_out)
            yield Note(
                f"Left out {plural(messages, 'message')} from {plural(senders, 'sender')} "
                "who are not among your connections and never got a reply "
                "(sponsored InMail, for example)."
            )

    # -- the user's files
    def read_profile(self) -> None:
        if PROFILE not in self.files:
            return
        with open_kind(self.archive, self.files[PROFILE], PROFILE) as table:
            for _, row in table.rows():
                self.me.add_name(f"{row.get('FIRST NAME', '')} {row.get('LAST NAME', '')}")
                break

    def read_invitations(self) -> list[Invitation]:
        if INVITATIONS not in self.files:
            return []
        with open_kind(self.archive, self.files[INVITATIONS], INVITATIONS) as table:
            return read_invitations(table, self.tz, self.me)

    def read_directory(self) -> Directory | None:
        if MESSAGES not in self.files:
            return None
        with open_kind(self.archive, self.files[MESSAGES], MESSAGES) as table:
            return read_directory(table, self.me)

    def read_connections(self) -> list[Party] | None:
        """Who is in Connections.csv, by name and profile (None without the file)."""
        if CONNECTIONS not in self.files:
            return None
        with open_kind(self.archive, self.files[CONNECTIONS], CONNECTIONS) as table:
            return [
                Party(
                    " ".join(f"{row.get('FIRST NAME', '')} {row.get('LAST NAME', '')}".split()),
                    slug_of(row.get("URL", "")),
                )
                for _, row in table.rows()
            ]

    # -- contacts and touches
    def slug_for_name(self, name: str) -> str | None:
        """The one profile that sent messages under this name, if exactly one did."""
        if self.directory is None:
            return None
        slugs = self.directory.slugs_by_name.get(name_key(name), set())
        return next(iter(slugs)) if len(slugs) == 1 else None

    def contact(self, key: str, name: str | None) -> Iterator[Contact]:
        if key not in self.yielded:
            self.yielded.add(key)
            yield contact_of(key, name)

    def connections(self, index: InvitationIndex) -> Iterator[Record]:
        if CONNECTIONS not in self.files:
            return
        with open_kind(self.archive, self.files[CONNECTIONS], CONNECTIONS) as table:
            for line, row in table.rows():
                yield from self.connection(row, f"{table.where}, line {line}", index)

    def connection(
        self, row: dict[str, str], where: str, index: InvitationIndex
    ) -> Iterator[Record]:
        name = " ".join(f"{row.get('FIRST NAME', '')} {row.get('LAST NAME', '')}".split())
        party = Party(name, slug_of(row.get("URL", "")))
        key = party.key
        if key is None or key in self.me.slugs:
            return  # a hidden profile: the row holds only a date
        handles = list(contact_of(key, name).handles)
        if party.slug is None and (slug := self.slug_for_name(name)) is not None:
            # exports before mid-2023 have no URL column: the messages know the profile
            party = Party(name, slug)
            key = slug
            handles.insert(0, Handle("linkedin", profile_url(slug)))
        email = row.get("EMAIL ADDRESS", "").strip()
        if email:
            handles.append(Handle("email", email))
        self.yielded.add(key)
        yield Contact(
            f"linkedin:{key}",
            name or None,
            tuple(handles),
            organisation=row.get("COMPANY", "").strip() or None,
            role=row.get("POSITION", "").strip() or None,
        )
        invitation = index.take(party.slug, name)
        connected = row.get("CONNECTED ON", "").strip()
        if connected:
            direction = invitation.direction if invitation else Direction.IN
            yield Touch(
                f"connection:{key}",
                f"linkedin:{key}",
                self.connected_at(key, connected, where),
                Channel.FOLLOW,
                direction,
            )
        if invitation is not None:
            yield from self.invitation_touch(key, invitation)

    def connected_at(self, key: str, text: str, where: str) -> datetime:
        """The file's clock time when it gives one; else noon that day, or just before the
        first message with them that day when it is earlier."""
        if _CLOCK.search(text):
            return parse_time(text, self.tz, where)
        noon = parse_day(text, self.tz, where)
        first = self.first_on_day.get((key, noon.astimezone(self.tz).date()))
        return noon if first is None else min(noon, first - timedelta(seconds=1))

    def open_invitations(self, index: InvitationIndex) -> Iterator[Record]:
        """Invitations with a message to or from someone who is not (yet) a connection."""
        for invitation in index.remaining():
            key = invitation.other.key
            if not invitation.message or key is None or self.me.is_me(key, invitation.other.name):
                continue
            yield from self.contact(key, invitation.other.name)
            yield from self.invitation_touch(key, invitation)

    def invitation_touch(self, key: str, invitation: Invitation) -> Iterator[Touch]:
        if invitation.message and invitation.sent_at is not None:
            yield Touch(
                invitation.external_id,
                f"linkedin:{key}",
                invitation.sent_at,
                Channel.DM,
                invitation.direction,
                invitation.message,
            )

    # -- messages, later passes
    def messages(self, directory: Directory) -> Iterator[Record]:
        for key, shown, touch in self.message_touches(directory):
            yield from self.contact(key, shown)
            yield touch

    def first_messages(self, directory: Directory) -> dict[tuple[str, date], datetime]:
        """The first message with each contact on each day (in `tz`)."""
        first: dict[tuple[str, date], datetime] = {}
        for key, _, touch in self.message_touches(directory):
            day = (key, touch.occurred_at.astimezone(self.tz).date())
            first[day] = min(first.get(day, touch.occurred_at), touch.occurred_at)
        return first

    def message_touches(self, directory: Directory) -> Iterator[tuple[str, str | None, Touch]]:
        """Each message that is a touch: its contact's key and name, and the touch. A message
        without text (an accepted invitation) is none; `left_out` counts the messages of
        senders `known` leaves out."""
        self.left_out.clear()
        last, repeat = "", 0
        with open_kind(self.archive, self.files[MESSAGES], MESSAGES) as table:
            for row in message_rows(table):
                where = f"{table.where}, line {row.line}"
                target = (
                    self.legacy_target(row) if directory.legacy else self.target(row, directory)
                )
                if target is None:
                    continue
                key, channel, direction = target
                base = digest(row.conversation, row.sent, row.sender.key or "", row.text)
                repeat = repeat + 1 if base == last else 0
                last = base
                text = clean_text(row.text)
                if not text:
                    continue
                if self.known is not None and direction is Direction.IN and key not in self.known:
                    self.left_out[key] += 1
                    continue
                touch = Touch(
                    f"message:{base}:{repeat}",
                    f"linkedin:{key}",
                    parse_time(row.sent, self.tz, where),
                    channel,
                    direction,
                    text,
                )
                yield key, directory.shown.get(key) or _shown(key, row), touch

    def target(
        self, row: MessageRow, directory: Directory
    ) -> tuple[str, Channel, Direction] | None:
        """Who a message of the current layout is a touch with, and how."""
        conversation = directory.conversations.get(row.conversation)
        if conversation is None or not conversation.mine:
            return None
        if len(conversation.others) + 1 > MAX_GROUP:
            return None  # a large group: left out entirely
        sender = directory.resolve(row.sender.key, conversation)
        if sender is None:
            return None
        if self.me.is_me(sender, row.sender.name):
            if len(conversation.others) != 1:
                return None  # the user writing to a group is no touch with anyone
            return conversation.others[0], Channel.DM, Direction.OUT
        if len(conversation.others) == 1:
            return sender, Channel.DM, Direction.IN
        return sender, Channel.CHAT, Direction.IN

    def legacy_target(self, row: MessageRow) -> tuple[str, Channel, Direction] | None:
        """The 2018 layout: names only; Direction says who wrote."""
        if row.outgoing:
            others = [p.key for p in row.recipients if not self.me.is_me(p.key, p.name)]
            if len(others) != 1 or others[0] is None:
                return None
            return others[0], Channel.DM, Direction.OUT
        sender = row.sender.key
        if sender is None or self.me.is_me(sender, row.sender.name):
            return None
        size = 1 + max(len(row.recipients), 1)
        if size > MAX_GROUP:
            return None
        channel = Channel.DM if size == 2 else Channel.CHAT
        return sender, channel, Direction.IN


def _shown(key: str, row: MessageRow) -> str | None:
    for party in (row.sender, *row.recipients):
        if party.key == key and party.name:
            return party.name
    return None


IMPORTER = LinkedInImporter()
