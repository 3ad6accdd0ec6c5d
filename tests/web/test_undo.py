"""Undo (kith.web.toasts, routes/undo.py): a touch logged on Today, a snooze and a removed
trip can be taken back from the toast; what kith did not record by hand cannot."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kith.api import Kith
from tests.web.browsing import SHOTS, Live, Tab, expect
from tests.web.conftest import Web


def _first_item(web: Web) -> tuple[int, str]:
    page = web.get("/").text
    found = re.search(r'<article class="card item" id="item-(\d+)" data-action="([a-z_]+)"', page)
    assert found is not None
    return int(found.group(1)), found.group(2)


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, f"no hidden field {name}"
    return found.group(1)


# -- the API and the routes -------------------------------------------------------------------
def test_unlog_takes_back_only_a_touch_logged_by_hand(base: Kith) -> None:
    pid = base.today(1)[0]["person"]["id"]
    before = base.show(f"#{pid}")["interactions"]
    logged = base.log(f"#{pid}", "dm", text="see you soon")
    assert logged["interactions"] == before + 1
    after = base.unlog(f"#{pid}", logged["logged"]["id"])
    assert after["interactions"] == before
    with pytest.raises(Exception, match="not one you logged here"):
        base.unlog(f"#{pid}", logged["logged"]["id"])  # twice
    imported = (
        base.engine.connect()
        .exec_driver_sql("SELECT id, person_id FROM interactions WHERE source != 'manual' LIMIT 1")
        .one()
    )
    with pytest.raises(Exception, match="not one you logged here"):
        base.unlog(f"#{imported[1]}", int(imported[0]))


def test_a_removed_trip_comes_back_as_it_was(base: Kith) -> None:
    trip = base.trip("Lisbon", "2026-12-10", "2026-12-14")
    removed = base.remove_trip(trip["id"])
    assert [t for t in base.trips() if t["city"] == trip["city"]] == []
    back = base.restore_trip(removed)
    assert (back["city"], back["from"], back["to"]) == (trip["city"], "2026-12-10", "2026-12-14")
    with pytest.raises(Exception, match="cannot be put back"):
        base.restore_trip({**removed, "to": "2026-12-01"})


def test_logging_on_today_offers_an_undo_that_takes_it_back(web: Web, base: Kith) -> None:
    pid, _ = _first_item(web)
    before = base.show(f"#{pid}")["interactions"]
    done = web.post(f"/today/{pid}/log", {"channel": "dm", "direction": "out", "shown": [pid]})
    assert done.status_code == 200
    assert 'id="toast" hx-swap-oob="innerHTML"' in done.text
    assert base.show(f"#{pid}")["interactions"] == before + 1
    fields = {"person_id": _hidden(done.text, "person_id")}
    fields["interaction_id"] = _hidden(done.text, "interaction_id")
    undone = web.post("/undo/log", fields)
    assert undone.status_code == 200
    assert undone.headers["hx-trigger"] == "kith-changed"
    assert "Took back the touch with" in undone.text
    assert base.show(f"#{pid}")["interactions"] == before
    # taken back already: one sentence, nothing else changes
    again = web.post("/undo/log", fields)
    assert again.status_code == 404
    assert base.show(f"#{pid}")["interactions"] == before


def test_a_snooze_names_the_person_and_can_be_undone(web: Web, base: Kith) -> None:
    pid, action = _first_item(web)
    name = base.show(f"#{pid}", 0)["name"]
    done = web.post(f"/today/{pid}/snooze", {"days": "7", "shown": [pid]})
    assert f"with {name} until 28 November 2026" in done.text
    assert pid not in {i["person"]["id"] for i in base.today(50) if i["action"] == action}
    undone = web.post(
        "/undo/snooze", {"person_id": _hidden(done.text, "person_id"), "action": action}
    )
    assert undone.status_code == 200
    assert f"{name} is back on Today" in undone.text
    assert base.today(1)[0]["person"]["id"] == pid


def test_undo_needs_the_csrf_token(web: Web, client: Any) -> None:
    refused = client.post("/undo/snooze", data={"person_id": "1", "action": "engage"})
    assert refused.status_code == 403


# -- in Chromium --------------------------------------------------------------------------------
def test_done_and_undo_in_the_browser(tab: Tab, live: Live) -> None:
    page = tab.page
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/")
        first = page.locator("article.item").first
        name = first.locator(".item-who").inner_text()
        count = page.locator("article.item").count()
        before = live.base.show(name)["interactions"]
        first.get_by_role("button", name="Log it").click()
        note = page.locator(".done").first
        expect(note).to_contain_text(f"Logged a dm with {name}.")
        expect(note).to_be_focused()
        toast = page.locator("#toast .toast")
        expect(toast).to_be_visible()
        expect(toast).to_be_in_viewport()
        expect(page.locator("article.item")).to_have_count(count)  # the next joined at the end
        page.screenshot(path=str(_shot(f"today-done-{width}")))
        toast.get_by_role("button", name="Undo").click()
        expect(page.locator("#toast")).to_contain_text(f"Took back the touch with {name}.")
        expect(page.locator(".done")).to_have_count(0)  # the list was read again
        assert live.base.show(name)["interactions"] == before
        expect(page.locator("article.item").first.locator(".item-who")).to_have_text(name)


def test_the_toast_goes_by_itself_but_not_while_focused(tab: Tab) -> None:
    page = tab.page
    page.goto("/")
    page.locator("article.item").first.get_by_role("button", name="Snooze 7 days").click()
    undo = page.locator("#toast").get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    # every swap of the snooze done (on a loaded machine a late one could replace the toast
    # under the focus)
    page.wait_for_load_state("networkidle")
    undo.focus()
    page.wait_for_timeout(10_500)
    expect(undo).to_be_visible()  # kept while the keyboard is on it
    undo.click()
    expect(page.locator("#toast")).to_contain_text("is back on Today")
    page.locator("h1").click()
    # it goes 10 s after the keyboard has left it; a slow machine may take longer to get there
    expect(page.locator("#toast .toast")).to_have_count(0, timeout=20_000)


def test_remove_a_trip_and_undo(tab: Tab, live: Live) -> None:
    page = tab.page
    live.base.trip("Porto", "2026-12-20", "2026-12-22")
    page.goto("/plans")
    row = page.locator("#trips tbody tr", has_text="Porto")
    row.get_by_role("button", name=re.compile("Remove the trip to Porto")).click()
    expect(page.locator("#trips tbody tr", has_text="Porto")).to_have_count(0)
    expect(page.locator("#toast")).to_contain_text("Removed the trip to Porto")
    page.locator("#toast").get_by_role("button", name="Undo").click()
    expect(page.locator("#toast")).to_contain_text("The trip to Porto")
    expect(page.locator("#trips tbody tr", has_text="Porto")).to_have_count(1)
    assert len([t for t in live.base.trips() if t["city"].startswith("Porto")]) == 1


def _shot(name: str) -> Any:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
