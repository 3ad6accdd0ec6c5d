"""Properties of the rules over arbitrary histories (Hypothesis)."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.domain import Channel, Direction, Interaction, assess
from kith.domain.ladder import LEVEL
from kith.domain.model import Fact
from kith.domain.stages import in_order, stage_of
from kith.domain.suggestions import suggestions
from tests.builders import NOW, TODAY, ctx, history

RULES = ctx().rules

interaction = st.builds(
    Interaction,
    occurred_at=st.integers(min_value=0, max_value=800 * 24 * 60).map(
        lambda m: NOW - timedelta(minutes=m)
    ),
    channel=st.sampled_from(list(Channel)),
    direction=st.sampled_from(list(Direction)),
    text=st.none() | st.sampled_from(["hi", "https://example.org", "a longer note about things"]),
    minutes=st.none() | st.integers(min_value=0, max_value=600),
)
histories = st.lists(interaction, max_size=40)
facts = st.lists(
    st.builds(
        Fact,
        text=st.just("event"),
        event_on=st.none() | st.integers(-30, 30).map(lambda d: TODAY + timedelta(days=d)),
    ),
    max_size=3,
)
fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(histories, facts)
def test_strength_stays_in_unit_interval(touches, known):
    s = assess(history(*touches, facts=tuple(known)), ctx()).strength
    assert 0.0 <= s.score <= 1.0
    assert 1 <= len(s.reasons) <= 3


@fast
@given(histories, interaction)
def test_adding_an_interaction_never_lowers_the_stage(touches, extra):
    before = stage_of(in_order(touches), RULES)
    after = stage_of(in_order([*touches, extra]), RULES)
    assert after.rank >= before.rank


@fast
@given(histories, st.sampled_from([c for c in Channel if LEVEL[c] >= 4]))
def test_a_richer_interaction_never_lowers_the_stage(touches, channel):
    richer = Interaction(NOW - timedelta(hours=1), channel, Direction.BOTH, minutes=30)
    before = stage_of(in_order(touches), RULES)
    after = stage_of(in_order([*touches, richer]), RULES)
    assert after.rank >= before.rank


@fast
@given(histories, facts, st.randoms(use_true_random=False))
def test_the_order_a_history_is_given_in_changes_nothing(touches, known, rnd):
    shuffled = list(touches)
    rnd.shuffle(shuffled)
    c = ctx()
    a = assess(history(*touches, facts=tuple(known)), c)
    b = assess(history(*shuffled, facts=tuple(known)), c)
    assert a.stage == b.stage
    assert a.milestones == b.milestones
    assert a.strength == b.strength
    assert a.readiness == b.readiness
    assert a.pace == b.pace
    assert suggestions(a, c) == suggestions(b, c)
