"""The Team page in Chromium, at a laptop's and a phone's width: an owner finds it in the
header, invites someone, and the join link shown works in another browser."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kith.api import Kith
from kith.store.database import sqlite_url
from kith.web.app import create_app
from tests.web.browsing import BROWSER, SHOTS, SIZES, expect, running
from tests.web.conftest import UPLOAD_LIMIT, clock

pytestmark = BROWSER

OWNER, SECRET = "ana@example.org", "correct horse battery"
#: the screenshots' names: the width in pixels
WIDTHS = {size: width for size, (width, _height) in SIZES.items()}


def _page(browser: Any, url: str, width: int, height: int) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def test_an_owner_invites_someone_and_the_join_link_works(
    browser: Any, demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "team.sqlite"
    shutil.copyfile(demo_template, path)
    base = Kith(sqlite_url(path), clock_fn=clock, pooled=True)
    base.team_init(OWNER, "Ana Owner", SECRET)
    with Kith(sqlite_url(path), clock_fn=clock, member=OWNER) as owner:
        owner.team_add("ben@example.org", "Ben Viewer", "viewer", "another long password")
    app = create_app(base, max_upload_bytes=UPLOAD_LIMIT, warm=False)
    try:
        with running(app) as url:
            for size, (width, height) in SIZES.items():
                context, page, errors = _page(browser, url, width, height)
                page.goto("/login")
                page.get_by_label("Email").fill(OWNER)
                page.get_by_label("Password").fill(SECRET)
                page.get_by_role("button", name="Sign in").click()
                expect(page.locator(".who-name")).to_have_text("Ana Owner")
                page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
                expect(page).to_have_url(f"{url}/team")
                expect(page.locator("h1")).to_have_text("Team")
                members = page.locator("table.team-members tbody tr")
                expect(members).to_have_count(2 if size == "laptop" else 3)
                expect(page.get_by_label("Role of Ben Viewer")).to_have_value("viewer")

                invited = f"cleo-{size}@example.org"
                form = page.locator("form[action='/team/invite']")
                form.get_by_label("Email").fill(invited)
                form.get_by_label("Role").select_option("member")
                page.get_by_role("button", name="Make a join link").click()
                link = page.locator("#join-link")
                expect(link).to_contain_text(f"{url}/join/")
                expect(page.get_by_role("status").first).to_contain_text(
                    f"Send this link to {invited} (member)"
                )
                expect(page.get_by_text(invited, exact=True).first).to_be_visible()
                # nothing on the page is wider than the screen
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"{size}: the page is {wide}px wide"
                SHOTS.mkdir(parents=True, exist_ok=True)
                shot = SHOTS / f"team-{WIDTHS[size]}.png"
                page.screenshot(path=str(shot), full_page=True)
                joining = link.inner_text().strip()
                assert errors == []
                context.close()

                # the link, opened by the one invited, in a browser of their own
                context, page, errors = _page(browser, url, width, height)
                page.goto(joining)
                expect(page.locator("h1")).to_have_text("Join the team")
                page.get_by_label("Your name").fill("Cleo New")
                page.get_by_label("Password", exact=True).fill("cleo's long secret")
                page.get_by_label("The same password again").fill("cleo's long secret")
                page.get_by_role("button", name="Join").click()
                expect(page.locator(".who-name")).to_have_text("Cleo New")
                # a member: no Team link in the header, and the page reads only
                expect(page.get_by_role("link", name="Team")).to_have_count(0)
                page.goto("/team")
                expect(page.get_by_text("Only an owner can change the team")).to_be_visible()
                expect(page.get_by_role("button", name="Make a join link")).to_have_count(0)
                assert errors == []
                context.close()
    finally:
        base.close()
