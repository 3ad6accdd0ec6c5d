from datetime import timedelta

from kith.domain import Action, Trip, agenda, assess
from kith.domain.model import Fact
from tests.builders import EVANSTON, TODAY, conversation, ctx, history, touch


def run(histories, limit=None, **kw):
    c = ctx(**kw)
    return agenda((assess(h, c) for h in histories), c, limit)


def test_at_most_seven_items_one_per_person_best_first():
    people = [
        history(*conversation(30 + k), pid=k, name=f"P{k}", location=EVANSTON) for k in range(12)
    ]
    items = run(people)
    assert len(items) == 7
    assert len({s.person_id for s in items}) == 7
    assert [s.priority for s in items] == sorted((s.priority for s in items), reverse=True)
    assert len(run(people, limit=3)) == 3


def test_time_bound_follow_ups_come_before_gentle_engagement():
    event = history(
        touch(100, "dm", "in"),
        facts=(Fact("recital", TODAY + timedelta(days=1)),),
        pid=1,
        name="Event",
    )
    engage = history(touch(30, "comment", "out"), circle=3, pid=2, name="Circle")
    items = run([engage, event])
    assert [s.action for s in items] == [Action.WISH_LUCK, Action.ENGAGE]


def test_paused_people_get_nothing():
    h = history(*conversation(30), location=EVANSTON, paused=True)
    assert run([h]) == []


def test_slow_down_replaces_outreach_while_it_lasts():
    h = history(
        touch(100, "reply", "in"),
        *(touch(d, "comment", "out") for d in (1, 2, 3, 4, 5)),
        circle=2,
    )
    items = run([h])
    assert [s.action for s in items] == [Action.SLOW_DOWN]


def test_deepen_suggests_a_private_message_to_people_who_reply_in_public():
    h = history(touch(12, "comment", "out"), touch(11, "reply", "in"), touch(3, "mention", "in"))
    (item,) = run([h])
    assert item.action is Action.DEEPEN
    assert item.details["channel"] == "dm"
    assert "2 times" in item.reason


def test_deepen_never_calls_private_messages_public():
    only_private = history(touch(11, "dm", "in"), touch(3, "dm", "in"))
    (item,) = run([only_private])
    assert item.action is Action.DEEPEN
    assert "public" not in item.reason
    assert item.reason.startswith("they wrote to you privately 2 times in the last 30 days")
    mixed = history(touch(11, "reply", "in"), touch(3, "dm", "in"))
    (item,) = run([mixed])
    assert "1 of them in private" in item.reason


def test_a_burst_with_a_follow_up_due_still_only_says_slow_down():
    h = history(
        *conversation(60),
        *(touch(d / 2, "dm", "out") for d in range(6, 13)),  # 3 to 6 days ago
        facts=(Fact("recital", TODAY + timedelta(days=1)),),
        location=EVANSTON,
    )
    items = run([h])
    assert [s.action for s in items] == [Action.SLOW_DOWN]
    assert items[0].due >= TODAY


def test_meet_while_travelling_for_people_near_the_trip_city():
    trip = Trip("Evanston", EVANSTON, TODAY + timedelta(days=10), TODAY + timedelta(days=12))
    near = history(*conversation(40), location=EVANSTON, pid=1, name="Near")
    noticed = history(touch(40, "like", "out"), location=EVANSTON, pid=2, name="Noticed")
    items = run([near, noticed], trips=[trip], home=None)
    assert [(s.person_name, s.action) for s in items] == [("Near", Action.MEET_WHILE_TRAVELLING)]
    assert items[0].details["ask"] == "coffee"
    # 15 days before the trip starts is too early
    early = run([near], trips=[trip], home=None, now=ctx().now - timedelta(days=6))
    assert all(s.action is not Action.MEET_WHILE_TRAVELLING for s in early)


def test_same_input_same_agenda():
    people = [history(*conversation(25 + k), pid=k, name=f"P{k}") for k in range(5)]
    assert run(people) == run(list(reversed(people)))
