"""Cross-site request forgery, DNS rebinding and the security headers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from kith.api import Kith
from kith.web.app import create_app
from kith.web.security import CSP, MAX_FORM_BYTES, REFUSED, SERVER_FAULT
from tests.conftest import snapshot
from tests.web.conftest import Web


def _nadia(base: Kith) -> int:
    return base.person_id("Nadia Weber")


def test_a_post_without_the_token_is_refused_and_writes_nothing(
    client: TestClient, web: Web, base: Kith, demo_url: str
) -> None:
    pid = _nadia(base)
    before = snapshot(demo_url)
    form = {"channel": "meeting"}
    no_token = client.post(f"/people/{pid}/log", data=form)
    wrong = client.post(f"/people/{pid}/log", data=form, headers={"X-CSRF-Token": "0" * 64})
    wrong_field = client.post(f"/people/{pid}/log", data={**form, "csrf_token": "forged"})
    api = client.post(f"/api/people/{pid}/log", json={"channel": "meeting"})
    for refused in (no_token, wrong, wrong_field):
        assert refused.status_code == 403
        assert refused.text == REFUSED
    assert api.status_code == 403
    assert api.json() == {"detail": REFUSED}
    assert snapshot(demo_url) == before


def test_the_token_works_as_a_header_or_as_a_form_field(
    client: TestClient, web: Web, base: Kith
) -> None:
    pid = _nadia(base)
    by_header = client.post(
        f"/people/{pid}/facts", data={"text": "likes jazz"}, headers={"X-CSRF-Token": web.token}
    )
    by_field = client.post(
        f"/people/{pid}/facts", data={"text": "plays chess", "csrf_token": web.token}
    )
    assert by_header.status_code == by_field.status_code == 303
    texts = [f["text"] for f in base.show(f"#{pid}")["facts"]]
    assert {"likes jazz", "plays chess"} <= set(texts)


def test_a_token_from_another_session_is_refused(app: Any, web: Web, base: Kith) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as other:
        response = other.post(
            f"/people/{_nadia(base)}/facts",
            data={"text": "x"},
            headers={"X-CSRF-Token": web.token},
        )
    assert response.status_code == 403


def test_cross_site_posts_are_refused_even_with_a_token(web: Web, base: Kith) -> None:
    path = f"/people/{_nadia(base)}/facts"
    foreign = web.post(path, {"text": "x"}, headers={"Origin": "http://evil.example"})
    marked = web.post(path, {"text": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    same = web.post(path, {"text": "same origin"}, headers={"Origin": "http://127.0.0.1"})
    assert foreign.status_code == marked.status_code == 403
    assert same.status_code == 200


def test_htmx_sees_the_refusal_in_the_message_area(client: TestClient, base: Kith) -> None:
    client.get("/")
    response = client.post(
        f"/today/{_nadia(base)}/snooze", data={"days": "7"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flash"
    assert "security token" in response.text


def test_requests_for_another_host_name_are_refused(client: TestClient) -> None:
    rebinding = client.get("/", headers={"Host": "evil.example:8765"})
    assert rebinding.status_code == 400
    assert "kith answers only requests addressed to" in rebinding.text
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_security_headers_and_the_session_cookie(client: TestClient) -> None:
    response = client.get("/")
    assert response.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP
    assert "unsafe-eval" not in CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("kith_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    # the cookie is set once; later responses do not set it again
    assert "set-cookie" not in client.get("/people").headers


def test_an_oversized_urlencoded_form_is_refused(web: Web, base: Kith) -> None:
    body = "text=" + "a" * (MAX_FORM_BYTES + 10)
    response = web.client.post(
        f"/people/{_nadia(base)}/facts",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_the_api_session_gives_the_token_for_scripts(client: TestClient, base: Kith) -> None:
    token = client.get("/api/session").json()["csrf_token"]
    response = client.post(
        f"/api/people/{_nadia(base)}/facts",
        json={"text": "from a script"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert "from a script" in [f["text"] for f in response.json()["facts"]]


HUGE_IDS = ("9223372036854775808", "99999999999999999999", "2147483648")


@pytest.mark.parametrize("number", HUGE_IDS)
def test_ids_no_row_can_have_are_not_found(web: Web, number: str) -> None:
    """Beyond the database's integers an id names nothing: 404 with one sentence, never a
    server error (issue 12, probe 5)."""
    for path in (
        f"/api/people/{number}",
        f"/people/{number}",
        f"/people/{number}/timeline",
        f"/api/gatherings/{number}",
        f"/api/gatherings/{number}/ics",
        f"/plans/gatherings/{number}.ics",
        f"/api/people/{number}/who-knows",
    ):
        got = web.get(path)
        assert got.status_code == 404, (path, got.status_code, got.text[:200])
        assert got.headers["x-content-type-options"] == "nosniff"
    for path, body in (
        (f"/api/people/{number}/log", {"channel": "dm", "direction": "in"}),
        (f"/api/people/{number}/invite", {}),
        (f"/api/gatherings/{number}/attended", {}),
    ):
        got = web.api(path, body)
        assert got.status_code == 404, (path, got.status_code, got.text[:200])
        assert "No " in got.json()["detail"]


def test_a_fault_of_ours_answers_500_with_the_security_headers(base: Kith) -> None:
    """An error nobody foresaw is answered by the guard, in one sentence, with every
    security header (Starlette's own 500 carried none)."""
    app = create_app(base, max_upload_bytes=1024, warm=False)

    def broken() -> None:
        raise RuntimeError("an internal detail the caller must not see")

    app.add_api_route("/api/broken", broken)
    app.add_api_route("/broken", broken)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        for path in ("/api/broken", "/broken"):
            got = client.get(path)
            assert got.status_code == 500
            assert got.headers["content-security-policy"] == CSP
            assert got.headers["x-frame-options"] == "DENY"
            assert "internal detail" not in got.text
            assert "Something went wrong in kith" in got.text
        assert client.get("/api/broken").json() == {"detail": SERVER_FAULT}
