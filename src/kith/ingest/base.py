"""The importer protocol and what every importer is given."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from kith.errors import KithError
from kith.ingest.records import Record


class ImportFailed(KithError):
    """The file cannot be imported; the message names the file, and the line or record when
    known. Nothing is written."""


@dataclass(frozen=True)
class Options:
    """What the user told `kith import`, and what the base knows.

    `me`: the user's own handles, e-mail addresses, phone numbers or display names, from
    `--me` and from earlier imports; `tz`: the zone for exports that carry local times
    without one (WhatsApp, old Telegram); `region`: the country used to read phone numbers
    written without +; `now`: the moment of the import (recurring events are expanded up
    to it); `progress(done, total)`: call it with bytes read, for the progress bar.
    """

    me: tuple[str, ...] = ()
    tz: str = "UTC"
    region: str = "US"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    progress: Callable[[int, int], None] | None = None


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
