"""The Team page in Chromium, at a laptop's and a phone's width: an owner finds it in the
header, invites someone, and the join link shown works in another browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kith.api import Kith
from tests.web.browsing import (
    BROWSER,
    SHOTS,
    SIZES,
    TEAM_OWNER,
    TEAM_SECRET,
    expect,
    team_server,
)
from tests.web.conftest import clock

pytestmark = BROWSER

OWNER, SECRET = TEAM_OWNER, TEAM_SECRET
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
    with team_server(demo_template, tmp_path) as (url, db):
        with Kith(db, clock_fn=clock, member=OWNER) as owner:
            owner.team_add("ben@example.org", "Ben Viewer", "viewer", "another long password")
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
