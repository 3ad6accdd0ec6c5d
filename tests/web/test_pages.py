"""Every page over the demo base, and what each form does, through the app (no browser)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pytest

from kith.api import Kith
from kith.reporting import charts
from kith.web import plain
from tests.web.conftest import HOSTILE_NAME, HOSTILE_TEXT, Web

PAGES = ["/", "/people", "/plans", "/import", "/report"]


class Text(HTMLParser):
    """The visible text of a page, and every element's tag and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def parse(html: str) -> Text:
    parsed = Text()
    parsed.feed(html)
    return parsed


def person_id(base: Kith, name: str) -> int:
    return base.person_id(name)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_renders_with_the_demo_banner_and_navigation(web: Web, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 200
    page = parse(response.text)
    assert "Demo network" in page.text
    links = [a.get("href") for tag, a in page.elements if tag == "a"]
    for target in PAGES:
        assert target in links
    current = [a.get("href") for tag, a in page.elements if tag == "a" and a.get("aria-current")]
    assert current == [path]
    scripts = [a.get("src") or "" for tag, a in page.elements if tag == "script"]
    assert scripts
    assert all(s.startswith("/static/") for s in scripts)


def test_static_assets_come_from_the_package(web: Web) -> None:
    htmx = web.get("/static/htmx.min.js")
    assert htmx.status_code == 200
    assert htmx.text.startswith("/*! htmx 2.0.11")
    assert "Zero-Clause BSD" in htmx.text.splitlines()[0]
    assert web.get("/static/kith.css").status_code == 200
    assert web.get("/static/kith.js").status_code == 200


def test_today_lists_the_agenda_with_reasons_and_phrasings(web: Web, base: Kith) -> None:
    items = base.today()
    page = parse(web.get("/").text)
    for item in items:
        assert item["person"]["name"] in page.text
        assert plain.sentence(plain.plain_reason(item["reason"])) in page.text  # numbers in words
        assert not re.search(r"tie strength \d", page.text)
        phrasing = item["details"].get("phrasing")
        if phrasing:
            assert phrasing in page.text
    assert "Today, 21 November 2026" in page.text


def _shown(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="shown" value="(\d+)"', html)]


def test_logging_todays_first_item_replaces_it_with_the_next(web: Web, base: Kith) -> None:
    items = base.today()
    first = items[0]["person"]
    shown = _shown(web.get("/").text)
    before = base.show(f"#{first['id']}")["counts"]["out"]
    response = web.post(
        f"/today/{first['id']}/log",
        {"channel": "dm", "direction": "out", "text": "Good luck tomorrow!", "shown": shown},
    )
    assert response.status_code == 200
    page = parse(response.text)
    assert f"Logged a dm with {first['name']}." in page.text
    assert base.show(f"#{first['id']}")["counts"]["out"] == before + 1
    following = [i for i in base.today(len(shown) + 1) if i["person"]["id"] not in shown]
    if following:
        assert following[0]["person"]["name"] in page.text
        assert f'id="item-{following[0]["person"]["id"]}"' in response.text
    assert f'id="item-{first["id"]}"' not in response.text


def test_an_ask_and_its_answer_from_today(web: Web, base: Kith) -> None:
    ask = next(i for i in base.today() if i["action"] in ("raise_irl", "meet_while_travelling"))
    pid = ask["person"]["id"]
    response = web.post(
        f"/today/{pid}/answer",
        {"action": ask["action"], "kind": ask["details"]["ask"], "answer": "positive"},
    )
    assert response.status_code == 200
    assert f"Recorded your {ask['details']['ask']} ask: they said yes." in parse(response.text).text
    invite = base.show(f"#{pid}")["invites"][-1]
    assert (invite["kind"], invite["response"]) == (ask["details"]["ask"], "positive")
    # a positive answer asks for a time next: schedule it from the same page
    response = web.post(
        f"/today/{pid}/answer",
        {"action": "schedule", "answer": "positive", "when": "2026-12-02T10:00", "where": "Lumen"},
    )
    assert response.status_code == 200
    assert "on 2026-12-02 10:00 at Lumen" in parse(response.text).text
    invite = base.show(f"#{pid}")["invites"][-1]
    assert invite["scheduled_at"].startswith("2026-12-02T10:00")
    assert invite["place"] == "Lumen"


def test_snooze_sets_the_item_aside(web: Web, base: Kith) -> None:
    item = base.today()[1]
    pid = item["person"]["id"]
    response = web.post(f"/today/{pid}/snooze", {"days": "7"})
    assert response.status_code == 200
    assert "until 28 November 2026" in parse(response.text).text
    assert pid not in [i["person"]["id"] for i in base.today()] or (
        next(i for i in base.today() if i["person"]["id"] == pid)["action"] != item["action"]
    )


def test_a_plain_form_post_redirects_back_to_the_page(web: Web, base: Kith) -> None:
    pid = base.today()[0]["person"]["id"]
    response = web.post(f"/today/{pid}/snooze", {"days": "7"}, htmx=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_an_error_is_one_sentence_in_the_forms_error_slot(web: Web) -> None:
    response = web.post("/today/999999/log", {"channel": "dm"}, trigger="f999999-log", headers={})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#f999999-log .form-error"
    assert parse(response.text).text == "No person with id 999999."
    bad = web.post("/people/1/log", {"channel": "carrier pigeon"}, trigger="person-log")
    assert bad.status_code == 422
    assert "Unknown channel 'carrier pigeon'" in parse(bad.text).text


def test_people_list_is_paginated_filtered_and_sorted(web: Web, base: Kith) -> None:
    total = base.count_people()
    page = web.get("/people")
    assert f"1–50 of {total:,} people" in parse(page.text).text
    expected = [r["name"] for r in base.people(limit=50)]
    names = re.findall(
        r'<td data-label="Name" class="name"><a href="/people/\d+"[^>]*>([^<]*)<', page.text
    )
    assert [n.replace("&lt;", "<").replace("&gt;", ">") for n in names] == expected
    second = web.get("/people?page=2")
    assert f"51–100 of {total:,} people" in parse(second.text).text
    by_recent = web.get("/people?sort=recent&page=2").text
    expected_recent = [r["name"] for r in base.people(limit=50, offset=50, sort="recent")]
    assert re.findall(r'class="name"><a href="/people/\d+"[^>]*>([^<]*)<', by_recent) == [
        n for n in expected_recent
    ]
    conversing = base.count_people(stage="conversing")
    assert conversing > 1
    listed = web.get("/people?stage=conversing")
    assert f"of {conversing:,} people matching" in parse(listed.text).text
    assert "No one matches." in parse(web.get("/people?stage=close&q=nobody").text).text
    crew = parse(web.get("/people?tag=crew").text).text
    assert HOSTILE_NAME in crew
    searched = parse(web.get("/people?q=script").text).text
    assert "1–1 of 1 person matching" in searched


def test_people_filters_answer_htmx_with_the_results_only(web: Web) -> None:
    response = web.get("/people?stage=voice", htmx=True, headers={"HX-Target": "people-results"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'class="people stack"' in response.text
    assert response.headers["vary"] == "HX-Request"


def test_people_filters_refuse_bad_values_in_a_sentence(web: Web) -> None:
    response = web.get("/people?stage=famous")
    assert response.status_code == 422
    assert "Unknown stage 'famous'" in parse(response.text).text
    assert web.get("/people?circle=7").status_code == 422


def test_person_page_tells_the_story(web: Web, base: Kith) -> None:
    pid = person_id(base, "Nadia Weber")
    shown = base.show(f"#{pid}", 50)
    page = parse(web.get(f"/people/{pid}").text).text
    for expected in [
        shown["name"],
        "Next step",
        plain.sentence(plain.plain_reason(shown["next"]["reason"])),
        shown["next"]["details"]["phrasing"],
        *shown["strength"]["reasons"],
        f"{shown['hours']:.1f} shared hours",
        "Channel ladder",
        "private messages",
        "Milestones",
        "first message from them",
        shown["recent"][0]["text"],
    ]:
        assert expected in page, expected
    for fact in shown["facts"]:
        assert fact["text"] in page


def test_person_timeline_shows_older_interactions_on_demand(web: Web, base: Kith) -> None:
    pid = max(base.people(limit=120), key=lambda r: base.show(f"#{r['id']}", 0)["interactions"])[
        "id"
    ]
    count = base.show(f"#{pid}", 0)["interactions"]
    assert count > 50
    first = web.get(f"/people/{pid}").text
    assert first.count('data-label="When"') == 10  # the recent touches, the rest folded
    assert f"/people/{pid}/timeline?start=10" in first
    older = web.get(f"/people/{pid}/timeline?start=10", htmx=True)
    rows = older.text.count('data-label="When"')
    assert rows == min(50, count - 10)
    expected = base.show(f"#{pid}", 100)["recent"][10]["at"][:16].replace("T", " ")
    assert expected in older.text
    assert f"/people/{pid}/timeline?start=60" in older.text or count <= 60


def test_logging_a_meeting_on_the_person_page_moves_the_stage(web: Web, base: Kith) -> None:
    pid = person_id(base, "Nadia Weber")
    assert base.show(f"#{pid}")["stage"] == "conversing"
    response = web.post(
        f"/people/{pid}/log",
        {"channel": "meeting", "direction": "", "minutes": "90", "text": "", "stage": "conversing"},
    )
    assert response.status_code == 200
    text = parse(response.text).text
    assert "Logged a touch: meeting in person. Stage: in conversation → met in person." in text
    assert base.show(f"#{pid}")["stage"] == "met"


def test_remember_a_dated_private_fact_and_record_an_ask(web: Web, base: Kith) -> None:
    pid = person_id(base, "Nadia Weber")
    response = web.post(
        f"/people/{pid}/facts",
        {"text": "runs a half marathon", "on": "2026-12-06", "private": "true"},
    )
    assert response.status_code == 200
    fact = next(f for f in base.show(f"#{pid}")["facts"] if f["text"] == "runs a half marathon")
    assert (fact["event_on"], fact["private"]) == ("2026-12-06", True)
    response = web.post(f"/people/{pid}/invite", {"kind": ""})
    assert "Recorded your ask for a call" in parse(response.text).text
    response = web.post(f"/people/{pid}/answer", {"answer": "negative"})
    assert "they said no" in parse(response.text).text
    assert base.show(f"#{pid}")["invites"][-1]["response"] == "negative"


def test_plans_trip_gathering_rsvp_attendance_and_ics(web: Web, base: Kith) -> None:
    page = parse(web.get("/plans").text).text
    assert "New York City, NY, US" in page
    response = web.post(
        "/plans/trips", {"city": "Lisbon", "starts": "2027-01-10", "ends": "2027-01-12"}
    )
    assert "Trip to Lisbon, PT from 2027-01-10 to 2027-01-12 planned." in parse(response.text).text
    ambiguous = web.post(
        "/plans/trips",
        {"city": "Portland", "starts": "2027-01-10", "ends": "2027-01-12"},
        trigger="trip-form",
    )
    assert ambiguous.status_code == 422
    assert "Portland" in parse(ambiguous.text).text

    nadia = person_id(base, "Nadia Weber")
    response = web.post(
        "/plans/gatherings",
        {
            "title": "Send-off for Ana",
            "at": "2026-11-20T19:00",
            "where": "Bar Lumen",
            "invite": f"#{nadia}\nx:hostile",
            "minutes": "120",
        },
    )
    assert response.status_code == 200
    text = parse(response.text).text
    assert "“Send-off for Ana” planned with 2 guests." in text
    gathering = next(g for g in base.gatherings() if g["title"] == "Send-off for Ana")
    for guest in gathering["guests"]:
        assert guest["invitation"] in text
    gid = gathering["id"]
    response = web.post(f"/plans/gatherings/{gid}/rsvp", {"person": str(nadia), "answer": "yes"})
    assert "Nadia Weber: yes." in parse(response.text).text
    response = web.post(f"/plans/gatherings/{gid}/attended", {})
    assert "Logged the gathering with 1 guest who came." in parse(response.text).text
    assert base.show(f"#{nadia}")["stage"] == "met"
    ics = web.get(f"/plans/gatherings/{gid}.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    assert ics.text.startswith("BEGIN:VCALENDAR")
    assert "Send-off for Ana" in ics.text


def test_report_shows_the_funnel_and_trend(web: Web, base: Kith) -> None:
    page = web.get("/report")
    assert 'hx-get="/report/body"' in page.text
    html = web.get("/report/body", htmx=True).text
    body = parse(html)
    data = web.get("/api/report").json()
    assert f"{data['people']:,}" in body.text
    for stage, _count in data["funnel"].items():
        assert stage in body.text
    # three charts, each an SVG image with words for it, captioned in the page
    images = [a for tag, a in body.elements if tag == "img"]
    assert [a["src"] for a in images] == [f"/report/chart/{n}.svg" for n in charts.NAMES]
    assert all(
        (a.get("alt") or "").endswith("The numbers are in the table under it.") for a in images
    )
    for name in charts.NAMES:
        assert charts.CAPTIONS[name] in body.text
        chart = web.get(f"/report/chart/{name}.svg")
        assert chart.status_code == 200
        assert chart.headers["content-type"] == "image/svg+xml"
        root = ET.fromstring(chart.text)
        assert root.get("viewBox", "").startswith("0 0 400 ")
        assert root.get("width") is None
        assert root.get("height") is None
        # no title in the image: the page names it
        assert list(root.iter("{http://www.w3.org/2000/svg}title")) == []
        assert charts.CAPTIONS[name] not in chart.text
    missing = web.get("/report/chart/trend.svg")
    assert missing.status_code == 404
    assert "There is no chart called 'trend'" in parse(missing.text).text


def _tables(html: str) -> list[list[list[str]]]:
    """Every table of a page: its rows (the head row first), each a list of cell texts."""
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S)
    return [
        [
            [
                " ".join(re.sub(r"<[^>]+>", " ", c).split())
                for c in re.findall(r"<t[hd]\b.*?</t[hd]>", row, flags=re.S)
            ]
            for row in re.findall(r"<tr\b.*?</tr>", table, flags=re.S)
        ]
        for table in tables
    ]


def test_each_report_chart_has_a_table_of_the_same_numbers(web: Web) -> None:
    html = web.get("/report/body", htmx=True).text
    data = web.get("/api/report").json()
    figures = re.findall(r'<figure class="report-chart".*?</figure>', html, flags=re.S)
    assert len(figures) == 3
    funnel, firsts, share = (_tables(f) for f in figures)
    assert all("<details" in f and "<summary>The numbers</summary>" in f for f in figures)

    def n(value: int) -> str:
        return f"{value:,}"

    assert funnel == [
        [
            ["Stage", "Here now", "Reached"],
            *([s, n(data["by_stage"][s]), n(data["funnel"][s])] for s in data["funnel"]),
        ]
    ]
    assert firsts == [
        [
            ["Month", "First calls", "First meetings"],
            *([m["month"], n(m["first_call"]), n(m["first_meeting"])] for m in data["months"]),
        ]
    ]
    shares = [
        "n/a" if m["conversation_share"] is None else f"{m['conversation_share']:.0%}"
        for m in data["months"]
    ]
    assert share == [
        [
            ["Month", "Talk", "Links", "Share"],
            *(
                [m["month"], n(m["talk"]), n(m["links"]), pct]
                for m, pct in zip(data["months"], shares, strict=True)
            ),
        ]
    ]
    assert len(data["months"]) == 24
    # and the charts draw those numbers
    svg = "{http://www.w3.org/2000/svg}"
    drawn = ET.fromstring(web.get("/report/chart/funnel.svg").text)
    rows = [g for g in drawn.iter(svg + "g") if g.get("class") == "stage"]
    assert [(g.get("data-stage"), g.get("data-reached"), g.get("data-now")) for g in rows] == [
        (s, str(data["funnel"][s]), str(data["by_stage"][s])) for s in data["funnel"]
    ]
    drawn = ET.fromstring(web.get("/report/chart/firsts.svg").text)
    calls = [r for r in drawn.iter(svg + "rect") if r.get("class") == "bar first-calls"]
    assert [(r.get("data-month"), r.get("data-value")) for r in calls] == [
        (m["month"], str(m["first_call"])) for m in data["months"]
    ]
    drawn = ET.fromstring(web.get("/report/chart/share.svg").text)
    points = {
        c.get("data-month"): float(c.get("data-value", "")) for c in drawn.iter(svg + "circle")
    }
    assert points == {
        m["month"]: pytest.approx(m["conversation_share"], abs=1e-4)
        for m in data["months"]
        if m["conversation_share"] is not None
    }


def test_unknown_pages_and_people_are_a_sentence(web: Web) -> None:
    missing = web.get("/no/such/page")
    assert missing.status_code == 404
    assert "There is no page here." in parse(missing.text).text
    nobody = web.get("/people/424242")
    assert nobody.status_code == 404
    assert "No person with id 424242." in parse(nobody.text).text


def _text_nodes_with(html: str, needle: str) -> list[str]:
    return [m for m in re.findall(r">([^<]*)<", html) if needle in m]


@pytest.mark.parametrize("path", ["/", "/people?tag=crew", "/plans", "/report/body"])
def test_hostile_strings_render_as_text(web: Web, base: Kith, path: str) -> None:
    hostile = person_id(base, "x:hostile")
    web.post(
        "/plans/gatherings",
        {"title": "<b>party</b>", "at": "2026-12-20T19:00", "where": "<i>here</i>", "tag": "crew"},
    )
    html = web.get(path).text
    assert "<script>alert(1)</script>" not in html
    assert "<b>party</b>" not in html
    assert "<i>here</i>" not in html
    if path == "/people?tag=crew":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    person = web.get(f"/people/{hostile}").text
    assert "<script>alert(1)</script>" not in person
    assert '<img src=x onerror="alert(2)">' not in person
    assert (
        "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;&lt;b&gt;bold&lt;/b&gt; &amp; more" in person
    )
    page = parse(person)
    assert HOSTILE_NAME in page.text
    assert HOSTILE_TEXT in page.text
    assert not [a for tag, a in page.elements if tag == "script" and not a.get("src")]
    assert not [a for tag, a in page.elements if tag == "img"]


def test_gets_change_nothing(web: Web, demo_url: str, base: Kith) -> None:
    from tests.conftest import snapshot

    pid = person_id(base, "Nadia Weber")
    for path in [*PAGES, "/report/body", f"/people/{pid}", "/people?sort=recent&page=2"]:
        web.get(path)
    before = snapshot(demo_url)
    for path in [*PAGES, "/report/body", f"/people/{pid}", "/api/today", "/api/people"]:
        web.get(path)
    assert snapshot(demo_url) == before


def _details(response: Any) -> str:
    return parse(response.text).text


def test_an_empty_base_says_how_to_fill_it(tmp_path: Any) -> None:
    from fastapi.testclient import TestClient

    from kith.store.database import sqlite_url
    from kith.web.app import create_app
    from tests.web.conftest import clock

    with Kith(sqlite_url(tmp_path / "empty.sqlite"), clock_fn=clock) as empty:
        app = create_app(empty, warm=False)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            today = parse(client.get("/").text).text
            people = parse(client.get("/people").text).text
    assert "Your base is empty" in today
    assert "Demo network" not in today
    assert "No one matches." in people
