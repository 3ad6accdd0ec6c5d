from kith.domain import Rules, Stage, assess
from kith.domain.ladder import hours
from kith.domain.stages import in_order, milestones, stage_of
from tests.builders import ctx, history, touch

RULES = Rules()


def stage(*touches):
    return stage_of(in_order(touches), RULES)


def test_no_history_is_noticed():
    assert stage() is Stage.NOTICED


def test_follows_and_likes_both_ways_stay_noticed():
    assert stage(touch(5, "follow", "out"), touch(4, "like", "in"), touch(3, "like", "out")) is (
        Stage.NOTICED
    )


def test_sharing_or_commenting_is_engaging():
    assert stage(touch(3, "share", "out")) is Stage.ENGAGING
    assert stage(touch(3, "comment", "out")) is Stage.ENGAGING
    assert stage(touch(3, "dm", "out")) is Stage.ENGAGING  # written to, no answer yet


def test_their_reply_makes_acquainted_but_their_like_does_not():
    assert stage(touch(3, "comment", "out"), touch(2, "like", "in")) is Stage.ENGAGING
    assert stage(touch(3, "comment", "out"), touch(2, "reply", "in")) is Stage.ACQUAINTED
    assert stage(touch(2, "mention", "in")) is Stage.ACQUAINTED


def test_private_messages_both_ways_make_conversing():
    assert stage(touch(3, "dm", "in")) is Stage.ACQUAINTED
    assert stage(touch(3, "dm", "in"), touch(2, "email", "out")) is Stage.CONVERSING


def test_a_call_is_voice_unless_it_was_missed():
    assert stage(touch(3, "call", "both", minutes=20)) is Stage.VOICE
    assert stage(touch(3, "video", "both")) is Stage.VOICE
    assert stage(touch(3, "call", "both", minutes=0)) is Stage.NOTICED


def test_meeting_is_met_and_hours_make_friend_and_close():
    assert stage(touch(3, "meeting", "both")) is Stage.MET
    assert stage(touch(3, "gathering", "both")) is Stage.MET
    # 50 shared hours make a friend: 49.99 hours do not
    assert stage(touch(3, "meeting", "both", minutes=2999)) is Stage.MET
    assert stage(touch(3, "meeting", "both", minutes=3000)) is Stage.FRIEND
    # a gathering counts half its duration
    assert stage(touch(3, "gathering", "both", minutes=5999)) is Stage.MET
    assert stage(touch(3, "gathering", "both", minutes=6000)) is Stage.FRIEND
    assert stage(touch(3, "meeting", "both", minutes=200 * 60 - 1)) is Stage.FRIEND
    assert stage(touch(3, "meeting", "both", minutes=200 * 60)) is Stage.CLOSE


def test_stage_never_goes_down_with_time():
    h = history(touch(700, "meeting", "both"))
    assert assess(h, ctx()).stage is Stage.MET


def test_hours_per_channel_match_the_design():
    expected = {
        ("like", None): 0.0,
        ("follow", None): 0.0,
        ("share", None): 0.01,
        ("comment", None): 0.05,
        ("reply", None): 0.05,
        ("mention", None): 0.05,
        ("dm", None): 0.03,
        ("chat", None): 0.03,
        ("email", None): 0.1,
        ("call", None): 0.5,
        ("video", None): 0.75,
        ("meeting", None): 2.0,
        ("gathering", None): 1.5,
        ("call", 90): 1.5,
        ("gathering", 60): 0.5,
    }
    for (channel, minutes), want in expected.items():
        direction = "both" if channel in ("call", "video", "meeting", "gathering") else "out"
        got = hours(touch(1, channel, direction, minutes=minutes), RULES)
        assert abs(got - want) < 1e-9, (channel, minutes, got)


def test_milestones_mark_first_time_each_stage_and_firsts():
    touches = in_order(
        (
            touch(30, "follow", "out"),
            touch(25, "comment", "out"),
            touch(24, "reply", "in"),
            touch(20, "dm", "in"),
            touch(19, "dm", "out"),
            touch(10, "call", "both", minutes=30),
            touch(2, "meeting", "both"),
        )
    )
    kinds = [
        (m.kind, round((touches[-1].occurred_at - m.at).days)) for m in milestones(touches, RULES)
    ]
    assert kinds == [
        ("noticed", 28),
        ("engaging", 23),
        ("acquainted", 22),
        ("first_inbound_message", 18),
        ("conversing", 17),
        ("voice", 8),
        ("first_call", 8),
        ("met", 0),
        ("first_meeting", 0),
    ]


def test_a_first_meeting_does_not_invent_earlier_stages():
    kinds = [m.kind for m in milestones(in_order((touch(3, "meeting", "both"),)), RULES)]
    assert kinds == ["noticed", "met", "first_meeting"]
