"""Report (`/report`): the funnel and the monthly trends of `kith report`, as charts.

The report reads every history, which takes a while on a large base: the page shows at
once and loads its body, kept in the server's cache like the agenda (cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from kith import api as kith_api
from kith.api import Kith
from kith.domain.report import Report
from kith.web import models
from kith.web.state import Web, web

router = APIRouter()
api = APIRouter()

#: the report is kept this long (seconds) unless a write clears it sooner
TTL = 300.0


@dataclass(frozen=True)
class Measured:
    report: Report
    data: dict[str, Any]


def measure(base: Kith) -> Measured:
    """`kith report` over the whole base: the record (for the chart) and its JSON."""
    result = base.report_result()
    return Measured(result, kith_api.report_json(result))


def measured(w: Web) -> Measured:
    day = w.day()
    return w.cache.get(("report", day), lambda: measure(w.base), ttl=TTL)


def chart(result: Report) -> bytes:
    """The funnel and the monthly trend as an SVG image, drawn by kith.reporting.charts.

    The page shows it with <img>, so nothing in it is ever part of the page's markup."""
    from kith.reporting import charts

    return charts.svg(result).encode("utf-8")


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> Response:
    return web(request).render(request, "report.html", {"nav": "report"})


@router.get("/report/body", response_class=HTMLResponse, include_in_schema=False)
def body(request: Request) -> Response:
    w = web(request)
    return w.render(request, "partials/report_body.html", {"r": measured(w).data})


@router.get("/report/chart.svg", include_in_schema=False)
def chart_image(request: Request) -> Response:
    w = web(request)
    day = w.day()
    svg = w.cache.get(("report-chart", day), lambda: chart(measured(w).report), ttl=TTL)
    return Response(svg, media_type="image/svg+xml")


@api.get("/report", response_model=models.Report)
def report_json(request: Request) -> dict[str, Any]:
    """What vanity metrics miss (`kith report --json`; every number in docs/report.md)."""
    return measured(web(request)).data
