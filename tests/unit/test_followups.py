from datetime import date, timedelta

import pytest

from kith.domain import Action, assess
from kith.domain.model import Fact
from kith.domain.suggestions import suggestions
from tests.builders import TODAY, ctx, history, touch


def kinds(h, now_ctx=None):
    c = now_ctx or ctx()
    return {s.action: s for s in suggestions(assess(h, c), c)}


def with_event(days_from_now: int, *touches):
    when = TODAY + timedelta(days=days_from_now)
    return history(*touches, facts=(Fact("gives a talk at PyCon", when),))


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (3, None),
        (2, Action.WISH_LUCK),
        (0, Action.WISH_LUCK),
        (-1, Action.ASK_HOW_IT_WENT),
        (-14, Action.ASK_HOW_IT_WENT),
        (-15, None),
    ],
)
def test_follow_up_windows(offset, expected):
    got = kinds(with_event(offset))
    follow = {a for a in got if a in (Action.WISH_LUCK, Action.ASK_HOW_IT_WENT)}
    assert follow == (set() if expected is None else {expected})
    if expected is not None:
        s = got[expected]
        assert s.details == {
            "fact": "gives a talk at PyCon",
            "event_on": (TODAY + timedelta(days=offset)).isoformat(),
        }


def test_an_outbound_touch_since_the_event_day_ends_the_follow_up():
    assert Action.ASK_HOW_IT_WENT not in kinds(with_event(-5, touch(2, "dm", "out")))
    assert Action.ASK_HOW_IT_WENT not in kinds(with_event(-5, touch(5, "dm", "out")))
    # writing to them before the event does not count as asking how it went
    assert Action.ASK_HOW_IT_WENT in kinds(with_event(-5, touch(6, "dm", "out")))


def test_wishing_luck_is_not_suggested_twice():
    assert Action.WISH_LUCK not in kinds(with_event(1, touch(0.1, "dm", "out")))


def test_birthday_two_days_ahead_and_on_the_day():
    born = lambda d: date(1990, (TODAY + timedelta(days=d)).month, (TODAY + timedelta(days=d)).day)  # noqa: E731
    assert Action.BIRTHDAY in kinds(history(birthday=born(0)))
    assert Action.BIRTHDAY in kinds(history(birthday=born(2)))
    assert Action.BIRTHDAY not in kinds(history(birthday=born(3)))
    assert Action.BIRTHDAY not in kinds(history(birthday=born(-1)))


def test_leap_day_birthday_falls_on_28_february_in_common_years():
    from datetime import UTC, datetime

    c = ctx(now=datetime(2027, 2, 28, 12, tzinfo=UTC))
    got = kinds(history(birthday=date(2000, 2, 29)), c)
    assert Action.BIRTHDAY in got
