"""Fixtures for the web UI: a demo base (fixed clock) with a hostile person in it, the app
over a fresh copy of it, and a client that sends the session's CSRF token like htmx does."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kith.api import Kith
from kith.demo import build_demo
from kith.store.database import sqlite_url
from kith.web.app import create_app

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_TEXT = '<img src=x onerror="alert(2)"><b>bold</b> & more'
FIXTURES = Path(__file__).parents[1] / "fixtures"
#: small enough that a test can send a file past it
UPLOAD_LIMIT = 256 * 1024


def clock() -> datetime:
    return NOW


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so that copying the file copies the base."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network (120 people, fixed clock) plus one person with a hostile name who
    sent a message full of HTML."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    url = sqlite_url(path)
    build_demo(url, people=120, seed=7, now=NOW)
    with Kith(url, clock_fn=clock) as base:
        hostile = base.add(HOSTILE_NAME, handles=["x:hostile"], city="Chicago", tags=["crew"])
        base.log(f"#{hostile['id']}", "dm", direction="in", text=HOSTILE_TEXT)
    _checkpoint(path)
    return path


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    """A fresh copy of the demo base for one test."""
    copy = tmp_path / "served.sqlite"
    shutil.copyfile(demo_template, copy)
    return sqlite_url(copy)


@pytest.fixture
def base(demo_url: str) -> Iterator[Kith]:
    served = Kith(demo_url, clock_fn=clock, pooled=True)
    yield served
    served.close()


@pytest.fixture
def app(base: Kith) -> Any:
    return create_app(base, demo=True, max_upload_bytes=UPLOAD_LIMIT, warm=False)


class Web:
    """A browser's view of the app: the session cookie and its CSRF token, sent on every
    POST the way the pages send them (the `X-CSRF-Token` header htmx adds)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = client.get("/api/session").json()["csrf_token"]

    def get(self, path: str, htmx: bool = False, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.get(path, headers=headers, **kwargs)

    def post(
        self, path: str, data: Any = None, htmx: bool = True, trigger: str | None = None, **kw: Any
    ) -> Any:
        headers = {"X-CSRF-Token": self.token, **kw.pop("headers", {})}
        if htmx:
            headers["HX-Request"] = "true"
        if trigger:
            headers["HX-Trigger"] = trigger
        return self.client.post(path, data=data, headers=headers, **kw)

    def api(self, path: str, body: Any) -> Any:
        return self.client.post(path, json=body, headers={"X-CSRF-Token": self.token})


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def web(client: TestClient) -> Web:
    return Web(client)


# the Chromium fixtures (tests/web/browsing.py), for every browser test of this folder
from tests.web.browsing import browser, live, tab  # noqa: E402, F401
