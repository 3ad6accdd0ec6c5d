"""WebDAV collections (CalDAV calendars, CardDAV address books): find them, list their
items with ETags, fetch the items that changed since the last run.

A source is given a URL: a collection itself, or any URL of the server (its root, the
user's principal or home), from which the user's collections are found as RFC 4791 and
RFC 6352 describe (current-user-principal, then the calendar or address-book home). HTTP
goes through `httpx` (Basic authentication, TLS verified); plain HTTP is allowed
only to the same machine. (Not the `caldav` package: its HTTP client, niquests, replaces the
`urllib3` every `requests` user imports with urllib3-future.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from kith.sync.base import SyncFailed, https_or_loopback

if TYPE_CHECKING:
    import httpx

_NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav", "a": "urn:ietf:params:xml:ns:carddav"}
_KIND = {
    "calendar": "{urn:ietf:params:xml:ns:caldav}calendar",
    "addressbook": "{urn:ietf:params:xml:ns:carddav}addressbook",
}
_HOME = {"calendar": ("c", "calendar-home-set"), "addressbook": ("a", "addressbook-home-set")}
#: an item larger than this is left out (no calendar event or card is that large)
MAX_ITEM = 10 * 1024 * 1024
#: no answer of a DAV server is larger than this (a listing of 100,000 items is 30 MiB)
MAX_ANSWER = 256 * 1024 * 1024

_PROPFIND = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"
 xmlns:a="urn:ietf:params:xml:ns:carddav"><d:prop>{props}</d:prop></d:propfind>"""


@dataclass(frozen=True)
class Entry:
    href: str  # absolute URL
    kinds: frozenset[str]  # resource types ("collection", "calendar", "addressbook")
    etag: str | None
    name: str | None
    props: dict[str, str]  # hrefs found in other properties (principal, home sets)


class Dav:
    """One server, signed in as one user."""

    def __init__(self, url: str, user: str, secret: str) -> None:
        import httpx

        https_or_loopback(url)
        parts = urlsplit(url)
        self.url = url
        self.where = parts.hostname
        self.client = httpx.Client(
            auth=(user, secret),  # Basic, over TLS: what Fastmail, iCloud, Nextcloud take
            timeout=30,
            follow_redirects=True,
            headers={"User-Agent": "kith-sync"},
        )

    def close(self) -> None:
        self.client.close()

    def _request(
        self, url: str, method: str, body: str = "", depth: int | None = None
    ) -> httpx.Response:
        import httpx

        headers = {"Content-Type": "application/xml; charset=utf-8"} if body else {}
        if depth is not None:
            headers["Depth"] = str(depth)
        try:
            response = self.client.request(method, url, content=body or None, headers=headers)
        except httpx.HTTPError as exc:
            raise SyncFailed(
                f"The server {self.where} cannot be reached or read ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0][:160] if str(exc) else 'no answer'})."
            ) from None
        status = response.status_code
        if status in (401, 403):
            raise self._refused()
        if status >= 400:
            raise SyncFailed(f"The server {self.where} answered {method} {url} with {status}.")
        if len(response.content) > MAX_ANSWER:
            raise SyncFailed(f"The server {self.where} answered with more than any listing holds.")
        return response

    def _refused(self) -> SyncFailed:
        return SyncFailed(f"The server {self.where} refused the user name or password.")

    def propfind(self, url: str, props: str, depth: int) -> list[Entry]:
        raw = self._request(url, "PROPFIND", _PROPFIND.format(props=props), depth).content
        try:
            tree = ET.fromstring(raw)
        except ET.ParseError:
            tree = None
        if tree is None or tree.tag != "{DAV:}multistatus":
            raise SyncFailed(
                f"The server {self.where} answered with something that is not WebDAV."
            ) from None
        found: list[Entry] = []
        for item in tree.findall("d:response", _NS):
            href = (item.findtext("d:href", default="", namespaces=_NS) or "").strip()
            if not href:
                continue
            kinds: set[str] = set()
            etag = name = None
            props_found: dict[str, str] = {}
            for stat in item.findall("d:propstat", _NS):
                if "200" not in (stat.findtext("d:status", default="", namespaces=_NS) or ""):
                    continue
                prop = stat.find("d:prop", _NS)
                if prop is None:
                    continue
                kinds |= {
                    child.tag.split("}")[-1] for child in prop.findall("d:resourcetype/*", _NS)
                }
                etag = prop.findtext("d:getetag", default=None, namespaces=_NS) or etag
                name = prop.findtext("d:displayname", default=None, namespaces=_NS) or name
                for child in prop:
                    inner = child.findtext("d:href", default="", namespaces=_NS)
                    if inner:
                        props_found[child.tag.split("}")[-1]] = urljoin(url, inner.strip())
            found.append(Entry(urljoin(url, href), frozenset(kinds), etag, name, props_found))
        return found

    def collections(self, kind: str) -> list[Entry]:
        """The user's collections of `kind` ("calendar" or "addressbook")."""
        tag = _KIND[kind].split("}")[-1]
        prefix, home = _HOME[kind]
        asked = self.propfind(
            self.url,
            f"<d:resourcetype/><d:displayname/><d:current-user-principal/><{prefix}:{home}/>",
            0,
        )
        here = asked[0] if asked else None
        if here is not None and tag in here.kinds:
            return [here]
        home_url = here.props.get(home) if here else None
        if home_url is None and here is not None and "current-user-principal" in here.props:
            principal = self.propfind(
                here.props["current-user-principal"], f"<{prefix}:{home}/>", 0
            )
            home_url = principal[0].props.get(home) if principal else None
        found = [
            e
            for e in self.propfind(home_url or self.url, "<d:resourcetype/><d:displayname/>", 1)
            if tag in e.kinds
        ]
        if not found:
            what = "calendar" if kind == "calendar" else "address book"
            raise SyncFailed(f"No {what} was found at {self.url}.")
        return found

    def items(self, collection: str) -> dict[str, str]:
        """href -> ETag of the items of a collection."""
        entries = self.propfind(collection, "<d:resourcetype/><d:getetag/>", 1)
        return {
            e.href: e.etag or ""
            for e in entries
            if "collection" not in e.kinds and e.href.rstrip("/") != collection.rstrip("/")
        }

    def get(self, href: str) -> str | None:
        """An item's text; None when it is too large to be one."""
        raw: bytes = self._request(href, "GET").content
        if len(raw) > MAX_ITEM:
            return None
        return raw.decode("utf-8", "replace")
