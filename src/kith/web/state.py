"""What every route shares: the base, the templates, the cache, the import jobs."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any, cast
from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from kith.api import Kith
from kith.web import listing
from kith.web.cache import Cache
from kith.web.jobs import Jobs
from kith.web.templating import Pages

log = logging.getLogger("kith.web")

#: ordered lists of people kept at once (each up to 8 bytes a person)
LISTS_KEPT = 24


@dataclass
class Web:
    base: Kith
    pages: Pages
    cache: Cache
    jobs: Jobs
    demo: bool
    max_upload_bytes: int
    lists: Cache = field(default_factory=lambda: Cache(max_entries=LISTS_KEPT))
    _fresh: dict[str, Any] = field(default_factory=lambda: {"day": None, "running": False})
    _fresh_lock: threading.Lock = field(default_factory=threading.Lock)

    def day(self) -> date:
        """The day that keys kept figures: UTC, so that no request pays for reading the
        user's zone; the time to live covers the hours where it differs from theirs."""
        return self.base.now().astimezone(UTC).date()

    def invalidate(self) -> None:
        self.cache.invalidate()
        self.lists.invalidate()

    def agenda(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Today's agenda, kept per (member, day, limit) until the base changes (see
        cache.py): in a team base each member has their own."""
        key = ("today", self.base.member, self.day(), limit)
        return self.cache.get(key, lambda: self.base.today(limit))

    def warm(self) -> None:
        """Work out what the first visitor will ask for: the pages' templates, today's
        agenda, the People list."""
        try:
            self.pages.compile_all()
            self.agenda(None)
            self.people_page({"sort": "strength"}, 1, 0)
        except Exception:  # a broken base shows on the page that needs it, in one sentence
            log.warning("warm-up failed", exc_info=True)
        # what is alive now (the application, its templates, the kept agenda) lives as long
        # as the process: set it aside from the garbage collector, whose full collections
        # would otherwise walk it all again and again (80 ms each at 100,000 people),
        # stalling every request that waits meanwhile
        gc.collect()
        gc.freeze()

    def freshen(self) -> None:
        """Once a day, figures computed on another day (tie strengths fade with time) are
        brought up to date in the background (`Kith.refresh_stale`, a batch per
        transaction); until then lists read them as stored, a day old at most, instead of
        making the first visitor of the day wait a minute on a large base."""
        day = self.day()
        with self._fresh_lock:
            if self._fresh["day"] == day or self._fresh["running"]:
                return
            self._fresh["running"] = True

        def run() -> None:
            try:
                if self.base.refresh_stale():
                    self.invalidate()
                with self._fresh_lock:
                    self._fresh["day"] = day
            except Exception:  # the next visit tries again; the page itself still works
                log.warning("bringing figures up to date failed", exc_info=True)
            finally:
                with self._fresh_lock:
                    self._fresh["running"] = False

        threading.Thread(target=run, name="kith-freshen", daemon=True).start()

    def people_page(self, filters: dict[str, Any], limit: int, offset: int) -> listing.Page:
        """One page of the People list and how many match (see listing.py)."""
        day = self.day()
        self.freshen()
        given = tuple(sorted((k, v) for k, v in filters.items() if v is not None))
        key = ("ids", day, given)
        ids = self.lists.get(key, lambda: listing.ordered_ids(self.base, filters))
        return listing.Page(listing.rows_of(self.base, ids[offset : offset + limit]), len(ids))

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return self.pages.render(request, name, context, status_code, headers)


def web(request: Request) -> Web:
    return cast(Web, request.app.state.web)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def ref(person_id: int) -> str:
    """A reference that names exactly this person (an id, never a name)."""
    return f"#{person_id}"


def back_to(url: str, **query: Any) -> RedirectResponse:
    """After a plain (non-htmx) form POST: show the page again (POST, redirect, GET)."""
    params = {k: v for k, v in query.items() if v not in (None, "")}
    target = f"{url}?{urlencode(params)}" if params else url
    return RedirectResponse(target, status_code=303)


def whole_number(text: str) -> int | None:
    """`text` as a whole number when it is written in ASCII digits (str.isdigit also takes
    "²", which int() refuses), else None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 100 else None


def blank(value: str | None) -> str | None:
    """A form field left empty means "not given"."""
    if value is None:
        return None
    value = value.strip()
    return value or None
