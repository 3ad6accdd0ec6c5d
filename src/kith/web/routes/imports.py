"""Import (`/import`): upload an export, watch the progress bar, read the summary.

The upload is streamed to a temporary file (kith.web.uploads) and imported in a background
thread (kith.web.jobs); the page polls the job every 500 ms until it is done or failed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.responses import RedirectResponse, Response

from kith.api import source_guides, source_names, source_titles
from kith.domain.calendar import zone
from kith.errors import InvalidInput, NotFound
from kith.web import models, uploads
from kith.web.jobs import Job
from kith.web.state import Web, blank, is_htmx, web

router = APIRouter()
api = APIRouter()

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["source", "file"],
                    "properties": {
                        "source": {"type": "string", "enum": list(source_names())},
                        "file": {"type": "string", "format": "binary"},
                        "me": {
                            "type": "string",
                            "description": "your handles in this export, comma-separated",
                        },
                        "tz": {
                            "type": "string",
                            "description": "zone of local times (IANA, e.g. Europe/Berlin)",
                        },
                        "region": {
                            "type": "string",
                            "pattern": "^([A-Za-z]{2})?$",
                            "description": "phone country, two letters, e.g. DE (empty: none)",
                        },
                    },
                }
            }
        },
    }
}


@cache
def sources() -> list[dict[str, str]]:
    """Every source kith imports, with what the user downloads and where they ask for it."""
    guides = source_guides()
    return [
        {"name": name, "title": title, "how": guides[name]}
        for name, title in source_titles().items()
    ]


def _job(w: Web, job_id: str) -> Job:
    job = w.jobs.get(job_id)
    if job is None:
        raise NotFound("No such import here; the server may have restarted. Upload it again.")
    return job


@router.get("/import", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request, job: str | None = None) -> Response:
    w = web(request)
    shown = w.jobs.get(job) if job else None
    return w.render(
        request,
        "import.html",
        {
            "sources": sources(),
            "job": shown,
            "nav": "import",
            "limit_mb": w.max_upload_bytes / uploads.MEGABYTE,
            "syncs": w.base.sync_sources(),
            "sync_minutes": _minutes(getattr(request.app.state, "sync_seconds", None)),
            "feed": _feed_url(request),
        },
    )


def _minutes(seconds: float | None) -> str | None:
    """How often this server runs the sync sources, in words (None: it does not)."""
    if seconds is None:
        return None
    minutes = seconds / 60
    return "minute" if minutes == 1 else f"{minutes:g} minutes"


def _feed_url(request: Request) -> str | None:
    """The calendar feed's address as this browser reaches the server (made on first use);
    None for a viewer of a team base, who may not make one."""
    from kith.errors import NotAllowed

    try:
        token = web(request).base.calendar_token()
    except NotAllowed:
        return None
    return str(request.base_url).rstrip("/") + f"/calendar/{token}.ics"


async def _start(request: Request) -> Job:
    w = web(request)
    upload = await uploads.receive(request, w.max_upload_bytes)
    try:
        source = (upload.first("source") or "").strip().lower()
        if source not in source_names():
            raise InvalidInput(f"Choose what the file is; sources: {', '.join(source_names())}.")
        if upload.file is None or upload.size == 0:
            raise InvalidInput("Choose a file to import (an empty file has nothing to import).")
        me = [part.strip() for part in (upload.first("me") or "").split(",") if part.strip()]
        tz, region = blank(upload.first("tz")), blank(upload.first("region"))
        _check_options(tz, region)
        return w.jobs.start(source, upload, me, tz, region)
    except Exception:
        upload.discard()
        raise


def _check_options(tz: str | None, region: str | None) -> None:
    """A zone or a country the import would refuse, refused before it starts (422 at once,
    not a job that fails)."""
    if region is not None and not (len(region) == 2 and region.isascii() and region.isalpha()):
        raise InvalidInput(f"--region takes a two-letter country code such as DE (got '{region}').")
    if tz is not None:
        try:
            zone(tz)
        except Exception:  # ZoneInfo: ValueError, a missing file, a folder's name...
            raise InvalidInput(f"Unknown time zone '{tz}'.") from None


@router.post("/import", include_in_schema=False)
async def start(request: Request) -> Response:
    job = await _start(request)
    if not is_htmx(request):
        return RedirectResponse(f"/import?job={job.id}", status_code=303)
    return web(request).render(request, "partials/import_job.html", {"job": job})


@router.get("/import/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, job_id: str) -> Response:
    w = web(request)
    return w.render(request, "partials/import_job.html", {"job": _job(w, job_id)})


# -- JSON -------------------------------------------------------------------------------------
@api.get("/import/sources", response_model=list[models.Source])
def sources_json() -> list[dict[str, str]]:
    """Every source kith imports (`kith import SOURCE PATH`)."""
    return sources()


@api.post(
    "/import",
    response_model=models.ImportJob,
    status_code=202,
    openapi_extra=UPLOAD_BODY,
    responses={413: {"model": models.Problem}, 422: {"model": models.Problem}},
)
async def start_json(request: Request) -> Response:
    """Upload an export and start importing it; poll `GET /api/import/jobs/{job_id}`."""
    job = await _start(request)
    return JSONResponse(job.as_json(), status_code=202)


@api.get(
    "/import/jobs/{job_id}",
    response_model=models.ImportJob,
    responses={404: {"model": models.Problem}},
)
def job_json(request: Request, job_id: str) -> dict[str, Any]:
    """Where an import stands; `summary` (`kith import --json`) once `state` is done."""
    return _job(web(request), job_id).as_json()
