"""A local stand-in for a Bluesky PDS: no Bluesky server can run here, so the sync tests are
answered from records and notifications written in the shapes of the AT Protocol lexicons
(tests/fixtures/bluesky/account.json: com.atproto.repo.listRecords,
app.bsky.notification.listNotifications) by an XRPC server on loopback that pages them with
cursors, newest first, at most `page_size` a page; it signs in with createSession (an app
password), and can answer 429 with `RateLimit-Reset` or garbage instead of JSON."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "bluesky" / "account.json"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"


def _jwt(did: str, scope: str) -> str:
    """A token shaped as the PDS's (the client reads its expiry; nobody checks a signature)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    now = int(time.time())
    payload = {"scope": scope, "sub": did, "iat": now, "exp": now + 7200, "aud": "did:web:pds"}
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(payload)}.c2lnbmF0dXJl"


class Replay:
    def __init__(self) -> None:
        data = json.loads(RECORDED.read_text("utf-8"))
        self.did: str = data["did"]
        self.handle: str = data["handle"]
        self.records: dict[str, list[dict[str, Any]]] = data["records"]
        self.notifications: list[dict[str, Any]] = data["notifications"]
        self.later = data["later"]
        self.password = APP_PASSWORD
        self.page_size = 2
        self.rate_limited = 0
        self.garbage = False
        self.access = _jwt(self.did, "com.atproto.appPass")
        self.requests: list[str] = []
        self.url = ""

    def publish_later(self) -> None:
        for collection, records in self.later["records"].items():
            self.records.setdefault(collection, [])[:0] = records
        self.notifications[:0] = self.later["notifications"]

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        nsid = path.removeprefix("/xrpc/")
        self.requests.append(nsid)
        if self.garbage:
            return 200, {"Content-Type": "text/html"}, b"<html>Bad gateway</html>"
        if self.rate_limited:
            self.rate_limited -= 1
            reset = str(int(time.time()) + 1)
            limits = {
                "RateLimit-Limit": "3000",
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": reset,
            }
            return 429, limits, _error("RateLimitExceeded", "Rate Limit Exceeded")
        if nsid == "com.atproto.server.createSession" and method == "POST":
            asked = json.loads(body or b"{}")
            if (
                asked.get("identifier") not in (self.handle, self.did)
                or asked.get("password") != self.password
            ):
                return 401, {}, _error("AuthenticationRequired", "Invalid identifier or password")
            refresh = _jwt(self.did, "com.atproto.refresh")
            session = {"accessJwt": self.access, "refreshJwt": refresh,
                       "handle": self.handle, "did": self.did, "active": True}  # fmt: skip
            return 200, {}, json.dumps(session).encode()
        if headers.get("Authorization") != f"Bearer {self.access}":
            return 401, {}, _error("InvalidToken", "Bad token")
        if nsid == "com.atproto.server.getSession":
            return (
                200,
                {},
                json.dumps({"handle": self.handle, "did": self.did, "active": True}).encode(),
            )
        if nsid == "com.atproto.repo.listRecords":
            items = self.records.get(query.get("collection", [""])[0], [])
            return self._page(items, query, "records")
        if nsid == "app.bsky.notification.listNotifications":
            return self._page(self.notifications, query, "notifications")
        return 400, {}, _error("MethodNotImplemented", f"Method not implemented: {nsid}")

    def _page(
        self, items: list[Any], query: dict[str, list[str]], key: str
    ) -> tuple[int, dict[str, str], bytes]:
        start = int(query.get("cursor", ["0"])[0] or 0)
        limit = min(int(query.get("limit", ["50"])[0]), self.page_size)
        chosen = items[start : start + limit]
        page: dict[str, Any] = {key: chosen}
        if start + limit < len(items):
            page["cursor"] = str(start + limit)
        return 200, {}, json.dumps(page).encode()


def _error(name: str, message: str) -> bytes:
    return json.dumps({"error": name, "message": message}).encode()


@contextmanager
def bluesky_server() -> Iterator[Replay]:
    replay = Replay()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, out = replay.answer(
                method, parts.path, parse_qs(parts.query), self.headers, body
            )
            self.send_response(status)
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def do_GET(self) -> None:
            self._reply("GET")

        def do_POST(self) -> None:
            self._reply("POST")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    replay.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
