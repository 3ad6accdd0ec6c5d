"""The user's Mastodon account over its API (`kith sync add mastodon`, through Mastodon.py).

What an archive holds (docs/import-mastodon.md), with the same source ids, so that an archive
import and a sync store each touch once: the user's posts (replies, mentions, direct
messages to one person), boosts and favourites. And what no archive holds, the other side,
from the user's notifications: replies, mentions and direct messages to the user, and who
favourited or boosted the user's posts. Each run reads what is newer than the newest status,
notification and favourite the last one saw (`since_id`, and the favourites' own order).
Rate limits are waited out (429 with `X-RateLimit-Reset`, at most five minutes a time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from kith.domain.model import Channel, Direction
from kith.ingest.base import Options
from kith.ingest.common import stable_id
from kith.ingest.mastodon import account, plain_text, status_time
from kith.ingest.records import Contact, Handle, Me, Record, Touch
from kith.sync.base import Fetch, Fetcher, SyncFailed, https_or_loopback

#: items asked for per page (Mastodon's largest page for statuses and notifications)
PAGE = 40
#: the notifications that are touches with someone
NOTIFIED = ("mention", "favourite", "reblog")


def _id(value: object) -> int:
    text = str(value)
    return int(text) if text.isdigit() else 0


class MastodonFetcher(Fetcher):
    kind = "mastodon"
    source = "mastodon"
    title = "Mastodon account"

    def check(self, settings: dict[str, Any]) -> dict[str, Any]:
        return {**settings, "instance": https_or_loopback(str(settings.get("instance") or ""))}

    def describe(self, settings: dict[str, Any]) -> str:
        return str(settings["instance"])

    def fetch(
        self, settings: dict[str, Any], state: dict[str, Any], secret: str, options: Options
    ) -> Fetch:
        from mastodon import Mastodon

        instance = str(settings["instance"]).rstrip("/")
        host = urlsplit(instance).hostname or instance
        client = Mastodon(
            access_token=secret,
            api_base_url=instance,
            ratelimit_method="wait",
            request_timeout=30,
            version_check_mode="none",
        )
        me = self._call(host, client.account_verify_credentials)
        # local accounts are named on the domain of the user's profile (the archive's too),
        # which need not be the API's host
        host = urlsplit(str(me.get("url") or "")).hostname or host
        fetch = Fetch(records=iter(()), state=dict(state))
        fetch.records = self._records(client, host, me, fetch, options.now)
        return fetch

    @staticmethod
    def _call(host: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One API call; its failures in words (never the token)."""
        from mastodon.errors import (
            MastodonAPIError,
            MastodonNetworkError,
            MastodonUnauthorizedError,
        )

        try:
            return call(*args, **kwargs)
        except MastodonUnauthorizedError:
            raise SyncFailed(
                f"The Mastodon server {host} refused the access token: it may have expired or "
                "been revoked. Make a new one (Preferences > Development) and set it again."
            ) from None
        except MastodonNetworkError:
            raise SyncFailed(f"The Mastodon server {host} cannot be reached.") from None
        except MastodonAPIError as exc:
            said = str(exc.args[-1] if exc.args else exc).splitlines()[0][:160]
            raise SyncFailed(
                f"The Mastodon server {host} answered with an error ({said})."
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise SyncFailed(
                f"The Mastodon server {host} answered with something kith cannot read "
                f"({type(exc).__name__})."
            ) from None

    def _pages(self, client: Any, host: str, first: Any, since: int, fetch: Fetch) -> Iterator[Any]:
        """Items newest first, down to (not including) `since`."""
        page = first
        while page:
            for item in page:
                if since and _id(item.get("id")) <= since:
                    return
                fetch.read += 1
                yield item
            page = self._call(host, client.fetch_next, page)

    def _records(
        self, client: Any, host: str, me: Any, fetch: Fetch, now: datetime
    ) -> Iterator[Record]:
        own = account(str(me["acct"]), host)
        if own is None:
            raise SyncFailed(f"The Mastodon server {host} did not say whose account this is.")
        yield Me((Handle("mastodon", own),), str(me.get("display_name") or "") or None)
        known: dict[str, bool] = {}
        state = fetch.state
        since = _id(state.get("statuses_since", 0))
        first = self._call(
            host, client.account_statuses, me["id"], since_id=since or None, limit=PAGE
        )
        newest = since
        for status in self._pages(client, host, first, since, fetch):
            newest = max(newest, _id(status.get("id")))
            yield from self._own(status, own, host, known)
        state["statuses_since"] = newest

        since = _id(state.get("notifications_since", 0))
        first = self._call(
            host, client.notifications, types=list(NOTIFIED), since_id=since or None, limit=PAGE
        )
        newest = since
        for note in self._pages(client, host, first, since, fetch):
            newest = max(newest, _id(note.get("id")))
            yield from self._notified(note, own, host, known)
        state["notifications_since"] = newest

        seen = state.get("favourites_top")
        first = self._call(host, client.favourites, limit=PAGE)
        top = None
        page = first
        while page:
            stop = False
            for status in page:
                uri = str(status.get("uri") or "")
                if uri == seen:
                    stop = True
                    break
                top = top or uri
                fetch.read += 1
                yield from self._liked(status, own, host, known, now)
            page = None if stop else self._call(host, client.fetch_next, page)
        if top:
            state["favourites_top"] = top

    # -- one item -------------------------------------------------------------------------
    def _person(
        self, who: Any, host: str, known: dict[str, bool]
    ) -> tuple[str | None, list[Record]]:
        acct = account(str(who.get("acct") or ""), host)
        if acct is None:
            return None, []
        key = f"mastodon:{acct}"
        name = str(who.get("display_name") or "").strip() or None
        if key in known and (name is None or known[key]):
            return key, []
        known[key] = name is not None  # again when a name comes after (a mention has none)
        return key, [Contact(key, name, (Handle("mastodon", acct),))]

    def _touch(
        self,
        who: Any,
        host: str,
        known: dict[str, bool],
        external: str,
        when: Any,
        channel: Channel,
        direction: Direction,
        text: str | None = None,
    ) -> Iterator[Record]:
        key, contacts = self._person(who, host, known)
        if key is None or not isinstance(when, datetime):
            return
        yield from contacts
        moment = when if when.tzinfo else when.replace(tzinfo=UTC)
        yield Touch(stable_id(external), key, moment, channel, direction, text)

    def _own(self, status: Any, own: str, host: str, known: dict[str, bool]) -> Iterator[Record]:
        """A status of the user's, as the archive importer reads its outbox."""
        uri = str(status.get("uri") or "")
        boosted = status.get("reblog")
        if boosted:
            author = boosted.get("account") or {}
            if account(str(author.get("acct") or ""), host) != own:
                yield from self._touch(
                    author, host, known, uri, status.get("created_at"), Channel.SHARE, Direction.OUT
                )
            return
        text = plain_text(status.get("content"))
        when = status.get("created_at")
        mentioned = [
            m
            for m in status.get("mentions") or []
            if account(str(m.get("acct") or ""), host) != own
        ]
        if status.get("visibility") == "direct":
            if len(mentioned) == 1:  # to a group: no touch with anyone
                (to,) = mentioned
                acct = account(str(to.get("acct")), host)
                yield from self._touch(
                    to, host, known, f"{uri}#dm:{acct}", when, Channel.DM, Direction.OUT, text
                )
            return
        replied = str(status.get("in_reply_to_account_id") or "")
        targets: dict[str, tuple[Any, Channel]] = {}
        for m in mentioned:
            acct = account(str(m.get("acct")), host)
            if acct is None:
                continue
            channel = Channel.REPLY if str(m.get("id")) == replied else Channel.MENTION
            if acct not in targets or channel is Channel.REPLY:
                targets[acct] = (m, channel)
        for acct, (who, channel) in targets.items():
            external = f"{uri}#{channel.value}:{acct}"
            yield from self._touch(who, host, known, external, when, channel, Direction.OUT, text)

    def _notified(self, note: Any, own: str, host: str, known: dict[str, bool]) -> Iterator[Record]:
        """Someone else's doing: a reply, mention or direct message to the user, or a
        favourite or boost of the user's post."""
        who = note.get("account") or {}
        status = note.get("status") or {}
        uri = str(status.get("uri") or "")
        kind = note.get("type")
        if not uri or account(str(who.get("acct") or ""), host) == own:
            return
        acct = account(str(who.get("acct") or ""), host)
        if kind == "mention":
            if status.get("visibility") == "direct":
                channel = Channel.DM
            elif status.get("in_reply_to_account_id") is not None:
                channel = Channel.REPLY
            else:
                channel = Channel.MENTION
            text = plain_text(status.get("content"))
            yield from self._touch(
                who, host, known, f"{uri}#{channel.value}:{own}", status.get("created_at"),
                channel, Direction.IN, text,
            )  # fmt: skip
        elif kind in ("favourite", "reblog"):
            channel = Channel.LIKE if kind == "favourite" else Channel.SHARE
            yield from self._touch(
                who, host, known, f"{uri}#{kind}-by:{acct}", note.get("created_at"),
                channel, Direction.IN,
            )  # fmt: skip

    def _liked(
        self, status: Any, own: str, host: str, known: dict[str, bool], now: datetime
    ) -> Iterator[Record]:
        """A favourite of the user's, dated as the archive dates it (by the status's id)."""
        uri = str(status.get("uri") or "")
        author = status.get("account") or {}
        if not uri or account(str(author.get("acct") or ""), host) == own:
            return
        when = status_time(uri, now) or status.get("created_at")
        yield from self._touch(
            author, host, known, f"like:{uri}", when, Channel.LIKE, Direction.OUT
        )


FETCHER = MastodonFetcher()
