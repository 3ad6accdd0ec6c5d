"""Jinja templates with autoescaping on, and the filters they share.

Every value from the base reaches the page through `{{ ... }}` and is escaped there; no
template marks base data as safe. Wording is shared with the CLI (kith.domain.phrasing).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from kith.domain.phrasing import ACTION_LABELS, last_contact_text
from kith.web import security

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

STAGE_LABELS = {
    "noticed": "noticed",
    "engaging": "engaging",
    "acquainted": "acquainted",
    "conversing": "conversing",
    "voice": "voice",
    "met": "met",
    "friend": "friend",
    "close": "close",
}
ARROWS = {"out": "→", "in": "←", "both": "↔"}
DIRECTION_WORDS = {"out": "you to them", "in": "them to you", "both": "together"}
#: how the answer to a real-life ask reads
ANSWERS = {
    "positive": "said yes",
    "neutral": "no clear answer",
    "negative": "said no",
    "pending": "waiting for an answer",
}


def action_label(item: Mapping[str, Any]) -> str:
    """The action as `kith today` names it: "Suggest meeting (coffee)"."""
    label = ACTION_LABELS.get(str(item["action"]), str(item["action"]))
    details = item.get("details") or {}
    if "ask" in details:
        label += f" ({details['ask']})"
    return label


def long_day(value: str | None) -> str:
    """An ISO day as "9 December 2026"."""
    if not value:
        return ""
    day = date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def due_words(due: str | None, today: str | None) -> str:
    """When an agenda item is due, from today's point of view: "due today", "due tomorrow",
    "due by 24 November 2026"."""
    if not due:
        return ""
    if today:
        days = (date.fromisoformat(due[:10]) - date.fromisoformat(today[:10])).days
        if days <= 0:
            return "due today"
        if days == 1:
            return "due tomorrow"
    return f"due by {long_day(due)}"


def moment(value: str | None, with_time: bool = True) -> str:
    """An ISO time in the user's zone as "2026-11-21 12:56" (or the day alone)."""
    if not value:
        return ""
    text = str(value)
    return text[:16].replace("T", " ") if with_time and len(text) > 10 else text[:10]


def last_contact(p: Mapping[str, Any]) -> str:
    """The last two-way contact of a show JSON, in words (kith.domain.phrasing)."""
    return last_contact_text(p.get("last_contact"), p.get("last_touch"))


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def words(value: str | None) -> str:
    """`first_inbound_message` as "first inbound message"."""
    return "" if value is None else str(value).replace("_", " ")


def _plain_filters() -> dict[str, Any]:
    """The person page's filters: stages, circles, channels and reasons in plain words."""
    from kith.web.plain import FILTERS

    return FILTERS


def _asset_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(STATIC.iterdir()):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template is HTML
        auto_reload=False,  # templates ship with the package
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        action_label=action_label,
        answer=lambda a: ANSWERS.get(str(a), str(a)),
        last_contact=last_contact,
        moment=moment,
        long_day=long_day,
        due_words=due_words,
        number=number,
        percent=percent,
        words=words,
        arrow=lambda d: ARROWS.get(str(d), str(d)),
        direction_words=lambda d: DIRECTION_WORDS.get(str(d), str(d)),
        # the person page's plain words (kith.web.plain)
        **_plain_filters(),
    )
    env.globals.update(
        asset_version=_asset_version(),
        stages=list(STAGE_LABELS),
        action_labels=ACTION_LABELS,
    )
    return env


class Pages:
    """Renders templates with what every page needs: the CSRF token, the demo banner and
    the active navigation entry."""

    def __init__(self, demo: bool, max_upload_bytes: int) -> None:
        self.demo = demo
        self.max_upload_bytes = max_upload_bytes
        self.templates = Jinja2Templates(env=environment())

    def compile_all(self) -> int:
        """Compile every template now (Jinja compiles one on its first use: about 150 ms
        for the person page), so that no visitor waits for it; returns how many."""
        env = self.templates.env
        names = env.list_templates(extensions=["html"])
        for name in names:
            env.get_template(name)
        return len(names)

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        data: dict[str, Any] = {
            "csrf_token": security.token_for(request),
            "demo": self.demo,
            "max_upload_bytes": self.max_upload_bytes,
            "nav": "",
            "flash": None,
            "error": None,
            # the signed-in member of a team base (kith.web.signin), for the header
            "member": request.scope.get("state", {}).get("kith_member"),
        }
        data.update(context or {})
        response = self.templates.TemplateResponse(
            request, name, data, status_code=status_code, headers=headers
        )
        response.headers.setdefault("Vary", "HX-Request")
        return response
