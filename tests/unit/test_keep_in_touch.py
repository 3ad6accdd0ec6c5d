import pytest

from kith.domain import Action, Rules, assess
from kith.domain.circles import Member, check_room
from kith.domain.suggestions import suggestions
from tests.builders import ctx, history, touch


def keep(h):
    c = ctx()
    found = [s for s in suggestions(assess(h, c), c) if s.action is Action.KEEP_IN_TOUCH]
    return found[0] if found else None


@pytest.mark.parametrize(("circle", "cadence"), [(1, 7), (2, 30), (3, 90), (4, 365)])
def test_circle_cadence(circle, cadence):
    on_time = history(touch(cadence, "dm", "in"), circle=circle)
    late = history(touch(cadence + 1, "dm", "in"), circle=circle)
    assert keep(on_time) is None
    s = keep(late)
    assert s is not None
    assert f"every {cadence} days" in s.reason


def test_no_circle_no_cadence_reminder():
    assert keep(history(touch(400, "reply", "in"))) is None


def test_the_users_own_message_counts_as_keeping_in_touch():
    assert keep(history(touch(100, "dm", "in"), touch(3, "dm", "out"), circle=2)) is None


def _contacts(gap: int, silence: int, n: int = 5):
    return [touch(silence + k * gap, "dm", "in") for k in range(n)]


def test_fading_after_four_times_the_usual_gap_and_at_least_30_days():
    # gaps of 10 days: fading once the silence exceeds 40 days
    assert keep(history(*_contacts(10, 40))) is None
    s = keep(history(*_contacts(10, 41)))
    assert s is not None
    assert s.reason.startswith("fading")
    assert s.details["fading"] is True
    # gaps of 3 days: 4x is 12, but at least 30 days of silence are needed
    assert keep(history(*_contacts(3, 29))) is None
    assert keep(history(*_contacts(3, 30))) is not None


def test_fading_needs_five_two_way_contacts():
    assert keep(history(*_contacts(10, 100, n=4))) is None
    assert keep(history(*_contacts(10, 100, n=5))) is not None


def test_circle_caps_refuse_with_the_weakest_ties_named():
    rules = Rules()
    members = [Member(i, f"P{i}", strength=i / 10) for i in range(1, 5)]
    assert check_room(1, members, rules) is None
    full = check_room(1, [*members, Member(9, "Weakest", 0.01)], rules)
    assert full is not None
    message = full.message()
    assert "Circle 1 is full (5 of 5)" in message
    assert message.index("Weakest") < message.index("P1")
