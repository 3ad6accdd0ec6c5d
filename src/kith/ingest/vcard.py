"""Address books: vCard files (.vcf) and Google Contacts CSV exports.

What the export looks like:
* a `.vcf` file holding one or many cards (`BEGIN:VCARD` ... `END:VCARD`), in vCard 2.1
  (Outlook, older Android: quoted-printable values with soft line breaks, `TEL;CELL:`),
  3.0 (Google Contacts, Apple Contacts: `item1.URL` with an `item1.X-ABLabel`,
  `X-SOCIALPROFILE`) or 4.0 (RFC 6350: `TEL;VALUE=uri:tel:+1...`, `BDAY:--1209`); Google
  Takeout packs it as `Takeout/Contacts/<label>/<label>.vcf` in a .zip;
* a Google Contacts CSV export: the legacy layout (`Name`, `Given Name`, ...,
  `E-mail 1 - Type`, `E-mail 1 - Value`, `Organization 1 - Name`) or the 2023+ one
  (`First Name`, `Last Name`, ..., `E-mail 1 - Label`, `Organization Name`); one cell may
  hold several values separated by ` ::: `.

What kith takes from each card: a contact with its name (FN, else N), e-mail addresses,
phone numbers, profile links (X, LinkedIn, Mastodon, Bluesky, Facebook, Instagram,
Telegram; any other link is a `web` handle), birthday, organisation and role, and city.
An address book holds no interactions. Handles found on cards of different names (a
switchboard, a family landline) are left out; cards of one name sharing a handle are one
person; a card with no handle of its own is left out (nothing could recognise that person
again); the card that is the user (one of its handles was given with `--me` or is already
known as the user's) becomes the user's own identities.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import vobject  # type: ignore[import-untyped,unused-ignore]
from vobject.base import Component, ParseError  # type: ignore[import-untyped,unused-ignore]

from kith.domain.calendar import YEARLESS
from kith.domain.identity import HandleError, name_key, normalise
from kith.domain.links import split_url
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.common import detect_encoding, member_label
from kith.ingest.records import Contact, Handle, Me, Record

VCARD_FILES = ("*.vcf", "*.vcard")
CSV_FILES = ("*.csv",)
SNIFF_BYTES = 4096
#: how Google Contacts CSV joins several values in one cell
CSV_SEPARATOR = " ::: "

# -- profile links ------------------------------------------------------------------------

#: words that name a platform in TYPE=, SERVICE-TYPE=, X-ABLabel, a CSV label or X-<NAME>
_PLATFORM_WORDS = {
    "twitter": "x",
    "x": "x",
    "linkedin": "linkedin",
    "mastodon": "mastodon",
    "fediverse": "mastodon",
    "bluesky": "bluesky",
    "bsky": "bluesky",
    "facebook": "facebook",
    "instagram": "instagram",
    "telegram": "telegram",
}
_X_HOSTS = ("x.com", "twitter.com")
_FACEBOOK_HOSTS = ("facebook.com", "fb.com")
_TELEGRAM_HOSTS = ("t.me", "telegram.me")
#: first path segments that are pages of the site, not profiles
_NOT_PROFILES = {
    "x": {"i", "intent", "home", "search", "share", "hashtag", "explore", "settings", "messages"},
    "facebook": {"pages", "groups", "events", "sharer", "sharer.php", "watch", "marketplace"},
    "instagram": {"p", "reel", "reels", "explore", "stories", "tv", "accounts"},
}
#: sites whose https://host/@user pages are not Mastodon profiles
_NOT_MASTODON = {
    "medium.com",
    "youtube.com",
    "tiktok.com",
    "threads.net",
    "threads.com",
    "substack.com",
    "pinterest.com",
    "vimeo.com",
}
_X_USER = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_SOCIAL_PROPERTIES = ("x-socialprofile", "socialprofile")
_IM_PROPERTIES = ("impp",)


def platform_word(text: str | None) -> str | None:
    """The kith platform a label such as 'Twitter' or 'type=linkedin' names, if any."""
    if not text:
        return None
    word = text.strip().lower().removeprefix("x-").replace(" ", "")
    return _PLATFORM_WORDS.get(word)


def _host_and_segments(url: str) -> tuple[str, list[str], str] | None:
    parts = split_url(url if "://" in url else f"https://{url}")
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    for prefix in ("www.", "mobile.", "m."):
        host = host.removeprefix(prefix)
    return host, [s for s in parts.path.split("/") if s], parts.query


def _is_host(host: str, hosts: Iterable[str]) -> bool:
    return any(host == h or host.endswith(f".{h}") for h in hosts)


def profile_from_url(url: str, hint: str | None = None) -> Handle | None:
    """The identity a profile link stands for; any other http(s) link is a `web` handle.

    `hint` is the platform the card says the link belongs to (it decides for Mastodon
    servers that do not use the usual https://host/@user form)."""
    found = _host_and_segments(url)
    if found is None:
        return None
    host, segments, query = found
    first = segments[0] if segments else ""
    if _is_host(host, _X_HOSTS):
        if _X_USER.match(first) and first.lower() not in _NOT_PROFILES["x"]:
            return Handle("x", first)
    elif _is_host(host, ("linkedin.com",)):
        if len(segments) >= 2 and first in ("in", "pub"):
            return Handle("linkedin", segments[1])
    elif host == "bsky.app":
        if len(segments) >= 2 and first == "profile":
            return Handle("bluesky", segments[1])
    elif _is_host(host, _FACEBOOK_HOSTS):
        if first == "profile.php":
            number = parse_qs(query).get("id", [""])[0]
            if number.isdigit():
                return Handle("facebook", number)
        elif len(segments) == 1 and first.lower() not in _NOT_PROFILES["facebook"]:
            return Handle("facebook", first)
    elif _is_host(host, ("instagram.com",)):
        if first and first.lower() not in _NOT_PROFILES["instagram"]:
            return Handle("instagram", first)
    elif host in _TELEGRAM_HOSTS:
        if len(segments) == 1:
            return Handle("telegram", first)
    elif hint == "mastodon" or _looks_like_mastodon(host, segments):
        mastodon = _mastodon_user(host, segments)
        if mastodon is not None:
            return Handle("mastodon", mastodon)
    return Handle("web", url)


def _looks_like_mastodon(host: str, segments: list[str]) -> bool:
    return (
        len(segments) == 1
        and segments[0].startswith("@")
        and len(segments[0]) > 1
        and not _is_host(host, _NOT_MASTODON)
    )


def _mastodon_user(host: str, segments: list[str]) -> str | None:
    """user@server from https://server/@user, https://server/@user@home or /users/user."""
    if segments and segments[0].startswith("@") and len(segments[0]) > 1:
        user = segments[0][1:]
        return user if "@" in user else f"{user}@{host}"
    if len(segments) >= 2 and segments[0] == "users":
        return f"{segments[1]}@{host}"
    return None


def _looks_like_url(text: str) -> bool:
    if text.lower().startswith(("http://", "https://", "www.")):
        return True
    host = text.split("/")[0]
    return "/" in text and "." in host and "@" not in host and " " not in text


def profile_handle(value: str, hint: str | None) -> Handle | None:
    """A profile from a link or, when the card names the platform, a bare user name."""
    text = value.strip().replace("\\:", ":").replace("\\,", ",")
    for scheme in ("x-apple:", "x-social:"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    if not text:
        return None
    if _looks_like_url(text):
        return profile_from_url(text, hint)
    if hint is None or ":" in text:
        return None  # an IM address (xmpp:, skype:, ...) or a word kith cannot place
    return Handle(hint, text)


# -- what one card says ---------------------------------------------------------------------


@dataclass
class Card:
    """One card (or CSV row) as read, before it becomes a Contact or the user."""

    uid: str | None = None
    name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    profiles: list[Handle] = field(default_factory=list)
    birthday: date | None = None
    organisation: str | None = None
    role: str | None = None
    city: str | None = None

    def handles(self) -> list[Handle]:
        return [
            *(Handle("email", e) for e in self.emails),
            *(Handle("phone", p) for p in self.phones),
            *self.profiles,
        ]


_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_MONTH_DAY = re.compile(r"^--(\d{2})-?(\d{2})$")


def parse_birthday(text: str, omit_year: str | None = None) -> date | None:
    """A birthday from 1990-05-17, 19900517, 1953-10-15T23:10:00Z, --1209 or --12-09 (a
    date without a year gets the year YEARLESS); None for what cannot be read."""
    value = text.strip()
    year: int | None
    full = _FULL_DATE.match(value)
    if full:
        year, month, day = (int(g) for g in full.groups())
        if omit_year is not None and omit_year.strip() == full.group(1):
            year = None
    else:
        partial = _MONTH_DAY.match(value)
        if not partial:
            return None
        year, month, day = None, int(partial.group(1)), int(partial.group(2))
    try:
        return date(year or YEARLESS, month, day)
    except ValueError:
        return None


def readable_handles(handles: Iterable[Handle], region: str) -> list[tuple[Handle, str]]:
    """Each handle kith can read, once, with its normalised form (unreadable ones dropped)."""
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[Handle, str]] = []
    for handle in handles:
        try:
            normal = normalise(handle.platform, handle.value, region)
        except HandleError:
            continue
        if (handle.platform, normal) not in seen:
            seen.add((handle.platform, normal))
            kept.append((handle, normal))
    return kept


def _card_name(card: Card, index: int) -> str:
    return name_key(card.name or "") or f"#{index}"  # a card without a name is nobody else


@dataclass
class BookIndex:
    """What a first pass over the address book learns.

    `shared`: handles found on cards of different names (a company switchboard, a family
    landline, an info@ address, a company's profile): they identify no one person and would
    merge everyone holding them, so they are left out. `first_of`: cards of one name that
    have a handle in common are one person (a duplicate entry); each such card maps to the
    first card of its group, whose key they all take."""

    shared: set[tuple[str, str]] = field(default_factory=set)
    first_of: dict[int, int] = field(default_factory=dict)
    firsts: set[int] = field(default_factory=set)


def index_cards(cards: Iterable[Card], region: str) -> BookIndex:
    holders: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for index, card in enumerate(cards):
        name = _card_name(card, index)
        for handle, normal in readable_handles(card.handles(), region):
            holders.setdefault((handle.platform, normal), []).append((index, name))
    shared = {h for h, held in holders.items() if len({name for _, name in held}) > 1}
    parent: dict[int, int] = {}

    def first(index: int) -> int:
        while parent.get(index, index) != index:
            index = parent[index]
        return index

    for pair, held in holders.items():
        if pair in shared or len(held) < 2:
            continue
        for index, _ in held[1:]:
            low, high = sorted((first(held[0][0]), first(index)))
            if low != high:
                parent[high] = low
    first_of = {index: first(index) for index in parent}
    return BookIndex(shared, first_of, set(first_of.values()))


def card_record(
    card: Card,
    me: set[tuple[str, str]],
    region: str,
    shared: Set[tuple[str, str]] = frozenset(),
) -> Me | Contact | None:
    """The Contact a card stands for, the user's Me, or None for a card without handles of
    its own (handles shared with other people's cards are left out)."""
    readable = readable_handles(card.handles(), region)
    handles = [(h, n) for h, n in readable if (h.platform, n) not in shared]
    name = " ".join((card.name or "").split()) or None
    mine = [(h, n) for h, n in readable if (h.platform, n) in me]
    if mine:
        return Me(tuple(dict.fromkeys(h for h, _ in [*mine, *handles])), name)
    if not handles:
        return None
    first, normal = handles[0]
    if card.uid:
        key = f"uid:{card.uid}"
    else:
        digest = hashlib.sha1(f"{name or ''}\n{first.platform}:{normal}".encode()).hexdigest()
        key = f"card:{digest[:20]}"
    return Contact(
        key=key,
        name=name,
        handles=tuple(h for h, _ in handles),
        city=card.city,
        birthday=card.birthday,
        organisation=card.organisation,
        role=card.role,
    )


# -- vCard ------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A property value as one string (vobject gives lists for ORG and structured parts)."""
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    if isinstance(value, bytes):
        return ""
    return " ".join(str(value or "").split())


def _params(line: object, *names: str) -> list[str]:
    params: dict[str, list[str]] = getattr(line, "params", {}) or {}
    found: list[str] = []
    for key, values in params.items():
        if key.upper() in names:
            found.extend(str(v) for v in values)
    if "TYPE" in names:  # vCard 2.1: TEL;CELL;HOME
        found.extend(str(v) for v in getattr(line, "singletonparams", []) or [])
    return found


def _lines(card: Component, name: str) -> list[object]:
    return list(card.contents.get(name, []))


def _name(card: Component) -> str | None:
    for line in _lines(card, "fn"):
        text = _text(getattr(line, "value", ""))
        if text:
            return text
    for line in _lines(card, "n"):
        value = getattr(line, "value", None)
        parts = [
            _text(getattr(value, attr, ""))
            for attr in ("prefix", "given", "additional", "family", "suffix")
        ]
        text = " ".join(p for p in parts if p)
        if text:
            return text
    return None


def _labels(card: Component) -> dict[str, str]:
    """item1.X-ABLabel:Twitter -> {"item1": "Twitter"} (Apple and Google label links so)."""
    labels: dict[str, str] = {}
    for line in _lines(card, "x-ablabel"):
        group = getattr(line, "group", None)
        if group:
            labels[str(group).lower()] = _text(getattr(line, "value", "")).strip("_$!<>")
    return labels


def _profiles(card: Component) -> list[Handle]:
    labels = _labels(card)
    found: list[Handle] = []
    for line in _lines(card, "url"):
        group = str(getattr(line, "group", "") or "").lower()
        hint = platform_word(labels.get(group)) or _first_platform(_params(line, "TYPE"))
        handle = profile_handle(_text(getattr(line, "value", "")), hint)
        if handle is not None:
            found.append(handle)
    for name in (*_SOCIAL_PROPERTIES, *_IM_PROPERTIES):
        for line in _lines(card, name):
            hint = _first_platform(_params(line, "TYPE", "SERVICE-TYPE", "X-SERVICE-TYPE"))
            users = _params(line, "X-USER")
            value = _text(getattr(line, "value", ""))
            handle = profile_handle(value, hint)
            if handle is None and hint and users:
                handle = profile_handle(users[0], hint)
            if handle is not None:
                found.append(handle)
    for name, lines in card.contents.items():
        hint = platform_word(name) if name.startswith("x-") else None
        if hint is None or name in _SOCIAL_PROPERTIES:
            continue
        for line in lines:  # X-TWITTER:@ana, X-MASTODON:ana@example.social, ...
            handle = profile_handle(_text(getattr(line, "value", "")), hint)
            if handle is not None:
                found.append(handle)
    return found


def _first_platform(words: Iterable[str]) -> str | None:
    return next((p for p in (platform_word(w) for w in words) if p), None)


def _birthday(card: Component) -> date | None:
    for line in _lines(card, "bday"):
        if any(v.lower() == "text" for v in _params(line, "VALUE")):
            continue
        omit = next(iter(_params(line, "X-APPLE-OMIT-YEAR")), None)
        found = parse_birthday(_text(getattr(line, "value", "")), omit)
        if found is not None:
            return found
    return None


def _organisation(card: Component) -> str | None:
    for line in _lines(card, "org"):
        value = getattr(line, "value", "")
        parts = value if isinstance(value, list) else str(value).split(";")
        name = next((_text(p) for p in parts if _text(p)), "")
        if name:
            return name
    return None


def _role(card: Component) -> str | None:
    for name in ("title", "role"):
        for line in _lines(card, name):
            text = _text(getattr(line, "value", ""))
            if text:
                return text
    return None


def _city(card: Component) -> str | None:
    """The locality of the home address, else of the first address that has one."""
    cities: list[tuple[bool, str]] = []
    for line in _lines(card, "adr"):
        city = _text(getattr(getattr(line, "value", None), "city", ""))
        if city:
            home = any(t.lower() == "home" for t in _params(line, "TYPE"))
            cities.append((not home, city))
    return min(cities, key=lambda c: c[0])[1] if cities else None


def _phone(value: str) -> str:
    return value.strip().removeprefix("tel:")


def card_from_vcard(card: Component) -> Card:
    uid = next((_text(getattr(u, "value", "")) for u in _lines(card, "uid")), "") or None
    return Card(
        uid=uid,
        name=_name(card),
        emails=[_text(getattr(e, "value", "")) for e in _lines(card, "email")],
        phones=[_phone(_text(getattr(t, "value", ""))) for t in _lines(card, "tel")],
        profiles=_profiles(card),
        birthday=_birthday(card),
        organisation=_organisation(card),
        role=_role(card),
        city=_city(card),
    )


def read_vcards(archive: Archive, name: str, encoding: str = "utf-8-sig") -> Iterator[Card]:
    """The cards of one .vcf member, streamed; a cut-short or damaged file is refused."""
    where = member_label(archive, name)
    with archive.open_text(name, encoding) as text:
        components = vobject.readComponents(text, allowQP=True)
        number = 0
        while True:
            try:
                component = next(components)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise
            except ParseError as exc:
                raise ImportFailed(
                    f"{where} is not a readable vCard file at line {exc.lineNumber} "
                    f"({exc.msg}); it may be cut short or damaged."
                ) from exc
            except ValueError as exc:
                raise ImportFailed(
                    f"{where}: card {number + 1} holds data that cannot be decoded ({exc})."
                ) from exc
            number += 1
            if component.name.upper() == "VCARD":
                yield card_from_vcard(component)


# -- Google Contacts CSV ----------------------------------------------------------------------

_COLUMN = re.compile(r"^(E-mail|Phone|Website|Address) (\d+) - (Value|City|Type|Label)$")


@dataclass
class CsvLayout:
    """Where the fields of one Google Contacts CSV header are."""

    header: list[str]
    columns: dict[tuple[str, str, str], int]  # (kind, number, part) -> index

    @classmethod
    def of(cls, header: list[str]) -> CsvLayout:
        columns: dict[tuple[str, str, str], int] = {}
        for index, title in enumerate(header):
            found = _COLUMN.match(title.strip())
            if found:
                kind, number, part = found.groups()
                columns[(kind, number, part)] = index
        return cls([h.strip() for h in header], columns)

    def cell(self, row: list[str], title: str) -> str:
        try:
            return row[self.header.index(title)].strip()
        except ValueError:
            return ""

    def values(self, row: list[str], kind: str) -> list[tuple[str, str]]:
        """(value, label) of every `<kind> N - Value` cell, split on ' ::: '."""
        found: list[tuple[str, str]] = []
        for (k, number, part), index in sorted(self.columns.items()):
            if k != kind or part not in ("Value", "City"):
                continue
            label_at = self.columns.get(
                (kind, number, "Type"), self.columns.get((kind, number, "Label"))
            )
            label = row[label_at].strip() if label_at is not None else ""
            for value in row[index].split(CSV_SEPARATOR):
                if value.strip():
                    found.append((value.strip(), label))
        return found


def looks_like_google_csv(header: list[str]) -> bool:
    titles = {h.strip() for h in header}
    named = bool(titles & {"Name", "Given Name", "First Name"})
    return named and bool(titles & {"E-mail 1 - Value", "Phone 1 - Value"})


def card_from_google_row(layout: CsvLayout, row: list[str]) -> Card:
    cell = layout.cell
    name = cell(row, "Name") or " ".join(
        p
        for p in (
            cell(row, "First Name") or cell(row, "Given Name"),
            cell(row, "Middle Name") or cell(row, "Additional Name"),
            cell(row, "Last Name") or cell(row, "Family Name"),
        )
        if p
    )
    cities = layout.values(row, "Address")
    home = [c for c, label in cities if "home" in label.lower()]
    profiles = [
        h
        for value, label in layout.values(row, "Website")
        if (h := profile_handle(value, platform_word(label.lstrip("* ")))) is not None
    ]
    return Card(
        name=name or cell(row, "Nickname") or cell(row, "File As") or None,
        emails=[v for v, _ in layout.values(row, "E-mail")],
        phones=[v for v, _ in layout.values(row, "Phone")],
        profiles=profiles,
        birthday=parse_birthday(cell(row, "Birthday")),
        organisation=cell(row, "Organization 1 - Name") or cell(row, "Organization Name") or None,
        role=cell(row, "Organization 1 - Title") or cell(row, "Organization Title") or None,
        city=next(iter(home or [c for c, _ in cities]), None),
    )


def read_google_csv(archive: Archive, name: str, encoding: str) -> Iterator[Card]:
    """The rows of one Google Contacts CSV member; a cut-short file is refused."""
    where = member_label(archive, name)
    with archive.open_text(name, encoding) as text:
        reader = csv.reader(text, strict=True)
        try:
            header = next(reader, [])
            layout = CsvLayout.of(header)
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise ImportFailed(
                        f"{where}, line {reader.line_num}: {len(row)} fields where the header "
                        f"has {len(header)}; the file may be cut short."
                    )
                yield card_from_google_row(layout, row)
        except csv.Error as exc:
            raise ImportFailed(
                f"{where}, line {reader.line_num}: not readable CSV ({exc}); "
                "the file may be cut short."
            ) from exc


# -- the importer --------------------------------------------------------------------------


def _sniff(archive: Archive, name: str) -> tuple[str, str] | None:
    """('vcard', encoding) or ('csv', encoding) when the member looks like an address book."""
    with archive.open_binary(name) as stream:
        head = stream.read(SNIFF_BYTES)
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="ignore")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:11].upper() == "BEGIN:VCARD":
        return ("vcard", encoding)
    first = stripped.splitlines()[0] if stripped else ""
    try:
        header = next(csv.reader([first]), [])
    except csv.Error:
        return None
    return ("csv", encoding) if looks_like_google_csv(header) else None


def address_books(archive: Archive) -> list[tuple[str, str, str]]:
    """(member, kind, encoding) of every address book in the export."""
    names = archive.names() if archive.is_single_file else archive.find(*VCARD_FILES, *CSV_FILES)
    found: list[tuple[str, str, str]] = []
    for name in names:
        kind = _sniff(archive, name)
        if kind is not None:
            found.append((name, *kind))
    return found


class VCardImporter(Importer):
    source = "vcard"
    title = "a vCard (.vcf) or Google Contacts CSV address book"

    def identify(self, path: Path) -> bool:
        try:
            with Archive(path) as archive:
                return bool(address_books(archive))
        except (OSError, UnicodeError):
            return False

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        me = options.myself.pairs()
        with Archive(path) as first_pass:  # no progress: the second pass reports it
            book = index_cards(all_cards(first_pass), options.region)
        group_keys: dict[int, str] = {}  # first card of a group -> the key its cards take
        with Archive(path, options.progress) as archive:
            for index, card in enumerate(all_cards(archive)):
                record = card_record(card, me, options.region, book.shared)
                first = book.first_of.get(index, index if index in book.firsts else None)
                if isinstance(record, Contact) and first is not None:
                    record = replace(record, key=group_keys.setdefault(first, record.key))
                if record is not None:
                    yield record


def all_cards(archive: Archive) -> Iterator[Card]:
    """Every card of every address book in the export, streamed."""
    for name, kind, encoding in address_books(archive):
        if kind == "vcard":
            yield from read_vcards(archive, name, encoding)
        else:
            yield from read_google_csv(archive, name, encoding)


IMPORTER = VCardImporter()
