"""What protects the local server from other web pages the user has open.

* **Host check** (DNS rebinding): a page on evil.example can make its own name resolve to
  127.0.0.1; its requests then carry `Host: evil.example`, which is refused.
* **Cross-site request forgery**: every request gets a session cookie (random, HttpOnly,
  SameSite=Strict). Each page carries a token, the HMAC of that session under the server's
  secret, in a hidden form field and in the `X-CSRF-Token` header htmx sends. Every POST
  (pages and JSON API alike) must present the token in that header or, for a plain
  url-encoded form, in the `csrf_token` field; a request whose `Origin` is not this server,
  or that the browser marks as cross-site, is refused too. GET requests change nothing.
* **Headers**: a Content-Security-Policy allowing only this server's own scripts (no inline
  script, no CDN), no framing, no MIME sniffing, and no caching of pages.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Collection
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kith.domain.links import split_url

SESSION_COOKIE = "kith_session"
HEADER = "x-csrf-token"
FIELD = "csrf_token"
#: methods that change nothing (RFC 9110, 9.2.1): no CSRF token asked; no route takes TRACE
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: a url-encoded form larger than this is refused before it is parsed
MAX_FORM_BYTES = 1024 * 1024

_SESSION = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_ELEMENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,80}$")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}

log = logging.getLogger("kith.web")

#: what a request that failed on our side is told (the traceback goes to the server's log)
SERVER_FAULT = "Something went wrong in kith on this request; the details are in the server's log."

REFUSED = (
    "This request did not come from kith's own page (its security token is missing or "
    "out of date); reload the page and try again."
)


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def token(secret: bytes, session: str) -> str:
    return hmac.new(secret, session.encode("ascii"), hashlib.sha256).hexdigest()


def token_for(request: Request) -> str:
    """The CSRF token of this request's session (set by `Guard`)."""
    return str(request.scope.get("state", {}).get("kith_csrf", ""))


def host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8765
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: host check, session cookie, CSRF check, security headers."""

    def __init__(
        self, app: ASGIApp, secret: bytes, allowed_hosts: Collection[str] | None = LOOPBACK
    ) -> None:
        self.app = app
        self.secret = secret
        self.allowed = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.allowed is not None and host_name(host) not in self.allowed:
            await self._refuse(
                scope,
                send,
                400,
                f"kith answers only requests addressed to {', '.join(sorted(self.allowed))}.",
            )
            return
        session = _cookie(headers.get("cookie", ""))
        fresh = session is None
        if session is None:
            session = secrets.token_urlsafe(32)
        expected = token(self.secret, session)
        scope.setdefault("state", {})["kith_csrf"] = expected

        # a bearer token (checked by kith.web.signin) is no browser's: no CSRF to fear
        bearer = bool(scope.get("state", {}).get("kith_bearer"))
        if scope["method"] not in SAFE_METHODS and not bearer:
            if fresh or not _same_origin(headers, host):
                await self._refuse(scope, send, 403, REFUSED)
                return
            presented = headers.get(HEADER)
            if presented is None and _is_urlencoded(headers):
                body, too_large = await _read_body(receive)
                if too_large:
                    await self._refuse(scope, send, 413, "This form is too large.")
                    return
                fields = parse_qs(body.decode("latin-1"), keep_blank_values=True)
                values = fields.get(FIELD)
                presented = values[0] if values else None
                receive = _replay(body, receive)
            if presented is None or not hmac.compare_digest(presented, expected):
                await self._refuse(scope, send, 403, REFUSED)
                return

        static = scope["path"].startswith("/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in out:
                        out[name] = value
                if not static and "cache-control" not in out:
                    out["cache-control"] = "no-store"
                if fresh:
                    # Secure once the browser reaches the server by a name (through a TLS
                    # proxy); plain http on loopback could not send it back otherwise
                    secure = "" if host_name(host) in LOOPBACK else "; Secure"
                    out.append(
                        "set-cookie",
                        f"{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict{secure}",
                    )
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # a fault of ours: logged with its traceback, answered here (not by Starlette's
            # outermost handler) so that the answer carries the security headers too
            log.exception("error serving %s %s", scope["method"], scope["path"])
            if started:
                raise
            await refusal(scope, 500, SERVER_FAULT)(scope, _empty_receive, send_with_headers)

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str) -> None:
        await refusal(scope, status, message)(scope, _empty_receive, send)


def refusal(scope: Scope, status: int, message: str) -> Any:
    """A response stating `message`: JSON for the API, a fragment for htmx (shown in the
    page's message area), plain text otherwise."""
    from starlette.responses import JSONResponse, PlainTextResponse, Response

    headers = Headers(scope=scope)
    extra = dict(HEADERS)
    if scope["path"].startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=extra)
    if headers.get("hx-request") == "true":
        from html import escape

        extra.update({"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
        body = f'<p class="flash error" role="alert">{escape(message)}</p>'
        return Response(body, status_code=status, media_type="text/html", headers=extra)
    return PlainTextResponse(message, status_code=status, headers=extra)


def error_target(request: Request) -> str:
    """Where an htmx form's error goes: the `.form-error` slot inside the element that made
    the request, or the page's message area."""
    trigger = request.headers.get("hx-trigger") or ""
    if _ELEMENT_ID.match(trigger):
        return f"#{trigger} .form-error"
    return "#flash"


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and _SESSION.match(value):
            return value
    return None


def _same_origin(headers: Headers, host: str) -> bool:
    if headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    parts = split_url(origin)
    return parts is not None and parts.netloc.lower() == host.lower()


def _is_urlencoded(headers: Headers) -> bool:
    kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return kind == "application/x-www-form-urlencoded"


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def _empty_receive() -> Message:
    return {"type": "http.disconnect"}
