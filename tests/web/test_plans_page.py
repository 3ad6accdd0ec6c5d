"""Gatherings that fit reality: before a gathering is planned its guests are listed with
their city, distance from the venue and stage, and the far and the not-yet-acquainted start
unticked."""

from __future__ import annotations

import re

import pytest

from kith.api import Kith
from kith.errors import KithError
from tests.web.browsing import BROWSER, SHOTS, Live, Tab, expect
from tests.web.conftest import Web

FORM = {"title": "Community drinks", "at": "2026-12-12T19:00", "where": "Bar Lumen"}


def _crew(base: Kith) -> dict[str, int]:
    """Three people tagged crew: one near Chicago whom the user talks with, one in Sydney
    whom they talk with, one in Chicago they have never talked with."""
    ids = {}
    places = (
        ("Near Talker", "Evanston, IL"),
        ("Far Talker", "Sydney, AU"),
        ("Near Quiet", "Chicago, IL"),
    )
    for name, city in places:
        ids[name] = base.add(name, city=city, tags=["drinks"])["id"]
    for name in ("Near Talker", "Far Talker"):
        base.log(f"#{ids[name]}", "dm", direction="out", text="hi there, how are you?")
        base.log(f"#{ids[name]}", "dm", direction="in", text="great, thanks for asking!")
    return ids


def test_candidates_flag_the_far_and_the_not_yet_acquainted(base: Kith) -> None:
    ids = _crew(base)
    found = base.guest_candidates(tag="drinks", city="Chicago, IL")
    assert found["venue"].startswith("Chicago")
    by_name = {g["name"]: g for g in found["guests"]}
    assert set(by_name) == set(ids)
    near, far, quiet = by_name["Near Talker"], by_name["Far Talker"], by_name["Near Quiet"]
    assert near["suggested"]
    assert near["flags"] == []
    assert near["distance_km"] < 30
    assert not far["suggested"]
    assert far["distance_km"] > 10_000
    assert any("km away" in flag for flag in far["flags"])
    assert not quiet["suggested"]
    assert quiet["stage"] == "noticed"
    assert quiet["flags"] == ["you have not talked yet"]
    with pytest.raises(KithError):
        base.guest_candidates(tag="drinks", city="Nowhereville Zzyzx")


def test_the_web_form_lists_the_guests_before_planning(web: Web, base: Kith) -> None:
    ids = _crew(base)
    shown = web.post("/plans/gatherings/guests", {**FORM, "tag": "drinks", "city": "Chicago, IL"})
    assert shown.status_code == 200
    boxes = dict(re.findall(r'name="guest" value="(\d+)"( checked)?', shown.text))
    assert boxes == {
        str(ids["Near Talker"]): " checked",
        str(ids["Far Talker"]): "",
        str(ids["Near Quiet"]): "",
    }
    assert "2 of them live far from the venue or have not talked with you yet" in shown.text
    planned = web.post(
        "/plans/gatherings",
        {**FORM, "tag": "drinks", "chosen": "true", "guest": [ids["Near Talker"]]},
    )
    assert planned.status_code == 200
    assert "planned with 1 guest." in planned.text
    gathering = next(g for g in base.gatherings() if g["title"] == FORM["title"])
    assert [g["person"]["id"] for g in gathering["guests"]] == [ids["Near Talker"]]
    assert gathering["guests"][0]["city"].startswith("Evanston")
    assert gathering["guests"][0]["stage"] == "conversing"
    none_ticked = web.post("/plans/gatherings", {**FORM, "tag": "drinks", "chosen": "true"})
    assert none_ticked.status_code == 422
    assert "Tick at least one guest." in none_ticked.text
    assert len([g for g in base.gatherings() if g["title"] == FORM["title"]]) == 1


@BROWSER[0]
@BROWSER[1]
@pytest.mark.parametrize("width", [1280, 390])
def test_choose_the_guests_in_the_browser(tab: Tab, live: Live, width: int) -> None:
    if width == 1280:
        _crew(live.base)
    page = tab.page
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/plans")
    if not page.locator("details.plan").evaluate("details => details.open"):
        page.get_by_text("Plan a gathering").click()
    form = page.locator("#gathering-form")
    form.locator("input[name=title]").fill(f"Drinks at {width}")
    form.locator("input[name=at]").fill("2026-12-12T19:00")
    form.locator("input[name=where]").fill("Bar Lumen")
    form.locator("input[name=city]").fill("Chicago, IL")
    form.locator("input[name=tag]").fill("drinks")
    form.get_by_role("button", name="Choose the guests").click()
    picks = page.locator("#gathering-form .guest-picks li")
    expect(picks).to_have_count(3)
    expect(page.locator("#gathering-form .guest-picks input:checked")).to_have_count(1)
    expect(picks.filter(has_text="Far Talker")).to_contain_text("km away")
    expect(picks.filter(has_text="Near Quiet")).to_contain_text("in the venue's city")
    expect(picks.filter(has_text="Near Talker")).to_contain_text("22 km away")
    page.locator(".guest-choice").scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"plans-guests-{width}.png"))
    form.get_by_role("button", name="Plan it and write the invitations").click()
    expect(page.locator("#gatherings .flash.ok")).to_contain_text(
        f"“Drinks at {width}” planned with 1 guest."
    )
    card = page.locator("article.gathering", has_text=f"Drinks at {width}")
    card.get_by_text("Guests and their invitations").click()
    expect(card.locator(".guest").first).to_contain_text("Evanston")
