"""Gatherings and trips (`/plans`): plan a trip or a gathering, read each guest's personal
invitation, record RSVPs and who came, download the `.ics`."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from kith.api import Kith
from kith.errors import InvalidInput
from kith.web import models
from kith.web.state import back_to, blank, is_htmx, ref, web
from kith.web.toasts import Toast, undo_trip

router = APIRouter()
api = APIRouter()

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": models.Problem},
    422: {"model": models.Problem},
}


def guests(text: str | None) -> list[str]:
    """Guests typed one per line or separated by commas: ids, exact names or handles."""
    return [part.strip() for part in re.split(r"[\n,]", text or "") if part.strip()]


def guests_count(n: int) -> str:
    return "1 guest" if n == 1 else f"{n:,} guests"


def _plans(base: Kith) -> dict[str, Any]:
    gatherings = base.gatherings()
    return {
        "trips": base.trips(),
        "coming": [g for g in gatherings if not g["past"]],
        "past": list(reversed([g for g in gatherings if g["past"]])),
    }


@router.get("/plans", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> Response:
    w = web(request)
    return w.render(request, "plans.html", {**_plans(w.base), "nav": "plans", "open_id": None})


def _section(
    request: Request,
    name: str,
    note: str | None,
    open_id: int | None = None,
    toast: Toast | None = None,
) -> Response:
    if not is_htmx(request):
        return back_to("/plans")
    w = web(request)
    context = {**_plans(w.base), "flash": note, "open_id": open_id, "toast": toast}
    return w.render(request, f"partials/{name}.html", context)


@router.post("/plans/trips", include_in_schema=False)
def plan_trip(
    request: Request,
    city: Annotated[str, Form()],
    starts: Annotated[str, Form()],
    ends: Annotated[str, Form()],
) -> Response:
    trip = web(request).base.trip(city, starts, ends)
    note = f"Trip to {trip['city']} from {trip['from']} to {trip['to']} planned."
    return _section(request, "trips", note)


@router.post("/plans/trips/{trip_id}/remove", include_in_schema=False)
def remove_trip(request: Request, trip_id: int) -> Response:
    removed = web(request).base.remove_trip(trip_id)
    message = f"Removed the trip to {removed['city']} ({removed['from']} to {removed['to']})."
    return _section(request, "trips", None, toast=Toast(message, undo_trip(removed)))


@dataclass(frozen=True)
class GatheringForm:
    """The fields of the Plan a gathering form, as typed (kept when the guests are listed)."""

    title: str
    at: str
    where: str
    invite: str = ""
    tag: str = ""
    city: str = ""
    minutes: int = 180


def gathering_form(
    title: Annotated[str, Form()],
    at: Annotated[str, Form()],
    where: Annotated[str, Form()],
    invite: Annotated[str | None, Form()] = None,
    tag: Annotated[str | None, Form()] = None,
    city: Annotated[str | None, Form()] = None,
    minutes: Annotated[int, Form(ge=1, le=models.MAX_MINUTES)] = 180,
) -> GatheringForm:
    return GatheringForm(title, at, where, invite or "", tag or "", city or "", minutes)


Drafted = Annotated[GatheringForm, Depends(gathering_form)]


@router.post("/plans/gatherings/guests", include_in_schema=False)
def choose_guests(request: Request, form: Drafted) -> Response:
    """The guests the form names, each with city, distance and stage, to tick before the
    gathering is planned (the far and the not-yet-acquainted start unticked)."""
    w = web(request)
    choice = w.base.guest_candidates(guests(form.invite), blank(form.tag), blank(form.city))
    context = {**_plans(w.base), "draft": asdict(form), "choice": choice, "open_id": None}
    name = "partials/gatherings.html" if is_htmx(request) else "plans.html"
    return w.render(request, name, {**context, "nav": "plans"})


@router.post("/plans/gatherings", include_in_schema=False)
def plan_gathering(
    request: Request,
    form: Drafted,
    guest: Annotated[list[int] | None, Form()] = None,
    chosen: Annotated[bool, Form()] = False,
) -> Response:
    """Plan it: with the guests ticked on the list (`chosen`), or everyone the form names."""
    tag = blank(form.tag)
    if chosen:
        if not guest:
            raise InvalidInput("Tick at least one guest.")
        invited, tag = [ref(pid) for pid in guest], None
    else:
        invited = guests(form.invite)
    planned = web(request).base.gather(form.title, form.at, form.where, invited, tag, form.minutes)
    note = f"“{planned['title']}” planned with {guests_count(len(planned['guests']))}."
    return _section(request, "gatherings", note, planned["id"])


def _card(request: Request, gathering: dict[str, Any], note: str) -> Response:
    if not is_htmx(request):
        return back_to("/plans")
    context = {"g": gathering, "card_flash": note, "open_id": gathering["id"]}
    return web(request).render(request, "partials/gathering.html", context)


@router.post("/plans/gatherings/{gathering_id}/rsvp", include_in_schema=False)
def rsvp(
    request: Request,
    gathering_id: int,
    person: Annotated[int, Form()],
    answer: Annotated[str, Form()],
) -> Response:
    updated = web(request).base.rsvp(ref(gathering_id), ref(person), answer)
    name = next((g["person"]["name"] for g in updated["guests"] if g["person"]["id"] == person), "")
    return _card(request, updated, f"{name}: {answer}.")


@router.post("/plans/gatherings/{gathering_id}/attended", include_in_schema=False)
def attended(
    request: Request,
    gathering_id: int,
    came: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
) -> Response:
    updated = web(request).base.attended(ref(gathering_id), [ref(pid) for pid in came])
    note = f"Logged the gathering with {guests_count(updated['attended'])} who came."
    return _card(request, updated, note)


def _ics(base: Kith, gathering_id: int) -> Response:
    data = base.gathering_ics(ref(gathering_id))
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="gathering-{gathering_id}.ics"'},
    )


@router.get("/plans/gatherings/{gathering_id}.ics", include_in_schema=False)
def ics(request: Request, gathering_id: int) -> Response:
    return _ics(web(request).base, gathering_id)


# -- JSON -------------------------------------------------------------------------------------
@api.get("/trips", response_model=list[models.Trip])
def trips_json(request: Request) -> list[dict[str, Any]]:
    """Past, current and coming trips (`kith trips --json`)."""
    return web(request).base.trips()


@api.post("/trips", response_model=models.Trip, responses=ERRORS)
def trip_json(request: Request, body: models.TripRequest) -> dict[str, Any]:
    """Record a trip (`kith trip`)."""
    return web(request).base.trip(body.city, body.from_, body.to)


@api.get("/gatherings", response_model=list[models.Gathering])
def gatherings_json(request: Request) -> list[dict[str, Any]]:
    """Past and coming gatherings with each guest's answer (`kith gatherings --json`)."""
    return web(request).base.gatherings()


@api.post("/gatherings", response_model=models.Gathering, responses=ERRORS)
def gather_json(request: Request, body: models.GatheringRequest) -> dict[str, Any]:
    """Plan a gathering with a personal invitation per guest (`kith gather`)."""
    if not body.invite and not body.tag:
        raise InvalidInput("Say who is invited: 'invite' (a list of people) or 'tag'.")
    return web(request).base.gather(
        body.title, body.at, body.where, body.invite, body.tag, body.minutes
    )


@api.get("/gatherings/{gathering_id:int}", response_model=models.Gathering, responses=ERRORS)
def gathering_json(request: Request, gathering_id: int) -> dict[str, Any]:
    """One gathering."""
    return web(request).base.gathering(ref(gathering_id))


@api.get(
    "/gatherings/{gathering_id:int}/ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}},
)
def gathering_ics_json(request: Request, gathering_id: int) -> Response:
    """The gathering as an `.ics` file: a published event, its guests named in the description."""
    return _ics(web(request).base, gathering_id)


@api.post("/gatherings/{gathering_id:int}/rsvp", response_model=models.Gathering, responses=ERRORS)
def rsvp_json(request: Request, gathering_id: int, body: models.RsvpRequest) -> dict[str, Any]:
    """A guest's answer (`kith rsvp`)."""
    return web(request).base.rsvp(ref(gathering_id), body.person, body.answer)


@api.post(
    "/gatherings/{gathering_id:int}/attended", response_model=models.Gathering, responses=ERRORS
)
def attended_json(
    request: Request, gathering_id: int, body: models.AttendedRequest
) -> dict[str, Any]:
    """Log the gathering with each guest who came (`kith attended`)."""
    return web(request).base.attended(ref(gathering_id), body.people)
