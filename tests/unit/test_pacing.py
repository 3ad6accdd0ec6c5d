from dataclasses import replace

from kith.domain import Rules, assess
from kith.domain.pacing import is_link_share, pace, reciprocity, word_count
from kith.domain.timeline import timeline
from kith.ingest.coverage import coverage
from tests.builders import TODAY, ctx, history, touch

RULES = Rules()


def tl(touches):
    return timeline(touches, RULES.timezone)


def pace_of(*touches):
    return pace(tl(touches), TODAY, RULES)


def test_burst_needs_more_than_three_touches_in_a_week_without_history():
    three = [touch(d, "comment", "out") for d in (0.1, 1, 2)]
    assert not pace_of(*three, touch(0, "reply", "in")).burst
    four = [touch(d, "comment", "out") for d in (0.1, 1, 2, 3)]
    assert pace_of(*four, touch(0.05, "reply", "in")).burst


def test_burst_threshold_is_twice_the_weekly_average_of_the_eight_weeks_before():
    # 16 outbound touches in the 8 weeks before: 2 a week, so the bar is max(3, 4) = 4
    baseline = [touch(8 + k * 3, "comment", "out") for k in range(16)]
    answers = [touch(0.01, "reply", "in")]
    four = [touch(d, "comment", "out") for d in (0.5, 1, 2, 3)]
    five = [*four, touch(4, "comment", "out")]
    assert not pace_of(*baseline, *four, *answers).burst
    assert pace_of(*baseline, *five, *answers).burst


def test_a_touch_seven_days_ago_belongs_to_the_baseline_not_the_week():
    p = pace_of(*(touch(d, "comment", "out") for d in (1, 2, 3, 7)), touch(0.1, "reply", "in"))
    assert p.recent_out == 3
    assert not p.burst


def test_four_unanswered_touches_are_fine_five_are_not():
    first = [touch(60, "reply", "in")]
    four = [touch(50 - k * 7, "comment", "out") for k in range(4)]
    assert not pace_of(*first, *four).ignored
    assert pace_of(*first, *four, touch(1, "comment", "out")).ignored


def test_an_answer_in_between_resets_the_unanswered_run():
    run = [touch(50 - k * 7, "comment", "out") for k in range(3)]
    later = [touch(20 - k * 4, "comment", "out") for k in range(4)]
    p = pace_of(*run, touch(25, "reply", "in"), *later)
    assert p.unanswered == 4
    assert not p.slow_down


def test_reciprocity_counts_180_days_and_shared_moments_both_ways():
    h = tl(
        (
            touch(179, "dm", "in"),
            touch(180, "dm", "in"),  # outside the window
            touch(10, "dm", "out"),
            touch(9, "dm", "out"),
            touch(5, "call", "both", minutes=10),
        )
    )
    r = reciprocity(h, TODAY, RULES)
    assert (r.inbound, r.outbound) == (2, 3)
    assert abs((r.ratio or 0) - 2 / 3) < 1e-9


def test_reciprocity_with_nothing_sent_is_undefined_but_generous():
    r = reciprocity(tl((touch(3, "dm", "in"),)), TODAY, RULES)
    assert r.ratio is None
    assert r.at_least(0.5)


def test_link_share_is_a_link_with_fewer_than_five_words():
    assert is_link_share("https://example.org/post", RULES)
    assert is_link_share("look at this https://example.org/x now", RULES)  # 4 words
    assert not is_link_share("look at this great piece https://example.org/x", RULES)  # 5
    assert not is_link_share("hi there", RULES)  # no link at all
    assert word_count("www.example.org is great, isn't it?") == 4


def test_slow_down_shows_in_the_assessment():
    h = history(touch(60, "reply", "in"), *(touch(d, "comment", "out") for d in (1, 2, 3, 4, 5)))
    a = assess(h, ctx())
    assert a.pace.slow_down
    assert "5 touches" in a.pace.reason()


def test_words_are_runs_between_spaces_holding_a_letter_or_digit():
    assert word_count("don't stop") == 2
    assert word_count("a - b :) ok") == 3
    assert word_count("émigré’s café, 1-2-3!") == 3
    assert word_count("see https://example.org/a and WWW.example.org/b now") == 3
    assert word_count("") == 0


def _from(source, touch_):
    return replace(touch_, source=source)


def _with_coverage():
    return replace(ctx(), coverage=coverage())


def test_touches_whose_source_cannot_show_an_answer_are_never_unanswered():
    c = _with_coverage()
    replies = [_from("x", touch(d, "reply", "out")) for d in (1, 2, 3, 4, 5, 6)]
    a = assess(history(*replies), c)
    assert (a.pace.unanswered, a.pace.recent_out, a.pace.slow_down) == (0, 0, False)
    assert a.reciprocity.outbound == 0  # nor do they weigh on reciprocity
    assert "your X archive holds only one side of replies" in (c.coverage.note(a.pace.unseen) or "")
    # the same touches as X direct messages, which the archive holds both ways
    dms = [_from("x", touch(d, "dm", "out")) for d in (1, 2, 3, 4, 5, 6)]
    a = assess(history(*dms), c)
    assert (a.pace.unanswered, a.pace.slow_down) == (6, True)
    assert c.coverage.note(a.pace.unseen) is None
    # logged by hand: the user could have logged an answer, so silence counts
    by_hand = [touch(d, "reply", "out") for d in (1, 2, 3, 4, 5, 6)]
    assert assess(history(*by_hand), c).pace.slow_down


def test_an_answer_from_any_source_breaks_a_run():
    c = _with_coverage()
    dms = [_from("linkedin", touch(d, "dm", "out")) for d in (2, 3, 4, 5, 6)]
    group_message = _from("x", touch(1, "chat", "in"))  # X group DMs: only theirs are held
    a = assess(history(*dms, group_message), c)
    assert a.pace.unanswered == 0
    assert a.reciprocity.inbound == 0  # their side only: not a balance
    assert a.reciprocity.outbound == 5
