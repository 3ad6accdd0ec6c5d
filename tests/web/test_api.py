"""The JSON API: a valid OpenAPI document, every documented GET answering in its documented
shape, the same shapes as the CLI's --json, and writes through POST with the token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from kith.api import Kith
from tests.web.conftest import FIXTURES, Web


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": spec["components"]})


def _check(spec: dict[str, Any], path: str, method: str, status: str, body: Any) -> None:
    content = spec["paths"][path][method]["responses"][status]["content"]
    errors = sorted(
        _validator(spec, content["application/json"]["schema"]).iter_errors(body),
        key=lambda e: list(e.path),
    )
    assert not errors, f"{method.upper()} {path}: {errors[0].message} at {list(errors[0].path)}"


@pytest.fixture
def spec(web: Web) -> dict[str, Any]:
    document: dict[str, Any] = web.get("/openapi.json").json()
    return document


def test_the_openapi_document_is_valid(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["info"]["title"] == "kith"
    assert all(path.startswith("/api/") for path in spec["paths"])


def test_every_documented_get_answers_in_its_documented_shape(
    web: Web, spec: dict[str, Any], base: Kith, app: Any
) -> None:
    nadia = base.person_id("Nadia Weber")
    planned = web.api(
        "/api/gatherings",
        {
            "title": "Coffee crew",
            "at": "2026-12-05T10:00",
            "where": "Lumen",
            "invite": [f"#{nadia}"],
        },
    )
    assert planned.status_code == 200
    vcard = (FIXTURES / "vcard" / "rfc6350_style_v4.vcf").read_bytes()
    job = web.client.post(
        "/api/import",
        data={"source": "vcard"},
        files={"file": ("contacts.vcf", vcard, "text/vcard")},
        headers={"X-CSRF-Token": web.token},
    )
    assert job.status_code == 202
    _check(spec, "/api/import", "post", "202", job.json())
    app.state.web.jobs.wait(30)
    values = {
        "person_id": str(nadia),
        "gathering_id": str(planned.json()["id"]),
        "job_id": job.json()["id"],
    }
    called = []
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
        response = web.get(url)
        assert response.status_code == 200, (url, response.text)
        content = operations["get"]["responses"]["200"]["content"]
        if "application/json" in content:
            _check(spec, path, "get", "200", response.json())
        else:
            assert response.headers["content-type"].startswith("text/calendar")
            assert response.text.startswith("BEGIN:VCALENDAR")
        called.append(path)
    assert len(called) >= 10


def test_shapes_match_the_cli(web: Web, base: Kith) -> None:
    assert web.get("/api/today").json() == base.today()
    assert web.get("/api/today?limit=3").json() == base.today(3)
    people = web.get("/api/people?sort=recent&limit=20&offset=10")
    assert people.json() == base.people(sort="recent", limit=20, offset=10)
    assert people.headers["x-total-count"] == str(base.count_people())
    nadia = base.person_id("Nadia Weber")
    assert web.get(f"/api/people/{nadia}").json() == base.show(f"#{nadia}")
    assert web.get("/api/trips").json() == base.trips()
    filtered = web.get("/api/people?stage=conversing&q=a&limit=5").json()
    assert filtered == base.people(stage="conversing", search="a", limit=5)


def test_writes_through_the_api(web: Web, spec: dict[str, Any], base: Kith) -> None:
    nadia = base.person_id("Nadia Weber")
    logged = web.api(f"/api/people/{nadia}/log", {"channel": "call", "minutes": 25})
    assert logged.status_code == 200
    _check(spec, "/api/people/{person_id}/log", "post", "200", logged.json())
    assert logged.json()["stage"] == "voice"
    fact = web.api(f"/api/people/{nadia}/facts", {"text": "moves to Boston", "on": "2026-12-15"})
    assert {"text": "moves to Boston", "event_on": "2026-12-15"}.items() <= next(
        f for f in fact.json()["facts"] if f["text"] == "moves to Boston"
    ).items()
    asked = web.api(f"/api/people/{nadia}/invite", {"kind": "coffee"})
    assert asked.json()["invite"]["kind"] == "coffee"
    answered = web.api(f"/api/people/{nadia}/answer", {"answer": "neutral"})
    assert answered.json()["invite"]["response"] == "neutral"
    snoozed = web.api(f"/api/people/{nadia}/snooze", {"days": 3})
    _check(spec, "/api/people/{person_id}/snooze", "post", "200", snoozed.json())
    assert snoozed.json()["until"] == "2026-11-24"
    trip = web.api("/api/trips", {"city": "Berlin", "from": "2027-02-01", "to": "2027-02-03"})
    assert trip.json()["city"].startswith("Berlin")
    gathering = web.api(
        "/api/gatherings",
        {"title": "Drinks", "at": "2026-11-20T18:00", "where": "Bar", "invite": [f"#{nadia}"]},
    ).json()
    rsvp = web.api(
        f"/api/gatherings/{gathering['id']}/rsvp", {"person": f"#{nadia}", "answer": "yes"}
    )
    assert rsvp.json()["rsvp"]["yes"] == 1
    came = web.api(f"/api/gatherings/{gathering['id']}/attended", {"people": []})
    assert came.json()["attended"] == 1


def test_api_errors_are_one_sentence(web: Web, spec: dict[str, Any]) -> None:
    missing = web.get("/api/people/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No person with id 999999."}
    bad = web.api("/api/people/1/log", {"channel": "telegraph"})
    assert bad.status_code == 422
    _check(spec, "/api/people/{person_id}/log", "post", "422", bad.json())
    assert bad.json()["detail"].startswith("Unknown channel 'telegraph'")
    shape = web.api("/api/people/1/log", {"minutes": "many"})
    assert shape.status_code == 422
    _check(spec, "/api/people/{person_id}/log", "post", "422", shape.json())
    nobody = web.api("/api/gatherings", {"title": "x", "at": "2026-12-01T10:00", "where": "y"})
    assert nobody.status_code == 422
    assert "Say who is invited" in nobody.json()["detail"]
