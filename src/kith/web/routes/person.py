"""A person (`/people/{id}`): the next step and the human first, then the action bar that
opens each form in place (log a touch, remember a fact, ask to meet, edit), then the story:
what you remember, asks and answers, milestones, the timeline, and how deep the tie is.
Every change answers with the page again, the form used open with a note of what was done
next to it (focused); a logged touch also gets a toast with Undo."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
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
from kith.domain.phrasing import ACTION_LABELS
from kith.errors import Ambiguous, InvalidInput, KithError
from kith.web import models, plain
from kith.web.routes.today import ANSWER_WORDS, today_label
from kith.web.state import Web, back_to, blank, is_htmx, ref, web, whole_number
from kith.web.templating import long_day
from kith.web.toasts import Toast, undo_log

router = APIRouter()
api = APIRouter()

#: interactions shown at first (the timeline is folded after them)
FIRST = 10
#: interactions added by each "show older"
RECENT = 50
MAX_RECENT = 5000
#: the forms the action bar opens in place
PANELS = ("log", "fact", "ask", "edit")


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


def story(w: Web, person_id: int, recent: int = FIRST) -> dict[str, Any]:
    shown = w.base.show(ref(person_id), recent)
    return {
        "p": shown,
        "path": stage_path(shown),
        "ladder": ladder(shown),
        "ask": ask_status(shown),
        "recent": recent,
    }


def rules_of(w: Web) -> dict[str, Any]:
    """The rules' numbers the page words things with (circle caps, `near_km`), kept until
    the next write like the agenda."""
    return w.cache.get(("rules", w.day()), w.base.rules)


def edit_form(shown: dict[str, Any]) -> dict[str, Any]:
    """The edit form as the person is now."""
    return {
        "name": shown["name"],
        "city": shown["city"] or "",
        "tags": ", ".join(shown["tags"]),
        "circle": str(shown["circle"] or ""),
        "paused": bool(shown["paused"]),
        "error": None,
        "cities": [],
    }


@dataclass(frozen=True)
class Note:
    """What a change did, said next to the form that made it (`panel`, or the next step)."""

    panel: str
    text: str


def _context(
    w: Web,
    person_id: int,
    recent: int = FIRST,
    *,
    panel: str | None = None,
    note: Note | None = None,
    editing: dict[str, Any] | None = None,
    toast: Toast | None = None,
) -> dict[str, Any]:
    context = story(w, person_id, recent)
    shown = context["p"]
    rules = rules_of(w)
    return {
        **context,
        "rules": rules,
        "today": today_label(w),
        "place": plain.place_words(shown["city"], shown["distance_km"], rules),
        "circle_help": plain.circle_help(rules),
        "plain": plain,
        "channel_groups": plain.CHANNEL_GROUPS,
        "kinds": [k.value for k in AskKind],
        "nav": "people",
        "step": RECENT,
        "open": panel,
        "note": note,
        "edit": editing or edit_form(shown),
        "toast": toast,
    }


@router.get("/people/{person_id}", response_class=HTMLResponse, include_in_schema=False)
def page(
    request: Request,
    person_id: int,
    recent: Annotated[int, Query(ge=1, le=MAX_RECENT)] = FIRST,
    opened: Annotated[str | None, Query(alias="open", description="a form shown open")] = None,
) -> Response:
    w = web(request)
    panel = opened if opened in PANELS else None
    return w.render(request, "person.html", _context(w, person_id, recent, panel=panel))


@router.get("/people/{person_id}/timeline", response_class=HTMLResponse, include_in_schema=False)
def older(
    request: Request,
    person_id: int,
    start: Annotated[int, Query(ge=0, le=MAX_RECENT)] = FIRST,
) -> Response:
    """Rows `start` to `start + RECENT` of the timeline, newest first."""
    w = web(request)
    shown = w.base.show(ref(person_id), min(start + RECENT, MAX_RECENT))
    return w.render(
        request,
        "partials/timeline_rows.html",
        {"p": shown, "rows": shown["recent"][start:], "next_start": start + RECENT},
    )


def _updated(
    request: Request,
    person_id: int,
    note: Note,
    before: str | None,
    toast: Toast | None = None,
) -> Response:
    """The page again after a change: the form used stays open with a note of what was done
    next to it (focused), and the stage change if any; the toast repeats it."""
    if not is_htmx(request):
        return back_to(f"/people/{person_id}")
    w = web(request)
    w.invalidate()  # the rules' numbers and the agenda, read again
    context = _context(w, person_id, panel=note.panel if note.panel in PANELS else None)
    stage = context["p"]["stage"]
    text = note.text
    if before and before != stage:
        was = plain.stage_words(before)
        text += f" Stage: {was} → {plain.stage_words(stage)}."
    context["note"] = Note(note.panel, text)
    if toast is not None:
        context["toast"] = toast
    return w.render(request, "partials/person_page.html", context)


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
    given = blank(minutes)
    length = None if given is None else whole_number(given)
    if given is not None and length is None:
        raise InvalidInput(f"Minutes must be a whole number (got '{given}').")
    if length is not None and length > models.MAX_MINUTES:
        raise InvalidInput(f"Minutes must be at most {models.MAX_MINUTES:,} (a week).")
    shown = web(request).base.log(
        ref(person_id), channel, blank(direction), blank(at), blank(text), length
    )
    note = f"Logged a touch: {plain.channel_words(channel)}."
    toast = Toast(
        f"Logged a touch with {shown['name']}: {plain.channel_words(channel)}.",
        undo_log(person_id, int(shown["logged"]["id"])),
    )
    return _updated(request, person_id, Note("log", note), stage, toast)


@router.post("/people/{person_id}/facts", include_in_schema=False)
def remember(
    request: Request,
    person_id: int,
    text: Annotated[str, Form()],
    on: Annotated[str | None, Form()] = None,
    private: Annotated[bool, Form()] = False,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    shown = web(request).base.remember(ref(person_id), text, blank(on), private)
    fact = max(shown["facts"], key=lambda f: int(f["id"]), default=None)
    note = "Remembered"
    if fact is not None:
        note += f": “{fact['text']}”"
        if fact["event_on"]:
            note += f" on {long_day(fact['event_on'])}"
        if fact["private"]:
            note += " (private)"
    return _updated(request, person_id, Note("fact", note + "."), stage)


@router.post("/people/{person_id}/invite", include_in_schema=False)
def invite(
    request: Request,
    person_id: int,
    kind: Annotated[str | None, Form()] = None,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    result = web(request).base.invite(ref(person_id), blank(kind))
    asked = plain.kind_words(result["invite"]["kind"])
    note = f"Recorded your ask for {asked}; record their answer when it comes."
    return _updated(request, person_id, Note("ask", note), stage)


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
    return _updated(request, person_id, Note("ask", note), stage)


@router.post("/people/{person_id}/snooze", include_in_schema=False)
def snooze(
    request: Request,
    person_id: int,
    days: Annotated[int, Form(ge=1, le=models.MAX_SNOOZE_DAYS)] = 7,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    result = web(request).base.snooze(ref(person_id), days)
    label = ACTION_LABELS.get(result["action"], result["action"].replace("_", " "))
    note = f"Snoozed “{label}” until {long_day(result['until'])}."
    return _updated(request, person_id, Note("next", note), stage)


# -- edit and forget ----------------------------------------------------------------------
def tag_list(text: str | None) -> list[str]:
    """Tags typed in one field, separated by commas."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _same_tag(tag: str) -> str:
    return " ".join(tag.split()).lower()


def changes_of(shown: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """What the edit form changes, as `Kith.edit` takes it (what it leaves alone is left
    out, so that nothing unchanged is checked again)."""
    changes: dict[str, Any] = {}
    if " ".join(form["name"].split()) != shown["name"]:
        changes["name"] = form["name"]
    if form["city"] != (shown["city"] or ""):
        changes["city"] = form["city"]
    wanted = [_same_tag(t) for t in tag_list(form["tags"])]
    added = [t for t in dict.fromkeys(wanted) if t not in shown["tags"]]
    removed = [t for t in shown["tags"] if t not in wanted]
    if added:
        changes["add_tags"] = added
    if removed:
        changes["remove_tags"] = removed
    circle = form["circle"]
    if circle not in ("", "1", "2", "3", "4"):
        raise InvalidInput(f"Circle must be 1, 2, 3 or 4 (got '{circle}').")
    chosen = int(circle) if circle else None
    if chosen != shown["circle"]:
        changes["circle"] = chosen
    if form["paused"] != bool(shown["paused"]):
        changes["paused"] = form["paused"]
    return changes


def saved_words(changes: dict[str, Any], shown: dict[str, Any]) -> str:
    """What an edit did, in a sentence."""
    parts: list[str] = []
    if "name" in changes:
        parts.append(f"renamed {shown['name']}")
    if "city" in changes:
        parts.append(f"lives in {shown['city']}" if shown["city"] else "no city")
    if "add_tags" in changes or "remove_tags" in changes:
        parts.append("tags: " + (", ".join(shown["tags"]) or "none"))
    if "circle" in changes:
        circle = shown["circle"]
        parts.append(f"now in circle {circle}" if circle else "no longer in a circle")
    if "paused" in changes:
        parts.append("paused: no suggestions about them for now" if shown["paused"] else "resumed")
    if not parts:
        return "Nothing to change."
    return "Saved: " + "; ".join(parts) + "."


@router.post("/people/{person_id}/edit", include_in_schema=False)
def edit(
    request: Request,
    person_id: int,
    name: Annotated[str, Form()] = "",
    city: Annotated[str | None, Form()] = None,
    city_choice: Annotated[str | None, Form()] = None,
    tags: Annotated[str | None, Form()] = None,
    circle: Annotated[str | None, Form()] = None,
    paused: Annotated[bool, Form()] = False,
    stage: Annotated[str | None, Form()] = None,
) -> Response:
    """`kith edit PERSON --name --city --tag --untag --circle --pause/--resume`: the same
    checks and the same sentences; an ambiguous city offers its candidates to choose from."""
    w = web(request)
    now = w.base.show(ref(person_id), 0)
    form = {
        "name": name,
        "city": blank(city_choice) or (city or "").strip(),
        "tags": tags or "",
        "circle": (circle or "").strip(),
        "paused": paused,
        "error": None,
        "cities": [],
    }
    try:
        changes = changes_of(now, form)
        shown = w.base.edit(ref(person_id), **changes) if changes else now
    except Ambiguous as exc:
        form["error"] = exc.message.split(" Candidates: ")[0]
        form["cities"] = [plain.city_choice(c) for c in exc.candidates]
        return _edit_again(request, w, person_id, form)
    except KithError as exc:  # a full circle, an unknown city, an empty name...
        form["error"] = exc.message
        return _edit_again(request, w, person_id, form)
    return _updated(request, person_id, Note("edit", saved_words(changes, shown)), stage)


def _edit_again(request: Request, w: Web, person_id: int, form: dict[str, Any]) -> Response:
    """The edit form as it was sent, with the one sentence that says what to change
    (focused); nothing was written."""
    context = _context(w, person_id, panel="edit", editing=form)
    if is_htmx(request):
        return w.render(request, "partials/person_page.html", context, status_code=422)
    return w.render(request, "person.html", context, status_code=422)


@router.post("/people/{person_id}/forget", include_in_schema=False)
def forget(request: Request, person_id: int) -> Response:
    """`kith forget PERSON --yes` (the page asked first): then People, saying what was done."""
    w = web(request)
    name = w.base.forget(ref(person_id))
    w.invalidate()
    message = f"Forgot {name} and everything about them."
    if is_htmx(request):
        after = {"kith-toast-next": {"message": message}}
        return Response(
            status_code=200,
            headers={"HX-Trigger": json.dumps(after), "HX-Redirect": "/people"},
        )
    return w.render(request, "person_forgotten.html", {"message": message, "nav": "people"})


# -- JSON -------------------------------------------------------------------------------------
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": models.Problem},
    422: {"model": models.Problem},
}


@api.get(
    "/people/{person_id:int}",
    response_model=models.Profile,
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def show_json(
    request: Request,
    person_id: int,
    recent: Annotated[int, Query(ge=0, le=MAX_RECENT)] = 20,
) -> dict[str, Any]:
    """One relationship (`kith show --json`); `recent` newest interactions."""
    return web(request).base.show(ref(person_id), recent)


@api.get("/people/{person_id:int}/who-knows", response_model=list[models.Tie], responses=ERRORS)
def who_knows_json(request: Request, person_id: int) -> list[dict[str, Any]]:
    """Who on the team knows this person (`kith who-knows --json`): every current member with
    any history with them, strongest tie first; empty in a one-user base."""
    return web(request).base.who_knows(ref(person_id))


@api.post(
    "/people/{person_id:int}/log",
    response_model=models.Profile,
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def log_json(request: Request, person_id: int, body: models.LogRequest) -> dict[str, Any]:
    """Log a touch (`kith log`); returns the person as `show` does."""
    return web(request).base.log(
        ref(person_id), body.channel, body.direction, body.at, body.text, body.minutes
    )


@api.post(
    "/people/{person_id:int}/facts",
    response_model=models.Profile,
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def remember_json(request: Request, person_id: int, body: models.FactRequest) -> dict[str, Any]:
    """Remember a fact, optionally dated (`kith remember`)."""
    return web(request).base.remember(ref(person_id), body.text, body.on, body.private)


@api.post(
    "/people/{person_id:int}/invite",
    response_model=models.Profile,
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def invite_json(request: Request, person_id: int, body: models.InviteRequest) -> dict[str, Any]:
    """Record a real-life ask (`kith invite`); without a kind, the one the ladder suggests."""
    return web(request).base.invite(ref(person_id), body.kind)


@api.post(
    "/people/{person_id:int}/answer",
    response_model=models.Profile,
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def answer_json(request: Request, person_id: int, body: models.AnswerRequest) -> dict[str, Any]:
    """Record the answer to the latest ask (`kith respond`)."""
    return web(request).base.respond(ref(person_id), body.answer, body.when, body.where)


@api.post("/people/{person_id:int}/snooze", response_model=models.Snoozed, responses=ERRORS)
def snooze_json(request: Request, person_id: int, body: models.SnoozeRequest) -> dict[str, Any]:
    """Set a person's suggestion aside for `days` days (`kith snooze`)."""
    return web(request).base.snooze(ref(person_id), body.days, body.action)
