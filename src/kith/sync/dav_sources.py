"""Calendars over CalDAV and address books over CardDAV (`kith sync add caldav|carddav`).

Each run lists every item of the user's collections with its ETag and fetches those whose
ETag is new since the last run. What is fetched is read by the importers themselves
(kith.ingest.ics, kith.ingest.vcard) from a private temporary folder, so that a synced
event becomes the meetings and calls an `.ics` import makes of it, with the same source
ids, and a synced card the person a `.vcf` import makes; the folder is gone when the run
ends. An item deleted on the server stays in kith: history is not undone.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from kith.ingest.base import Importer, Options
from kith.ingest.records import Contact, Note, Record
from kith.sync.base import Fetch, Fetcher, SyncFailed, https_or_loopback
from kith.sync.dav import Dav

_UNSAFE = re.compile(r"[^A-Za-z0-9 _-]+")


def _file_name(name: str | None, number: int, suffix: str) -> str:
    """A file name for a collection's display name (which the server chooses)."""
    plain = " ".join(_UNSAFE.sub(" ", name or "").split())[:60]
    return f"{number:02d} {plain or 'collection'}{suffix}"


class _DavFetcher(Fetcher):
    collection: ClassVar[str]  # "calendar" or "addressbook"
    suffix: ClassVar[str]

    def check(self, settings: dict[str, Any]) -> dict[str, Any]:
        return {**settings, "url": https_or_loopback(str(settings.get("url") or ""))}

    def describe(self, settings: dict[str, Any]) -> str:
        return f"{settings['user']} at {settings['url']}"

    def importer(self) -> Importer:
        raise NotImplementedError

    def combine(self, texts: list[str]) -> str | None:
        """One file's text for the items of one collection (None: nothing to read)."""
        raise NotImplementedError

    def fetch(
        self, settings: dict[str, Any], state: dict[str, Any], secret: str, options: Options
    ) -> Fetch:
        dav = Dav(settings["url"], settings["user"], secret)
        try:
            before: dict[str, str] = dict(state.get("etags", {}))
            etags: dict[str, str] = {}
            files: list[tuple[str, str]] = []
            fetched: list[str] = []
            skipped = 0
            read = 0
            for number, entry in enumerate(dav.collections(self.collection), 1):
                items = dav.items(entry.href)
                texts: list[str] = []
                for href, etag in sorted(items.items()):
                    if etag and before.get(href) == etag:
                        etags[href] = etag
                        continue
                    text = dav.get(href)
                    read += 1
                    if text is None:
                        skipped += 1
                        continue
                    texts.append(text)
                    fetched.append(text)
                    if etag:  # an item without an ETag is fetched every time
                        etags[href] = etag
                combined = self.combine(texts) if texts else None
                if combined is not None:
                    files.append((_file_name(entry.name, number, self.suffix), combined))
        finally:
            dav.close()
        fetch = Fetch(records=iter(()), state={"etags": etags}, read=read)
        told = self.remember(fetched, state, fetch.state)
        fetch.records = (told(r) for r in self._records(files, skipped, options))
        return fetch

    def remember(
        self, texts: list[str], before: dict[str, Any], after: dict[str, Any]
    ) -> Callable[[Record], Record]:
        """Keep in `after` what the next run compares with; returns how each record is then
        told what changed."""
        return lambda record: record

    def _records(
        self, files: list[tuple[str, str]], skipped: int, options: Options
    ) -> Iterator[Record]:
        if skipped:
            yield Note(f"{skipped:,} items larger than any {self.title} item were left out.")
        if not files:
            return
        with tempfile.TemporaryDirectory(prefix="kith-sync-") as folder:
            for name, text in files:
                (Path(folder) / name).write_text(text, encoding="utf-8")
            yield from self.importer().extract(Path(folder), options)


class CalDavFetcher(_DavFetcher):
    kind = "caldav"
    source = "ics"
    title = "calendar (CalDAV)"
    collection = "calendar"
    suffix = ".ics"

    def importer(self) -> Importer:
        from kith.ingest.ics import IMPORTER

        return IMPORTER

    def combine(self, texts: list[str]) -> str | None:
        """One calendar of every event that has a guest (and the time zones they use):
        events of the user alone are no meetings with anyone."""
        from icalendar import Calendar

        whole = Calendar()
        whole.add("prodid", "-//kith//sync//EN")
        whole.add("version", "2.0")
        zones: set[str] = set()
        events = 0
        for text in texts:
            try:
                parts = Calendar.from_ical(text, multiple=True)
            except ValueError:
                continue  # one unreadable item does not stop the rest
            for calendar in parts:
                for component in calendar.subcomponents:
                    if component.name == "VTIMEZONE":
                        tzid = str(component.get("TZID", ""))
                        if tzid not in zones:
                            zones.add(tzid)
                            whole.add_component(component)
                    elif component.name == "VEVENT" and component.get("ATTENDEE") is not None:
                        whole.add_component(component)
                        events += 1
        return whole.to_ical().decode("utf-8") if events else None


class CardDavFetcher(_DavFetcher):
    kind = "carddav"
    source = "vcard"
    title = "address book (CardDAV)"
    collection = "addressbook"
    suffix = ".vcf"

    def importer(self) -> Importer:
        from kith.ingest.vcard import IMPORTER

        return IMPORTER

    def combine(self, texts: list[str]) -> str | None:
        cards = [t.strip() for t in texts if t.strip().upper().startswith("BEGIN:VCARD")]
        return "\r\n".join(cards) + "\r\n" if cards else None

    def remember(
        self, texts: list[str], before: dict[str, Any], after: dict[str, Any]
    ) -> Callable[[Record], Record]:
        """Each card's city, organisation and role, by UID: a card edited on the server
        then tells kith what it said before (`Contact.was`), so that the new value replaces
        the old where kith still holds the old one."""
        kept: dict[str, dict[str, str | None]] = dict(before.get("cards", {}))
        earlier = dict(kept)
        for text in texts:
            for uid, fields in _card_fields(text):
                kept[uid] = fields
        after["cards"] = kept

        def told(record: Record) -> Record:
            if not isinstance(record, Contact) or not record.key.startswith("uid:"):
                return record
            was = earlier.get(record.key.removeprefix("uid:"))
            if not was:
                return record
            changed = tuple(
                (name, value) for name, value in sorted(was.items())
                if value != getattr(record, name, None)
            )  # fmt: skip
            return replace(record, was=changed) if changed else record

        return told


def _card_fields(text: str) -> Iterator[tuple[str, dict[str, str | None]]]:
    """(UID, its city, organisation and role) of each card in `text` that has a UID."""
    import vobject

    from kith.ingest.vcard import card_from_vcard

    try:
        for component in vobject.readComponents(text, allowQP=True):
            if component.name.upper() != "VCARD":
                continue
            card = card_from_vcard(component)
            if card.uid:
                yield (
                    card.uid,
                    {"city": card.city, "organisation": card.organisation, "role": card.role},
                )
    except Exception:  # the importer says what is wrong with a card; this only compares
        return


CALDAV = CalDavFetcher()
CARDDAV = CardDavFetcher()


__all__ = ["CALDAV", "CARDDAV", "SyncFailed"]
