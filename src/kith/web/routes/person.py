"""A person (`/people/{id}`): the story of one relationship, and forms to log a touch,
remember a fact, record an ask and its answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from kith.domain.ladder import (
    IN_PERSON,
    LEVEL,
    LEVEL_NAMES,
    PRIVATE,
    PUBLIC,
    SYNCHRONOUS,
    VOICE,
)
from kith.domain.model import AskKind, Channel, Stage
from kith.web import models
from kith.web.routes.today import ANSWER_WORDS
from kith.web.state import Web, back_to, blank, is_htmx, ref, web

router = APIRouter()
api = APIRouter()

#: interactions shown at first, and added by each "show older"
RECENT = 50
MAX_RECENT = 5000


#: the ladder rung each milestone proves was reached (docs/path.md, "The channel ladder"
#: and "Stages")
MILESTONE_RUNG = {
    "engaging": 1,
    "acquainted": PUBLIC,
    "conversing": PRIVATE,
    "first_inbound_message": PRIVATE,
    "voice": VOICE,
    "first_call": VOICE,
    "met": IN_PERSON,
    "friend": IN_PERSON,
    "close": IN_PERSON,
    "first_meeting": IN_PERSON,
}


def rung(touch: Mapping[str, Any]) -> int | None:
    """The ladder rung of a touch shown, or None for a missed call (zero minutes)."""
    channel = Channel(touch["channel"])
    if channel in SYNCHRONOUS and touch.get("minutes") == 0:
        return None
    return LEVEL[channel]


def ladder(shown: dict[str, Any]) -> dict[str, Any]:
    """The channel ladder (docs/path.md, "The channel ladder"): the richest rung reached,
    from the milestones (the whole history) and the interactions shown (a missed call does
    not count), and the channels in those interactions."""
    rungs = [MILESTONE_RUNG.get(m["kind"], 0) for m in shown["milestones"]]
    channels: set[str] = set()
    for touch in shown["recent"]:
        level = rung(touch)
        if level is not None:
            channels.add(touch["channel"])
            rungs.append(level)
    return {
        "level": max(rungs, default=-1),
        "channels": sorted(channels, key=lambda c: LEVEL[Channel(c)]),
        "rungs": [{"level": n, "name": name} for n, name in sorted(LEVEL_NAMES.items())],
    }


def stage_path(shown: dict[str, Any]) -> list[dict[str, Any]]:
    """Each stage in order: reached or not, and when first reached."""
    first: dict[str, str | None] = {}
    for m in shown["milestones"]:
        first.setdefault(m["kind"], m["at"])
    current = Stage(shown["stage"]).rank
    return [
        {"stage": s.value, "reached": s.rank <= current, "at": first.get(s.value)} for s in Stage
    ]


def ask_status(shown: dict[str, Any]) -> dict[str, Any]:
    """Where the latest real-life ask stands, as the rules say (`ask_state` of the show
    JSON): a new ask can be recorded when it is `open` or waiting to `retry_later`."""
    state = shown["ask_state"]
    latest = next((i for i in shown["invites"] if i["id"] == state["invite_id"]), None)
    return {
        "latest": latest,
        "backoff_until": state["until"] if state["state"] == "backing_off" else None,
        "waiting": state["state"] == "waiting",
        "to_schedule": state["state"] == "to_schedule",
        "planned": state["state"] == "planned",
        "open": state["state"] in ("open", "retry_later"),
    }


def story(w: Web, person_id: int, recent: int = RECENT) -> dict[str, Any]:
    shown = w.base.show(ref(person_id), recent)
    return {
        "p": shown,
        "path": stage_path(shown),
        "ladder": ladder(shown),
        "ask": ask_status(shown),
        "recent": recent,
    }


def _context(w: Web, person_id: int, recent: int) -> dict[str, Any]:
    return {
        **story(w, person_id, recent),
        "channels": [c.value for c in Channel],
        "kinds": [k.value for k in AskKind],
        "nav": "people",
        "step": RECENT,
    }


@router.get("/people/{person_id}", response_class=HTMLResponse, include_in_schema=False)
def page(
    request: Request,
    person_id: int,
    recent: Annotated[int, Query(ge=1, le=MAX_RECENT)] = RECENT,
) -> Response:
    w = web(request)
    return w.render(request, "person.html", _context(w, person_id, recent))


@router.get("/people/{person_id}/timeline", response_class=HTMLResponse, include_in_schema=False)
def older(
    request: Request,
    person_id: int,
    start: Annotated[int, Query(ge=0, le=MAX_RECENT)] = RECENT,
) -> Response:
    """Rows `start` to `start + RECENT` of the timeline, newest first."""
    w = web(request)
    shown = w.base.show(ref(person_id), min(start + RECENT, MAX_RECENT))
    return w.render(
        request,
        "partials/timeline_rows.html",
        {"p": shown, "rows": shown["recent"][start:], "next_start": start + RECENT},
    )


def _updated(request: Request, person_id: int, note: str, before: str | None) -> Response:
    """The story again after a change, with a note (and the stage change, if any)."""
    if not is_htmx(request):
        return back_to(f"/people/{person_id}")
    w = web(request)
    context = _context(w, person_id, RECENT)
    stage = context["p"]["stage"]
    if before and before != stage:
        note += f" Stage: {before} → {stage}."
    context["flash"] = note
    return w.render(request, "partials/story.html", context)


@router.post("/people/{person_id}/log", include_in_schema=False)
def log(
    request: Request,
    person_id: int,
    channel: Annotated[str, Form()],
    direction: Annotated[str | None, Form()] = None,
    at: Annotated[str | None, Form()] = None,
    text: Annotated[str | None, Form()] = None,
    minutes: Annotated[str | None, Form()] = None,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    length = blank(minutes)
    if length is not None and not length.isdigit():
        from kith.errors import InvalidInput

        raise InvalidInput(f"Minutes must be a whole number (got '{length}').")
    web(request).base.log(
        ref(person_id),
        channel,
        blank(direction),
        blank(at),
        blank(text),
        None if length is None else int(length),
    )
    return _updated(request, person_id, f"Logged a {channel}.", stage)


@router.post("/people/{person_id}/facts", include_in_schema=False)
def remember(
    request: Request,
    person_id: int,
    text: Annotated[str, Form()],
    on: Annotated[str | None, Form()] = None,
    private: Annotated[bool, Form()] = False,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    web(request).base.remember(ref(person_id), text, blank(on), private)
    return _updated(request, person_id, "Remembered.", stage)


@router.post("/people/{person_id}/invite", include_in_schema=False)
def invite(
    request: Request,
    person_id: int,
    kind: Annotated[str | None, Form()] = None,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    result = web(request).base.invite(ref(person_id), blank(kind))
    note = f"Recorded your {result['invite']['kind']} ask; record their answer when it comes."
    return _updated(request, person_id, note, stage)


@router.post("/people/{person_id}/answer", include_in_schema=False)
def answer(
    request: Request,
    person_id: int,
    answer: Annotated[str, Form()],
    when: Annotated[str | None, Form()] = None,
    where: Annotated[str | None, Form()] = None,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    web(request).base.respond(ref(person_id), answer, blank(when), blank(where))
    note = f"Recorded their answer: {ANSWER_WORDS.get(answer, answer)}."
    return _updated(request, person_id, note, stage)


@router.post("/people/{person_id}/snooze", include_in_schema=False)
def snooze(
    request: Request,
    person_id: int,
    days: Annotated[int, Form()] = 7,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    result = web(request).base.snooze(ref(person_id), days)
    note = f"Snoozed “{result['action'].replace('_', ' ')}” until {result['until']}."
    return _updated(request, person_id, note, stage)


# -- JSON -------------------------------------------------------------------------------------
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": models.Problem},
    422: {"model": models.Problem},
}


@api.get("/people/{person_id}", response_model=models.Profile, responses=ERRORS)
def show_json(
    request: Request,
    person_id: int,
    recent: Annotated[int, Query(ge=0, le=MAX_RECENT)] = 20,
) -> dict[str, Any]:
    """One relationship (`kith show --json`); `recent` newest interactions."""
    return web(request).base.show(ref(person_id), recent)


@api.post("/people/{person_id}/log", response_model=models.Profile, responses=ERRORS)
def log_json(request: Request, person_id: int, body: models.LogRequest) -> dict[str, Any]:
    """Log a touch (`kith log`); returns the person as `show` does."""
    return web(request).base.log(
        ref(person_id), body.channel, body.direction, body.at, body.text, body.minutes
    )


@api.post("/people/{person_id}/facts", response_model=models.Profile, responses=ERRORS)
def remember_json(request: Request, person_id: int, body: models.FactRequest) -> dict[str, Any]:
    """Remember a fact, optionally dated (`kith remember`)."""
    return web(request).base.remember(ref(person_id), body.text, body.on, body.private)


@api.post("/people/{person_id}/invite", response_model=models.Profile, responses=ERRORS)
def invite_json(request: Request, person_id: int, body: models.InviteRequest) -> dict[str, Any]:
    """Record a real-life ask (`kith invite`); without a kind, the one the ladder suggests."""
    return web(request).base.invite(ref(person_id), body.kind)


@api.post("/people/{person_id}/answer", response_model=models.Profile, responses=ERRORS)
def answer_json(request: Request, person_id: int, body: models.AnswerRequest) -> dict[str, Any]:
    """Record the answer to the latest ask (`kith respond`)."""
    return web(request).base.respond(ref(person_id), body.answer, body.when, body.where)


@api.post("/people/{person_id}/snooze", response_model=models.Snoozed, responses=ERRORS)
def snooze_json(request: Request, person_id: int, body: models.SnoozeRequest) -> dict[str, Any]:
    """Set a person's suggestion aside for `days` days (`kith snooze`)."""
    return web(request).base.snooze(ref(person_id), body.days, body.action)
