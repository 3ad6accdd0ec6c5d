"""Signing in to a team base: `/login`, `/logout`, `/join/TOKEN` and `POST /api/login`
(docs/team.md; the checks themselves are kith.web.signin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.responses import Response

from kith.errors import KithError, NotSignedIn, TooManyAttempts
from kith.web import models, security, signin
from kith.web.state import web

router = APIRouter()
api = APIRouter()


def _secure(request: Request) -> bool:
    """Cookies are Secure unless the browser talks to this machine itself (plain http)."""
    host = request.headers.get("host", "")
    return security.host_name(host) not in security.LOOPBACK


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _next(value: str | None) -> str:
    """Where to go after signing in: a path on this server only."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _signed_in(target: str, session: str, request: Request) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.headers.append("set-cookie", signin.set_cookie(session, _secure(request)))
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    return web(request).render(
        request, "login.html", {"next": _next(next), "email": "", "problem": None}
    )


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    w = web(request)
    try:
        done = w.base.sign_in(email, password, _address(request))
    except TooManyAttempts as exc:
        return w.render(
            request,
            "login.html",
            {"next": _next(next), "email": email, "problem": exc.message},
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except KithError as exc:
        return w.render(
            request,
            "login.html",
            {"next": _next(next), "email": email, "problem": exc.message},
            status_code=401,
        )
    return _signed_in(_next(next), str(done["session"]), request)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    session = signin.cookie_value(request.headers.get("cookie", ""))
    if session:
        web(request).base.sign_out(session)
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", signin.clear_cookie(_secure(request)))
    return response


@router.get("/join/{token}", response_class=HTMLResponse, include_in_schema=False)
def join_page(request: Request, token: str) -> Response:
    return web(request).render(request, "join.html", {"token": token, "problem": None})


@router.post("/join/{token}", include_in_schema=False)
def join(
    request: Request,
    token: str,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Response:
    w = web(request)
    try:
        if password != again:
            raise NotSignedIn("The two passwords differ; type the same one twice.")
        joined = w.base.join(token, name, password)
    except KithError as exc:
        context = {"token": token, "problem": exc.message, "name": name}
        return w.render(request, "join.html", context, status_code=422)
    return _signed_in("/", str(joined["session"]), request)


@api.post("/login", response_model=models.Member, responses={401: {"model": models.Problem}})
def login_json(request: Request, body: models.LoginRequest) -> Response:
    """Sign in (a team base): sets the session cookie; send the CSRF token of
    `GET /api/session` as with every POST. 401 on a wrong email or password, 429 with
    `Retry-After` after 5 failures in 15 minutes."""
    try:
        done = web(request).base.sign_in(body.email, body.password, _address(request))
    except TooManyAttempts as exc:
        return JSONResponse(
            {"detail": exc.message},
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except NotSignedIn as exc:
        return JSONResponse({"detail": exc.message}, status_code=401)
    member: dict[str, Any] = done["member"]
    response = JSONResponse(member)
    response.headers.append("set-cookie", signin.set_cookie(str(done["session"]), _secure(request)))
    return response
