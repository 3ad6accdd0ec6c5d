"""Today (`/`): the agenda, each item done in place (log the touch, record an answer, snooze)
and replaced by the next agenda item."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from kith.api import Kith
from kith.domain.phrasing import ACTION_LABELS
from kith.web import models
from kith.web.state import Web, back_to, blank, is_htmx, ref, web
from kith.web.templating import long_day
from kith.web.toasts import Toast, Undo, undo_log, undo_snooze

router = APIRouter()
api = APIRouter()

#: actions whose item asks for a real-life meeting: the answer records the ask and its reply
ASKS = frozenset({"raise_irl", "meet_while_travelling"})
#: how an answer reads in the note that replaces the item
ANSWER_WORDS = {
    "positive": "they said yes",
    "neutral": "maybe later",
    "negative": "they said no",
    "pending": "waiting for their answer",
}
MAX_SHOWN = 60

Shown = Annotated[list[int], Form()]


def default_channel(action: str) -> str:
    """The channel a touch for this action most likely went through."""
    return "comment" if action == "engage" else "dm"


def today_label(w: Web) -> str:
    day = w.day()
    return w.cache.get(("day", day), lambda: w.base.today_date().isoformat())


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request, limit: Annotated[int | None, Query(ge=1, le=50)] = None) -> Response:
    w = web(request)
    items = w.agenda(limit)
    empty = not items and w.cache.get(("empty", w.day()), lambda: w.base.count_people() == 0)
    context = {
        "items": items,
        "day": today_label(w),
        "day_iso": today_label(w),
        "nav": "today",
        "channel_for": default_channel,
        "empty_base": empty,
    }
    return w.render(request, "today.html", context)


def _next_item(base: Kith, done: int, shown: list[int]) -> dict[str, Any] | None:
    """The best agenda item for someone not on the page (nor the person just done)."""
    on_page = {*shown[:MAX_SHOWN], done}
    for item in base.today(len(on_page) + 1):
        if item["person"]["id"] not in on_page:
            return item
    return None


def _after(
    request: Request, person_id: int, note: str, shown: list[int], undo: Undo | None = None
) -> Response:
    """The item becomes a note of what was recorded (focus moves to it), the next agenda item
    joins at the end of the list (where a reload puts it), and a toast offers the undo."""
    if not is_htmx(request):
        return back_to("/")
    w = web(request)
    w.cache.invalidate()
    return w.render(
        request,
        "partials/today_done.html",
        {
            "note": note,
            "done_id": person_id,
            "item": _next_item(w.base, person_id, shown),
            "channel_for": default_channel,
            "day_iso": today_label(w),
            "toast": Toast(note, undo),
        },
    )


@router.post("/today/{person_id}/log", include_in_schema=False)
def log(
    request: Request,
    person_id: int,
    channel: Annotated[str, Form()] = "dm",
    direction: Annotated[str, Form()] = "out",
    text: Annotated[str | None, Form()] = None,
    shown: Shown = [],  # noqa: B006 (FastAPI copies defaults)
) -> Response:
    shown_person = web(request).base.log(ref(person_id), channel, direction, None, blank(text))
    note = f"Logged a {channel} with {shown_person['name']}."
    undo = undo_log(person_id, int(shown_person["logged"]["id"]))
    return _after(request, person_id, note, shown, undo)


def ask_and_answer(base: Kith, person_id: int, kind: str | None, answer: str) -> str:
    """Record a real-life ask and, unless still pending, its answer; returns the kind asked."""
    return str(base.ask_and_answer(ref(person_id), kind, answer)["invite"]["kind"])


@router.post("/today/{person_id}/answer", include_in_schema=False)
def answer(
    request: Request,
    person_id: int,
    action: Annotated[str, Form()],
    answer: Annotated[str, Form()],
    kind: Annotated[str | None, Form()] = None,
    when: Annotated[str | None, Form()] = None,
    where: Annotated[str | None, Form()] = None,
    shown: Shown = [],  # noqa: B006
) -> Response:
    base = web(request).base
    if action in ASKS:
        asked = ask_and_answer(base, person_id, blank(kind), answer)
        note = f"Recorded your {asked} ask: {ANSWER_WORDS.get(answer, answer)}."
    else:
        result = base.respond(ref(person_id), answer, blank(when), blank(where))
        invite = result["invite"]
        note = f"Recorded {result['name']}'s answer: {ANSWER_WORDS.get(answer, answer)}"
        if invite.get("scheduled_at"):
            note += f", on {invite['scheduled_at'][:16].replace('T', ' ')}"
        if invite.get("place"):
            note += f" at {invite['place']}"
        note += "."
    return _after(request, person_id, note, shown)


@router.post("/today/{person_id}/snooze", include_in_schema=False)
def snooze(
    request: Request,
    person_id: int,
    days: Annotated[int, Form(ge=1, le=models.MAX_SNOOZE_DAYS)] = 7,
    shown: Shown = [],  # noqa: B006
) -> Response:
    result = web(request).base.snooze(ref(person_id), days)
    name = result["name"]
    label = ACTION_LABELS.get(result["action"], result["action"]).lower()
    note = f"Snoozed “{label}” with {name} until {long_day(result['until'])}."
    return _after(request, person_id, note, shown, undo_snooze(person_id, result["action"]))


# -- JSON -------------------------------------------------------------------------------------
@api.get("/today", response_model=list[models.AgendaItem])
def today_json(
    request: Request, limit: Annotated[int | None, Query(ge=1, le=100)] = None
) -> list[dict[str, Any]]:
    """Today's few next actions, each with its reason (`kith today --json`)."""
    return web(request).agenda(limit)
