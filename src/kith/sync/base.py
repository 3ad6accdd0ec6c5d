"""What every sync source is: a fetcher of records from a server, with a state to resume."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

from kith.errors import KithError
from kith.ingest.base import Options
from kith.ingest.records import Record

#: the names of this machine: the only servers a secret may go to in the clear
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class SyncFailed(KithError):
    """A source could not be read (server down, wrong password, an answer that is no
    protocol): one sentence, never the secret."""


@dataclass
class Fetch:
    """What one run reads: its records (read lazily, while the server is still open), and
    the state to keep once every record is stored (complete after `records` is exhausted)."""

    records: Iterator[Record]
    state: dict[str, Any] = field(default_factory=dict)
    read: int = 0  # items read from the server (messages, events, cards)


class Fetcher(ABC):
    kind: ClassVar[str]  # the KIND of `kith sync add KIND`
    source: ClassVar[str]  # the importer whose source ids its interactions share
    #: the directions of each channel this source can see (kith.ingest.coverage)
    title: ClassVar[str]

    @abstractmethod
    def fetch(
        self, settings: dict[str, Any], state: dict[str, Any], secret: str, options: Options
    ) -> Fetch:
        """Connect and return what is new since `state`; SyncFailed when the server cannot
        be read."""

    def check(self, settings: dict[str, Any]) -> dict[str, Any]:
        """The settings `kith sync add` was given, checked and completed (defaults filled
        in); SyncFailed in one sentence for what cannot work."""
        return settings

    def describe(self, settings: dict[str, Any]) -> str:
        """Where the source reads from, for `kith sync list` (no secret)."""
        return str(settings.get("url") or settings.get("host") or "")


def https_or_loopback(url: str) -> str:
    """`url`, checked: http(s), and https unless the server is this machine (secrets go
    over TLS only)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncFailed(f"'{url}' is no http(s) URL.")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise SyncFailed(f"{url} is plain HTTP: kith sends passwords only over https.")
    return url.strip().rstrip("/")
