"""A scripted history through the CLI with KITH_NOW set: the rules of docs/path.md
in the JSON shapes of docs/cli.md, on SQLite and PostgreSQL."""

from __future__ import annotations

SHOW_KEYS = {
    "id",
    "name",
    "stage",
    "strength",
    "hours",
    "circle",
    "city",
    "tags",
    "identities",
    "milestones",
    "facts",
    "counts",
    "ready",
    "next",
}
TODAY_KEYS = {"person", "action", "reason", "priority", "due", "details"}
PEOPLE_KEYS = {"id", "name", "stage", "strength", "circle", "last_contact"}


def day(d: str) -> str:
    return f"{d}T12:00:00Z"


def actions_for(cli, name: str, when: str) -> dict[str, dict]:
    items = cli.json("today", "--limit", "20", now=day(when))
    for item in items:
        assert set(item) >= TODAY_KEYS
        assert set(item["person"]) == {"id", "name"}
    return {i["action"]: i for i in items if i["person"]["name"] == name}


def test_the_path_from_first_comment_to_meeting(cli):
    cli.ok("init", "--city", "Chicago", now=day("2026-01-01"))
    added = cli.json(
        "add", "Ana Example", "--handle", "x:ana", "--city", "Evanston, IL", now=day("2026-01-01")
    )
    assert added["stage"] == "noticed"
    assert added["city"] == "Evanston, IL, US"

    cli.ok("log", "x:ana", "comment", "--text", "Great thread!", now=day("2026-01-01"))
    shown = cli.json("show", "x:ana", now=day("2026-01-01"))
    assert set(shown) >= SHOW_KEYS
    assert shown["stage"] == "engaging"
    assert shown["identities"] == [{"platform": "x", "handle": "ana"}]
    assert set(shown["strength"]) == {"score", "reasons"}
    assert shown["counts"] == {"in": 0, "out": 1}

    cli.ok("log", "Ana Example", "reply", "--in", now=day("2026-01-02"))
    assert cli.json("show", "x:ana", now=day("2026-01-02"))["stage"] == "acquainted"
    for d in ("2026-01-05", "2026-01-10", "2026-01-15"):
        cli.ok("log", "x:ana", "dm", "--in", "--text", "hey!", now=day(d))
        cli.ok("log", "x:ana", "dm", "--out", "--text", "hi back", now=day(d))
    shown = cli.json("show", "x:ana", now=day("2026-01-18"))
    assert shown["stage"] == "conversing"
    assert [m["kind"] for m in shown["milestones"]] == [
        "noticed",
        "engaging",
        "acquainted",
        "conversing",
        "first_inbound_message",
    ]  # the first messages both ways were logged at the same moment
    assert shown["milestones"][2]["at"].startswith("2026-01-02")
    assert "last two-way contact 3 days ago" in shown["strength"]["reasons"]

    # readiness: day 20 after the first two-way contact is too early, day 21 is not
    early = cli.json("show", "x:ana", now=day("2026-01-22"))
    assert early["ready"] is False
    assert any("20 days ago" in m for m in early["readiness"]["missing"])
    assert "raise_irl" not in actions_for(cli, "Ana Example", "2026-01-22")
    on_time = cli.json("show", "x:ana", now=day("2026-01-23"))
    assert on_time["ready"] is True
    raise_irl = actions_for(cli, "Ana Example", "2026-01-23")["raise_irl"]
    assert raise_irl["details"]["ask"] == "coffee"  # Evanston is near Chicago
    assert on_time["next"]["action"] == "raise_irl"

    # the ask gets a cold answer: 90 days of back-off, engagement offered instead
    asked = cli.json("invite", "x:ana", now=day("2026-01-23"))
    assert asked["invite"]["kind"] == "coffee"
    assert "raise_irl" not in actions_for(cli, "Ana Example", "2026-01-24")
    cli.ok("respond", "x:ana", "negative", now=day("2026-01-24"))
    engage = actions_for(cli, "Ana Example", "2026-02-10")
    assert set(engage) == {"engage"}
    assert "ask again from 2026-04-24" in engage["engage"]["reason"]

    for d in ("2026-04-01", "2026-04-10", "2026-04-20"):
        cli.ok("log", "x:ana", "dm", "--in", now=day(d))
        cli.ok("log", "x:ana", "dm", "--out", now=day(d))
    inside = cli.json("show", "x:ana", now=day("2026-04-22"))  # 88 days after the answer
    assert inside["ready"] is False
    assert any("backing off" in m for m in inside["readiness"]["missing"])
    assert cli.json("show", "x:ana", now=day("2026-04-25"))["ready"] is True  # 91 days

    # a warm answer: find a time until it is scheduled, then meet
    cli.ok("invite", "x:ana", "--kind", "coffee", now=day("2026-04-25"))
    yes = cli.json("respond", "x:ana", "positive", now=day("2026-04-26"))
    schedule = actions_for(cli, "Ana Example", "2026-04-27")["schedule"]
    assert schedule["details"]["invite_id"] == yes["invite"]["id"]
    cli.ok(
        "respond",
        "x:ana",
        "positive",
        "--when",
        "2026-05-02T10:00",
        "--where",
        "Café Lumen",
        now=day("2026-04-27"),
    )
    assert "schedule" not in actions_for(cli, "Ana Example", "2026-04-28")
    cli.ok("log", "x:ana", "meeting", "--minutes", "90", now=day("2026-05-02"))
    met = cli.json("show", "x:ana", now=day("2026-05-02"))
    assert met["stage"] == "met"
    assert "first_meeting" in [m["kind"] for m in met["milestones"]]
    assert met["hours"] >= 1.5

    # follow-ups from a dated fact
    cli.ok(
        "remember", "x:ana", "gives a talk at PyCon", "--on", "2026-05-15", now=day("2026-05-03")
    )
    wish = actions_for(cli, "Ana Example", "2026-05-13")["wish_luck"]
    assert wish["details"] == {"fact": "gives a talk at PyCon", "event_on": "2026-05-15"}
    assert "ask_how_it_went" in actions_for(cli, "Ana Example", "2026-05-16")
    cli.ok("log", "x:ana", "dm", "--text", "How did the talk go?", now=day("2026-05-16"))
    assert "ask_how_it_went" not in actions_for(cli, "Ana Example", "2026-05-17")

    people = cli.json("people", now=day("2026-05-17"))
    assert set(people[0]) >= PEOPLE_KEYS
    assert people[0]["stage"] == "met"
    assert people[0]["last_contact"] == "2026-05-16"


def test_slow_down_after_five_unanswered_touches(cli):
    cli.ok("add", "Bob Builder", "--handle", "x:bob", now=day("2026-01-01"))
    cli.ok("log", "x:bob", "reply", "--in", now=day("2026-01-01"))
    for d in ("2026-01-10", "2026-01-20", "2026-01-30", "2026-02-09"):
        cli.ok("log", "x:bob", "comment", now=day(d))
    four = cli.json("show", "x:bob", now=day("2026-02-10"))
    assert four["slow_down"] is False
    cli.ok("log", "x:bob", "comment", now=day("2026-02-10"))
    five = cli.json("show", "x:bob", now=day("2026-02-10"))
    assert five["slow_down"] is True
    assert five["next"]["action"] == "slow_down"
    assert "slow_down" in actions_for(cli, "Bob Builder", "2026-02-11")


def test_a_burst_of_attention_is_flagged(cli):
    cli.ok("add", "Cy", now=day("2026-01-01"))
    for hour in (9, 10, 11):
        cli.ok("log", "Cy", "like", "--at", f"2026-01-05T{hour}:00", now=day("2026-01-05"))
    cli.ok("log", "Cy", "reply", "--in", now=day("2026-01-05"))
    assert cli.json("show", "Cy", now=day("2026-01-06"))["slow_down"] is False
    cli.ok("log", "Cy", "share", now=day("2026-01-06"))
    assert cli.json("show", "Cy", now=day("2026-01-06"))["slow_down"] is True


def test_focus_suggests_people_in_no_circle_and_edit_places_them(cli):
    cli.ok("add", "Dee", now=day("2026-01-01"))
    cli.ok("add", "Eve", "--circle", "2", now=day("2026-01-01"))
    for name in ("Dee", "Eve"):
        cli.ok("log", name, "reply", "--in", now=day("2026-01-02"))
        cli.ok("log", name, "dm", "--in", now=day("2026-01-03"))
        cli.ok("log", name, "dm", "--out", now=day("2026-01-03"))
    candidates = cli.json("focus", now=day("2026-01-04"))
    assert [c["person"]["name"] for c in candidates] == ["Dee"]
    assert candidates[0]["suggested_circle"] == 3
    assert any("addressed you 2 times" in r for r in candidates[0]["reasons"])
    cli.ok("edit", "Dee", "--circle", "3", now=day("2026-01-04"))
    assert cli.json("focus", now=day("2026-01-04")) == []
    assert cli.json("show", "Dee", now=day("2026-01-04"))["circle"] == 3


def test_keep_in_touch_at_the_circle_cadence(cli):
    cli.ok("add", "Fay", "--circle", "1", now=day("2026-01-01"))
    cli.ok("log", "Fay", "call", "--minutes", "20", now=day("2026-01-01"))
    assert "keep_in_touch" not in actions_for(cli, "Fay", "2026-01-08")
    kit = actions_for(cli, "Fay", "2026-01-09")["keep_in_touch"]
    assert "every 7 days" in kit["reason"]


def test_merge_and_forget(cli):
    cli.ok("add", "Gil", "--handle", "x:gil", now=day("2026-01-01"))
    cli.ok(
        "add",
        "Gilbert G",
        "--handle",
        "email:gil@example.org",
        "--tag",
        "press",
        now=day("2026-01-01"),
    )
    cli.ok("log", "Gilbert G", "email", "--in", now=day("2026-01-02"))
    merged = cli.json("merge", "x:gil", "email:gil@example.org", now=day("2026-01-03"))
    assert {i["platform"] for i in merged["identities"]} == {"x", "email"}
    assert merged["tags"] == ["press"]
    assert merged["counts"]["in"] == 1
    assert len(cli.json("people", now=day("2026-01-03"))) == 1
    cli.ok("forget", "x:gil", "--yes", now=day("2026-01-03"))
    assert cli.json("people", now=day("2026-01-03")) == []


def test_snooze_sets_a_suggestion_aside_for_a_week(cli):
    cli.ok("add", "Fay", "--circle", "1", now=day("2026-01-01"))
    cli.ok("log", "Fay", "call", "--minutes", "20", now=day("2026-01-01"))
    assert "keep_in_touch" in actions_for(cli, "Fay", "2026-01-10")
    done = cli.json("snooze", "Fay", now=day("2026-01-10"))
    assert done == {
        "person_id": 1,
        "name": "Fay",
        "action": "keep_in_touch",
        "until": "2026-01-17",
    }
    assert actions_for(cli, "Fay", "2026-01-10") == {}
    assert actions_for(cli, "Fay", "2026-01-16") == {}
    assert "keep_in_touch" in actions_for(cli, "Fay", "2026-01-17")
    nothing = cli("snooze", "Fay", now=day("2026-01-02"))
    assert nothing.code == 2
    assert "nothing to snooze" in nothing.err
