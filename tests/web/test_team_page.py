"""The Team page (`/team`, docs/team.md): owners see the members and invite, change roles,
remove, make and revoke API tokens; members and viewers read the list and get 403 on every
write; a base without members says so. The app runs over a real SQLite base with FastAPI's
test client, signed in the way a browser is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kith.api import Kith
from kith.web.app import create_app
from tests.web.conftest import NOW, UPLOAD_LIMIT

OWNER, SECRET = "ana@example.org", "correct horse battery"
VIEWER, VIEWER_SECRET = "ben@example.org", "another long password"
MEMBER, MEMBER_SECRET = "cleo@example.org", "cleo's long secret"
HOSTILE, HOSTILE_NAME = "eve@example.org", '<script>alert("team")</script>'
JOIN_LINK = re.compile(r"http://127\.0\.0\.1/join/([A-Za-z0-9_-]{40,})")
API_TOKEN = re.compile(r"kith_[A-Za-z0-9_-]{40,}")


def clock() -> datetime:
    return NOW


@pytest.fixture
def team(sqlite_db: str) -> Iterator[Kith]:
    with Kith(sqlite_db, clock_fn=clock) as setup:
        setup.add("Reporter One")
        setup.team_init(OWNER, "Ana", SECRET)
    owner = Kith(sqlite_db, clock_fn=clock, member=OWNER)
    owner.team_add(VIEWER, "Ben", "viewer", VIEWER_SECRET)
    owner.team_add(MEMBER, "Cleo", "member", MEMBER_SECRET)
    yield owner
    owner.close()


def _client(url: str) -> TestClient:
    base = Kith(url, clock_fn=clock, pooled=True)
    app = create_app(base, max_upload_bytes=UPLOAD_LIMIT, warm=False)
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def _token(client: TestClient) -> str:
    return str(client.get("/api/session").json()["csrf_token"])


def _signed_in(url: str, email: str, password: str) -> TestClient:
    client = _client(url)
    client.__enter__()
    done = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": _token(client)}
    )
    assert done.status_code == 303, done.text
    return client


@pytest.fixture
def as_owner(team: Kith, sqlite_db: str) -> Iterator[TestClient]:
    client = _signed_in(sqlite_db, OWNER, SECRET)
    yield client
    client.__exit__(None, None, None)


def _post(client: TestClient, path: str, **fields: str) -> Any:
    return client.post(path, data={**fields, "csrf_token": _token(client)})


def _members(base: Kith) -> dict[str, dict[str, Any]]:
    return {m["email"]: m for m in base.team_members()}


def test_an_owner_sees_every_member_and_the_team_link(team: Kith, as_owner: TestClient) -> None:
    team.team_add(HOSTILE, HOSTILE_NAME, "member")
    team.team_add("gone@example.org", "Gone Member", "member", "a long enough secret")
    team.team_remove("gone@example.org")
    page = as_owner.get("/team")
    assert page.status_code == 200
    text = page.text
    assert '<a href="/team" aria-current="page">Team</a>' in text
    for name, email in (("Ana", OWNER), ("Ben", VIEWER), ("Cleo", MEMBER)):
        assert f">{name}" in text
        assert email in text
    assert '<option value="viewer" selected>' in text  # Ben's role, ready to change
    assert "invited, not joined yet" in text  # Eve has no password yet
    assert re.search(r"removed <time datetime=\"2026-11-21[^\"]*\">2026-11-21</time>", text)
    # a member's name is text, never markup
    assert HOSTILE_NAME not in text
    assert "&lt;script&gt;alert(&#34;team&#34;)&lt;/script&gt;" in text
    for action in ("/team/invite", "/team/role", "/team/remove", "/team/tokens"):
        assert f'action="{action}"' in text
    assert text.count('name="csrf_token"') >= 6
    # the other pages link to it too, for an owner
    assert 'href="/team"' in as_owner.get("/people").text


def test_an_owner_invites_and_the_link_works_once_end_to_end(
    team: Kith, as_owner: TestClient, sqlite_db: str
) -> None:
    made = _post(as_owner, "/team/invite", email="Dan@Example.org", role="viewer")
    assert made.status_code == 200
    assert "Send this link to dan@example.org (viewer)" in made.text
    found = JOIN_LINK.search(made.text)
    assert found is not None, made.text
    secret = found.group(1)
    # shown on this page only: not in any address
    assert secret not in (made.headers.get("location") or "")
    assert secret not in as_owner.get("/team").text
    assert _members(team)["dan@example.org"]["has_password"] is False
    with _client(sqlite_db) as dan:
        assert dan.get(f"/join/{secret}").status_code == 200
        form = {"name": "Dan", "password": "dan's long password", "again": "dan's long password"}
        joined = dan.post(f"/join/{secret}", data={**form, "csrf_token": _token(dan)})
        assert joined.status_code == 303
        me = dan.get("/api/team/members").json()
        dan_row = next(m for m in me if m["email"] == "dan@example.org")
        assert (dan_row["name"], dan_row["role"], dan_row["has_password"]) == (
            "Dan",
            "viewer",
            True,
        )
        again = dan.post(f"/join/{secret}", data={**form, "csrf_token": _token(dan)})
        assert again.status_code == 422


def test_an_invitation_that_cannot_be_made_says_why_and_keeps_the_form(
    team: Kith, as_owner: TestClient
) -> None:
    bad = _post(as_owner, "/team/invite", email="not an address", role="member")
    assert bad.status_code == 422
    assert "is not an email address." in bad.text
    assert 'value="not an address"' in bad.text
    known = _post(as_owner, "/team/invite", email=VIEWER, role="member")
    assert known.status_code == 422
    assert f"{VIEWER} is a member already and can sign in." in known.text
    assert JOIN_LINK.search(known.text) is None


def test_an_owner_changes_a_role_and_removes_a_member_after_asking(
    team: Kith, as_owner: TestClient, sqlite_db: str
) -> None:
    changed = _post(as_owner, "/team/role", email=VIEWER, role="member")
    assert changed.status_code == 303
    assert changed.headers["location"] == "/team?changed=ben%40example.org"
    assert _members(team)[VIEWER]["role"] == "member"
    after = as_owner.get(changed.headers["location"])
    assert "Ben &lt;ben@example.org&gt; is now member." in after.text
    # the last owner stays an owner
    alone = _post(as_owner, "/team/role", email=OWNER, role="viewer")
    assert alone.status_code == 422
    assert "A team needs an owner: make someone else an owner first." in alone.text
    assert _members(team)[OWNER]["role"] == "owner"

    ben = _signed_in(sqlite_db, VIEWER, VIEWER_SECRET)
    try:
        assert ben.get("/api/today").status_code == 200
        page = as_owner.get("/team")
        # removal asks first: the button is inside a closed disclosure with what it does
        assert re.search(
            r"<details class=\"team-remove\">\s*<summary>Remove…</summary>\s*"
            r"<p>Ben is signed out at once",
            page.text,
        )
        assert "Remove Ben from the team" in page.text
        gone = _post(as_owner, "/team/remove", email=VIEWER)
        assert gone.status_code == 303
        assert gone.headers["location"] == "/team?removed=ben%40example.org"
        assert _members(team)[VIEWER]["active"] is False
        said = as_owner.get(gone.headers["location"]).text
        assert "is no longer a member; what they recorded stays." in said
        assert ben.get("/api/today").status_code == 401  # out at once
    finally:
        ben.__exit__(None, None, None)
    again = _post(as_owner, "/team/remove", email=VIEWER)
    assert again.status_code == 422
    assert "No member ben@example.org in this team." in again.text


def test_an_owner_makes_a_token_shown_once_and_revokes_it(
    team: Kith, as_owner: TestClient, sqlite_db: str
) -> None:
    made = _post(as_owner, "/team/tokens", email=MEMBER, label="nightly export")
    assert made.status_code == 200
    assert "Token “nightly export” for Cleo" in made.text
    found = API_TOKEN.search(made.text)
    assert found is not None, made.text
    bearer = {"Authorization": f"Bearer {found.group(0)}"}
    assert found.group(0) not in as_owner.get("/team").text
    with _client(sqlite_db) as script:
        listed = script.get("/api/team/members", headers=bearer)
        assert listed.status_code == 200
        assert {m["email"] for m in listed.json()} == {OWNER, VIEWER, MEMBER}
        wrong = _post(as_owner, "/team/tokens/revoke", email=MEMBER, label="nightly")
        assert wrong.status_code == 422
        assert "cleo@example.org has no token labelled &#39;nightly&#39;." in wrong.text
        assert script.get("/api/team/members", headers=bearer).status_code == 200
        revoked = _post(as_owner, "/team/tokens/revoke", email=MEMBER, label="nightly export")
        assert revoked.status_code == 303
        said = as_owner.get(revoked.headers["location"]).text
        assert "Revoked Cleo&#39;s token “nightly export”." in said
        assert script.get("/api/team/members", headers=bearer).status_code == 401


@pytest.mark.parametrize(
    ("email", "password", "role", "refusal"),
    [
        (MEMBER, MEMBER_SECRET, "member", "Only an owner can change the team."),
        (VIEWER, VIEWER_SECRET, "viewer", "Viewers can read the base but not change it."),
    ],
)
def test_members_and_viewers_read_the_list_and_get_403_on_every_write(
    team: Kith, sqlite_db: str, email: str, password: str, role: str, refusal: str
) -> None:
    before = _members(team)
    client = _signed_in(sqlite_db, email, password)
    try:
        page = client.get("/team")
        assert page.status_code == 200
        assert f"Only an owner can change the team; you are a {role}." in page.text
        assert "Ana" in page.text
        assert OWNER in page.text
        assert "<form" not in page.text.split("</header>", 1)[1]  # no forms, only the list
        assert 'href="/team"' not in page.text  # no Team link for them in the header
        writes = [
            ("/team/invite", {"email": "dan@example.org", "role": "owner"}),
            ("/team/role", {"email": email, "role": "owner"}),
            ("/team/role", {"email": OWNER, "role": "viewer"}),
            ("/team/remove", {"email": OWNER}),
            ("/team/tokens", {"email": OWNER, "label": "mine now"}),
            ("/team/tokens/revoke", {"email": OWNER, "label": "api"}),
        ]
        for path, fields in writes:
            refused = _post(client, path, **fields)
            assert refused.status_code == 403, path
            assert refusal in refused.text, path
            assert API_TOKEN.search(refused.text) is None
            assert JOIN_LINK.search(refused.text) is None
        assert client.get("/api/team/members").status_code == 200
    finally:
        client.__exit__(None, None, None)
    assert _members(team) == before


def test_the_members_as_json_need_a_member(
    team: Kith, as_owner: TestClient, sqlite_db: str
) -> None:
    listed = as_owner.get("/api/team/members")
    assert listed.status_code == 200
    ben = next(m for m in listed.json() if m["email"] == VIEWER)
    assert set(ben) == {
        "email",
        "name",
        "role",
        "active",
        "has_password",
        "shares_texts",
        "joined",
        "removed",
    }
    assert (ben["name"], ben["role"], ben["active"], ben["removed"]) == (
        "Ben",
        "viewer",
        True,
        None,
    )
    assert ben["joined"].startswith("2026-11-21")
    with _client(sqlite_db) as stranger:
        answer = stranger.get("/api/team/members")
        assert answer.status_code == 401
        assert answer.json()["detail"].startswith("Sign in first")
        assert stranger.get("/team").headers["location"] == "/login?next=%2Fteam"


def test_a_base_without_members_says_so_and_invites_nobody(demo_url: str) -> None:
    with _client(demo_url) as alone:
        page = alone.get("/team")
        assert page.status_code == 200
        assert "This base has no members" in page.text
        assert "kith team init --owner EMAIL --name NAME" in page.text
        assert 'href="/team"' not in page.text  # nobody is signed in: no Team link
        refused = _post(alone, "/team/invite", email="dan@example.org", role="owner")
        assert refused.status_code == 422
        assert "This base has no members" in refused.text
        assert JOIN_LINK.search(refused.text) is None
        assert alone.get("/api/team/members").json() == []
    with Kith(demo_url, clock_fn=clock) as base:
        assert base.is_team() is False
