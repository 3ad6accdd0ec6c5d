"""A local stand-in for a Mastodon server: no Mastodon can run here, so the sync tests are
answered from recorded entities (tests/fixtures/mastodon/account.json, written in the shapes
of the Mastodon API documentation: Account, Status, Notification) by an HTTP server on
loopback that pages them as Mastodon does: newest first, `since_id`/`max_id`, a `Link`
header to the next page, at most `page_size` items a page. It can also answer 429 with a
reset time (rate limits), 401 (an expired token) and HTML instead of JSON (garbage)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "mastodon" / "account.json"
TOKEN = "test-token-0123456789abcdef"


class Replay:
    def __init__(self) -> None:
        data = json.loads(RECORDED.read_text("utf-8"))
        self.account: dict[str, Any] = data["account"]
        self.statuses: list[dict[str, Any]] = data["statuses"]
        self.notifications: list[dict[str, Any]] = data["notifications"]
        self.favourites: list[dict[str, Any]] = data["favourites"]
        self.later: dict[str, list[dict[str, Any]]] = data["later"]
        self.token = TOKEN
        self.page_size = 2
        self.rate_limited = 0  # how many requests to answer with 429 first
        self.garbage = False
        self.requests: list[str] = []
        self.url = ""

    def publish_later(self) -> None:
        """What happens on the server after a first sync: a new post and a favourite of it."""
        self.statuses[:0] = self.later["statuses"]
        self.notifications[:0] = self.later["notifications"]

    # -- answering ------------------------------------------------------------------------
    def answer(
        self, path: str, query: dict[str, list[str]], authorization: str
    ) -> tuple[int, dict[str, str], bytes]:
        self.requests.append(path)
        if self.garbage:
            return 200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>"
        if self.rate_limited:
            self.rate_limited -= 1
            reset = datetime.now(UTC) + timedelta(seconds=1)
            headers = {
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z"),
            }
            return 429, headers, json.dumps({"error": "Too many requests"}).encode()
        if authorization != f"Bearer {self.token}":
            return 401, {}, json.dumps({"error": "The access token is invalid"}).encode()
        me = self.account["id"]
        if path == "/api/v1/accounts/verify_credentials":
            return 200, {}, json.dumps(self.account).encode()
        if path == f"/api/v1/accounts/{me}/statuses":
            return self._page(path, self.statuses, query, key=lambda s: int(s["id"]))
        if path == "/api/v1/notifications":
            types = set(query.get("types[]", []))
            chosen = [n for n in self.notifications if not types or n["type"] in types]
            return self._page(path, chosen, query, key=lambda n: int(n["id"]))
        if path == "/api/v1/favourites":
            # favourites page by the favourite's own (hidden) id: the order they were made
            ranked = [(9000 - n, s) for n, s in enumerate(self.favourites)]
            return self._page(path, ranked, query, key=lambda r: r[0], unwrap=True)
        return 404, {}, json.dumps({"error": "Record not found"}).encode()

    def _page(
        self,
        path: str,
        items: list[Any],
        query: dict[str, list[str]],
        key: Any,
        unwrap: bool = False,
    ) -> tuple[int, dict[str, str], bytes]:
        since = int(query.get("since_id", ["0"])[0] or 0)
        below = int(query.get("max_id", ["0"])[0] or 0)
        limit = min(int(query.get("limit", ["20"])[0]), self.page_size)
        chosen = [i for i in items if key(i) > since and (not below or key(i) < below)][:limit]
        headers: dict[str, str] = {}
        if chosen:
            rest = {k: v for k, v in query.items() if k not in ("max_id", "since_id", "min_id")}
            params = {
                **{k: v[0] for k, v in rest.items() if not k.endswith("[]")},
                "max_id": key(chosen[-1]),
            }
            types = "".join(f"&types[]={t}" for t in query.get("types[]", []))
            headers["Link"] = f'<{self.url}{path}?{urlencode(params)}{types}>; rel="next"'
        body = [i[1] for i in chosen] if unwrap else chosen
        return 200, headers, json.dumps(body).encode()


@contextmanager
def mastodon_server() -> Iterator[Replay]:
    replay = Replay()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            status, headers, body = replay.answer(
                parts.path, parse_qs(parts.query), self.headers.get("Authorization", "")
            )
            self.send_response(status)
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

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
