"""The user's Bluesky account over the AT Protocol (`kith sync add bluesky`, with `atproto`).

The user's own records, read from their repository as the repository importer reads a CAR
export (docs/import-bluesky.md), with the same source ids (a record's at:// URI): posts
(replies, mentions, quotes), likes, reposts and follows, newest first down to the newest
record key the last run saw, per collection. And the other side, which no export holds,
from the user's notifications: replies, mentions, quotes, likes, reposts and follows by
others. Signs in with an app password (Settings > Privacy and security > App passwords);
rate limits (429) are waited out, at most five minutes at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from kith.domain.model import Channel, Direction
from kith.ingest.base import Options
from kith.ingest.bluesky import FOLLOW, LIKE, POST, REPOST, act_of, parse_datetime
from kith.ingest.records import Contact, Handle, Me, Record, Touch
from kith.sync.base import Fetch, Fetcher, SyncFailed, https_or_loopback

#: the collections of the user's repository that are touches with someone
COLLECTIONS = (POST, LIKE, REPOST, FOLLOW)
#: records and notifications asked for per page (the API's largest)
PAGE = 100
#: what a notification's reason is, as a touch from its author
REASONS = {
    "reply": Channel.REPLY,
    "mention": Channel.MENTION,
    "quote": Channel.SHARE,
    "like": Channel.LIKE,
    "repost": Channel.SHARE,
    "follow": Channel.FOLLOW,
}
#: the longest wait for a rate limit, and how many waits a call may take
MAX_WAIT = 300.0
RETRIES = 5


class BlueskyFetcher(Fetcher):
    kind = "bluesky"
    source = "bluesky"
    title = "Bluesky account"

    def check(self, settings: dict[str, Any]) -> dict[str, Any]:
        handle = str(settings.get("handle") or "").strip().lstrip("@")
        if not handle or any(c.isspace() for c in handle):
            raise SyncFailed(f"'{settings.get('handle')}' is no Bluesky handle.")
        service = https_or_loopback(str(settings.get("service") or "https://bsky.social"))
        return {**settings, "handle": handle, "service": service}

    def describe(self, settings: dict[str, Any]) -> str:
        return f"{settings['handle']} at {settings['service']}"

    def fetch(
        self, settings: dict[str, Any], state: dict[str, Any], secret: str, options: Options
    ) -> Fetch:
        from atproto import Client

        service = str(settings["service"]).rstrip("/")
        self.where = service.split("//", 1)[-1]
        client = Client(base_url=f"{service}/xrpc")
        self._call(
            lambda: client.login(settings["handle"], secret, fetch_bsky_profile=False),
            signing_in=True,
        )
        session = self._query(client, "com.atproto.server.getSession", {})
        did = str(session.get("did") or "")
        if not did.startswith("did:"):
            raise SyncFailed(f"The Bluesky server {self.where} did not say whose account this is.")
        fetch = Fetch(records=iter(()), state=dict(state))
        fetch.records = self._records(client, did, fetch, options.now)
        return fetch

    # -- calls ----------------------------------------------------------------------------
    def _call(self, call: Callable[[], Any], signing_in: bool = False) -> Any:
        from atproto import exceptions

        for _ in range(RETRIES):
            try:
                return call()
            except exceptions.NetworkError:
                raise SyncFailed(f"The Bluesky server {self.where} cannot be reached.") from None
            except exceptions.RequestErrorBase as exc:
                response = exc.response
                status = getattr(response, "status_code", 0)
                if status == 429:
                    time.sleep(_wait(getattr(response, "headers", {}) or {}))
                    continue
                if status in (400, 401) and signing_in:
                    raise SyncFailed(
                        f"The Bluesky server {self.where} refused the handle or app password."
                    ) from None
                if status == 401:
                    raise SyncFailed(
                        f"The Bluesky server {self.where} ended the session: sign in again "
                        "(is the app password revoked?)."
                    ) from None
                raise SyncFailed(
                    f"The Bluesky server {self.where} answered with an error ({status})."
                ) from None
            except (exceptions.AtProtocolError, ValueError, KeyError, TypeError) as exc:
                raise SyncFailed(
                    f"The Bluesky server {self.where} answered with something kith cannot read "
                    f"({type(exc).__name__})."
                ) from None
        raise SyncFailed(f"The Bluesky server {self.where} kept refusing: too many requests.")

    def _query(self, client: Any, nsid: str, params: dict[str, Any]) -> dict[str, Any]:
        """One XRPC query, its answer as the JSON the server sent (records stay plain dicts,
        as the repository importer reads them)."""
        from atproto_client import models

        kinds = {
            "com.atproto.repo.listRecords": models.ComAtprotoRepoListRecords.Params,
            "app.bsky.notification.listNotifications": (
                models.AppBskyNotificationListNotifications.Params
            ),
        }
        typed = kinds[nsid](**params) if nsid in kinds else None
        response = self._call(lambda: client.invoke_query(nsid, params=typed))
        content = response.content
        if not isinstance(content, dict):
            raise SyncFailed(
                f"The Bluesky server {self.where} answered with something kith cannot read."
            )
        return content

    def _pages(self, client: Any, nsid: str, params: dict[str, Any], key: str) -> Iterator[Any]:
        cursor = None
        while True:
            page = self._query(client, nsid, {**params, **({"cursor": cursor} if cursor else {})})
            items = page.get(key)
            if not isinstance(items, list):
                raise SyncFailed(
                    f"The Bluesky server {self.where} answered with something kith cannot read."
                )
            yield from items
            cursor = page.get("cursor")
            if not cursor or not items:
                return

    # -- what the account holds -----------------------------------------------------------
    def _records(self, client: Any, did: str, fetch: Fetch, now: datetime) -> Iterator[Record]:
        yield Me((Handle("bluesky", did),), None)
        state = fetch.state
        tops: dict[str, str] = dict(state.get("tops", {}))
        known: dict[str, bool] = {}
        for collection in COLLECTIONS:
            top = tops.get(collection, "")
            newest = top
            params = {"repo": did, "collection": collection, "limit": PAGE}
            for item in self._pages(client, "com.atproto.repo.listRecords", params, "records"):
                uri = str(item.get("uri") or "")
                rkey = uri.rsplit("/", 1)[-1]
                if top and rkey <= top:
                    break
                newest = max(newest, rkey)
                fetch.read += 1
                yield from self._own(uri, item.get("value"), did, now, known)
            if newest:
                tops[collection] = newest
        state["tops"] = tops
        seen = str(state.get("notified_at", ""))
        newest_seen = seen
        params = {"limit": PAGE}
        for note in self._pages(
            client, "app.bsky.notification.listNotifications", params, "notifications"
        ):
            at = str(note.get("indexedAt") or "")
            if seen and at < seen:
                break
            newest_seen = max(newest_seen, at)
            fetch.read += 1
            yield from self._notified(note, did, now, known)
        state["notified_at"] = newest_seen

    def _contact(self, did: str, name: str | None, known: dict[str, bool]) -> Iterator[Record]:
        """Whom a touch is with; again when a name comes after (a record names no one)."""
        key = f"bluesky:{did}"
        if key not in known or (name is not None and not known[key]):
            known[key] = name is not None
            yield Contact(key, name, (Handle("bluesky", did),))

    def _own(
        self, uri: str, value: Any, me: str, now: datetime, known: dict[str, bool]
    ) -> Iterator[Record]:
        """One record of the user's, with the repository importer's ids."""
        if not isinstance(value, dict):
            return
        act = act_of(value, now)
        if act is None:
            return
        for did, channel in act.targets:
            if did == me:
                continue
            yield from self._contact(did, None, known)
            external = uri if not act.post or channel is Channel.REPLY else f"{uri}#{did}"
            yield Touch(external, f"bluesky:{did}", act.at, channel, Direction.OUT, act.text)

    def _notified(
        self, note: Any, me: str, now: datetime, known: dict[str, bool]
    ) -> Iterator[Record]:
        """Someone else's doing, from a notification."""
        channel = REASONS.get(str(note.get("reason")))
        author = note.get("author") or {}
        did = str(author.get("did") or "")
        uri = str(note.get("uri") or "")
        record = note.get("record") or {}
        at = parse_datetime(record.get("createdAt")) or parse_datetime(note.get("indexedAt"))
        if channel is None or not did.startswith("did:") or did == me or not uri or at is None:
            return
        if at > now:
            at = now
        name = author.get("displayName") or author.get("handle")
        yield from self._contact(did, (str(name).strip() or None) if name else None, known)
        text = record.get("text") if channel in (Channel.REPLY, Channel.MENTION) else None
        words = (" ".join(str(text).split())[:500] or None) if text else None
        yield Touch(f"{uri}#notified", f"bluesky:{did}", at, channel, Direction.IN, words)


def _wait(headers: dict[str, Any]) -> float:
    """Seconds until a rate limit resets (`RateLimit-Reset`: epoch seconds)."""
    try:
        reset = float(headers.get("ratelimit-reset") or headers.get("RateLimit-Reset") or 0)
    except (TypeError, ValueError):
        reset = 0.0
    left = reset - datetime.now(UTC).timestamp()
    return min(max(left, 1.0), MAX_WAIT)


FETCHER = BlueskyFetcher()
