"""Mail over IMAP (`kith sync add imap`), read as the mbox importer reads a Takeout file.

Each folder is read from the UID after the last one seen, as long as its UIDVALIDITY is the
one seen then (a server that renumbered the folder is read again from the start: the same
messages have the same ids and are not stored twice). Messages are fetched with
`BODY.PEEK[]`, so nothing is marked as read. A message becomes touches exactly as in
kith.ingest.mbox (`touches`), with the same source ids: an mbox import and a sync of the
same mailbox store each message once. Folders flagged `\\Sent` (or named Sent) are read
first: their From addresses are the user's, which decides the direction of the rest.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from kith.ingest.base import Options
from kith.ingest.mbox import (
    Mailbox,
    People,
    RawMessage,
    addresses,
    headers_of,
    is_automated_address,
    list_addresses,
    touches,
)
from kith.ingest.records import Record
from kith.sync.base import LOOPBACK, Fetch, Fetcher, SyncFailed

#: messages fetched in one command
FETCH_BATCH = 200
#: the user's and the lists' addresses kept from run to run, at most
MAX_KEPT = 1000
TLS_MODES = ("ssl", "starttls", "none")


def _client(settings: dict[str, Any], secret: str) -> Any:
    import imapclient
    import imapclient.exceptions

    host, port, tls = settings["host"], int(settings["port"]), settings.get("tls", "ssl")
    where = f"{host}:{port}"
    try:
        client = imapclient.IMAPClient(host, port=port, ssl=tls == "ssl", timeout=30)
        if tls == "starttls":
            client.starttls(ssl.create_default_context())
    except (TimeoutError, OSError, ssl.SSLError) as exc:
        raise SyncFailed(f"The mail server {where} cannot be reached ({_reason(exc)}).") from None
    except imapclient.exceptions.IMAPClientError as exc:
        raise SyncFailed(
            f"The mail server {where} does not speak IMAP as expected ({exc})."
        ) from None
    try:
        client.login(settings["user"], secret)
    except imapclient.exceptions.LoginError:
        _close(client)
        raise SyncFailed(
            f"The mail server {where} refused the user name or password of {settings['user']}."
        ) from None
    except (OSError, imapclient.exceptions.IMAPClientError) as exc:
        _close(client)
        raise SyncFailed(f"The mail server {where} failed at sign-in ({_reason(exc)}).") from None
    return client


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.replace("\n", " ")[:200]


def _close(client: Any) -> None:
    try:
        client.logout()
    except Exception:  # the connection is going anyway
        client.shutdown()


def _folders(client: Any, wanted: list[str]) -> list[tuple[str, bool]]:
    """(folder, is it a Sent folder) to read, Sent folders first: the folders asked for, or
    INBOX and the server's Sent folder."""
    from imapclient.imapclient import SENT

    listed = {name: flags for flags, _, name in client.list_folders()}
    sent = client.find_special_folder(SENT)
    if sent is None:
        sent = next(
            (n for n in listed if n.casefold() in ("sent", "sent items", "sent mail")), None
        )
    names = wanted or ["INBOX", *([sent] if sent else [])]
    missing = [n for n in names if n not in listed and n.upper() != "INBOX"]
    if missing:
        raise SyncFailed(f"The mailbox has no folder {', '.join(missing)}.")
    chosen = [(n, n == sent or b"\\Sent" in listed.get(n, ())) for n in dict.fromkeys(names)]
    return sorted(chosen, key=lambda f: not f[1])


class ImapFetcher(Fetcher):
    kind = "imap"
    source = "mbox"
    title = "mail (IMAP)"

    def check(self, settings: dict[str, Any]) -> dict[str, Any]:
        tls = str(settings.get("tls") or "ssl")
        if tls not in TLS_MODES:
            raise SyncFailed(f"--tls takes {', '.join(TLS_MODES)} (got '{tls}').")
        host = str(settings.get("host") or "")
        check_host(host, tls)
        port = settings.get("port") or (993 if tls == "ssl" else 143)
        return {**settings, "host": host.strip(), "tls": tls, "port": int(port)}

    def describe(self, settings: dict[str, Any]) -> str:
        folders = ", ".join(settings.get("folders") or ["INBOX", "Sent"])
        return f"{settings['user']} at {settings['host']}:{settings['port']} ({folders})"

    def fetch(
        self, settings: dict[str, Any], state: dict[str, Any], secret: str, options: Options
    ) -> Fetch:
        client = _client(settings, secret)
        own = set(options.myself.emails) | set(state.get("own", []))
        if "@" in settings["user"]:
            own.add(settings["user"].lower())
        mailbox = Mailbox(own=own, lists=set(state.get("lists", [])))
        try:
            folders = _folders(client, list(settings.get("folders") or []))
        except Exception:
            _close(client)
            raise
        fetch = Fetch(records=iter(()), state={"folders": dict(state.get("folders", {}))})
        fetch.records = self._records(client, folders, mailbox, fetch, options)
        return fetch

    def _records(
        self,
        client: Any,
        folders: list[tuple[str, bool]],
        mailbox: Mailbox,
        fetch: Fetch,
        options: Options,
    ) -> Iterator[Record]:
        import imapclient.exceptions

        people = People()
        try:
            yield mailbox.me()  # the user, as known before this run (again at the end)
            for folder, is_sent in folders:
                yield from self._folder(client, folder, is_sent, mailbox, people, fetch, options)
            yield mailbox.me()
        except (OSError, imapclient.exceptions.IMAPClientError) as exc:
            raise SyncFailed(f"The mail server stopped answering ({_reason(exc)}).") from None
        finally:
            _close(client)
        fetch.state["own"] = sorted(mailbox.own)[:MAX_KEPT]
        fetch.state["lists"] = sorted(mailbox.lists)[:MAX_KEPT]

    def _folder(
        self,
        client: Any,
        folder: str,
        is_sent: bool,
        mailbox: Mailbox,
        people: People,
        fetch: Fetch,
        options: Options,
    ) -> Iterator[Record]:
        status = client.select_folder(folder, readonly=True)
        validity = int(status.get(b"UIDVALIDITY", 0))
        seen = fetch.state["folders"].get(folder, {})
        last = int(seen.get("last_uid", 0)) if int(seen.get("uidvalidity", -1)) == validity else 0
        uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
        for start in range(0, len(uids), FETCH_BATCH):
            part = uids[start : start + FETCH_BATCH]
            answers = client.fetch(part, ["BODY.PEEK[]", "INTERNALDATE"])
            for uid in part:
                answer = answers.get(uid)
                if answer is None:
                    continue  # deleted meanwhile
                data = answer.get(b"BODY[]") or b""
                message = RawMessage(uid, 1, _postmark(answer.get(b"INTERNALDATE")), data)
                self._learn(mailbox, message, is_sent)
                fetch.read += 1
                yield from touches(message, mailbox, people, options.now)
        fetch.state["folders"][folder] = {
            "uidvalidity": validity,
            "last_uid": max(uids[-1] if uids else 0, last),
        }

    @staticmethod
    def _learn(mailbox: Mailbox, message: RawMessage, is_sent: bool) -> None:
        header = message.header_bytes
        mailbox.lists |= list_addresses(header)
        mailbox.met = True
        if is_sent:
            for name, address in addresses(headers_of(header), "From")[:1]:
                if not is_automated_address(address):
                    mailbox.own.add(address)
                    if name:
                        mailbox.names[name] += 1


def _postmark(when: object) -> bytes:
    """An mbox 'From ' line for the server's arrival time (read when Date is missing)."""
    if not isinstance(when, datetime):
        return b"From imap"
    moment = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return b"From imap " + moment.astimezone(UTC).strftime("%a %b %d %H:%M:%S %Y").encode()


FETCHER = ImapFetcher()


def check_host(host: str, tls: str) -> None:
    """Passwords go in the clear only to this machine."""
    if not host.strip() or any(c.isspace() for c in host):
        raise SyncFailed(f"'{host}' is no host name.")
    if tls == "none" and host not in LOOPBACK:
        raise SyncFailed(
            f"--tls none would send the password to {host} in the clear; use ssl or starttls."
        )
