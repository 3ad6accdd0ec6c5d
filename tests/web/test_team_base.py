"""The web UI over a team base, before sign-in: it acts as the member `kith serve --as`
names, and refuses changes for anyone else (docs/team.md)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kith.api import Kith
from kith.web.app import create_app
from tests.web.conftest import UPLOAD_LIMIT, clock

OWNER = "ana@example.org"


def _client(url: str, member: str | None) -> TestClient:
    app = create_app(
        Kith(url, clock_fn=clock, member=member), max_upload_bytes=UPLOAD_LIMIT, warm=False
    )
    return TestClient(app, base_url="http://127.0.0.1")


def _log(client: TestClient, pid: int) -> tuple[int, dict[str, object]]:
    token = client.get("/api/session").json()["csrf_token"]
    answer = client.post(
        f"/api/people/{pid}/log",
        json={"channel": "dm", "direction": "in", "text": "hi"},
        headers={"X-CSRF-Token": token},
    )
    return answer.status_code, answer.json()


def test_a_team_base_served_acts_as_the_named_member_only(sqlite_db: str) -> None:
    with Kith(sqlite_db, clock_fn=clock) as base:
        pid = base.add("Reporter One")["id"]
        base.team_init(OWNER, "Ana", "correct horse battery")
    with Kith(sqlite_db, clock_fn=clock, member=OWNER) as owner:
        owner.team_add("ben@example.org", "Ben", "viewer")
    with _client(sqlite_db, None) as nobody:
        status, body = _log(nobody, pid)
        assert status == 403
        assert "say who you are" in str(body["detail"])
        assert nobody.get(f"/api/people/{pid}").status_code == 200  # reading needs no one
    with _client(sqlite_db, "ben@example.org") as viewer:
        status, body = _log(viewer, pid)
        assert status == 403
        assert body["detail"] == "Viewers can read the base but not change it."
    with _client(sqlite_db, OWNER) as ana:
        status, body = _log(ana, pid)
        assert status == 200
        assert body["counts"]["in"] == 1
