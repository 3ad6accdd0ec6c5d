"""People (`/people`): search by name, filter by stage, circle, tag and city, sort by tie
strength, last contact or name; paginated in the database (LIMIT/OFFSET). Add a person
(`/people/new`), see the records that may be one human (`/people/duplicates`) and merge two
after a preview (`/people/merge`)."""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from kith.api import Kith
from kith.errors import Ambiguous, InvalidInput, KithError
from kith.web import models
from kith.web.state import Web, blank, is_htmx, ref, web, whole_number

router = APIRouter()
api = APIRouter()

PAGE_SIZE = 50
#: each sort, how its control reads, and which way it runs (for `aria-sort` and the arrow)
SORTS = {
    "strength": ("strongest ties first", "descending"),
    "recent": ("latest contact first", "descending"),
    "name": ("name, A to Z", "ascending"),
}
#: tags and cities offered as suggestions in the filters (the most common first)
CHOICES = 300
#: pairs of possible duplicates kept (the most likely first): a badge on each of their rows
DUPLICATE_PAIRS = 1000
#: seconds the pairs are kept (any write through the server forgets them at once)
DUPLICATES_TTL = 300.0
#: seconds the People list waits for them, once they have to be worked out again
LIST_WAITS = 0.2
#: the filters form: a request it makes keeps it as it is (focus and typing stay put)
FILTERS_FORM = "people-filters"
CLEAR_LINK = "clear-filters"


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

    def cleared(self) -> str:
        """This view without its filters (its sort kept)."""
        return self.url(q=None, stage=None, circle=None, tag=None, city=None)

    @property
    def active(self) -> bool:
        return any((self.q, self.stage, self.circle, self.tag, self.city))

    @property
    def direction(self) -> str:
        """The way the list runs, as `aria-sort` says it: "ascending" or "descending"."""
        return SORTS.get(self.sort, SORTS["strength"])[1]


def filters(
    q: Annotated[str | None, Query(description="part of the name, any case and accents")] = None,
    stage: Annotated[str | None, Query(description="a stage, e.g. conversing")] = None,
    circle: Annotated[str | None, Query(description="a circle, 1 to 4")] = None,
    tag: str | None = None,
    city: Annotated[str | None, Query(description="the exact city, any case")] = None,
    sort: Annotated[str, Query(description="strength, recent or name")] = "strength",
) -> Filters:
    """The filters of the page's form and of the JSON API (an empty field means none)."""
    wanted = blank(circle)
    chosen = None if wanted is None else whole_number(wanted)
    if wanted is not None and chosen is None:
        raise InvalidInput(f"Circle must be 1, 2, 3 or 4 (got '{wanted}').")
    return Filters(
        q=blank(q),
        stage=blank(stage),
        circle=chosen,
        tag=blank(tag),
        city=blank(city),
        sort=blank(sort) or "strength",
    )


def choices(base: Kith) -> dict[str, list[str]]:
    """Tags and cities in the base, the most common first (suggestions for the filters)."""
    return base.filter_choices(CHOICES)


def _choices(w: Web) -> dict[str, list[str]]:
    return w.cache.get(("choices", w.day()), lambda: choices(w.base))


#: works out the pairs away from the request that first needs them (one at a time)
_PAIRING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kith-duplicates")


def duplicate_pairs(w: Web, wait: float | None = None) -> list[dict[str, Any]] | None:
    """`Kith.duplicates`, worked out once per day and write (and at most every 5 minutes,
    for changes made with the CLI meanwhile), in the background: at most `wait` seconds
    are spent waiting for them (None: as long as it takes), else None (not known yet).

    On a small base they take milliseconds; on 100,000 people about half a second, which
    the People list need not wait for: its badges show on the next page instead."""
    pending: Future[list[dict[str, Any]]] = w.cache.get(
        ("duplicates", w.day()),
        lambda: _PAIRING.submit(w.base.duplicates, DUPLICATE_PAIRS),
        DUPLICATES_TTL,
    )
    try:
        return pending.result(timeout=wait)
    except TimeoutError:
        return None


def twins(pairs: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """For each person in a pair, the first (most likely) pair they are in."""
    found: dict[int, dict[str, Any]] = {}
    for pair in pairs:
        for side in ("a", "b"):
            found.setdefault(int(pair[side]["id"]), pair)
    return found


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
    pairs = duplicate_pairs(w, LIST_WAITS) or []
    trigger = request.headers.get("hx-trigger")
    context = {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "first": offset + 1 if rows else 0,
        "last": offset + len(rows),
        "filters": chosen,
        "sorts": SORTS,
        "twins": twins(pairs),
        "duplicates": len(pairs),
        "nav": "people",
        "choices": _choices(w),
    }
    partial = is_htmx(request) and request.headers.get("hx-target") == "people-results"
    if partial and request.headers.get("hx-history-restore-request") != "true":
        # the count goes with the results; a link in them (a column header, the pager,
        # "Clear filters") changed the view, so the filters form shows it too (both out of
        # band); after "Clear filters", the name field has the focus
        context.update(partial=True, oob=trigger != FILTERS_FORM, cleared=trigger == CLEAR_LINK)
        # the address bar shows the view as a link to it spells it (no empty fields)
        address = {"HX-Push-Url": chosen.url(page)}
        return w.render(request, "partials/people_results.html", context, headers=address)
    context["adding"] = _blank_form()
    return w.render(request, "people.html", context)


# -- add a person ------------------------------------------------------------------------------
ADD_FORM = "people-add"
#: how the gazetteer labels each candidate of an ambiguous city: "Portland, OR, US (pop. 652,503)"
_POPULATION = re.compile(r"\s*\(pop\. [\d,]+\)$")


def _blank_form() -> dict[str, Any]:
    return {"name": "", "city": "", "tags": "", "circle": "", "error": None, "cities": []}


def tag_list(text: str | None) -> list[str]:
    """Tags typed in one field, separated by commas."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


@router.get("/people/new", response_class=HTMLResponse, include_in_schema=False)
def new_person(
    request: Request,
    name: Annotated[str | None, Query(description="the name, filled in")] = None,
) -> Response:
    w = web(request)
    form = {**_blank_form(), "name": (name or "").strip()}
    context = {"adding": form, "choices": _choices(w), "nav": "people"}
    return w.render(request, "people_new.html", context)


@router.post("/people/new", include_in_schema=False)
def add_person(
    request: Request,
    name: Annotated[str, Form()] = "",
    city: Annotated[str | None, Form()] = None,
    city_choice: Annotated[str | None, Form()] = None,
    tags: Annotated[str | None, Form()] = None,
    circle: Annotated[str | None, Form()] = None,
) -> Response:
    """`kith add NAME --city C --tag T... --circle N`: the same checks and messages; then
    the new person's page. An ambiguous city offers its candidates to choose from."""
    w = web(request)
    where = blank(city_choice) or blank(city)
    form: dict[str, Any] = {
        "name": name,
        "city": where or "",
        "tags": tags or "",
        "circle": blank(circle) or "",
        "error": None,
        "cities": [],
    }
    try:
        wanted = blank(circle)
        if wanted is not None and wanted not in ("1", "2", "3", "4"):
            raise InvalidInput(f"Circle must be 1, 2, 3 or 4 (got '{wanted}').")
        added = w.base.add(
            name,
            city=where,
            tags=tag_list(tags),
            circle=None if wanted is None else int(wanted),
        )
    except Ambiguous as exc:
        form["error"] = exc.message.split(" Candidates: ")[0]
        form["cities"] = [
            {"value": _POPULATION.sub("", c), "size": c[len(_POPULATION.sub("", c)) :].strip()}
            for c in exc.candidates
        ]
        return _add_form_again(request, w, form)
    except KithError as exc:
        form["error"] = exc.message
        return _add_form_again(request, w, form)
    target = f"/people/{added['id']}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _add_form_again(request: Request, w: Web, form: dict[str, Any]) -> Response:
    """The form as it was sent, with the one sentence that says what to change (focused):
    in place for htmx (a form to fill in again, not a failed request), else on a page of
    its own (422)."""
    context = {"adding": form, "choices": _choices(w), "nav": "people"}
    if is_htmx(request):
        return w.render(request, "partials/people_add.html", context)
    return w.render(request, "people_new.html", context, status_code=422)


# -- possible duplicates and merging ------------------------------------------------------------
@router.get("/people/duplicates", response_class=HTMLResponse, include_in_schema=False)
def duplicates(
    request: Request,
    merged: Annotated[int | None, Query(description="the person two records became")] = None,
    apart: Annotated[str | None, Query(description="a pair just kept apart: 'A,B'")] = None,
    again: Annotated[str | None, Query(description="a pair that may be suggested again")] = None,
) -> Response:
    w = web(request)
    note = None
    if merged is not None:
        kept = w.base.show(ref(merged), 1)
        note = {"id": kept["id"], "name": kept["name"]}
    context = {
        "pairs": duplicate_pairs(w) or [],
        "merged": note,
        "apart": _pair_named(w, apart),
        "again": _pair_named(w, again),
        "nav": "people",
    }
    return w.render(request, "people_duplicates.html", context)


def _pair_named(w: Web, given: str | None) -> dict[str, Any] | None:
    """Two people named by 'A,B' in a query (a note on the page), or None."""
    parts = (given or "").split(",")
    if len(parts) != 2 or not all(whole_number(part.strip()) is not None for part in parts):
        return None
    a, b = (w.base.name_of(ref(int(part))) for part in parts)
    return {"a": {"id": int(parts[0]), "name": a}, "b": {"id": int(parts[1]), "name": b}}


@router.post("/people/not-same", include_in_schema=False)
def not_same(request: Request, a: Annotated[int, Form()], b: Annotated[int, Form()]) -> Response:
    """`kith not-same A B`; then the list of possible duplicates, without the pair, saying
    so with an Undo."""
    web(request).base.not_same(ref(a), ref(b))
    return _to_duplicates(request, f"apart={a},{b}")


@router.post("/people/same-maybe", include_in_schema=False)
def same_maybe(request: Request, a: Annotated[int, Form()], b: Annotated[int, Form()]) -> Response:
    """`kith not-same A B --undo`: the pair may be suggested again."""
    web(request).base.same_maybe(ref(a), ref(b))
    return _to_duplicates(request, f"again={a},{b}")


def _to_duplicates(request: Request, query: str) -> Response:
    target = f"/people/duplicates?{query}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.get("/people/merge", response_class=HTMLResponse, include_in_schema=False)
def merge_preview(
    request: Request,
    a: Annotated[int, Query(description="one of the two records")],
    b: Annotated[int, Query(description="the other")],
    keep: Annotated[int | None, Query(description="which one to keep (a or b)")] = None,
) -> Response:
    """Both records side by side and the one that would remain; the record with more
    history is kept unless `keep` says otherwise."""
    w = web(request)
    if keep is not None and keep not in (a, b):
        raise InvalidInput("Keep one of the two people being merged.")
    first, second = (a, b) if keep in (None, a) else (b, a)
    preview = w.base.merge_preview(ref(first), ref(second))
    if keep is None and _history(preview["gone"]) > _history(preview["keep"]):
        preview = w.base.merge_preview(ref(second), ref(first))
    reasons: list[str] = next(
        (
            p["reasons"]
            for p in duplicate_pairs(w) or []
            if {int(p["a"]["id"]), int(p["b"]["id"])} == {a, b}
        ),
        [],
    )
    context = {"preview": preview, "reasons": reasons, "a": a, "b": b, "nav": "people"}
    return w.render(request, "people_merge.html", context)


def _history(record: dict[str, Any]) -> int:
    return int(record["interactions"]) + int(record["facts"]) + int(record["invites"])


@router.post("/people/merge", include_in_schema=False)
def merge(
    request: Request,
    keep: Annotated[int, Form()],
    gone: Annotated[int, Form()],
) -> Response:
    """`kith merge KEEP GONE`; then the list of possible duplicates, saying what was done."""
    web(request).base.merge(ref(keep), ref(gone))
    target = f"/people/duplicates?merged={keep}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


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


#: the errors the JSON routes below answer with, in one sentence
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": models.Problem},
    422: {"model": models.Problem},
}


@api.post(
    "/people", response_model=models.Profile, response_model_exclude_unset=True, responses=ERRORS
)
def add_json(request: Request, body: models.AddRequest) -> dict[str, Any]:
    """Add a person (`kith add`); returns them as `show` does."""
    return web(request).base.add(
        body.name, handles=body.handles, city=body.city, tags=body.tags, circle=body.circle
    )


@api.get("/people/duplicates", response_model=list[models.DuplicatePair])
def duplicates_json(request: Request) -> list[dict[str, Any]]:
    """Pairs that may be one human, the most likely first (`kith people --duplicates`)."""
    return duplicate_pairs(web(request)) or []


@api.post(
    "/people/merge",
    response_model=models.Profile,
    response_model_exclude_unset=True,
    responses=ERRORS,
)
def merge_json(request: Request, body: models.MergeRequest) -> dict[str, Any]:
    """Fold `gone` into `keep` (`kith merge`); returns the kept person as `show` does."""
    return web(request).base.merge(ref(body.keep), ref(body.gone))


@api.post("/people/not-same", response_model=models.NotSame, responses=ERRORS)
def not_same_json(request: Request, body: models.PairRequest) -> dict[str, Any]:
    """Two different people: the pair is not suggested as duplicates again (`kith
    not-same`; with `undo`, `kith not-same --undo`)."""
    base = web(request).base
    if body.undo:
        return base.same_maybe(ref(body.a), ref(body.b))
    return base.not_same(ref(body.a), ref(body.b))


@api.delete("/people/{person_id:int}", response_model=models.Forgotten, responses=ERRORS)
def forget_json(request: Request, person_id: int) -> dict[str, Any]:
    """Erase a person and everything about them (`kith forget`); cannot be undone."""
    return {"id": person_id, "name": web(request).base.forget(ref(person_id))}
