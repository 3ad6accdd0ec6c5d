"""The web UI in a real browser: Playwright drives Debian's Chromium (headless) against a
real server (uvicorn in a thread) over the demo base, with the clock fixed.

One server and one browser for the whole session; each test has its own browser context
(its own session cookie) and fails on any console error. Screenshots of every page at a
laptop and a phone width go to artifacts/screenshots/ (CI keeps that folder).
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.web.browsing import BROWSER, Live, Tab, expect
from tests.web.conftest import FIXTURES, HOSTILE_NAME, HOSTILE_TEXT, NOW, UPLOAD_LIMIT

pytestmark = BROWSER


def test_load_the_demo_and_work_through_todays_first_item(tab: Tab, live: Live) -> None:
    page = tab.page
    page.goto("/")
    expect(page.locator(".banner")).to_contain_text("Demo network")
    expect(page.locator("h1")).to_have_text("Today, 21 November 2026")
    tab.shoot("today")
    items = page.locator("article.item")
    count = items.count()
    assert count >= 2
    first = items.first
    name = first.locator(".item-who").inner_text()
    first_id = first.get_attribute("id")
    tab.mark()
    first.locator("input[name=text]").fill("Good luck tomorrow!")
    first.get_by_role("button", name="Log it").click()
    expect(page.locator(".done").first).to_contain_text(f"Logged a dm with {name}.")
    expect(page.locator(f"#{first_id}")).to_have_count(0)
    expect(page.locator("article.item")).to_have_count(count)  # the next item took its place
    assert tab.still_same_page()
    person = live.base.show(name)
    assert person["recent"][0]["text"] == "Good luck tomorrow!"
    # snooze the next one, still in place
    second = page.locator("article.item").first
    second.get_by_role("button", name="Snooze 7 days").click()
    expect(page.locator(".done").nth(1)).to_contain_text("until 28 November 2026")
    assert tab.still_same_page()


def test_open_a_person_and_log_a_meeting_to_see_the_stage_change(tab: Tab) -> None:
    page = tab.page
    page.goto("/people")
    tab.shoot("people")
    tab.mark()
    page.locator("#q").fill("Nadia")
    expect(page.locator("#people-count")).to_contain_text("matching")
    assert tab.still_same_page()  # the list was filtered in place
    assert "q=Nadia" in page.url
    page.get_by_role("link", name="Nadia Weber").click()
    expect(page.locator(".person-name")).to_have_text("Nadia Weber")
    expect(page.locator(".stage-path li.current .stage-name")).to_have_text("in conversation")
    tab.shoot("person")
    tab.mark()
    page.locator(".action-bar").get_by_role("button", name="Log a touch").click()
    form = page.locator("#person-log")
    form.locator("select[name=channel]").select_option("meeting")
    form.locator("input[name=minutes]").fill("90")
    form.locator("textarea[name=text]").fill("Coffee at Lumen")
    form.get_by_role("button", name="Log it").click()
    note = page.locator("#panel-log .person-done")
    expect(note).to_contain_text("Stage: in conversation → met in person.")
    expect(note).to_be_focused()
    expect(note).to_be_in_viewport()
    expect(page.locator(".stage-path li.current .stage-name")).to_have_text("met in person")
    expect(page.locator(".touches tbody tr").first).to_contain_text("Coffee at Lumen")
    assert tab.still_same_page()


def test_people_list_pages_and_filters(tab: Tab, live: Live) -> None:
    page = tab.page
    page.goto("/people")
    total = live.base.count_people()
    expect(page.locator("#people-count")).to_have_text(f"1–50 of {total:,} people")
    page.get_by_role("link", name="Next ›").click()
    expect(page.locator("#people-count")).to_have_text(f"51–100 of {total:,} people")
    assert "page=2" in page.url
    page.wait_for_load_state("networkidle")  # the new page's controls are live
    page.locator("select[name=stage]").select_option("conversing")
    expect(page.locator("#people-count")).to_contain_text("matching", timeout=15_000)
    stages = page.locator("table.people td[data-label=Stage]").all_inner_texts()
    assert stages
    assert set(stages) == {"in conversation"}  # the stage in words


def test_import_a_fixture_file_with_progress_and_summary(tab: Tab, live: Live) -> None:
    page = tab.page
    page.goto("/import")
    vcard = FIXTURES / "vcard" / "rfc6350_style_v4.vcf"
    page.locator("select[name=source]").select_option("vcard")
    page.locator("input[type=file]").set_input_files(str(vcard))
    tab.mark()
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-job")).to_contain_text(f"Imported {vcard.name} (vcard)")
    assert tab.still_same_page()
    assert live.base.person_id("Grace Hopper")
    tab.shoot("import")


def test_a_file_that_is_not_an_export_fails_in_one_sentence(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    page.goto("/import")
    junk = tmp_path / "archive.zip"
    junk.write_bytes(b"not a zip at all")
    page.locator("select[name=source]").select_option("x")
    page.locator("input[type=file]").set_input_files(str(junk))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-job .error-text")).to_contain_text("archive.zip")
    expect(page.locator("#import-job")).to_contain_text("Nothing was imported.")


def test_an_oversized_upload_is_refused_with_a_message(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    page.goto("/import")
    big = tmp_path / "big.vcf"
    big.write_bytes(b"x" * (UPLOAD_LIMIT + 50_000))
    page.locator("select[name=source]").select_option("vcard")
    page.locator("input[type=file]").set_input_files(str(big))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-form .form-error")).to_contain_text(
        "larger than the upload limit of 0.25 MB"
    )
    # the server refuses it too, when a client sends it anyway
    response = page.request.post(
        "/import",
        multipart={
            "source": "vcard",
            "file": {"name": "big.vcf", "mimeType": "text/vcard", "buffer": big.read_bytes()},
        },
        headers={"X-CSRF-Token": tab.token()},
    )
    assert response.status == 413
    assert "larger than the upload limit" in response.text()


def test_a_hostile_name_renders_as_text(tab: Tab, live: Live) -> None:
    page = tab.page
    page.goto("/people?tag=crew")
    expect(page.get_by_text(HOSTILE_NAME, exact=True)).to_be_visible()
    page.get_by_text(HOSTILE_NAME, exact=True).click()
    expect(page.locator(".person-name")).to_have_text(HOSTILE_NAME)
    expect(page.get_by_text(HOSTILE_TEXT)).to_be_visible()
    assert page.locator("main script, main img").count() == 0
    assert tab.dialogs == []


def test_a_post_without_the_csrf_token_is_refused(tab: Tab, live: Live) -> None:
    page = tab.page
    page.goto("/")
    pid = live.base.person_id("Nadia Weber")
    before = len(live.base.show(f"#{pid}")["facts"])
    missing = page.request.post(f"/people/{pid}/facts", form={"text": "forged"})
    wrong = page.request.post(
        f"/people/{pid}/facts", form={"text": "forged", "csrf_token": "0" * 64}
    )
    foreign = page.request.post(
        f"/people/{pid}/facts",
        form={"text": "forged"},
        headers={"X-CSRF-Token": tab.token(), "Origin": "http://evil.example"},
    )
    for response in (missing, wrong, foreign):
        assert response.status == 403
        assert "security token" in response.text()
    assert len(live.base.show(f"#{pid}")["facts"]) == before


def test_plans_gathering_invitations_and_rsvp(tab: Tab) -> None:
    page = tab.page
    page.goto("/plans")
    expect(page.locator("#trips")).to_contain_text("New York City, NY, US")
    if not page.locator("details.plan").evaluate("details => details.open"):
        page.get_by_text("Plan a gathering").click()
    form = page.locator("#gathering-form")
    form.locator("input[name=title]").fill("Send-off for Ana")
    form.locator("input[name=at]").fill("2026-12-12T19:00")
    form.locator("input[name=where]").fill("Bar Lumen")
    form.locator("input[name=tag]").fill("crew")
    tab.mark()
    form.get_by_role("button", name="Choose the guests").click()
    picks = page.locator("#gathering-form .guest-picks li")
    expect(picks.first).to_be_visible()
    for box in page.locator("#gathering-form .guest-picks input[type=checkbox]").all():
        box.check()
    invited = picks.count()
    page.locator("#gathering-form").get_by_role(
        "button", name="Plan it and write the invitations"
    ).click()
    expect(page.locator(".flash.ok")).to_contain_text(
        f"“Send-off for Ana” planned with {invited} guest"
    )
    card = page.locator("article.gathering", has_text="Send-off for Ana")
    expect(card.locator(".guest").first).to_contain_text("“")
    card.locator(".guest").first.get_by_role("button", name="yes").click()
    expect(page.locator("article.gathering", has_text="Send-off for Ana")).to_contain_text("1 yes")
    assert tab.still_same_page()
    tab.shoot("plans")


def test_report_shows_its_charts(tab: Tab) -> None:
    page = tab.page
    page.goto("/report")
    charts = page.locator("figure.report-chart img")
    expect(charts).to_have_count(3)
    deadline = time.monotonic() + 20
    while not charts.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)"):
        assert time.monotonic() < deadline, "the charts did not load"
        page.wait_for_timeout(100)
    expect(page.locator(".headline")).to_contain_text("People")
    for width, smallest, largest in ((1280, 12, 17), (390, 11.5, 13)):
        page.set_viewport_size({"width": width, "height": 844})
        page.wait_for_timeout(100)
        # each chart's text is 14 units of its 400-unit viewBox: its size on screen
        label_px = charts.evaluate_all(
            "imgs => imgs.map(i => i.getBoundingClientRect().width / 400 * 14)"
        )
        assert all(smallest <= px <= largest for px in label_px), (width, label_px)
        assert _sideways(page) == 0
    # the numbers of each chart, one click away, in a real table
    funnel = page.locator("#chart-funnel")
    funnel.get_by_text("The numbers").click()
    expect(funnel.locator("table tbody tr")).to_have_count(8)
    expect(funnel.locator("table tbody tr").first).to_contain_text("noticed")
    page.set_viewport_size({"width": 1280, "height": 800})
    tab.shoot("report")


def _sideways(page: Any) -> int:
    """How far the page scrolls sideways, in pixels."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_a_person_during_a_back_off_and_while_slowing_down(tab: Tab, live: Live) -> None:
    """One next step, at a laptop and a phone width: during a back-off the ask card offers
    no ask; while the pace is too fast its warning leads and no ask shows as ready."""
    page = tab.page
    base = live.base
    bea = f"#{base.add('Bea Backoff', handles=['x:bea_backoff'])['id']}"
    for n in range(8):  # she wrote back every week for two months
        at = NOW - timedelta(days=7 * (10 - n))
        base.log(bea, "dm", "in", at, f"news {n}")
        base.log(bea, "dm", "out", at + timedelta(hours=1), f"answer {n}")
    base.invite(bea, "coffee")
    base.respond(bea, "negative")
    page.goto(f"/people/{bea[1:]}")
    ask = page.locator("section[aria-labelledby=ask-h]")
    expect(ask).to_contain_text("kith is backing off: asking again makes sense from 2027-02-19.")
    expect(ask.locator("select, button")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=asks-h]")).to_contain_text("coffee: said no")
    expect(page.locator(".next-step")).to_contain_text("ask again from 2027-02-19")
    tab.shoot("person-backoff")

    sami = base.person_id("Sami García")
    pace = base.show(f"#{sami}")["pace"]
    page.goto(f"/people/{sami}")
    lead = page.locator(".next-step p").first
    expect(lead).to_have_class("warn")
    expect(lead).to_contain_text(f"Slow down: {pace}")
    expect(page.locator(".next-step")).not_to_contain_text("Suggest meeting")
    expect(page.locator(".person-head .pill.ok")).to_have_count(0)  # no "ready to meet"
    expect(page.locator("select[name=kind] option", has_text="suggested")).to_have_count(0)
    tab.shoot("person-slow-down")

    page.set_viewport_size({"width": 390, "height": 844})
    for person in (bea[1:], sami):
        page.goto(f"/people/{person}")
        assert _sideways(page) <= 0, f"/people/{person} scrolls sideways at 390px"
        expect(page.locator(".next-step")).to_be_in_viewport()


def test_pages_at_phone_width_have_no_sideways_scroll(tab: Tab, live: Live) -> None:
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 844})
    pid = live.base.person_id("Nadia Weber")
    for path in ["/", "/people", f"/people/{pid}", "/plans", "/import"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
        expect(page.locator("nav.nav a[href='/report']")).to_be_attached()
