"""The calendar feed (`/calendar/TOKEN.ics`): what a phone's calendar subscribes to.

The token in the address is the feed's only key (calendar apps send no cookie and no
header): it is compared in constant time, and any other address is a plain 404."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from kith.errors import NotFound
from kith.web.state import web

router = APIRouter()


@router.get("/calendar/{name}", include_in_schema=False)
def feed(request: Request, name: str) -> Response:
    token, dot, suffix = name.rpartition(".")
    if not dot or suffix != "ics" or not token:
        raise NotFound("There is no page here.")
    body = web(request).base.calendar_feed(token)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store", "Content-Disposition": "inline; filename=kith.ics"},
    )
