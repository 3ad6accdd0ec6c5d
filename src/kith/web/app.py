"""The FastAPI application: pages, their JSON twins under /api/, static assets, and what
guards them (kith.web.security)."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from kith import __version__ as kith_version
from kith.api import Kith
from kith.errors import KithError, NotAllowed, NotFound, describe
from kith.web import openapi, security
from kith.web.cache import DEFAULT_TTL, Cache, Stamp
from kith.web.jobs import Jobs
from kith.web.models import Problem
from kith.web.routes import (
    feed,
    imports,
    login,
    people,
    person,
    plans,
    report,
    session,
    team,
    today,
    undo,
)
from kith.web.signin import SignIn
from kith.web.state import LISTS_KEPT, Web, is_htmx, web
from kith.web.sync_loop import SyncLoop
from kith.web.templating import STATIC, Pages
from kith.web.uploads import MEGABYTE, UploadTooLarge

log = logging.getLogger("kith.web")

DEFAULT_MAX_UPLOAD_MB = 512
#: requests handled at once per process (the rest wait their turn; see lifespan below)
DEFAULT_THREADS = 2

DESCRIPTION = """The JSON API of kith's local web UI: the same shapes as the CLI's `--json`
(docs/cli.md). Every POST needs the session's CSRF token in the `X-CSRF-Token` header: get it
(and the session cookie) from `GET /api/session`. Errors are `{"detail": "one sentence"}`."""


#: a body FastAPI could not parse (not UTF-8, say)
UNREADABLE_BODY = "The request's body cannot be read: send JSON, in UTF-8."
#: a date or a number past what kith can hold
OUT_OF_RANGE = (
    "A date or a number in this request is out of the range kith can store; nothing was written."
)


class KithAPI(FastAPI):
    """FastAPI, with the errors every operation can answer in its OpenAPI document
    (kith.web.openapi)."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = openapi.document_errors(super().openapi())
        return self.openapi_schema


class InvalidateOnWrite:
    """Clear the server's kept figures once any POST has been handled (cache.py)."""

    def __init__(self, app: ASGIApp, web: Web) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http" and scope["method"] not in security.SAFE_METHODS:
                self.web.invalidate()


def create_app(
    base: Kith,
    *,
    demo: bool = False,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * MEGABYTE,
    secret: bytes | None = None,
    allowed_hosts: Collection[str] | None = security.LOOPBACK,
    cache_ttl: float = DEFAULT_TTL,
    shared: Path | None = None,
    threads: int = DEFAULT_THREADS,
    warm: bool = True,
    sync_seconds: float | None = None,
    sync_here: bool = True,
) -> FastAPI:
    """The web application over `base`. `demo` shows the "Demo network" banner;
    `allowed_hosts` (host names, no ports; None for any) guards against DNS rebinding;
    `shared`: a private folder the worker processes of one server share (cache.py, jobs.py);
    `warm`: work out today's agenda and the People list as the server starts, so that the
    first visitor does not wait for them; `sync_seconds`: run the sync sources at start and
    then this often (kith.web.sync_loop; None: never), in this process unless `sync_here`
    is False (a worker of `--workers N`, whose parent runs them).
    """
    stamp = None if shared is None else Stamp(shared / "generation")
    jobs_folder = None if shared is None else shared / "jobs"
    if jobs_folder is not None:
        jobs_folder.mkdir(mode=0o700, exist_ok=True)
    state = Web(
        base=base,
        pages=Pages(demo=demo, max_upload_bytes=max_upload_bytes),
        cache=Cache(cache_ttl, stamp=stamp),
        jobs=Jobs(base, folder=jobs_folder),
        demo=demo,
        max_upload_bytes=max_upload_bytes,
        lists=Cache(cache_ttl, max_entries=LISTS_KEPT, stamp=stamp),
    )
    state.jobs.on_finish = state.invalidate

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        _ = base.engine  # open (and migrate) the base before the first request
        # a few threads per process: more only queue for the interpreter's lock and make
        # every request slower (16 concurrent clients: 2 threads answer twice as fast as 40)
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        if warm:
            threading.Thread(target=state.warm, name="kith-warm-up", daemon=True).start()
        loop = (
            SyncLoop(base, sync_seconds, state.invalidate)
            if sync_seconds is not None and sync_here
            else None
        )
        if loop is not None:
            loop.start()
        _app.state.sync_loop = loop
        yield
        if loop is not None:
            loop.stop()
        state.jobs.wait(timeout=5)

    app = KithAPI(
        title="kith",
        version=kith_version,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not here
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.web = state
    app.state.sync_seconds = sync_seconds
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (login, today, people, person, imports, plans, report, session, undo, team, feed):
        app.include_router(module.router)
        if hasattr(module, "api"):
            app.include_router(
                module.api,
                prefix="/api",
                tags=[module.__name__.rsplit(".")[-1]],
                responses={422: {"model": Problem, "description": "Bad input: one sentence"}},
            )
    _handlers(app)
    app.add_middleware(InvalidateOnWrite, web=state)
    app.add_middleware(
        security.Guard, secret=secret or security.new_secret(), allowed_hosts=allowed_hosts
    )
    app.add_middleware(SignIn, base=base)  # outermost: a team base's member, or sign in
    return app


#: the environment variable naming a worker process's settings (see `from_environment`)
CONFIG_VARIABLE = "KITH_WEB_CONFIG"


def write_config(shared: Path, **settings: Any) -> Path:
    """Settings for worker processes, readable by the user only (the secret is in it)."""
    path = shared / "config.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(settings, out)
    return path


def from_environment() -> FastAPI:
    """The application of one worker process of `kith serve --workers N` (a uvicorn
    factory): its settings are in the file `KITH_WEB_CONFIG` names."""
    path = Path(os.environ[CONFIG_VARIABLE])
    settings = json.loads(path.read_text("utf-8"))
    hosts = settings["allowed_hosts"]
    return create_app(
        Kith(settings["db"], pooled=True),
        demo=bool(settings["demo"]),
        max_upload_bytes=int(settings["max_upload_bytes"]),
        secret=bytes.fromhex(settings["secret"]),
        allowed_hosts=None if hosts is None else tuple(hosts),
        shared=path.parent,
        sync_seconds=settings.get("sync_seconds"),
        sync_here=False,
    )


def problem(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """One sentence, in the form the caller can show: JSON for the API, a fragment in the
    form's error slot for htmx, an error page otherwise. `headers` go with it (a 405's
    `Allow`)."""
    extra = dict(headers or {})
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=extra)
    if is_htmx(request):
        extra.update({"HX-Retarget": security.error_target(request), "HX-Reswap": "innerHTML"})
        return web(request).render(
            request, "partials/error.html", {"message": message}, status_code=status, headers=extra
        )
    return web(request).render(
        request,
        "error.html",
        {"message": message, "status": status},
        status_code=status,
        headers=extra,
    )


#: the methods a 405's `Allow` may list
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this request's address: a 405's `Allow` (RFC 9110).
    Starlette's own names the first route that matched the path only, so that OPTIONS
    /api/people said GET and left POST out."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(KithError)
    async def kith_error(request: Request, exc: KithError) -> Response:
        if isinstance(exc, UploadTooLarge):
            return problem(request, 413, exc.message)
        if isinstance(exc, NotAllowed):
            return problem(request, 403, exc.message)
        return problem(request, 404 if isinstance(exc, NotFound) else 422, exc.message)

    @app.exception_handler(OperationalError)
    async def database_error(request: Request, exc: OperationalError) -> Response:
        detail = describe(exc.orig if exc.orig is not None else exc)
        log.error("database error: %s", detail)
        return problem(request, 503, f"Cannot use the database: {detail}.")

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, exc: OverflowError) -> Response:
        # a date or number past what Python's dates or the database hold (the year 1 moved
        # into UTC, a snooze of 10**20 days): bad input, and the transaction wrote nothing
        log.info("out of range on %s %s: %s", request.method, request.url.path, exc)
        return problem(request, 422, OUT_OF_RANGE)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = str((first.get("loc") or ["", "the form"])[-1]).replace("_", " ")
        if first.get("type") == "enum":  # as kith.parsing.parse_choice says it
            valid = str(first.get("ctx", {}).get("expected", "")).replace("'", "")
            valid = valid.replace(" or ", ", ")
            given = first.get("input")
            return problem(request, 422, f"Unknown {where} '{given}'; valid {where}s: {valid}.")
        what = str(first.get("msg", "is not valid")).rstrip(".")
        return problem(request, 422, f"Check '{where}': {what[0].lower() + what[1:]}.")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "That did not work."
        if exc.status_code == 404 and message == "Not Found":
            message = "There is no page here."
        headers = exc.headers
        if exc.status_code == 405:
            message = "That address does not take this kind of request."
            headers = {"Allow": ", ".join(allowed_methods(request))}
        if exc.status_code == 400 and message == "There was an error parsing the body":
            message = UNREADABLE_BODY
        return problem(request, exc.status_code, message, headers)
