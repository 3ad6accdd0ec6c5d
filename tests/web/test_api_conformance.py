"""What schemathesis found in the JSON API (issue 12, probe 13), one case each: a method an
address does not take, the status codes the document leaves out, bodies that are not JSON,
dates and numbers past what kith can hold, and a request the schema refuses but the server
took. Each answer is one sentence, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from kith.api import Kith
from tests.conftest import snapshot
from tests.web.conftest import Web
from tests.web.test_imports import upload

BIG = 10**20


@pytest.fixture
def spec(web: Web) -> dict[str, Any]:
    document: dict[str, Any] = web.get("/openapi.json").json()
    return document


@pytest.fixture
def nadia(base: Kith) -> int:
    return base.person_id("Nadia Weber")


def test_a_method_an_address_does_not_take_is_405_with_allow(web: Web) -> None:
    traced = web.client.request("TRACE", "/api/today")
    assert traced.status_code == 405
    assert traced.headers["allow"] == "GET"
    assert traced.json() == {"detail": "That address does not take this kind of request."}
    # every method of the address, not those of the first route that matched it
    both = web.client.request("OPTIONS", "/api/people")
    assert both.status_code == 405
    assert both.headers["allow"] == "GET, POST"
    # a word of the path is not read as a person's id: /api/people/merge takes POST only
    merge = web.get("/api/people/merge")
    assert merge.status_code == 405
    assert merge.headers["allow"] == "POST"


def test_every_operation_documents_the_errors_it_can_answer(spec: dict[str, Any]) -> None:
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            documented = operation["responses"]
            wanted = {"400", "422", "503"}
            if path not in ("/api/login", "/api/session"):
                wanted.add("401")
            if method != "get":
                wanted |= {"403", "413"}
            if "{" in path:
                wanted.add("404")
            assert wanted <= documented.keys(), (method, path, sorted(documented))
            for status in wanted:
                schema = documented[status]["content"]["application/json"]["schema"]
                assert schema == problem, (method, path, status)
    locked = spec["paths"]["/api/login"]["post"]["responses"]["429"]
    assert "Retry-After" in locked["headers"]


def test_a_body_that_is_not_utf8_is_400_in_one_sentence(web: Web, nadia: int) -> None:
    sent = web.client.post(
        f"/api/people/{nadia}/log",
        content=b"\xff\xfe{",
        headers={"X-CSRF-Token": web.token, "Content-Type": "application/json"},
    )
    assert sent.status_code == 400
    assert sent.json() == {"detail": "The request's body cannot be read: send JSON, in UTF-8."}


def test_the_document_lists_the_channels_directions_and_kinds(
    web: Web, spec: dict[str, Any], nadia: int
) -> None:
    """The schema says what the code takes: a request it allows, extra fields and all, is
    accepted; a channel it does not list is refused with kith's sentence."""
    schemas = spec["components"]["schemas"]
    assert "dm" in schemas["Channel"]["enum"]
    assert schemas["Direction"]["enum"] == ["out", "in", "both"]
    assert "coffee" in schemas["AskKind"]["enum"]
    logged = web.api(f"/api/people/{nadia}/log", {"channel": "dm", "extra": {"a": [1]}})
    assert logged.status_code == 200
    kind = web.api(f"/api/people/{nadia}/invite", {"kind": "engaging"})
    assert kind.status_code == 422
    assert kind.json()["detail"] == (
        "Unknown kind 'engaging'; valid kinds: call, video, coffee, meal, event."
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/people/{nadia}/snooze", {"days": BIG}),
        ("/api/people/{nadia}/log", {"channel": "call", "minutes": BIG}),
        (
            "/api/gatherings",
            {"title": "x", "at": "2026-12-01T10:00", "where": "Bar", "tag": "crew", "minutes": BIG},
        ),
    ],
    ids=["snooze days", "log minutes", "gathering minutes"],
)
def test_numbers_past_their_bounds_are_422(
    web: Web, demo_url: str, nadia: int, path: str, body: dict[str, Any]
) -> None:
    """A snooze of 10**20 days overflowed Python's dates, 10**20 minutes SQLite's integers:
    500 (probe 13's server errors). The schema now says the bounds."""
    before = snapshot(demo_url)
    got = web.api(path.format(nadia=nadia), body)
    assert got.status_code == 422, got.text
    assert got.json()["detail"].startswith("Check '")
    assert snapshot(demo_url) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/people/{nadia}/log", {"channel": "dm", "at": "0001-01-01T00:00:00+14:00"}),
        ("/api/people/{nadia}/log", {"channel": "dm", "at": "9999-12-31T23:59:59-12:00"}),
        ("/api/people/{nadia}/answer", {"answer": "positive", "when": "9999-12-31T23:59-12:00"}),
        (
            "/api/gatherings",
            {"title": "x", "at": "9999-12-31T23:00-12:00", "where": "Bar", "tag": "crew"},
        ),
    ],
    ids=["the year 1", "the year 9999", "an answer's date", "a gathering's date"],
)
def test_dates_past_what_kith_holds_are_422(
    web: Web, demo_url: str, nadia: int, path: str, body: dict[str, Any]
) -> None:
    if "answer" in path:
        assert web.api(f"/api/people/{nadia}/invite", {"kind": "coffee"}).status_code == 200
    before = snapshot(demo_url)
    got = web.api(path.format(nadia=nadia), body)
    assert got.status_code == 422, got.text
    assert got.json()["detail"].endswith(
        "is not a time kith keeps: choose one in the years 1900 to 2199."
    ), got.text
    assert snapshot(demo_url) == before


def test_a_circle_in_other_digits_is_422(web: Web) -> None:
    """ "²" is a digit to str.isdigit but not to int(): a server error before."""
    got = web.get("/api/people?circle=²")
    assert got.status_code == 422
    assert got.json()["detail"] == "Circle must be 1, 2, 3 or 4 (got '²')."
    page = web.get("/people?circle=²")
    assert page.status_code == 422


def test_minutes_on_the_page_are_bounded(web: Web, demo_url: str, nadia: int) -> None:
    before = snapshot(demo_url)
    for minutes in ("99999999999999999999", "²"):
        got = web.post(f"/people/{nadia}/log", {"channel": "call", "minutes": minutes})
        assert got.status_code == 422, got.text
    assert snapshot(demo_url) == before


def test_an_import_with_a_region_or_zone_it_would_refuse_does_not_start(web: Web) -> None:
    """The schema says a region is two letters; the server took any text (202) and the
    import failed later. Now it is refused at once, and no job starts."""
    vcard = b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nEND:VCARD\r\n"
    region = upload(web, "vcard", "a.vcf", vcard, api=True, region="Germany")
    assert region.status_code == 422
    assert region.json()["detail"] == (
        "--region takes a two-letter country code such as DE (got 'Germany')."
    )
    zone = upload(web, "vcard", "a.vcf", vcard, api=True, tz="Mars/Olympus")
    assert zone.status_code == 422
    assert zone.json()["detail"] == "Unknown time zone 'Mars/Olympus'."
    fine = upload(web, "vcard", "a.vcf", vcard, api=True, region="de", tz="Europe/Berlin")
    assert fine.status_code == 202
