"""The person page tells one consistent next step: the pace warning first while it holds, no
ask while kith backs off or an ask is open, answers in words, and plain wording for what
is not known yet. Each history is built through `Kith` with the clock fixed."""

from __future__ import annotations

import re
from datetime import date, timedelta

from kith.api import Kith
from tests.web.conftest import FIXTURES, NOW, Web
from tests.web.test_pages import parse

RAW_ANSWERS = re.compile(r"\b(positive|neutral|negative|pending)\b")


def written_back(base: Kith, name: str, weeks: int = 8) -> str:
    """Someone who has written back every week for two months: ready for a real-life ask."""
    handle = "x:" + name.split()[0].lower()
    ref = f"#{base.add(name, handles=[handle])['id']}"
    for n in range(weeks):
        at = NOW - timedelta(days=7 * (weeks + 2 - n))
        base.log(ref, "dm", "in", at, f"news {n}")
        base.log(ref, "dm", "out", at + timedelta(hours=1), f"answer {n}")
    return ref


def burst(base: Kith, ref: str) -> None:
    """Six messages from the user in five days, none answered: time to ease off."""
    for n in range(6):
        base.log(ref, "dm", "out", NOW - timedelta(days=5, hours=-10 * n), f"ping {n}")


def page_of(web: Web, ref: str) -> tuple[str, str]:
    """The person page's HTML and visible text."""
    html = web.get(f"/people/{ref[1:]}").text
    return html, parse(html).text


def section(html: str, element_id: str) -> str:
    """The visible text of the card headed by `element_id` (without the space the parser
    puts between an element and the colon after it)."""
    found = re.search(rf'<section[^>]*aria-labelledby="{element_id}".*?</section>', html, re.S)
    assert found, element_id
    return parse(found.group(0)).text.replace(" :", ":")


def buttons(html: str) -> list[str]:
    return [parse(b).text for b in re.findall(r"<button[^>]*>.*?</button>", html, re.S)]


def test_while_slow_down_holds_the_pace_warning_is_the_next_step(web: Web, base: Kith) -> None:
    ref = written_back(base, "Rosa Ready")
    assert base.show(ref)["ready"]
    burst(base, ref)
    shown = base.show(ref)
    assert shown["slow_down"]
    assert shown["next"]["action"] == "slow_down"
    html, text = page_of(web, ref)
    step = section(html, "next-h")
    assert step.startswith(f"Next step Slow down: {shown['pace']}")
    assert step.count(shown["pace"]) == 1  # said once, not as the step and again as a warning
    for ask in ("Suggest meeting", "ready to meet", "(suggested)", "yes: suggest"):
        assert ask not in text, ask
    assert "not yet: ease off first" in text
    # snoozed, the warning still leads: there is no other step while the pace is too fast
    base.snooze(ref)
    html, text = page_of(web, ref)
    step = section(html, "next-h")
    assert step.startswith(f"Next step Slow down: {shown['pace']}")
    assert "Nothing to do" not in step


def test_during_a_back_off_the_ask_form_offers_no_ask(web: Web, base: Kith) -> None:
    ref = written_back(base, "Bea Backoff")
    base.invite(ref, "coffee")
    base.respond(ref, "negative")
    shown = base.show(ref)
    assert shown["readiness"]["missing"] == ["backing off after a cold answer: 90 more days"]
    html, text = page_of(web, ref)
    ask = section(html, "ask-h")
    assert "kith is backing off" in ask
    assert "asking again makes sense from 2027-02-19" in ask
    assert 'name="kind"' not in html
    assert "Record the ask" not in buttons(html)
    assert not {"Yes", "Maybe later", "No"} & set(buttons(html))
    assert "coffee: said no" in section(html, "asks-h")
    assert not RAW_ANSWERS.search(text)
    assert shown["next"]["reason"] in section(html, "next-h")


def test_once_the_back_off_is_over_an_ask_is_offered_again(
    web: Web, base: Kith, demo_url: str
) -> None:
    ref = written_back(base, "Otto Over", weeks=20)
    with Kith(demo_url, clock_fn=lambda: NOW - timedelta(days=100)) as earlier:
        earlier.invite(ref, "call")
        earlier.respond(ref, "negative")
    html, text = page_of(web, ref)
    assert "backing off" not in text
    assert 'name="kind"' in html
    assert "Record the ask" in buttons(html)
    assert "call: said no" in section(html, "asks-h")


def test_an_open_ask_offers_no_second_ask_and_answers_read_as_words(web: Web, base: Kith) -> None:
    ref = written_back(base, "Pia Pending")
    base.invite(ref, "coffee")
    html, text = page_of(web, ref)
    assert "coffee: waiting for an answer" in section(html, "asks-h")
    assert {"Yes", "Maybe later", "No"} <= set(buttons(html))
    assert "Record the ask" not in buttons(html)
    assert 'name="kind"' not in html
    assert not RAW_ANSWERS.search(text)

    base.respond(ref, "positive")  # yes, but no time yet: find one
    html, text = page_of(web, ref)
    assert "coffee: said yes" in section(html, "asks-h")
    assert "They said yes to a coffee: find a time." in section(html, "ask-h")
    assert "Save the date" in buttons(html)
    assert not {"Yes", "Maybe later", "No", "Record the ask"} & set(buttons(html))
    assert not RAW_ANSWERS.search(text)

    response = web.post(
        f"/people/{ref[1:]}/answer",
        {"answer": "positive", "when": "2026-11-28T10:00", "where": "Café Lumen"},
    )
    text = parse(response.text).text
    assert "A coffee is planned for 2026-11-28 10:00 at Café Lumen." in text
    assert "Save the date" not in buttons(response.text)
    assert "Record the ask" not in buttons(response.text)


def test_a_lukewarm_answer_reads_as_words_and_leaves_the_form_open(web: Web, base: Kith) -> None:
    ref = written_back(base, "Nils Neutral")
    base.invite(ref, "call")
    base.respond(ref, "neutral")
    html, text = page_of(web, ref)
    assert "call: no clear answer" in section(html, "asks-h")
    assert not {"Yes", "Maybe later", "No"} & set(buttons(html))
    assert "Record the ask" in buttons(html)
    assert "(suggested)" not in text  # not ready: wait until the retry day
    assert not RAW_ANSWERS.search(text)


def test_what_is_not_known_yet_reads_plainly(web: Web, base: Kith) -> None:
    nobody = base.add("Cleo Nobody", birthday=date(1604, 12, 9))["id"]
    html, text = page_of(web, f"#{nobody}")
    assert "Last two-way contact none yet" in text
    assert "Last contact never" not in text
    assert re.search(r'class="stage stage-noticed">no history yet<', html)
    assert "Birthday 9 December" in text
    assert "1604" not in text

    quiet = base.add("Quinn Quiet")["id"]
    base.log(f"#{quiet}", "dm", "out", NOW - timedelta(days=3), "hello!")
    _, text = page_of(web, f"#{quiet}")
    assert "Last two-way contact none yet (your last reply or message: 2026-11-18)" in text

    people = parse(web.get("/people?q=Cleo+Nobody").text).text
    assert "Cleo Nobody no history yet" in people
    assert "never" not in people
    assert "—" in people


def test_what_the_data_can_show_is_said(web: Web, base: Kith) -> None:
    base.import_file("x", FIXTURES / "x" / "old_layout")
    lena = base.person_id("@lena_b")
    shown = base.show(f"#{lena}")
    assert shown["coverage"]
    _, text = page_of(web, f"#{lena}")
    assert f"What your data can show: {shown['coverage']}" in text
    nadia = base.person_id("Nadia Weber")
    if base.show(f"#{nadia}")["coverage"] is None:
        assert "What your data can show" not in page_of(web, f"#{nadia}")[1]
