"""Report (`/report`): the funnel and the monthly trends of `kith report`, as charts.

The report reads every history, which takes a while on a large base: the page shows at
once and loads its body, kept in the server's cache like the agenda (cache.py). Its charts
are SVG images (`/report/chart/NAME.svg`, drawn by kith.reporting.charts from the same
report), each beside a table of its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from kith import api as kith_api
from kith.api import Kith
from kith.errors import NotFound
from kith.reporting import charts
from kith.web import models
from kith.web.state import Web, web

router = APIRouter()
api = APIRouter()

#: the report is kept this long (seconds) unless a write clears it sooner
TTL = 300.0


@dataclass(frozen=True)
class Measured:
    """`kith report` as JSON (what the page shows) and its charts, drawn from one report."""

    data: dict[str, Any]
    charts: dict[str, charts.Chart]


def measure(base: Kith) -> Measured:
    """`kith report` over the whole base: its JSON and its charts. Figures from an earlier
    day are brought up to date first a batch per transaction (`Kith.refresh_stale`), so that
    a write made meanwhile waits for one batch, not for the whole base."""
    base.refresh_stale()
    result = base.report_result()
    return Measured(kith_api.report_json(result), charts.charts(result))


def measured(w: Web) -> Measured:
    day = w.day()
    return w.cache.get(("report", day), lambda: measure(w.base), ttl=TTL)


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> Response:
    return web(request).render(request, "report.html", {"nav": "report"})


@router.get("/report/body", response_class=HTMLResponse, include_in_schema=False)
def body(request: Request) -> Response:
    w = web(request)
    report = measured(w)
    return w.render(
        request,
        "partials/report_body.html",
        {"r": report.data, "charts": report.charts, "captions": charts.CAPTIONS},
    )


@router.get("/report/chart/{name}.svg", include_in_schema=False)
def chart_image(request: Request, name: str) -> Response:
    """One chart as an SVG image: the page shows it with <img>, so nothing in it is ever
    part of the page's markup."""
    chart = measured(web(request)).charts.get(name)
    if chart is None:
        raise NotFound(f"There is no chart called {name!r}; there are {', '.join(charts.NAMES)}.")
    return Response(chart.markup, media_type="image/svg+xml")


@api.get("/report", response_model=models.Report)
def report_json(request: Request) -> dict[str, Any]:
    """What vanity metrics miss (`kith report --json`; every number in docs/report.md)."""
    return measured(web(request)).data
