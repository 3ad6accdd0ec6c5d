"""The web UI over each backend: SQLite and (with KITH_TEST_POSTGRES_URL) PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from kith.api import Kith
from kith.demo import build_demo
from kith.web.app import create_app
from tests.web.conftest import FIXTURES, NOW, Web, clock


def test_pages_writes_lists_and_imports_on_each_backend(db_url: str) -> None:
    build_demo(db_url, people=40, seed=3, now=NOW)
    base = Kith(db_url, clock_fn=clock, pooled=True)
    try:
        app: Any = create_app(base, demo=True, warm=False)
        with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
            web = Web(client)
            first = base.today()[0]["person"]
            for path in ["/", "/people", f"/people/{first['id']}", "/plans", "/report/body"]:
                assert web.get(path).status_code == 200, path
            listed = web.get("/api/people?sort=recent&limit=10&offset=5").json()
            assert listed == base.people(sort="recent", limit=10, offset=5)

            before = base.show(f"#{first['id']}")["counts"]["in"]
            response = web.post(f"/people/{first['id']}/log", {"channel": "meeting"})
            assert response.status_code == 200
            assert base.show(f"#{first['id']}")["stage"] in ("met", "friend", "close")
            assert base.show(f"#{first['id']}")["counts"]["in"] == before + 1

            vcard = (FIXTURES / "vcard" / "rfc6350_style_v4.vcf").read_bytes()
            job = client.post(
                "/api/import",
                data={"source": "vcard"},
                files={"file": ("contacts.vcf", vcard, "text/vcard")},
                headers={"X-CSRF-Token": web.token},
            ).json()
            app.state.web.jobs.wait(30)
            state = web.get(f"/api/import/jobs/{job['id']}").json()
            assert state["state"] == "done", state["error"]
            assert base.person_id("Grace Hopper")
    finally:
        base.close()
