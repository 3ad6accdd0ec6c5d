"""People (`/people`): search by name, filter by stage, circle, tag and city, sort by tie
strength, last contact or name; paginated in the database (LIMIT/OFFSET)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from kith.api import Kith
from kith.errors import InvalidInput
from kith.web import models
from kith.web.state import blank, is_htmx, web

router = APIRouter()
api = APIRouter()

PAGE_SIZE = 50
SORTS = {"strength": "tie strength", "recent": "last contact", "name": "name"}
#: tags and cities offered as suggestions in the filters (the most common first)
CHOICES = 300


@dataclass(frozen=True)
class Filters:
    """The People page's filters and sort, as its address spells them (kith.domain.people_list)."""

    q: str | None = None
    stage: str | None = None
    circle: int | None = None
    tag: str | None = None
    city: str | None = None
    sort: str = "strength"

    def for_kith(self) -> dict[str, Any]:
        """As `Kith.people_order` takes them (the form's `q` is its `search`)."""
        fields = asdict(self)
        fields["search"] = fields.pop("q")
        return fields

    def url(self, page: int = 1, **changes: Any) -> str:
        chosen = replace(self, **changes)
        params = {k: v for k, v in asdict(chosen).items() if v not in (None, "")}
        if params.get("sort") == "strength":
            del params["sort"]
        if page > 1:
            params["page"] = page
        return "/people" + (f"?{urlencode(params)}" if params else "")

    @property
    def active(self) -> bool:
        return any((self.q, self.stage, self.circle, self.tag, self.city))


def filters(
    q: Annotated[str | None, Query(description="part of the name")] = None,
    stage: Annotated[str | None, Query(description="a stage, e.g. conversing")] = None,
    circle: Annotated[str | None, Query(description="a circle, 1 to 4")] = None,
    tag: str | None = None,
    city: Annotated[str | None, Query(description="the exact city, any case")] = None,
    sort: Annotated[str, Query(description="strength, recent or name")] = "strength",
) -> Filters:
    """The filters of the page's form and of the JSON API (an empty field means none)."""
    wanted = blank(circle)
    if wanted is not None and not wanted.isdigit():
        raise InvalidInput(f"Circle must be 1, 2, 3 or 4 (got '{wanted}').")
    return Filters(
        q=blank(q),
        stage=blank(stage),
        circle=None if wanted is None else int(wanted),
        tag=blank(tag),
        city=blank(city),
        sort=blank(sort) or "strength",
    )


def choices(base: Kith) -> dict[str, list[str]]:
    """Tags and cities in the base, the most common first (suggestions for the filters)."""
    return base.filter_choices(CHOICES)


@router.get("/people", response_class=HTMLResponse, include_in_schema=False)
def page(
    request: Request,
    chosen: Annotated[Filters, Depends(filters)],
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    w = web(request)
    offset = (page - 1) * PAGE_SIZE
    listed = w.people_page(chosen.for_kith(), PAGE_SIZE, offset)
    rows, total = listed.rows, listed.total
    context = {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "first": offset + 1 if rows else 0,
        "last": offset + len(rows),
        "filters": chosen,
        "sorts": SORTS,
        "nav": "people",
    }
    partial = is_htmx(request) and request.headers.get("hx-target") == "people-results"
    if partial and request.headers.get("hx-history-restore-request") != "true":
        return w.render(request, "partials/people_results.html", context)
    context["choices"] = w.cache.get(("choices", w.day()), lambda: choices(w.base))
    return w.render(request, "people.html", context)


@api.get("/people", response_model=list[models.PeopleRow])
def people_json(
    request: Request,
    response: Response,
    chosen: Annotated[Filters, Depends(filters)],
    limit: Annotated[int, Query(ge=1, le=1000)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """People with their stage, tie strength, circle and last contact (`kith people
    --json`); the `X-Total-Count` header says how many match."""
    listed = web(request).people_page(chosen.for_kith(), limit, offset)
    response.headers["X-Total-Count"] = str(listed.total)
    return listed.rows
