"""Sign-in on a team base (docs/team.md, "The web UI in team mode"): pages and the API
need a member; sessions, join links and tokens; the lockout; a base without members is
served as before. The app runs over a real SQLite base and a real PostgreSQL one (where
several server processes must agree on sessions and failures) with FastAPI's test client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kith.api import Kith
from kith.web.app import create_app
from tests.web.conftest import NOW, UPLOAD_LIMIT

OWNER, SECRET = "ana@example.org", "correct horse battery"
VIEWER, VIEWER_SECRET = "ben@example.org", "another long password"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def team(db_url: str, clock: Clock) -> Iterator[tuple[Kith, int]]:
    with Kith(db_url, clock_fn=clock) as setup:
        pid = setup.add("Reporter One")["id"]
        setup.team_init(OWNER, "Ana", SECRET)
    owner = Kith(db_url, clock_fn=clock, member=OWNER)
    owner.team_add(VIEWER, "Ben", "viewer", VIEWER_SECRET)
    yield owner, pid
    owner.close()


def _client(url: str, clock: Clock, **options: Any) -> TestClient:
    base = Kith(url, clock_fn=clock, pooled=True)
    app = create_app(base, max_upload_bytes=UPLOAD_LIMIT, warm=False, **options)
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def _token(client: TestClient) -> str:
    return str(client.get("/api/session").json()["csrf_token"])


def _sign_in(client: TestClient, email: str, password: str, **extra: str) -> Any:
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": _token(client), **extra},
    )


def test_nothing_but_the_sign_in_pages_without_a_member(
    team: tuple[Kith, int], db_url: str, clock: Clock
) -> None:
    _, pid = team
    with _client(db_url, clock) as client:
        assert client.get("/").headers["location"] == "/login"
        deep = client.get(f"/people/{pid}?recent=5")
        assert deep.status_code == 303
        assert deep.headers["location"] == f"/login?next=%2Fpeople%2F{pid}%3Frecent%3D5"
        for path in ("/api/today", f"/api/people/{pid}", "/api/people", "/api/report"):
            answer = client.get(path)
            assert answer.status_code == 401, path
            assert answer.json()["detail"].startswith("Sign in first")
        assert client.get("/static/kith.css").status_code == 200
        page = client.get("/login")
        assert page.status_code == 200
        assert 'type="password"' in page.text
        assert "Reporter One" not in page.text


def test_signing_in_opens_the_base_as_that_member(
    team: tuple[Kith, int], db_url: str, clock: Clock
) -> None:
    owner, pid = team
    with _client(db_url, clock) as client:
        done = _sign_in(client, "Ana@Example.org", SECRET, next=f"/people/{pid}")
        assert done.status_code == 303
        assert done.headers["location"] == f"/people/{pid}"
        cookie = done.headers["set-cookie"]
        assert re.match(r"kith_member=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax", cookie)
        assert "Secure" not in cookie  # plain http on loopback
        page = client.get(f"/people/{pid}")
        assert page.status_code == 200
        assert "Reporter One" in page.text
        assert "Sign out" in page.text
        logged = client.post(
            f"/api/people/{pid}/log",
            json={"channel": "dm", "direction": "out", "text": "hello"},
            headers={"X-CSRF-Token": _token(client)},
        )
        assert logged.status_code == 200
        with owner.engine.connect() as c:
            by = c.exec_driver_sql("SELECT member FROM interactions").scalars().all()
            stored = c.exec_driver_sql("SELECT token_hash FROM member_sessions").scalars().all()
        assert by == [OWNER]
        secret = cookie.split(";")[0].split("=", 1)[1]
        assert len(stored) == 1
        assert secret not in stored[0]  # only its hash is kept
        out = client.post("/logout", data={"csrf_token": _token(client)})
        assert out.headers["location"] == "/login"
        assert "Max-Age=0" in out.headers["set-cookie"]
        assert client.get("/").status_code == 303
        # somewhere else afterwards: never another site
        again = _sign_in(client, OWNER, SECRET, next="//evil.example/")
        assert again.headers["location"] == "/"


def test_a_viewer_reads_and_a_removed_member_is_out_at_once(
    team: tuple[Kith, int], db_url: str, clock: Clock
) -> None:
    owner, pid = team
    with _client(db_url, clock) as client:
        assert _sign_in(client, VIEWER, VIEWER_SECRET).status_code == 303
        assert client.get("/api/today").status_code == 200
        refused = client.post(
            f"/api/people/{pid}/log",
            json={"channel": "dm"},
            headers={"X-CSRF-Token": _token(client)},
        )
        assert refused.status_code == 403
        assert refused.json()["detail"] == "Viewers can read the base but not change it."
        owner.team_remove(VIEWER)
        assert client.get("/api/today").status_code == 401
        assert client.get("/").headers["location"] == "/login"
        back = _sign_in(client, VIEWER, VIEWER_SECRET)
        assert back.status_code == 401


def test_five_failures_lock_an_account_out_for_fifteen_minutes(
    team: tuple[Kith, int], db_url: str, clock: Clock
) -> None:
    with _client(db_url, clock) as client:
        for _ in range(5):
            wrong = _sign_in(client, OWNER, "not the password")
            assert wrong.status_code == 401
            assert "Wrong email or password." in wrong.text
        locked = _sign_in(client, OWNER, SECRET)
        assert locked.status_code == 429
        assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
        assert "Too many failed sign-ins" in locked.text
        # the lock holds in another server process too: it is kept in the base
        with _client(db_url, clock) as other:
            assert _sign_in(other, OWNER, SECRET).status_code == 429
        clock.now = NOW + timedelta(minutes=15, seconds=1)
        assert _sign_in(client, OWNER, SECRET).status_code == 303


def test_a_join_link_works_once(team: tuple[Kith, int], db_url: str, clock: Clock) -> None:
    owner, _ = team
    link = owner.team_invite("cleo@example.org", "member")["token"]
    with _client(db_url, clock) as client:
        page = client.get(f"/join/{link}")
        assert page.status_code == 200
        form = {"name": "Cleo", "password": "cleo's long secret", "csrf_token": _token(client)}
        differ = client.post(f"/join/{link}", data={**form, "again": "something else"})
        assert differ.status_code == 422
        assert "The two passwords differ" in differ.text
        joined = client.post(f"/join/{link}", data={**form, "again": form["password"]})
        assert joined.status_code == 303
        assert client.get("/api/today").status_code == 200
        used = client.post(f"/join/{link}", data={**form, "again": form["password"]})
        assert used.status_code == 422
        assert "This join link is not valid" in used.text
    cleo = next(m for m in owner.team_members() if m["email"] == "cleo@example.org")
    assert (cleo["name"], cleo["role"], cleo["has_password"]) == ("Cleo", "member", True)
    late = owner.team_invite("dan@example.org", "viewer")["token"]
    clock.now = NOW + timedelta(days=7, seconds=1)
    with _client(db_url, clock) as client:
        form = {
            "name": "Dan",
            "password": "x" * 12,
            "again": "x" * 12,
            "csrf_token": _token(client),
        }
        assert client.post(f"/join/{late}", data=form).status_code == 422


def test_scripts_sign_in_with_json_or_a_bearer_token(
    team: tuple[Kith, int], db_url: str, clock: Clock
) -> None:
    owner, pid = team
    bearer = owner.team_token(OWNER, "backup script")
    with _client(db_url, clock) as client:
        csrf = {"X-CSRF-Token": _token(client)}
        wrong = client.post("/api/login", json={"email": OWNER, "password": "nope"}, headers=csrf)
        assert wrong.status_code == 401
        assert wrong.json() == {"detail": "Wrong email or password."}
        ok = client.post("/api/login", json={"email": OWNER, "password": SECRET}, headers=csrf)
        assert ok.status_code == 200
        assert ok.json()["email"] == OWNER
        assert client.get("/api/today").status_code == 200
    with _client(db_url, clock) as script:
        auth = {"Authorization": f"Bearer {bearer}"}
        assert script.get(f"/api/people/{pid}", headers=auth).status_code == 200
        # no CSRF token with a bearer token: no browser sends one by itself
        wrote = script.post(f"/api/people/{pid}/log", json={"channel": "dm"}, headers=auth)
        assert wrote.status_code == 200
        bad = script.get("/api/today", headers={"Authorization": "Bearer kith_nonsense"})
        assert bad.status_code == 401
        assert script.post(f"/api/people/{pid}/log", json={"channel": "dm"}).status_code == 401
        owner.team_revoke(OWNER, "backup script")
        assert script.get("/api/today", headers=auth).status_code == 401


def test_cookies_are_secure_behind_a_proxy_and_a_one_user_base_needs_no_sign_in(
    team: tuple[Kith, int], db_url: str, clock: Clock, demo_url: str
) -> None:
    with _client(db_url, clock, allowed_hosts=None) as client:
        # as a TLS proxy in front would: https, by its name (Secure cookies go back)
        client.base_url = client.base_url.copy_with(  # type: ignore[misc]
            scheme="https", host="kith.example.org"
        )
        token = client.get("/api/session").json()["csrf_token"]
        done = client.post("/login", data={"email": OWNER, "password": SECRET, "csrf_token": token})
        assert "; Secure" in done.headers["set-cookie"]
    with _client(demo_url, clock) as alone:
        assert alone.get("/").status_code == 200
        assert alone.get("/api/today").status_code == 200
