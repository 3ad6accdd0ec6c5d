"""Sign-in for a team base (docs/team.md, "The web UI in team mode").

On a base with members every page and `/api/` route needs a signed-in member: a session
cookie (`kith_member`: random, HttpOnly, SameSite=Lax, Secure unless the server is on
loopback; only its hash is kept, in the base, so that every worker process agrees), or,
on `/api/`, `Authorization: Bearer TOKEN` (a token from `kith team token`), which needs no
CSRF token since no browser sends that header by itself. Without one, pages redirect to
`/login` and the API answers 401. Each request then acts as its member (`kith.api
.acting_as`): a viewer's writes answer 403. A base without members is served as before.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kith.api import Kith, acting_as
from kith.web import security

COOKIE = "kith_member"
#: reachable without signing in: the sign-in pages themselves and what they need
#: and the calendar feed, whose token is its key (kith.web.routes.feed)
PUBLIC = (
    "/login",
    "/logout",
    "/join/",
    "/static/",
    "/api/login",
    "/api/session",
    "/calendar/",
)
#: what a viewer's write is told (as kith.domain.team says it)
VIEWERS = "Viewers can read the base but not change it."
#: how long the answer to "is this a team base?" is kept (a `kith team init` meanwhile
#: shows within this time)
TEAM_CHECK_SECONDS = 5.0


def cookie_value(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and 20 <= len(value) <= 64:
            return value
    return None


def set_cookie(value: str, secure: bool) -> str:
    flags = "; Secure" if secure else ""
    return f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600{flags}"


def clear_cookie(secure: bool) -> str:
    flags = "; Secure" if secure else ""
    return f"{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{flags}"


class TeamCheck:
    """Whether the base has members, asked at most every few seconds."""

    def __init__(self, base: Kith) -> None:
        self.base = base
        self._known: tuple[float, bool] | None = None

    async def __call__(self) -> bool:
        now = time.monotonic()
        if self._known is None or now - self._known[0] > TEAM_CHECK_SECONDS:
            self._known = (now, await anyio.to_thread.run_sync(self.base.is_team))
        return self._known[1]


class SignIn:
    """ASGI middleware: on a team base, find the request's member or send it to sign in."""

    def __init__(self, app: ASGIApp, base: Kith) -> None:
        self.app = app
        self.base = base
        self.team = TeamCheck(base)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not await self.team():
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        state = scope.setdefault("state", {})
        state["kith_team"] = True
        headers = Headers(scope=scope)
        member: dict[str, Any] | None = None
        session = cookie_value(headers.get("cookie", ""))
        if session is not None:
            member = await anyio.to_thread.run_sync(self.base.signed_in, session)
        authorization = headers.get("authorization", "")
        if member is None and path.startswith("/api/") and authorization[:7].lower() == "bearer ":
            member = await anyio.to_thread.run_sync(self.base.bearer, authorization[7:].strip())
            if member is None:
                await self._answer(scope, receive, send, 401, "This token is not valid.")
                return
            state["kith_bearer"] = True  # no CSRF token needed (security.Guard)
        if member is None and not path.startswith(PUBLIC):
            if path.startswith("/api/"):
                await self._answer(scope, receive, send, 401, "Sign in first (POST /api/login).")
                return
            wanted = path + (
                f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else ""
            )
            target = "/login" if wanted == "/" else f"/login?next={quote(wanted, safe='')}"
            response = RedirectResponse(target, status_code=303, headers=security.HEADERS)
            await response(scope, receive, send)
            return
        if (
            member is not None
            and member.get("role") == "viewer"
            and scope["method"] not in security.SAFE_METHODS
            and path.startswith("/api/")
            and not path.startswith(PUBLIC)
        ):
            # every route's write checks the role (kith.api); the API's are refused here as
            # well, before anything is read, so that a new route cannot forget it
            await self._answer(scope, receive, send, 403, VIEWERS)
            return
        state["kith_member"] = member
        with acting_as(None if member is None else str(member["email"])):
            await self.app(scope, receive, send)

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, status: int, message: str
    ) -> None:
        response = JSONResponse({"detail": message}, status_code=status, headers=security.HEADERS)
        await response(scope, receive, send)


def member_of(scope_state: dict[str, Any]) -> dict[str, Any] | None:
    """The signed-in member of a request (None on a one-user base, or before sign-in)."""
    found = scope_state.get("kith_member")
    return found if isinstance(found, dict) else None
