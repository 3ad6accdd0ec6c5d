"""A teammate's person page in Chromium, at a laptop's and a phone's width (docs/team.md,
"Privacy"): Ben sees that Ana knows the person, not the words of her messages nor her private
fact; Ana sees both on her own page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from kith.api import Kith
from tests.web.browsing import BROWSER, SHOTS, SIZES, TEAM_OWNER, TEAM_SECRET, expect, team_server
from tests.web.conftest import NOW, clock

pytestmark = BROWSER

BEN, BEN_SECRET = "ben@example.org", "ben's long password"
HER_WORDS = "Embargoed until Thursday: the plant closes"
HER_SECRET = "going through a divorce"


def _signed_in(browser: Any, url: str, size: str, email: str, password: str) -> tuple[Any, Any]:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".who-name")).to_be_visible()
    return context, page


#: the contrast of an element's text with its card's background (WCAG's formula)
CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => v / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const card = el.closest(".card");
  const [a, b] = [lum(rgb(getComputedStyle(el).color)),
                  lum(rgb(getComputedStyle(card).backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_a_teammate_sees_who_knows_them_not_what_was_said(
    browser: Any, demo_template: Path, tmp_path: Path
) -> None:
    with team_server(demo_template, tmp_path) as (url, db):
        ana = Kith(db, clock_fn=clock, member=TEAM_OWNER)
        ana.team_add(BEN, "Ben Teammate", "member", BEN_SECRET)
        pid = ana.add("Rita Reporter", handles=["x:rita_reports"])["id"]
        ana.log(f"#{pid}", "dm", "out", at=NOW - timedelta(days=2), text=HER_WORDS)
        ana.log(f"#{pid}", "dm", "in", at=NOW - timedelta(days=1), text="Understood, thanks")
        ana.remember(f"#{pid}", HER_SECRET, private=True)
        ana.remember(f"#{pid}", "covers the regional economy")
        ana.close()
        SHOTS.mkdir(parents=True, exist_ok=True)
        for size in SIZES:
            context, page = _signed_in(browser, url, size, BEN, BEN_SECRET)
            page.goto(f"/people/{pid}")
            expect(page.locator("h1")).to_contain_text("Rita Reporter")
            # the name reads on its card (the signed-in header's styles once made it white)
            assert page.locator("#person-h").evaluate(CONTRAST) >= 4.5
            card = page.locator("#who-knows")
            expect(card).to_contain_text("Who on the team knows them")
            expect(card.locator("li")).to_have_count(1)
            expect(card).to_contain_text("Ana Owner")
            expect(page.locator("main")).to_contain_text("covers the regional economy")
            body = page.locator("body").inner_text()
            assert HER_WORDS not in body
            assert HER_SECRET not in body
            assert "Understood, thanks" not in body
            page.screenshot(path=str(SHOTS / f"teammate-person-{size}.png"), full_page=True)
            context.close()

            context, page = _signed_in(browser, url, size, TEAM_OWNER, TEAM_SECRET)
            page.goto(f"/people/{pid}")
            main = page.locator("main")
            expect(main).to_contain_text(HER_WORDS)
            expect(main).to_contain_text(HER_SECRET)
            expect(page.locator("#who-knows")).to_contain_text("Ana Owner (you)")
            context.close()
