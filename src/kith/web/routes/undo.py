"""Undo (`POST /undo/...`): take back what a toast offers to (kith.web.toasts). Each answers
with a toast saying what was undone and the `kith-changed` event, on which the page's lists
reload. (Toasts come only with in-page actions, so a plain POST here is rare: it goes to
Today.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from kith.web.state import back_to, blank, is_htmx, ref, web
from kith.web.toasts import CHANGED, Toast

router = APIRouter()


def _done(request: Request, message: str) -> Response:
    if not is_htmx(request):
        return back_to("/")
    w = web(request)
    w.cache.invalidate()
    return w.render(
        request, "partials/toast.html", {"toast": Toast(message)}, headers={"HX-Trigger": CHANGED}
    )


@router.post("/undo/log", include_in_schema=False)
def undo_log(
    request: Request,
    person_id: Annotated[int, Form()],
    interaction_id: Annotated[int, Form()],
) -> Response:
    shown = web(request).base.unlog(ref(person_id), interaction_id)
    return _done(request, f"Took back the touch with {shown['name']}.")


@router.post("/undo/snooze", include_in_schema=False)
def undo_snooze(
    request: Request, person_id: Annotated[int, Form()], action: Annotated[str, Form()]
) -> Response:
    back = web(request).base.unsnooze(ref(person_id), action)
    return _done(request, f"{back['name']} is back on Today.")


@router.post("/undo/trip", include_in_schema=False)
def undo_trip(
    request: Request,
    city: Annotated[str, Form()],
    starts: Annotated[str, Form(alias="from")],
    ends: Annotated[str, Form(alias="to")],
    country: Annotated[str | None, Form()] = None,
    lat: Annotated[str | None, Form()] = None,
    lon: Annotated[str | None, Form()] = None,
) -> Response:
    removed = {
        "city": city,
        "country": blank(country),
        "lat": blank(lat),
        "lon": blank(lon),
        "from": starts,
        "to": ends,
    }
    trip = web(request).base.restore_trip(removed)
    return _done(request, f"The trip to {trip['city']} is back.")
