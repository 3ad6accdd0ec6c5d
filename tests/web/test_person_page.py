"""The person page tells one consistent next step: the pace warning first while it holds, no
ask while kith backs off or an ask is open, answers in words, and plain wording for what
is not known yet. Each history is built through `Kith` with the clock fixed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from kith.api import Kith
from kith.errors import CircleFullError
from kith.web import plain
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
    assert "Not yet: ease off first" in text
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
    assert "a coffee: said no" in section(html, "asks-h")
    assert not RAW_ANSWERS.search(text)
    assert plain.sentence(shown["next"]["reason"]) in section(html, "next-h")


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
    assert "a call: said no" in section(html, "asks-h")


def test_an_open_ask_offers_no_second_ask_and_answers_read_as_words(web: Web, base: Kith) -> None:
    ref = written_back(base, "Pia Pending")
    base.invite(ref, "coffee")
    html, text = page_of(web, ref)
    assert "a coffee: waiting for an answer" in section(html, "asks-h")
    assert {"Yes", "Maybe later", "No"} <= set(buttons(html))
    assert "Record the ask" not in buttons(html)
    assert 'name="kind"' not in html
    assert not RAW_ANSWERS.search(text)

    base.respond(ref, "positive")  # yes, but no time yet: find one
    html, text = page_of(web, ref)
    assert "a coffee: said yes" in section(html, "asks-h")
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
    assert "a call: said maybe later" in section(html, "asks-h")
    assert not {"Yes", "Maybe later", "No"} & set(buttons(html))
    assert "Record the ask" in buttons(html)
    assert "(suggested)" not in text  # not ready: wait until the retry day
    assert not RAW_ANSWERS.search(text)


def test_what_is_not_known_yet_reads_plainly(web: Web, base: Kith) -> None:
    nobody = base.add("Cleo Nobody", birthday=date(1604, 12, 9))["id"]
    html, text = page_of(web, f"#{nobody}")
    assert "Last contact: no two-way contact yet" in text
    assert not re.search(r"Last (two-way )?contact:? never", text)
    assert re.search(r'class="term stage stage-noticed"[^>]*>no history yet<', html)
    assert "Birthday 9 December" in text
    assert "1604" not in text

    quiet = base.add("Quinn Quiet")["id"]
    base.log(f"#{quiet}", "dm", "out", NOW - timedelta(days=3), "hello!")
    _, text = page_of(web, f"#{quiet}")
    assert "Last contact: no two-way contact yet (you last wrote 3 days ago)" in text

    # a one-user base has no team to ask about (docs/team.md)
    assert "Who on the team knows them" not in text
    assert 'id="who-knows"' not in html

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


# -- plain words ----------------------------------------------------------------------------------
def test_stages_circles_places_and_channels_read_in_plain_words(web: Web, base: Kith) -> None:
    ref = written_back(base, "Vic Voice")
    base.log(ref, "call", "both", NOW - timedelta(days=2), "catch-up", 40)
    base.edit(ref, city="Chicago", circle=1)
    html, text = page_of(web, ref)
    head = parse(re.search(r'<header class="card person-head.*?</header>', html, re.S).group(0))
    assert "talked (call or video)" in head.text
    assert "circle 1: your closest (about 5 people)" in head.text
    assert "Chicago, IL, US · lives in your city" in head.text
    assert "0 km" not in text
    assert "Last contact: 2 days ago" in head.text
    # each term carries its explanation, reachable by a tap (a popover) and on hover
    assert 'popovertarget="hint-stage"' in html
    assert plain.STAGE_HELP["voice"] in text
    assert "at most 5 people, a touch every 7 days" in text
    assert "as usual for this channel" in text
    assert "by channel" not in text
    assert "private message" in section(html, "log-h")
    assert not RAW_ANSWERS.search(text)
    # the numbers are folded under the story, in words
    assert re.search(r'<details class="card metrics"(?! open)', html)
    assert "Does it go both ways?" in text
    assert "Ready to suggest meeting?" in text


def test_a_reason_with_a_number_reads_in_words() -> None:
    reason = (
        "you will be in Lisbon from 2026-12-01 to 2026-12-03; they live there; tie strength 0.38"
    )
    assert plain.plain_reason(reason).endswith("they live there; your tie is growing")
    assert plain.plain_reason("tie strength 0.12") == "your tie is still weak"
    assert plain.plain_reason("tie strength 0.82") == "your tie is strong"
    assert plain.place_words("Chicago, IL, US", 0.0) == "Chicago, IL, US · lives in your city"
    assert plain.place_words("Oak Park, IL, US", 12.4) == (
        "Oak Park, IL, US · 12 km from you, near enough for a coffee"
    )
    assert plain.place_words("Lisbon, PT", 6424.4) == "Lisbon, PT · 6,424 km from you"
    assert plain.initials("Nadia Weber") == "NW"
    assert plain.initials("<script>alert(1)</script>") == "S"
    assert plain.initials("") == "?"


def test_a_future_log_time_names_no_command(web: Web, base: Kith) -> None:
    ref = written_back(base, "Fay Future")
    response = web.post(
        f"/people/{ref[1:]}/log", {"channel": "dm", "at": "2027-01-05T10:00"}, trigger="person-log"
    )
    assert response.status_code == 422
    assert response.headers["hx-retarget"] == "#person-log .form-error"
    assert parse(response.text).text == (
        "That time is in the future; log a touch once it has happened, or record the agreed "
        "time with their answer."
    )
    assert "kith" not in parse(response.text).text


# -- a change answers next to its form ----------------------------------------------------------
def test_logging_answers_with_the_page_the_note_in_the_form_and_an_undo(
    web: Web, base: Kith
) -> None:
    ref = written_back(base, "Lou Logger")
    form = {"channel": "call", "minutes": "30", "stage": "conversing"}  # as the page sends it
    response = web.post(f"/people/{ref[1:]}/log", form)
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<div id="person-page"')
    note = re.search(r'<section id="panel-log"[^>]*>.*?</section>', html, re.S).group(0)
    assert " hidden" not in note.split(">", 1)[0]  # the form used stays open
    assert 'class="done person-done" role="status" tabindex="-1" autofocus' in note
    assert "Logged a touch: call. Stage: in conversation → talked (call or video)." in (
        parse(note).text
    )
    assert re.search(r'<section id="panel-fact"[^>]*\bhidden', html)  # the others stay shut
    logged = base.show(ref, 1)["recent"][0]
    assert logged["channel"] == "call"
    # the toast, out of band, with the undo of that very touch
    assert 'id="toast" hx-swap-oob="innerHTML"' in html
    assert 'action="/undo/log"' in html
    assert f'name="person_id" value="{ref[1:]}"' in html
    undone = web.post(
        "/undo/log",
        {
            "person_id": ref[1:],
            "interaction_id": re.search(r'name="interaction_id" value="(\d+)"', html).group(1),
        },
    )
    assert undone.headers["hx-trigger"] == "kith-changed"
    assert base.show(ref, 0)["stage"] == "conversing"
    # the page reloads itself on that event, from a hidden element that no form sits in
    page = web.get(f"/people/{ref[1:]}").text
    listener = re.search(
        r'<div hidden hx-get="[^"]*" hx-trigger="kith-changed from:body"[^>]*>', page
    )
    assert listener is not None
    assert 'hx-select="#person-page"' in listener.group(0)
    assert page.index(listener.group(0)) < page.index('<div id="person-page"')
    # without htmx, the page again (post, redirect, get)
    plain_post = web.post(f"/people/{ref[1:]}/facts", {"text": "likes jazz"}, htmx=False)
    assert plain_post.status_code == 303
    assert plain_post.headers["location"] == f"/people/{ref[1:]}"


# -- edit -----------------------------------------------------------------------------------------
def test_edit_each_field_with_the_cli_checks_and_sentences(web: Web, base: Kith) -> None:
    ref = written_back(base, "Eddie Edit")
    pid = ref[1:]
    fields = {"name": "Eddie Edit", "city": "", "tags": "", "circle": ""}

    done = web.post(f"/people/{pid}/edit", {**fields, "name": "Edwina  Edit", "city": "Lisbon"})
    assert done.status_code == 200
    assert "Saved: renamed Edwina Edit; lives in Lisbon, PT." in parse(done.text).text
    shown = base.show(ref, 0)
    assert (shown["name"], shown["city"]) == ("Edwina Edit", "Lisbon, PT")
    fields.update(name="Edwina Edit", city="Lisbon, PT")

    # a city several cities share: the candidates to choose from, and nothing written
    ambiguous = web.post(f"/people/{pid}/edit", {**fields, "name": "Ed", "city": "Portland"})
    assert ambiguous.status_code == 422
    text = parse(ambiguous.text).text
    assert (
        "'Portland' could be several cities; add a state or country, for example "
        "'Portland, OR, US'." in text
    )
    assert "Which Portland?" in text
    choices = re.findall(r'name="city_choice" value="([^"]+)"', ambiguous.text)
    assert choices == ["Portland, OR, US", "Portland, ME, US", "Portland, TX, US"]
    assert 'value="Ed"' in ambiguous.text  # the form as it was sent
    assert base.show(ref, 0)["name"] == "Edwina Edit"
    chosen = web.post(
        f"/people/{pid}/edit", {**fields, "city": "Portland", "city_choice": "Portland, ME, US"}
    )
    assert "Saved: lives in Portland, ME, US." in parse(chosen.text).text
    fields["city"] = "Portland, ME, US"

    # tags: added and removed from one field, as `--tag` and `--untag`
    web.post(f"/people/{pid}/edit", {**fields, "tags": "Climbing, book  club"})
    assert base.show(ref, 0)["tags"] == ["book club", "climbing"]
    tagged = web.post(f"/people/{pid}/edit", {**fields, "tags": "climbing"})
    assert "Saved: tags: climbing." in parse(tagged.text).text
    assert base.show(ref, 0)["tags"] == ["climbing"]
    fields["tags"] = "climbing"

    # a full circle: the CLI's sentence, with the weakest ties who could move out
    cap = int(base.rules()["circle_caps"][1])
    for n in range(cap - base.count_people(circle=1)):
        base.add(f"Inner {n}", circle=1)
    with pytest.raises(CircleFullError) as refusal:  # the same refusal through the API
        base.edit(ref, circle=1)
    expected = refusal.value.message
    full = web.post(f"/people/{pid}/edit", {**fields, "circle": "1"})
    assert full.status_code == 422
    assert expected.startswith(f"Circle 1 is full ({cap} of {cap})")
    assert expected in parse(full.text).text
    assert base.show(ref, 0)["circle"] is None
    bad = web.post(f"/people/{pid}/edit", {**fields, "circle": "9"})
    assert "Circle must be 1, 2, 3 or 4 (got '9')." in parse(bad.text).text
    placed = web.post(f"/people/{pid}/edit", {**fields, "circle": "2"})
    assert "Saved: now in circle 2." in parse(placed.text).text
    fields["circle"] = "2"

    # pause and resume
    paused = web.post(f"/people/{pid}/edit", {**fields, "paused": "true"})
    assert "Saved: paused: no suggestions about them for now." in parse(paused.text).text
    assert base.show(ref, 0)["paused"] is True
    assert "Paused: kith suggests nothing about Edwina Edit" in parse(paused.text).text
    resumed = web.post(f"/people/{pid}/edit", fields)
    assert "Saved: resumed." in parse(resumed.text).text
    assert "Nothing to change." in parse(web.post(f"/people/{pid}/edit", fields).text).text

    # an empty name: the CLI's sentence
    nameless = web.post(f"/people/{pid}/edit", {**fields, "name": "  "})
    assert "A person needs a name." in parse(nameless.text).text
    assert base.show(ref, 0)["name"] == "Edwina Edit"


# -- forget ---------------------------------------------------------------------------------------
def test_forget_says_what_goes_then_goes_back_to_people(
    web: Web, base: Kith, client: TestClient
) -> None:
    ref = written_back(base, "Fern Forget", weeks=2)
    base.remember(ref, "likes jazz")
    base.remember(ref, "runs", "2026-12-06")
    base.invite(ref, "call")
    html, text = page_of(web, ref)
    assert (
        "This erases Fern Forget and everything kith holds about them: 4 interactions, "
        "2 remembered facts and 1 ask. It cannot be undone." in text
    )
    assert "Forget Fern Forget for good" in buttons(html)
    # a POST without the session's token deletes nothing
    assert client.post(f"/people/{ref[1:]}/forget").status_code == 403
    assert base.show(ref, 0)["name"] == "Fern Forget"
    gone = web.post(f"/people/{ref[1:]}/forget")
    assert gone.status_code == 200
    assert gone.headers["hx-redirect"] == "/people"
    assert '"kith-toast-next"' in gone.headers["hx-trigger"]
    assert "Forgot Fern Forget and everything about them." in gone.headers["hx-trigger"]
    assert web.get(f"/people/{ref[1:]}").status_code == 404
    # without htmx: a page that says so, with the way back
    other = written_back(base, "Finn Forget", weeks=1)
    page = web.post(f"/people/{other[1:]}/forget", htmx=False)
    assert "Forgot Finn Forget and everything about them." in parse(page.text).text
    assert 'href="/people"' in page.text


def test_hostile_names_stay_text_in_the_forms_and_the_header(web: Web, base: Kith) -> None:
    evil = '<img src=x onerror="alert(3)">"\r\nX-Evil: 1'
    pid = base.add("Mallory", handles=["x:mallory"])["id"]
    base.edit(f"#{pid}", name=evil)
    html = web.get(f"/people/{pid}").text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&#34;alert(3)&#34;&gt;" in html
    gone = web.post(f"/people/{pid}/forget")
    assert "x-evil" not in {k.lower() for k in gone.headers}
    assert "<img" not in gone.headers["hx-trigger"] or '\\"' in gone.headers["hx-trigger"]
