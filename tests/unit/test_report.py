"""The pure report (`kith.domain.report`) on small scripted histories, against hand counts.

`NOW` is 2026-03-01 12:00 UTC (tests/builders.py); `touch(d, ...)` happens d days before it.
Dates used below: 10d = 2026-02-19, 20d = 2026-02-09, 40d = 2026-01-20, 60d = 2025-12-31,
79d = 2025-12-12, 90d = 2025-12-01, 100d = 2025-11-21, 200d = 2025-08-13, 364d = 2025-03-02,
365d = 2025-03-01, 370d = 2025-02-24, 400d = 2025-01-25, 450d = 2024-12-06, 500d = 2024-10-17.
"""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime

import pytest

from kith.domain import AskKind, Channel, Direction, Interaction, Rules, Stage
from kith.domain.report import FIRST_CALL, FIRST_MEETING, Report, TalkCount, report_of
from tests.builders import at, ctx, history, invite, touch


def run(*histories, context=None) -> Report:
    return report_of(histories, context or ctx())


def named(pid, *touches, **kw):
    return history(*touches, pid=pid, name=f"Person {pid}", **kw)


# -- people, stages, funnel ------------------------------------------------------------------
def test_people_by_stage_and_the_funnel_count_paused_people_too():
    r = run(
        named(1, touch(5, "like", "out")),  # noticed
        named(2, touch(5, "like", "out"), paused=True),  # noticed, paused
        named(3, touch(5, "comment", "out")),  # engaging
        named(4, touch(5, "reply", "in")),  # acquainted
        named(5, touch(6, "dm", "out"), touch(5, "dm", "in")),  # conversing
        named(6, touch(5, "call", "both")),  # voice
        named(7, touch(5, "meeting", "both")),  # met
        named(8, touch(5, "meeting", "both", minutes=3000)),  # friend: met and 50 hours
        named(9, touch(5, "meeting", "both", minutes=12000)),  # close: 200 hours
    )
    # hand count: 9 people, 1 paused; two noticed, one at each later stage
    assert r.people == 9
    assert r.paused == 1
    assert r.by_stage == {
        Stage.NOTICED: 2,
        Stage.ENGAGING: 1,
        Stage.ACQUAINTED: 1,
        Stage.CONVERSING: 1,
        Stage.VOICE: 1,
        Stage.MET: 1,
        Stage.FRIEND: 1,
        Stage.CLOSE: 1,
    }
    # the funnel counts people at or past each stage: 9, 7, 6, 5, 4, 3, 2, 1
    assert list(r.funnel.values()) == [9, 7, 6, 5, 4, 3, 2, 1]
    assert list(r.funnel) == list(Stage)


def test_a_person_with_no_history_is_noticed_and_counted():
    r = run(named(1))
    assert r.people == 1
    assert r.by_stage[Stage.NOTICED] == 1
    assert r.funnel[Stage.NOTICED] == 1


def test_an_empty_base_reports_zeros_and_no_ratios():
    r = run()
    assert r.people == 0
    assert sum(r.by_stage.values()) == 0
    assert r.met_last_365d == 0
    assert r.median_days_to_first_meeting is None
    assert r.conversation_share is None
    assert r.reciprocity.ratio is None
    assert r.reciprocity.median_per_person is None
    assert r.invites.accepted_share is None
    assert len(r.months) == 24
    # no milestone at all: only the current quarter, empty
    assert [q.label for q in r.quarters] == ["2026-Q1"]
    assert r.recent == ()


# -- meetings ----------------------------------------------------------------------------------
def test_met_last_365d_and_median_days_from_first_contact_to_first_meeting():
    r = run(
        # first two-way contact 90d (a reply), first meeting 60d: 30 days; met this year
        named(
            1, touch(100, "comment", "out"), touch(90, "reply", "in"), touch(60, "meeting", "both")
        ),
        # reply 400d, meeting 370d: 30 days; a call at 300d; no meeting in the last 365 days
        named(
            2, touch(400, "reply", "in"), touch(370, "meeting", "both"), touch(300, "call", "both")
        ),
        # a gathering is the first contact: 0 days; met this year
        named(3, touch(10, "gathering", "both")),
        # a meeting logged as outbound is no two-way contact; the later DM from them would be
        # the first contact, so the meeting day counts as the first: 0 days; met this year
        named(4, touch(20, "meeting", "out"), touch(5, "dm", "in")),
        # a meeting logged with 0 minutes did not happen: never met
        named(5, touch(50, "reply", "in"), touch(5, "meeting", "both", minutes=0)),
    )
    # hand count: met ever = 1, 2, 3, 4; in the last 365 days = 1, 3, 4
    assert r.met_ever == 4
    assert r.met_last_365d == 3
    # days: [30, 30, 0, 0], median 15
    assert r.median_days_to_first_meeting == 15.0


def test_met_in_the_last_365_days_is_364_days_ago_not_365():
    r = run(named(1, touch(364, "meeting", "both")), named(2, touch(365, "meeting", "both")))
    # 364d = 2025-03-02 is within the 365 calendar days ending 2026-03-01; 365d is not
    assert r.met_ever == 2
    assert r.met_last_365d == 1


def test_only_the_latest_meeting_decides_met_in_the_last_year():
    r = run(named(1, touch(500, "meeting", "both"), touch(30, "meeting", "both")))
    assert r.met_last_365d == 1
    # the first meeting is the first contact: 0 days
    assert r.median_days_to_first_meeting == 0.0


def test_anything_after_now_is_ignored():
    r = run(named(1, touch(10, "reply", "in"), touch(-1, "meeting", "both")))
    assert r.met_ever == 0
    assert r.by_stage[Stage.ACQUAINTED] == 1
    assert r.median_days_to_first_meeting is None


# -- talk versus link --------------------------------------------------------------------------
def test_conversation_share_counts_composed_touches_against_shares_and_bare_links():
    flagged = Interaction(at(6), Channel.DM, Direction.OUT, is_link_share=True)
    r = run(
        named(
            1,
            touch(1, "like", "out"),  # neither: one click
            touch(2, "follow", "out"),  # neither
            touch(3, "share", "out"),  # link: a repost passes a link along
            touch(4, "comment", "out", text="Lovely photo of the harbour, where was it?"),  # talk
            touch(5, "dm", "out", text="https://example.com/a"),  # link: nothing but a URL
            flagged,  # link: marked as a link share by its importer
            touch(6.5, "dm", "out"),  # talk: a message without stored text
            touch(7, "reply", "in"),  # neither: inbound
            touch(8, "call", "both"),  # neither: a shared moment, not the user's output
            touch(9, "call", "out", minutes=0),  # neither: a missed call did not happen
            # talk: six words besides the link
            touch(
                10, "email", "out", text="see https://example.com/r for the numbers we discussed"
            ),
            touch(11, "meeting", "out"),  # talk: the user went to see them
            touch(400, "mention", "out", text="Congratulations on the new job!"),  # talk, old
            touch(450, "comment", "out", text="What a great talk, thank you"),  # talk, old
            touch(500, "share", "out"),  # link, old
        )
    )
    # last 365 days: talk = 4d comment, 6.5d DM, 10d email, 11d meeting = 4; links = 3d share,
    # 5d URL DM, 6d flagged DM = 3; share 4 / 7
    assert r.conversation == TalkCount(talk=4, links=3)
    assert r.conversation_share == pytest.approx(4 / 7)
    # all time adds 400d and 450d (talk) and 500d (link): 6 talk, 4 links
    assert r.conversation_all_time == TalkCount(talk=6, links=4)
    assert r.conversation_all_time.share == 0.6


def test_link_share_threshold_follows_the_rules():
    text = "read https://example.com/x now please friend"  # four words besides the link
    assert run(named(1, touch(1, "dm", "out", text=text))).conversation == TalkCount(0, 1)
    looser = ctx(rules=Rules(link_share_max_words=4))
    assert run(named(1, touch(1, "dm", "out", text=text)), context=looser).conversation == (
        TalkCount(1, 0)
    )


def test_no_outbound_activity_gives_no_share():
    r = run(named(1, touch(1, "reply", "in"), touch(2, "like", "out")))
    assert r.conversation == TalkCount(0, 0)
    assert r.conversation_share is None


# -- reciprocity -------------------------------------------------------------------------------
def test_reciprocity_overall_and_median_per_person_over_180_days():
    r = run(
        # in 3, out 2: 1.5
        named(
            1,
            touch(10, "comment", "out"),
            touch(9, "dm", "out"),
            touch(8, "dm", "in"),
            touch(7, "dm", "in"),
            touch(6, "reply", "in"),
        ),
        # in 1, out 4 (a like counts as a touch): 0.25
        named(
            2,
            touch(5, "like", "out"),
            touch(4, "share", "out"),
            touch(3, "comment", "out"),
            touch(2, "dm", "out"),
            touch(1, "dm", "in"),
        ),
        # a call counts both ways: in 1, out 1: 1.0; the DM 200 days ago is outside the window
        named(3, touch(20, "call", "both"), touch(200, "dm", "out")),
        # in 1, out 0: no ratio, but the inbound touch counts overall
        named(4, touch(10, "dm", "in")),
        # a missed call counts neither way
        named(5, touch(5, "call", "both", minutes=0)),
    )
    rec = r.reciprocity
    # overall: in 3 + 1 + 1 + 1 = 6, out 2 + 4 + 1 = 7
    assert (rec.inbound, rec.outbound) == (6, 7)
    assert rec.ratio == pytest.approx(6 / 7)
    # median of [1.5, 0.25, 1.0] over the 3 people with an outbound touch
    assert rec.median_per_person == 1.0
    assert rec.people == 3
    assert rec.window_days == 180


def test_reciprocity_window_follows_the_rules():
    h = named(1, touch(100, "dm", "out"), touch(10, "dm", "in"), touch(5, "dm", "out"))
    assert run(h).reciprocity.ratio == 0.5  # in 1, out 2
    short = ctx(rules=Rules(reciprocity_window_days=30))
    assert run(h, context=short).reciprocity.ratio == 1.0  # in 1, out 1


# -- real-life asks ----------------------------------------------------------------------------
def test_invites_asked_answered_and_accepted_by_kind():
    r = run(
        named(
            1,
            invites=(
                invite(100, "positive", 99, kind="coffee"),
                invite(50, "neutral", 49, kind="call"),
            ),
        ),
        named(
            2,
            invites=(invite(40, "negative", 39, kind="call"), invite(10, kind="video")),
        ),
        named(
            3,
            invites=(
                # answered after now: still pending at the moment of the report
                invite(5, "positive", -1, kind="meal"),
                # asked after now: not asked yet
                invite(-2, kind="event"),
            ),
            paused=True,
        ),
    )
    # hand count: asked coffee, call, call, video, meal = 5; answered positive (coffee),
    # neutral (call), negative (call) = 3; pending video, meal = 2; accepted 1 of 3
    total = r.invites
    assert (total.asked, total.answered, total.pending) == (5, 3, 2)
    assert (total.positive, total.neutral, total.negative) == (1, 1, 1)
    assert total.accepted_share == pytest.approx(1 / 3)
    kinds = r.invites_by_kind
    assert (kinds[AskKind.CALL].asked, kinds[AskKind.CALL].answered) == (2, 2)
    assert kinds[AskKind.CALL].accepted_share == 0.0
    assert kinds[AskKind.COFFEE].accepted_share == 1.0
    assert (kinds[AskKind.VIDEO].asked, kinds[AskKind.VIDEO].accepted_share) == (1, None)
    assert (kinds[AskKind.MEAL].asked, kinds[AskKind.MEAL].pending) == (1, 1)
    assert kinds[AskKind.EVENT].asked == 0


# -- conversions over time ---------------------------------------------------------------------
def test_first_time_at_each_stage_by_quarter_from_milestones():
    r = run(
        named(
            1,
            touch(100, "comment", "out"),  # 2025-11-21: noticed, engaging (2025-Q4)
            touch(90, "reply", "in"),  # 2025-12-01: acquainted
            touch(80, "dm", "out"),
            touch(79, "dm", "in"),  # 2025-12-12: conversing
            touch(40, "call", "both"),  # 2026-01-20: voice, first call (2026-Q1)
            touch(20, "meeting", "both"),  # 2026-02-09: met, first meeting
        ),
        named(
            2,
            touch(200, "like", "out"),  # 2025-08-13: noticed (2025-Q3)
            touch(10, "meeting", "both"),  # 2026-02-19: straight to met, first meeting (2026-Q1)
        ),
    )
    rows = {q.label: q for q in r.quarters}
    # every quarter from the first milestone's to the current one
    assert list(rows) == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert rows["2025-Q3"].starts_on.isoformat() == "2025-07-01"

    def reached(label):
        return {s.value: n for s, n in rows[label].reached.items() if n}

    assert reached("2025-Q3") == {"noticed": 1}
    assert reached("2025-Q4") == {"noticed": 1, "engaging": 1, "acquainted": 1, "conversing": 1}
    # person 2 skipped every stage between noticed and met: only met is reached
    assert reached("2026-Q1") == {"voice": 1, "met": 2}
    assert (rows["2026-Q1"].first_calls, rows["2026-Q1"].first_meetings) == (1, 2)
    assert (rows["2025-Q4"].first_calls, rows["2025-Q4"].first_meetings) == (0, 0)


def test_a_call_after_a_first_meeting_is_a_first_call_but_not_the_voice_stage():
    r = run(named(1, touch(50, "meeting", "both"), touch(20, "call", "both")))
    q = r.quarters[-1]
    assert q.reached[Stage.VOICE] == 0
    assert q.reached[Stage.MET] == 1
    assert (q.first_calls, q.first_meetings) == (1, 1)


def test_monthly_trend_covers_24_months_with_first_calls_meetings_and_share():
    r = run(
        named(1, touch(40, "call", "both"), touch(20, "meeting", "both"), touch(19, "dm", "out")),
        named(
            2, touch(10, "meeting", "both"), touch(9, "share", "out"), touch(400, "comment", "out")
        ),
        named(3, touch(800, "meeting", "both")),  # before the trend's first month
    )
    labels = [m.label for m in r.months]
    assert len(labels) == 24
    assert (labels[0], labels[-1]) == ("2024-04", "2026-03")
    months = {m.label: m for m in r.months}
    # 2026-01: person 1's first call; 2026-02: two first meetings, one DM (talk), one share
    assert (months["2026-01"].first_calls, months["2026-01"].first_meetings) == (1, 0)
    assert (months["2026-02"].first_calls, months["2026-02"].first_meetings) == (0, 2)
    assert months["2026-02"].talk == TalkCount(talk=1, links=1)
    # 400d = 2025-01-25: a comment
    assert months["2025-01"].talk == TalkCount(talk=1, links=0)
    assert months["2026-03"].talk.share is None
    assert sum(m.first_meetings for m in r.months) == 2


def test_quarters_and_months_follow_the_users_zone():
    # 03:00 UTC on 1 January 2026 is 21:00 on 31 December 2025 in Chicago
    new_year = Interaction(datetime(2026, 1, 1, 3, 0, tzinfo=UTC), Channel.MEETING, Direction.BOTH)
    # 04:00 UTC on 1 October 2025 is 23:00 on 30 September in Chicago
    autumn = Interaction(datetime(2025, 10, 1, 4, 0, tzinfo=UTC), Channel.CALL, Direction.BOTH)
    h = named(1, autumn, new_year)
    chicago = run(h, context=ctx(rules=Rules(timezone="America/Chicago")))
    utc = run(h)

    def firsts(r):
        return {
            q.label: (q.first_calls, q.first_meetings)
            for q in r.quarters
            if q.first_calls or q.first_meetings
        }

    assert firsts(chicago) == {"2025-Q3": (1, 0), "2025-Q4": (0, 1)}
    assert firsts(utc) == {"2025-Q4": (1, 0), "2026-Q1": (0, 1)}
    chicago_months = {m.label: m.first_meetings for m in chicago.months if m.first_meetings}
    assert chicago_months == {"2025-12": 1}


# -- recent conversions ------------------------------------------------------------------------
def test_recent_first_calls_and_meetings_newest_first():
    r = run(
        named(1, touch(40, "call", "both"), touch(20, "meeting", "both")),
        named(2, touch(10, "meeting", "both")),
        named(3, touch(100, "meeting", "both")),  # more than 90 days ago
    )
    assert [(c.person_id, c.kind) for c in r.recent] == [
        (2, FIRST_MEETING),
        (1, FIRST_MEETING),
        (1, FIRST_CALL),
    ]
    assert r.recent[0].name == "Person 2"
    assert r.recent[0].at == at(10)


def test_recent_keeps_the_twenty_newest():
    r = run(*(named(pid, touch(pid, "meeting", "both")) for pid in range(1, 31)))
    assert [c.person_id for c in r.recent] == list(range(1, 21))


def test_the_report_reads_histories_one_at_a_time():
    # a generator is consumed once, in order, without being kept
    made = []

    def histories():
        for pid in range(1, 4):
            made.append(pid)
            yield named(pid, touch(pid, "reply", "in"))

    r = report_of(histories(), ctx())
    assert made == [1, 2, 3]
    assert r.people == 3


# -- charts and sparklines drawn from a report -------------------------------------------------
def test_sparkline_runs_from_the_lowest_to_the_highest_block():
    from kith.cli.render_report import sparkline

    assert sparkline([0, 1, 2]) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([None, 0.5, 1.0], top=1.0) == "·▅█"
    assert sparkline([0, 7]) == "▁█"
    assert sparkline([]) == ""


def _busy_report() -> Report:
    touches = [
        touch(d, "dm", "out", text="How are you doing these days?") for d in range(1, 700, 9)
    ]
    people = [
        named(pid, touch(pid * 7 % 700, "reply", "in"), *(touches if pid == 1 else ()))
        for pid in range(1, 200)
    ]
    people += [named(300 + k, touch(k * 11 % 700, "meeting", "both")) for k in range(60)]
    people += [named(400 + k, touch(k * 13 % 700, "call", "both")) for k in range(60)]
    return run(*people)


def test_png_is_a_real_png_of_the_expected_size():
    from PIL import Image

    from kith.reporting import charts

    data = charts.png(_busy_report())
    assert data[:8] == charts.PNG_SIGNATURE
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (1000, 940)


def test_each_png_panel_has_one_value_axis():
    from kith.reporting import charts

    fig = charts.figure(_busy_report(), *charts.PANELS)
    # one Axes per panel: no twin axis (a twin is an Axes of its own sharing the x axis)
    assert len(fig.axes) == len(charts.PANELS) == 3
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert labels == ["", "people per month", "talk share"]
    assert fig.axes[2].get_ylim() == (0, 1.05)


def test_a_figure_of_unknown_or_no_parts_is_refused():
    from kith.reporting import charts

    with pytest.raises(ValueError, match="unknown chart part 'trend'"):
        charts.figure(_busy_report(), "funnel", "trend")
    with pytest.raises(ValueError, match="at least one part"):
        charts.figure(_busy_report())


def test_chart_texts_do_not_overlap():
    from matplotlib.text import Text

    from kith.reporting import charts

    fig = charts.figure(_busy_report(), *charts.PANELS)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    assert len(boxes) > 30  # titles, stage names, counts, months, axis labels, legend
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)
    width, height = fig.bbox.width, fig.bbox.height
    for text, box in boxes:
        assert box.x0 >= 0, text
        assert box.x1 <= width, text
        assert box.y0 >= 0, text
        assert box.y1 <= height, text
