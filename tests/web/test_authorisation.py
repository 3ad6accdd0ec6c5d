"""Who may call each route of the JSON API on a team base, route by route: every operation of
/openapi.json (a new route is covered as soon as it is documented) without a session, with a
viewer's session on a write, with the token or session of a removed member, with a revoked
token and with a session idle past 14 days. The app runs over a real SQLite base and a real
PostgreSQL one. (One route each, and the pages, are in test_team_signin.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kith.api import Kith
from kith.domain.team import SESSION_IDLE_DAYS
from kith.store.schema import member_sessions
from kith.web.app import create_app
from kith.web.signin import PUBLIC
from tests.conftest import snapshot
from tests.web.conftest import NOW, UPLOAD_LIMIT, clock

OWNER, SECRET = "ana@example.org", "correct horse battery"
VIEWER, VIEWER_SECRET = "ben@example.org", "another long password"
MEMBER, MEMBER_SECRET = "cleo@example.org", "cleo's long secret"
SIGN_IN_FIRST = "Sign in first (POST /api/login)."
NOT_VALID = "This token is not valid."


@dataclass
class Team:
    url: str
    owner: Kith
    client: TestClient
    operations: list[tuple[str, str]]  # (method, address) of every operation not public
    person: int

    def sign_in(self, email: str, password: str) -> str:
        """A new session of `email`: the `kith_member` cookie's value."""
        self.client.cookies.clear()
        csrf = self.client.get("/api/session").json()["csrf_token"]
        answer = self.client.post(
            "/api/login",
            json={"email": email, "password": password},
            headers={"X-CSRF-Token": csrf},
        )
        assert answer.status_code == 200, answer.text
        return str(self.client.cookies["kith_member"])

    def call(self, method: str, address: str, **headers: str) -> Any:
        body = None if method == "GET" else {}
        return self.client.request(method, address, json=body, headers=headers)

    def refusals(self, status: int, detail: str, writes_only: bool = False, **headers: str) -> None:
        """Every operation (or every write) answers `status` with `detail`."""
        wrong = []
        for method, address in self.operations:
            if writes_only and method == "GET":
                continue
            got = self.call(method, address, **headers)
            if got.status_code != status or got.json() != {"detail": detail}:
                wrong.append(f"{method} {address}: {got.status_code} {got.text[:120]}")
        assert not wrong, "\n".join(wrong)


@pytest.fixture
def team(db_url: str) -> Iterator[Team]:
    with Kith(db_url, clock_fn=clock) as setup:
        pid = int(setup.add("Reporter One", city="Chicago")["id"])
        setup.team_init(OWNER, "Ana", SECRET)
    owner = Kith(db_url, clock_fn=clock, member=OWNER)
    owner.team_add(VIEWER, "Ben", "viewer", VIEWER_SECRET)
    owner.team_add(MEMBER, "Cleo", "member", MEMBER_SECRET)
    gathering = owner.gather("Coffee", "2026-12-05T10:00", "Lumen", [f"#{pid}"])["id"]
    served = Kith(db_url, clock_fn=clock, pooled=True)
    app = create_app(served, max_upload_bytes=UPLOAD_LIMIT, warm=False)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        made = Team(db_url, owner, client, [], pid)
        made.sign_in(OWNER, SECRET)
        document = client.get("/openapi.json").json()
        client.cookies.clear()
        ids = {"person_id": str(pid), "gathering_id": str(gathering), "job_id": "0"}
        for path, operations in document["paths"].items():
            if path.startswith(PUBLIC):
                continue
            address = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
            made.operations += [(method.upper(), address) for method in operations]
        assert len(made.operations) >= 25
        yield made
    served.close()
    owner.close()


def test_without_a_session_every_route_is_401(team: Team) -> None:
    before = snapshot(team.url)
    team.refusals(401, SIGN_IN_FIRST)
    assert snapshot(team.url) == before


def test_a_viewer_reads_every_route_and_writes_none(team: Team) -> None:
    team.sign_in(VIEWER, VIEWER_SECRET)
    csrf = team.client.get("/api/session").json()["csrf_token"]
    before = snapshot(team.url)
    team.refusals(
        403, "Viewers can read the base but not change it.", True, **{"X-CSRF-Token": csrf}
    )
    for method, address in team.operations:
        if method == "GET":
            got = team.call(method, address)
            assert got.status_code not in (401, 403), (address, got.text)
    assert snapshot(team.url) == before


def test_a_removed_members_token_and_session_are_401(team: Team) -> None:
    token = team.owner.team_token(MEMBER, "script")
    session = team.sign_in(MEMBER, MEMBER_SECRET)
    auth = {"Authorization": f"Bearer {token}"}
    assert team.call("GET", "/api/today", **auth).status_code == 200
    assert team.call("GET", "/api/today").status_code == 200
    team.owner.team_remove(MEMBER)
    before = snapshot(team.url)
    team.refusals(401, NOT_VALID, **auth)
    team.client.cookies.set("kith_member", session)
    team.refusals(401, SIGN_IN_FIRST)
    assert snapshot(team.url) == before


def test_a_revoked_token_is_401(team: Team) -> None:
    token = team.owner.team_token(OWNER, "backup")
    auth = {"Authorization": f"Bearer {token}"}
    assert team.call("GET", f"/api/people/{team.person}", **auth).status_code == 200
    team.owner.team_revoke(OWNER, "backup")
    before = snapshot(team.url)
    team.refusals(401, NOT_VALID, **auth)
    assert snapshot(team.url) == before


def test_a_session_idle_past_its_days_is_401(team: Team) -> None:
    team.sign_in(OWNER, SECRET)
    assert team.call("GET", "/api/today").status_code == 200
    idle = NOW - timedelta(days=SESSION_IDLE_DAYS, seconds=1)
    with team.owner.engine.begin() as connection:
        connection.execute(update(member_sessions).values(seen_at=idle))
    team.refusals(401, SIGN_IN_FIRST)


def test_a_members_session_cannot_do_an_owners_work(team: Team) -> None:
    """Another member's session, not the owner's: forgetting a person (the JSON API's one
    owner's operation) and changing a role on the Team page (which members may read) are
    refused, and nothing is written; the member's own write is theirs."""
    team.sign_in(MEMBER, MEMBER_SECRET)
    csrf = {"X-CSRF-Token": team.client.get("/api/session").json()["csrf_token"]}
    before = snapshot(team.url)
    forget = team.client.delete(f"/api/people/{team.person}", headers=csrf)
    assert forget.status_code == 403, forget.text
    assert "owner" in forget.json()["detail"].lower(), forget.text
    assert team.client.get("/team").status_code == 200  # members see who is in the team
    promote = team.client.post("/team/role", data={"email": VIEWER, "role": "owner"}, headers=csrf)
    assert promote.status_code == 403, promote.text
    assert snapshot(team.url) == before
    logged = team.client.post(
        f"/api/people/{team.person}/log", json={"channel": "dm", "text": "hi"}, headers=csrf
    )
    assert logged.status_code == 200, logged.text
    trail = team.owner.audit(member=MEMBER)
    assert trail, trail
    assert MEMBER in str(trail[0]), trail
