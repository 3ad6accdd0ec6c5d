"""The person page in Chromium, at a laptop and a phone width: the next step and the action
bar on the first screen, each form opening in place and answering next to itself (focused,
in view, the page still), the toast's Undo, plain words with their explanations, editing
every field (an ambiguous city as a choice, a full circle's message), forgetting after a
confirmation, and copying the suggested wording.

The live base is shared by the whole session: each test makes its own people (and forgets
the helpers it adds), so that the other browser tests see the demo network as it was.
Screenshots go to artifacts/screenshots/person-*.png.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from kith.api import Kith
from tests.web.browsing import BROWSER, SHOTS, Live, Tab, expect
from tests.web.conftest import NOW

pytestmark = BROWSER

SIZES = {"laptop": (1280, 800), "phone": (390, 844)}
RAW_WORDS = re.compile(r"\b(positive|neutral|negative|pending|engaging|voice(?! call))\b")


def shot(page: Any, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def written_back(base: Kith, name: str, weeks: int = 8, **fields: Any) -> int:
    """Someone who has written back every week for two months: in conversation, ready for a
    real-life ask."""
    pid = int(base.add(name, **fields)["id"])
    for n in range(weeks):
        at = NOW - timedelta(days=7 * (weeks + 2 - n))
        base.log(f"#{pid}", "dm", "in", at, f"news {n}")
        base.log(f"#{pid}", "dm", "out", at + timedelta(hours=1), f"answer {n}")
    return pid


def met_friend(base: Kith, name: str) -> int:
    """Someone in circle 1 who lives in your city (Chicago), met in person a fortnight ago."""
    pid = written_back(base, name, city="Chicago", circle=1)
    base.log(f"#{pid}", "meeting", "both", NOW - timedelta(days=14), "lunch", 90)
    return pid


def refused(tab: Tab) -> None:
    """A refusal the test asked for (a 422 answer) is not a console error."""
    tab.errors[:] = [e for e in tab.errors if "status of 422" not in e]


@pytest.fixture
def made(live: Live) -> Iterator[list[int]]:
    """People a test adds; forgotten afterwards."""
    ids: list[int] = []
    yield ids
    for pid in ids:
        with contextlib.suppress(Exception):  # forgotten by the test itself
            live.base.forget(f"#{pid}")


def header_bottom(page: Any) -> float:
    return float(
        page.evaluate("document.querySelector('header.top').getBoundingClientRect().bottom")
    )


def assert_shown_and_focused(page: Any, locator: Any) -> None:
    """In the viewport, under the sticky header, with the keyboard focus on it."""
    expect(locator).to_be_visible()
    expect(locator).to_be_focused()
    expect(locator).to_be_in_viewport()
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box["y"] >= header_bottom(page) - 1, box
    assert box["y"] + box["height"] <= height, box


def sideways(page: Any) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


# -- the first screen ---------------------------------------------------------------------------
def test_on_a_phone_the_next_step_and_the_action_bar_are_on_the_first_screen(
    tab: Tab, live: Live, made: list[int]
) -> None:
    page = tab.page
    made.append(met_friend(live.base, "Sol Costa"))
    wordy = [i["person"]["id"] for i in live.base.today(20) if i["details"].get("phrasing")]
    people = [*wordy[:3], made[0]]
    for width, height in SIZES.values():
        page.set_viewport_size({"width": width, "height": height})
        for pid in people:
            page.goto(f"/people/{pid}")
            for part in (".next-step", ".action-bar"):
                box = page.locator(part).bounding_box()
                assert box["y"] + box["height"] <= height, (pid, width, part, box)
            assert sideways(page) <= 0, (pid, width)
    page.goto(f"/people/{people[0]}")
    shot(page, "person-first-screen-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "person-first-screen-laptop")
    tab.shoot(f"person-{people[0]}")
    page.goto(f"/people/{made[0]}")
    tab.shoot("person-friend")


def test_the_page_leads_with_the_human_in_plain_words(
    tab: Tab, live: Live, made: list[int]
) -> None:
    page = tab.page
    made.append(met_friend(live.base, "Sam Costa"))
    page.goto(f"/people/{made[0]}")
    head = page.locator(".person-head")
    expect(head.locator(".avatar")).to_have_text("SC")
    expect(head.locator(".where")).to_have_text("Chicago, IL, US · lives in your city")
    expect(head.locator(".term.stage")).to_contain_text("met in person")
    expect(head.locator(".pill-circle")).to_contain_text("circle 1: your closest (about 5 people)")
    # each term explains itself on a tap, and goes on Escape
    head.locator(".pill-circle").click()
    hint = page.locator("#hint-circle")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("at most 5 people, a touch every 7 days")
    shot(page, "person-explained-laptop")
    page.keyboard.press("Escape")
    expect(hint).to_be_hidden()
    # the numbers are folded, in words, each with what it means
    metrics = page.locator("details.metrics")
    expect(metrics.get_by_role("heading", name="Tie strength")).to_be_hidden()
    metrics.locator("summary").click()
    expect(metrics).to_contain_text(re.compile(r"of 1: (still weak|growing|strong)"))
    expect(metrics).to_contain_text("You have already met in person")
    expect(metrics).to_contain_text("Their touches divided by yours")
    text = page.locator("main").inner_text()
    assert "0 km" not in text
    assert "kith respond" not in text
    assert "kith log" not in text
    assert not RAW_WORDS.search(text), RAW_WORDS.search(text)

    # someone with only likes: no two-way contact yet, and what counts as one
    liker = next(
        r["id"]
        for r in live.base.people(limit=300)
        if r["stage"] == "noticed" and live.base.show(f"#{r['id']}", 0)["interactions"]
    )
    page.goto(f"/people/{liker}")
    line = page.locator(".contact-line")
    expect(line).to_contain_text("Last contact: no two-way contact yet")
    line.get_by_role("button", name=re.compile("what counts")).click()
    expect(page.locator("#hint-two-way")).to_contain_text("Likes and follows are not contact")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#hint-two-way")).to_be_in_viewport()
    assert sideways(page) <= 0
    shot(page, "person-explained-phone")


# -- log, and undo ------------------------------------------------------------------------------
@pytest.mark.parametrize("size", list(SIZES))
def test_log_a_touch_the_note_is_next_to_the_form_and_undo_takes_it_back(
    tab: Tab, live: Live, made: list[int], size: str
) -> None:
    page = tab.page
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    pid = written_back(live.base, f"Lou Logger {size}")
    made.append(pid)
    page.goto(f"/people/{pid}")
    expect(page.locator(".person-head .term.stage")).to_contain_text("in conversation")
    tab.mark()
    bar = page.locator(".action-bar")
    bar.get_by_role("button", name="Log a touch").click()
    form = page.locator("#person-log")
    expect(form).to_be_visible()
    expect(page.locator("#person-fact")).to_be_hidden()
    form.locator("select[name=channel]").select_option("meeting")
    form.locator("input[name=minutes]").fill("90")
    form.locator("textarea[name=text]").fill("Coffee at Lumen")
    form.get_by_role("button", name="Log it").click()
    note = page.locator("#panel-log .person-done")
    expect(note).to_contain_text(
        "Logged a touch: meeting in person. Stage: in conversation → met in person."
    )
    assert_shown_and_focused(page, note)
    assert tab.still_same_page()
    expect(page.locator(".person-head .term.stage")).to_contain_text("met in person")
    expect(page.locator(".touches tbody tr").first).to_contain_text("Coffee at Lumen")
    toast = page.locator("#toast .toast")
    expect(toast.locator(".toast-text")).to_have_text(
        f"Logged a touch with Lou Logger {size}: meeting in person."
    )
    expect(toast).to_be_in_viewport()
    shot(page, f"person-logged-{size}")
    assert live.base.show(f"#{pid}", 1)["stage"] == "met"

    toast.get_by_role("button", name="Undo").click()
    expect(page.locator("#toast")).to_contain_text(f"Took back the touch with Lou Logger {size}.")
    # the page read itself again: the touch and its stage are gone
    expect(page.locator(".touches tbody tr").first).not_to_contain_text("Coffee at Lumen")
    expect(page.locator(".person-head .term.stage")).to_contain_text("in conversation")
    expect(page.locator(".person-done")).to_have_count(0)
    assert live.base.show(f"#{pid}", 1)["stage"] == "conversing"
    assert tab.still_same_page()

    # "log another" opens the form again; a time in the future is refused in one sentence
    bar.get_by_role("button", name="Log a touch").click()
    form.locator("input[name=at]").fill("2027-01-05T10:00")
    form.get_by_role("button", name="Log it").click()
    expect(form.locator(".form-error")).to_have_text(
        "That time is in the future; log a touch once it has happened, or record the agreed "
        "time with their answer."
    )
    refused(tab)


def test_remember_a_fact_in_place(tab: Tab, live: Live, made: list[int]) -> None:
    page = tab.page
    pid = int(live.base.add("Rita Remember")["id"])
    made.append(pid)
    page.goto(f"/people/{pid}")
    tab.mark()
    page.locator(".action-bar").get_by_role("button", name="Remember").click()
    form = page.locator("#person-fact")
    form.locator("input[name=text]").fill("runs a half marathon")
    form.locator("input[name=on]").fill("2026-12-06")
    form.get_by_role("button", name="Remember").click()
    note = page.locator("#panel-fact .person-done")
    expect(note).to_have_text("✓ Remembered: “runs a half marathon” on 6 December 2026.")
    assert_shown_and_focused(page, note)
    expect(form).to_be_hidden()
    expect(page.locator("section[aria-labelledby=facts-h]")).to_contain_text(
        "6 December 2026 runs a half marathon"
    )
    assert tab.still_same_page()
    page.get_by_role("button", name="Remember something else").click()
    expect(form).to_be_visible()
    expect(form.locator("input[name=text]")).to_be_focused()
    expect(form.locator("input[name=text]")).to_have_value("")


def test_ask_to_meet_and_record_the_answer_in_words(tab: Tab, live: Live, made: list[int]) -> None:
    page = tab.page
    pid = written_back(live.base, "Aki Asker", city="Chicago")
    made.append(pid)
    page.goto(f"/people/{pid}")
    page.locator(".action-bar").get_by_role("button", name="Ask to meet").click()
    panel = page.locator("#panel-ask")
    expect(panel.locator("select[name=kind] option").first).to_have_text("a coffee (suggested)")
    panel.get_by_role("button", name="Record the ask").click()
    note = panel.locator(".person-done")
    expect(note).to_contain_text("Recorded your ask for a coffee; record their answer")
    assert_shown_and_focused(page, note)
    expect(panel).to_contain_text("You asked for a coffee on 2026-11-21; no answer yet.")
    expect(page.locator("section[aria-labelledby=asks-h]")).to_contain_text(
        "a coffee: waiting for an answer"
    )
    panel.get_by_role("button", name="Maybe later").click()
    expect(panel.locator(".person-done")).to_have_text("✓ Recorded their answer: maybe later.")
    expect(page.locator("section[aria-labelledby=asks-h]")).to_contain_text(
        "a coffee: said maybe later"
    )
    shot(page, "person-asked-laptop")
    text = page.locator("main").inner_text()
    assert not RAW_WORDS.search(text), RAW_WORDS.search(text)
    assert live.base.show(f"#{pid}", 0)["invites"][-1]["response"] == "neutral"


# -- edit and forget ------------------------------------------------------------------------------
def test_edit_name_city_tags_circle_and_pause(tab: Tab, live: Live, made: list[int]) -> None:
    page = tab.page
    base = live.base
    pid = int(base.add("Eddie Edit", city="Chicago", tags=["test-edit"])["id"])
    made.append(pid)
    page.goto(f"/people/{pid}")
    tab.mark()
    page.locator(".action-bar").get_by_role("button", name="Edit").click()
    form = page.locator("#person-edit")
    expect(form.locator("input[name=name]")).to_have_value("Eddie Edit")
    expect(form.locator("input[name=city]")).to_have_value("Chicago, IL, US")

    # name, and a city several cities share: a choice, nothing written until one is chosen
    form.locator("input[name=name]").fill("Edwina Edit")
    form.locator("input[name=city]").fill("Portland")
    form.get_by_role("button", name="Save").click()
    error = form.locator(".city-choices .form-error")
    expect(error).to_have_text(
        "'Portland' could be several cities; add a state or country, for example "
        "'Portland, OR, US'."
    )
    expect(error).to_be_focused()
    refused(tab)
    assert base.show(f"#{pid}", 0)["name"] == "Eddie Edit"
    choices = form.locator(".city-choices input[type=radio]")
    expect(choices).to_have_count(3)
    expect(form.locator("input[name=name]")).to_have_value("Edwina Edit")  # kept as typed
    shot(page, "person-edit-city-laptop")
    form.get_by_label("Portland, ME, US").check()
    form.get_by_role("button", name="Save").click()
    note = page.locator("#panel-edit .person-done")
    expect(note).to_have_text("✓ Saved: renamed Edwina Edit; lives in Portland, ME, US.")
    assert_shown_and_focused(page, note)
    expect(page.locator(".person-name")).to_have_text("Edwina Edit")
    expect(page.locator(".person-head .where")).to_contain_text("Portland, ME, US · ")
    assert tab.still_same_page()

    # tags
    page.get_by_role("button", name="Edit again").click()
    form.locator("input[name=tags]").fill("climbing, Book Club")
    form.get_by_role("button", name="Save").click()
    expect(note).to_have_text("✓ Saved: tags: book club, climbing.")
    expect(page.locator(".person-head .pill.tag")).to_have_text(["book club", "climbing"])

    # a full circle is refused with the CLI's sentence
    cap = int(base.rules()["circle_caps"][1])
    for n in range(cap - base.count_people(circle=1)):
        made.append(int(base.add(f"Helper {n}", circle=1)["id"]))
    page.get_by_role("button", name="Edit again").click()
    form.locator("select[name=circle]").select_option("1")
    form.get_by_role("button", name="Save").click()
    error = form.locator(".form-foot .form-error")
    expect(error).to_contain_text(f"Circle 1 is full ({cap} of {cap}); to make room, move out")
    expect(error).to_be_focused()
    refused(tab)
    assert base.show(f"#{pid}", 0)["circle"] is None
    form.locator("select[name=circle]").select_option("3")
    form.get_by_role("button", name="Save").click()
    expect(note).to_have_text("✓ Saved: now in circle 3.")
    expect(page.locator(".person-head .pill-circle")).to_contain_text("circle 3: friends")

    # pause, and resume
    page.get_by_role("button", name="Edit again").click()
    form.get_by_label("Pause: no suggestions about them for now").check()
    form.get_by_role("button", name="Save").click()
    expect(note).to_have_text("✓ Saved: paused: no suggestions about them for now.")
    expect(page.locator(".person-head .pill-paused")).to_be_visible()
    assert base.show(f"#{pid}", 0)["paused"] is True
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Edit again").click()
    shot(page, "person-edit-phone", full=True)
    form.get_by_label("Pause: no suggestions about them for now").uncheck()
    form.get_by_role("button", name="Save").click()
    expect(note).to_have_text("✓ Saved: resumed.")
    assert_shown_and_focused(page, note)
    expect(page.locator(".person-head .pill-paused")).to_have_count(0)
    shown = base.show(f"#{pid}", 0)
    assert (shown["name"], shown["city"], shown["tags"], shown["circle"], shown["paused"]) == (
        "Edwina Edit",
        "Portland, ME, US",
        ["book club", "climbing"],
        3,
        False,
    )


def test_forget_after_a_confirmation_that_says_what_goes(
    tab: Tab, live: Live, made: list[int]
) -> None:
    page = tab.page
    base = live.base
    pid = int(base.add("Fern Forget")["id"])
    made.append(pid)
    for n in range(3):
        base.log(f"#{pid}", "dm", "in", NOW - timedelta(days=10 - n), f"hello {n}")
    base.remember(f"#{pid}", "likes jazz")
    base.invite(f"#{pid}", "call")
    page.goto(f"/people/{pid}")
    page.locator(".action-bar").get_by_role("button", name="Edit").click()
    panel = page.locator("#panel-edit")
    panel.get_by_text("Forget Fern Forget…").click()
    expect(panel.locator("details.forget")).to_contain_text(
        "This erases Fern Forget and everything kith holds about them: 3 interactions, "
        "1 remembered fact and 1 ask. It cannot be undone."
    )
    shot(page, "person-forget-laptop")
    panel.get_by_role("button", name="Forget Fern Forget for good").click()
    page.wait_for_url("**/people")
    expect(page.locator("#toast")).to_contain_text("Forgot Fern Forget and everything about them.")
    with pytest.raises(Exception, match="Fern Forget"):
        base.person_id("Fern Forget")
    page.reload()  # said once
    expect(page.locator("#toast .toast")).to_have_count(0)


# -- copy --------------------------------------------------------------------------------------
def test_copy_the_suggested_wording_with_the_keyboard(tab: Tab, live: Live) -> None:
    page = tab.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    item = next(i for i in live.base.today(30) if i["details"].get("phrasing"))
    page.goto(f"/people/{item['person']['id']}")
    wording = live.base.show(f"#{item['person']['id']}", 0)["next"]["details"]["phrasing"]
    copy = page.locator(".next-step button.copy")
    expect(copy).to_have_accessible_name("Copy the suggested wording")
    copy.focus()
    page.keyboard.press("Enter")
    expect(copy).to_contain_text("Copied")
    expect(page.locator(".next-step .copy-status")).to_have_text("Copied the suggested wording.")
    assert page.evaluate("navigator.clipboard.readText()") == wording
    expect(copy).to_contain_text("Copy", timeout=5000)
    expect(copy).not_to_contain_text("Copied", timeout=5000)
