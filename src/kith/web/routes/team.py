"""The Team page (`/team`, docs/team.md): a team base's members, and for owners the forms
of `kith team invite`, `role`, `remove` and `token` (`--revoke`). The checks are the
API's own (`Kith.unit("team")`): a member's or viewer's POST answers 403 in one sentence.

A join link or an API token is shown once, on the page that answers the POST that made
it (never in an address, which browsers keep in their history); the other changes
redirect back to the page (POST, redirect, GET), which says what was done."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from kith.errors import InvalidInput, KithError, NotAllowed
from kith.web import models
from kith.web.signin import member_of
from kith.web.state import back_to, blank, web

router = APIRouter()
api = APIRouter()

ROLES = ("owner", "member", "viewer")
#: what the page says on a base without members, instead of forms
NOT_A_TEAM = (
    "This base has no members: it is yours alone. Make it a team base on the command "
    "line first (kith team init)."
)


def _signed_in(request: Request) -> dict[str, Any] | None:
    return member_of(request.scope.get("state", {}))


def _context(request: Request, **extra: Any) -> dict[str, Any]:
    w = web(request)
    team = w.base.is_team()
    members = w.base.team_members() if team else []
    me = _signed_in(request)
    context: dict[str, Any] = {
        "nav": "team",
        "team": team,
        "members": members,
        "active": [m for m in members if m["active"]],
        "me": me,
        "owner": team and me is not None and me.get("role") == "owner",
        "roles": ROLES,
        "invited": None,
        "token": None,
        "problem": None,
        "note": None,
    }
    context.update(extra)
    return context


def _named(members: list[dict[str, Any]], email: str | None) -> dict[str, Any] | None:
    wanted = (email or "").strip().lower()
    return next((m for m in members if m["email"] == wanted), None)


@router.get("/team", response_class=HTMLResponse, include_in_schema=False)
def page(
    request: Request,
    changed: Annotated[str | None, Query(description="a member whose role changed")] = None,
    removed: Annotated[str | None, Query(description="a member just removed")] = None,
    revoked: Annotated[str | None, Query(description="a member whose token was revoked")] = None,
    label: Annotated[str | None, Query(description="the label of the revoked token")] = None,
) -> Response:
    context = _context(request)
    members = context["members"]
    note = None
    if (who := _named(members, changed)) is not None:
        note = f"{who['name']} <{who['email']}> is now {who['role']}."
    elif (who := _named(members, removed)) is not None and not who["active"]:
        note = f"{who['name']} <{who['email']}> is no longer a member; what they recorded stays."
    elif (who := _named(members, revoked)) is not None and blank(label):
        note = f"Revoked {who['name']}'s token “{blank(label)}”."
    context["note"] = note
    return web(request).render(request, "team.html", context)


def _refused(request: Request, form: str, exc: KithError, **typed: str) -> Response:
    """The page again, with the one sentence that says what to change next to `form`
    and what was typed in it (422); a refusal (not an owner) is the app's 403 instead."""
    if isinstance(exc, NotAllowed):
        raise exc
    context = _context(request, problem={"form": form, "message": exc.message, **typed})
    return web(request).render(request, "team.html", context, status_code=422)


def _team_only(request: Request) -> None:
    """A one-user base has nobody to invite or change: `kith team init` comes first (an
    invitation there would make a base whose only member cannot sign in)."""
    if not web(request).base.is_team():
        raise InvalidInput(NOT_A_TEAM)


@router.post("/team/invite", include_in_schema=False)
def invite(
    request: Request,
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "member",
) -> Response:
    """`kith team invite EMAIL --role ROLE --url BASE`: the link is shown once, here."""
    try:
        _team_only(request)
        made = web(request).base.team_invite(email, role)
    except KithError as exc:
        return _refused(request, "invite", exc, email=email, role=role)
    link = f"{str(request.base_url).rstrip('/')}/join/{made['token']}"
    context = _context(request, invited={"member": made["member"], "link": link})
    return web(request).render(request, "team.html", context)


@router.post("/team/role", include_in_schema=False)
def change_role(
    request: Request,
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:
    """`kith team role EMAIL ROLE` (the team keeps an owner)."""
    try:
        _team_only(request)
        changed = web(request).base.team_role(email, role)
    except KithError as exc:
        return _refused(request, "members", exc)
    return back_to("/team", changed=changed["email"])


@router.post("/team/remove", include_in_schema=False)
def remove(request: Request, email: Annotated[str, Form()] = "") -> Response:
    """`kith team remove EMAIL` (the page asked first): signed out at once, history kept."""
    try:
        _team_only(request)
        gone = web(request).base.team_remove(email)
    except KithError as exc:
        return _refused(request, "members", exc)
    return back_to("/team", removed=gone["email"])


@router.post("/team/tokens", include_in_schema=False)
def make_token(
    request: Request,
    email: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
) -> Response:
    """`kith team token EMAIL --label L`: the token is shown once, here."""
    shown = blank(label) or "api"
    try:
        _team_only(request)
        secret = web(request).base.team_token(email, shown)
    except KithError as exc:
        return _refused(request, "tokens", exc, email=email, label=label)
    who = _named(web(request).base.team_members(), email)
    token = {"secret": secret, "label": shown, "member": who}
    return web(request).render(request, "team.html", _context(request, token=token))


@router.post("/team/tokens/revoke", include_in_schema=False)
def revoke_token(
    request: Request,
    email: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
) -> Response:
    """`kith team token EMAIL --revoke LABEL`."""
    try:
        _team_only(request)
        if not blank(label):
            raise InvalidInput("Give the label of the token to revoke.")
        web(request).base.team_revoke(email, label.strip())
    except KithError as exc:
        return _refused(request, "revoke", exc, email=email, label=label)
    return back_to("/team", revoked=email.strip().lower(), label=label.strip())


@api.get("/team/members", response_model=list[models.Member])
def members_json(request: Request) -> list[dict[str, Any]]:
    """The team's members, removed ones included (`kith team members --json`); an empty
    list on a base without members."""
    return web(request).base.team_members()
