"""Chromium for the browser tests: Playwright drives Debian's Chromium (headless) against a
real server (uvicorn in a thread) over the demo base, with the clock fixed.

One server and one browser for the whole session; each test has its own browser context
(its own session cookie) and fails on any console error. Screenshots go to
artifacts/screenshots/ (CI keeps that folder). The fixtures (`live`, `browser`, `tab`) are
offered to every test of tests/web by its conftest.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

from kith.api import Kith
from kith.store.database import sqlite_url
from kith.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots"
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}

#: the marks of a module of browser tests: `pytestmark = BROWSER`
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="browser tests need Debian's Chromium at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run installs it)",
    ),
]
expect = sync_api.expect


@dataclass
class Live:
    url: str
    base: Kith
    app: Any


@pytest.fixture(scope="session")
def live(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    path = tmp_path_factory.mktemp("live") / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    from tests.web.conftest import UPLOAD_LIMIT, clock  # the conftest imports this module

    base = Kith(sqlite_url(path), clock_fn=clock, pooled=True)
    app = create_app(base, demo=True, max_upload_bytes=UPLOAD_LIMIT)
    with running(app) as url:
        yield Live(url, base, app)
    base.close()


@contextmanager
def running(app: Any) -> Iterator[str]:
    """A real server (uvicorn, in a thread) for `app` on a free loopback port: its URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="kith-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Tab:
    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def token(self) -> str:
        value: str = self.page.locator("input[name=csrf_token]").first.get_attribute("value")
        return value

    def shoot(self, name: str) -> None:
        """The page at a laptop and a phone width, whole, into artifacts/screenshots/."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        for size, (width, height) in SIZES.items():
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.wait_for_timeout(150)
            self.page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 800})

    def mark(self) -> None:
        """Tag the window: a full page load would lose the tag."""
        self.page.evaluate("window.kithMarker = 'still here'")

    def still_same_page(self) -> bool:
        return bool(self.page.evaluate("window.kithMarker === 'still here'"))


@pytest.fixture
def tab(browser: Any, live: Live) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    opened = Tab(page)

    def on_console(message: Any) -> None:
        if message.type == "error":
            opened.errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.on("dialog", on_dialog)
    yield opened
    context.close()
    assert opened.errors == [], f"console errors: {opened.errors}"
    assert opened.dialogs == []


#: the first owner of `team_server`'s base, and their password
TEAM_OWNER, TEAM_SECRET = "ana@example.org", "correct horse battery"


@contextmanager
def team_server(demo_template: Path, folder: Path) -> Iterator[tuple[str, str]]:
    """A copy of the demo base made a team base (its owner `TEAM_OWNER`), served as the
    browser tests' server is; yields (server URL, base URL)."""
    from tests.web.conftest import UPLOAD_LIMIT, clock

    path = folder / "team.sqlite"
    shutil.copyfile(demo_template, path)
    base = Kith(sqlite_url(path), clock_fn=clock, pooled=True)
    base.team_init(TEAM_OWNER, "Ana Owner", TEAM_SECRET)
    app = create_app(base, max_upload_bytes=UPLOAD_LIMIT, warm=False)
    try:
        with running(app) as url:
            yield url, sqlite_url(path)
    finally:
        base.close()
