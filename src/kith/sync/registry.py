"""The kinds of sync source, by the KIND of `kith sync add KIND`."""

from __future__ import annotations

from kith.sync.base import Fetcher, SyncFailed

KINDS = ("imap", "caldav", "carddav", "mastodon", "bluesky")


def fetcher(kind: str) -> Fetcher:
    if kind == "imap":
        from kith.sync.imap import FETCHER

        return FETCHER
    if kind in ("caldav", "carddav"):
        from kith.sync.dav_sources import CALDAV, CARDDAV

        return CALDAV if kind == "caldav" else CARDDAV
    if kind == "mastodon":
        from kith.sync.mastodon_api import FETCHER as MASTODON

        return MASTODON
    if kind == "bluesky":
        from kith.sync.bluesky_api import FETCHER as BLUESKY

        return BLUESKY
    raise SyncFailed(f"Unknown kind of sync source '{kind}'; kinds: {', '.join(KINDS)}.")
