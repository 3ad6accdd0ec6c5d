from kith.domain import Action, AskKind, Response, assess
from kith.domain.agenda import best_for
from kith.domain.suggestions import suggestions
from tests.builders import (
    CHICAGO,
    EVANSTON,
    MILWAUKEE,
    conversation,
    ctx,
    history,
    invite,
    touch,
)


def ready(h, **kw):
    return assess(h, ctx(**kw)).readiness


def actions(h, **kw):
    c = ctx(**kw)
    return {s.action: s for s in suggestions(assess(h, c), c)}


def test_first_two_way_contact_must_be_21_days_old():
    assert not ready(history(*conversation(20), location=EVANSTON)).ready
    r = ready(history(*conversation(21), location=EVANSTON))
    assert r.ready, r.missing
    assert r.ask is AskKind.COFFEE


def test_needs_three_inbound_touches_in_the_last_90_days():
    assert not ready(history(*conversation(30, inbound_recent=1), touch(89.9, "like", "in"))).ready
    assert ready(history(*conversation(30, inbound_recent=2), touch(89.5, "like", "in"))).ready
    # 90 days ago is outside the window
    assert not ready(history(*conversation(30, inbound_recent=1), touch(90.5, "like", "in"))).ready


def test_reciprocity_at_least_one_half():
    base = conversation(40)  # 4 in, 4 out
    assert ready(history(*base, *(touch(12 + k, "like", "out") for k in range(4)))).ready
    r = ready(history(*base, *(touch(12 + k, "like", "out") for k in range(5))))
    assert not r.ready
    assert "4 touches from them for 9 from you in the last 180 days" in r.reason()


def test_no_real_life_ask_while_the_pace_says_ease_off():
    base = conversation(40)
    burst = [touch(0.2 + k / 2, "dm", "out") for k in range(6)]
    r = ready(history(*base, *burst))
    assert not r.ready
    assert (
        "ease off first: 9 touches from you in the last 7 days (3 from them), "
        "against 0.1 a week before"
    ) in r.missing


def test_stage_must_be_acquainted_conversing_or_voice():
    assert not ready(history(*conversation(40), touch(30, "meeting", "both"))).ready
    assert ready(history(*conversation(40), touch(30, "call", "both", minutes=10))).ready
    assert not ready(history(touch(40, "comment", "out"), touch(1, "like", "in"))).ready


def test_ask_ladder_climbs_one_rung_at_a_time():
    assert ready(history(*conversation(40), location=EVANSTON)).ask is AskKind.COFFEE
    assert ready(history(*conversation(40), location=MILWAUKEE)).ask is AskKind.CALL
    assert ready(history(*conversation(40))).ask is AskKind.CALL  # city unknown
    assert ready(history(*conversation(40)), home=None).ask is AskKind.CALL
    after_call = history(
        *conversation(40), touch(30, "call", "both", minutes=20), location=MILWAUKEE
    )
    assert ready(after_call).ask is AskKind.VIDEO


def test_pending_ask_blocks_then_no_answer_allows_a_new_ask_30_days_after_the_first():
    h = lambda asked: history(*conversation(60), invites=(invite(asked),))  # noqa: E731
    assert not ready(h(10)).ready  # still waiting for an answer
    assert not ready(h(29)).ready  # no answer after 14 days, but not yet 30 days
    assert ready(h(30)).ready


def test_neutral_answer_waits_30_days_from_the_ask():
    h = lambda asked: history(  # noqa: E731
        *conversation(60), invites=(invite(asked, Response.NEUTRAL, asked - 1),)
    )
    assert not ready(h(29)).ready
    assert ready(h(30)).ready


def test_negative_answer_backs_off_90_days_and_offers_engagement():
    def h(answered):
        # they keep talking (three messages this month), the user last wrote 10 days ago
        talk = [touch(200, "reply", "in")]
        talk += [touch(d, "dm", "in") for d in (30, 20, 12)]
        talk += [touch(d, "dm", "out") for d in (31, 21, 10)]
        return history(*talk, invites=(invite(answered + 1, Response.NEGATIVE, answered),))

    inside = assess(h(89), ctx())
    assert not inside.readiness.ready
    assert any("backing off" in m for m in inside.readiness.missing)
    got = actions(h(89))
    assert Action.RAISE_IRL not in got
    assert Action.ENGAGE in got
    assert "ask again from" in got[Action.ENGAGE].reason
    assert ready(h(91)).ready
    assert Action.ENGAGE not in actions(h(91))


def test_positive_answer_asks_for_a_time_until_scheduled_or_met():
    yes = invite(5, Response.POSITIVE, 4)
    got = actions(history(*conversation(60), invites=(yes,)))
    assert Action.SCHEDULE in got
    assert got[Action.SCHEDULE].details["invite_id"] == 1
    assert Action.RAISE_IRL not in got
    scheduled = invite(5, Response.POSITIVE, 4, scheduled_in_days=3)
    assert Action.SCHEDULE not in actions(history(*conversation(60), invites=(scheduled,)))
    met = history(*conversation(60), touch(1, "meeting", "both"), invites=(yes,))
    assert Action.SCHEDULE not in actions(met)


def test_raise_irl_rises_from_the_third_to_the_sixth_week():
    def priority(days):
        c = ctx()
        s = best_for(assess(history(*conversation(days), location=EVANSTON), c), c)
        assert s is not None
        assert s.action is Action.RAISE_IRL
        return s.priority

    assert priority(21) < priority(30) < priority(42)
    assert priority(42) == priority(60)


def test_raise_irl_details_carry_the_ask_and_a_phrasing():
    c = ctx()
    s = best_for(assess(history(*conversation(30), location=MILWAUKEE), c), c)
    assert s is not None
    assert s.details["ask"] == "call"
    assert "call" in str(s.details["phrasing"])
    assert "133 km away" in s.reason or "km away" in s.reason


def test_home_distance_is_measured_from_the_users_home():
    a = assess(history(location=EVANSTON), ctx(home=CHICAGO))
    assert a.distance_km is not None
    assert 15 < a.distance_km < 30
