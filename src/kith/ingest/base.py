"""The importer protocol and what every importer is given."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from kith.domain.identity import Handle, HandleError, normalise, normalise_phone, parse_reference
from kith.errors import KithError
from kith.ingest.records import Record

BytesRead = Callable[[int, int], None]
"""Called with (bytes read, bytes in all) while an export is read."""

#: a phone number, or an account id, written without a platform
_NUMBER = re.compile(r"^\+?[\d\s().\-]{5,}$")
#: platform words users type that kith spells otherwise
_ALIASES = {"twitter": "x"}


class ImportFailed(KithError):
    """The file cannot be imported; the message names the file, and the line or record when
    known. Nothing is written."""


@dataclass(frozen=True, slots=True)
class Myself:
    """Who the user is before an export says: what `--me` and earlier imports said, read
    once for every importer.

    `handles`: (platform, handle in kith's one spelling) of each `platform:handle` given,
    and of LinkedIn profile addresses; `named`: (platform, display name as written) of each
    `platform:name:<Name>`; `emails` and `phones` (E.164): every e-mail address and phone
    number, with `email:`/`phone:` or without; `names`: display names given alone ("Ana
    Example"); `bare`: handles or account ids given without a platform ("@ana" as "ana",
    "70000001"). What fits none of these (an unknown `word:value`, a web address) is left out.
    """

    handles: tuple[tuple[str, str], ...] = ()
    named: tuple[tuple[str, str], ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    bare: tuple[str, ...] = ()

    @classmethod
    def parse(cls, values: Iterable[str], region: str = "US") -> Myself:
        found: dict[str, list[Any]] = {
            key: [] for key in ("handles", "named", "emails", "phones", "names", "bare")
        }
        for value in values:
            for key, item in _read(value.strip(), region):
                found[key].append(item)

        def once(key: str) -> tuple[Any, ...]:
            return tuple(dict.fromkeys(found[key]))

        return cls(
            once("handles"),
            once("named"),
            once("emails"),
            once("phones"),
            once("names"),
            once("bare"),
        )

    def on(self, platform: str) -> tuple[str, ...]:
        """The user's handles on `platform` (display-name handles "name:..." included)."""
        return tuple(h for p, h in self.handles if p == platform)

    def names_on(self, platform: str) -> tuple[str, ...]:
        """Display names that are the user on `platform`: those given alone and those given
        as `platform:name:<Name>`, as written."""
        return tuple(dict.fromkeys([*self.names, *(n for p, n in self.named if p == platform)]))

    def pairs(self) -> set[tuple[str, str]]:
        """Every (platform, handle) the user is known by, e-mail and phone included."""
        return {
            *self.handles,
            *(("email", e) for e in self.emails),
            *(("phone", p) for p in self.phones),
        }


def _read(text: str, region: str) -> Iterator[tuple[str, Any]]:
    """What one `--me` value is: (field of Myself, item) pairs, none when it is nothing."""
    if not text:
        return
    reference = parse_reference(text)
    platform, sep, rest = text.partition(":")
    if reference is None and sep and platform.strip().lower() in _ALIASES and rest.strip():
        reference = Handle(_ALIASES[platform.strip().lower()], rest.strip())
    if reference is not None:
        if reference.handle[:5].lower() == "name:" and " ".join(reference.handle[5:].split()):
            yield "named", (reference.platform, " ".join(reference.handle[5:].split()))
        try:
            handle = normalise(reference.platform, reference.handle, region)
        except HandleError:
            return
        yield "handles", (reference.platform, handle)
        if reference.platform in ("email", "phone"):
            yield f"{reference.platform}s", handle
    elif "linkedin.com/" in text.lower():
        try:
            yield "handles", ("linkedin", normalise("linkedin", text))
        except HandleError:
            return
    elif "@" in text:
        if text.startswith("@") and len(text) > 1 and not any(c.isspace() for c in text):
            yield "bare", text[1:]
            return
        try:
            yield "emails", normalise("email", text)
        except HandleError:
            return
    elif _NUMBER.match(text):
        if text.isdigit():
            yield "bare", text
        try:
            yield "phones", normalise_phone(text, region)
        except HandleError:
            return
    elif ":" not in text:
        yield "names", " ".join(text.split())


@dataclass(frozen=True)
class Options:
    """What the user told `kith import`, and what the base knows.

    `me`: the user's own handles, e-mail addresses, phone numbers or display names, from
    `--me` and from earlier imports, as written (`myself` is what they say, read once);
    `tz`: the zone for exports that carry local times without one (WhatsApp, old Telegram);
    `region`: the country used to read phone numbers written without +; `now`: the moment of
    the import (recurring events are expanded up to it); `progress(done, total)`: call it
    with bytes read, for the progress bar.
    """

    me: tuple[str, ...] = ()
    tz: str = "UTC"
    region: str = "US"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    progress: BytesRead | None = None

    @cached_property
    def myself(self) -> Myself:
        """Who the user is, from `me`, read once."""
        return Myself.parse(self.me, self.region)


class Importer(ABC):
    """One export format. `identify` is cheap and never raises; `extract` streams records."""

    source: ClassVar[str]  # the SOURCE argument of `kith import`
    title: ClassVar[str]  # what the user downloads, e.g. "X (Twitter) archive"

    @abstractmethod
    def identify(self, path: Path) -> bool:
        """True when `path` looks like this format (a quick look, no full parse). An archive
        that cannot be opened safely raises the archive reader's own ImportFailed, which says
        more than "does not look like"."""

    @abstractmethod
    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        """Yield the records of the export at `path`; raise ImportFailed on bad data."""


ImporterFactory = Callable[[], Importer]
