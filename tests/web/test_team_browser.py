"""Signing in to a team base in Chromium, at a laptop's and a phone's width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.web.browsing import (
    BROWSER,
    SHOTS,
    SIZES,
    TEAM_OWNER,
    TEAM_SECRET,
    expect,
    team_server,
)

pytestmark = BROWSER

OWNER, SECRET = TEAM_OWNER, TEAM_SECRET


def test_sign_in_wrong_then_right_then_sign_out(
    browser: Any, demo_template: Path, tmp_path: Path
) -> None:
    with team_server(demo_template, tmp_path) as (url, _db):
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height}, base_url=url)
            page = context.new_page()
            page.goto("/people")
            expect(page.locator("h1")).to_have_text("Sign in")
            expect(page.get_by_label("Email")).to_be_focused()
            page.get_by_label("Email").fill(OWNER)
            page.get_by_label("Password").fill("not my password")
            page.get_by_role("button", name="Sign in").click()
            alert = page.get_by_role("alert")
            expect(alert).to_have_text("Wrong email or password.")
            expect(alert).to_be_focused()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"sign-in-{size}.png"), full_page=True)
            page.get_by_label("Password").fill(SECRET)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{url}/people")  # back where they were going
            expect(page.locator(".who-name")).to_have_text("Ana Owner")
            page.screenshot(path=str(SHOTS / f"signed-in-{size}.png"))
            page.get_by_role("button", name="Sign out").click()
            expect(page.locator("h1")).to_have_text("Sign in")
            page.goto("/")
            expect(page).to_have_url(f"{url}/login")
            context.close()
