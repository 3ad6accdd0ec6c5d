"""Per-person report figures (`kith.domain.report_figures`), summed the way the store sums
them, give the report of assessing every history (`report_of`): on many random histories,
their touches often on the edge of a window (no database: tests/integration/
test_report_figures.py holds the SQL to the same)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.domain import AskKind, Channel, Direction, History, Interaction, Invite, Response, assess
from kith.domain.context import Context
from kith.domain.report import FIRST_CALL, FIRST_MEETING, Conversion, report_of
from kith.domain.report_figures import ReportFigures, ReportTotals, report_figures, report_from
from kith.domain.rules import Rules
from kith.ingest.coverage import coverage
from tests.builders import NOW, history

EDGES = (0, 1, 29, 30, 31, 59, 60, 89, 90, 91, 179, 180, 181, 364, 365, 366, 700, 729, 730)
minutes_before = st.one_of(
    st.builds(
        lambda day, minute: day * 24 * 60 + minute,
        st.sampled_from(EDGES),
        st.integers(min_value=-14 * 60, max_value=14 * 60),
    ),
    st.integers(min_value=0, max_value=900 * 24 * 60),
)
touch = st.builds(
    lambda minutes, channel, direction, length, text, link, source: Interaction(
        occurred_at=NOW - timedelta(minutes=minutes),
        channel=channel,
        direction=direction,
        minutes=length,
        text=text,
        is_link_share=link,
        source=source,
    ),
    minutes_before,
    st.sampled_from(list(Channel)),
    st.sampled_from(list(Direction)),
    st.none() | st.integers(min_value=0, max_value=3000),
    st.sampled_from([None, "hi", "https://example.org", "see https://example.org a b c d e f"]),
    st.booleans(),
    st.sampled_from(["manual", "x", "linkedin", "telegram"]),
)
ask = st.builds(
    lambda days, kind, response, later: Invite(
        asked_at=NOW - timedelta(days=days),
        kind=kind,
        response=response,
        responded_at=None if later is None else NOW - timedelta(days=days - later),
    ),
    st.integers(min_value=-3, max_value=400),
    st.sampled_from(list(AskKind)),
    st.sampled_from(list(Response)),
    st.none() | st.integers(min_value=0, max_value=20),
)
person = st.tuples(st.lists(touch, max_size=30), st.lists(ask, max_size=3), st.booleans())
zones = st.sampled_from(["UTC", "America/Chicago", "Asia/Kolkata", "Pacific/Kiritimati"])


def summed(histories: Sequence[History], ctx: Context) -> ReportTotals:
    """What kith.store.report_figures.totals computes in SQL, over figures kept in memory."""
    figures: list[ReportFigures] = [report_figures(assess(h, ctx), ctx) for h in histories]
    names = {h.person.id: h.person.name for h in histories}
    since = ctx.today - timedelta(days=89)
    recent = [
        Conversion(f.person_id, names[f.person_id], kind, at)
        for f in figures
        for kind, at, on in (
            (FIRST_CALL, f.first_call_at, f.first_call_on),
            (FIRST_MEETING, f.first_meeting_at, f.first_meeting_on),
        )
        if at is not None and on is not None and on >= since
    ]
    asks: Counter[tuple[AskKind, Response]] = Counter()
    for h in histories:
        for inv in h.invites:
            if inv.asked_at <= ctx.now:
                answered = inv.responded_at is None or inv.responded_at <= ctx.now
                asks[inv.kind, inv.response if answered else Response.PENDING] += 1
    return ReportTotals(
        people=len(histories),
        paused=sum(h.person.paused for h in histories),
        by_stage=Counter(f.stage for f in figures),
        last_met_on=Counter(f.last_met_on for f in figures if f.last_met_on),
        days_to_first_meeting=Counter(
            f.days_to_first_meeting for f in figures if f.days_to_first_meeting is not None
        ),
        talk=sum(f.talk for f in figures),
        links=sum(f.links for f in figures),
        talk_year=sum(f.talk_year for f in figures),
        links_year=sum(f.links_year for f in figures),
        talk_by_month=[sum(col) for col in zip(*(f.talk_by_month for f in figures), strict=True)]
        or [0] * 24,
        links_by_month=[sum(col) for col in zip(*(f.links_by_month for f in figures), strict=True)]
        or [0] * 24,
        window_in=sum(f.window_in for f in figures),
        window_out=sum(f.window_out for f in figures),
        window_pairs=Counter((f.window_in, f.window_out) for f in figures if f.window_out > 0),
        milestone_days=Counter(
            (kind, day) for f in figures for kind, day in f.milestone_days().items()
        ),
        recent=sorted(recent, key=lambda c: (c.at, c.person_id), reverse=True),
        invites=asks,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(person, max_size=8),
    zones,
    st.integers(min_value=-2 * 24 * 60, max_value=2 * 24 * 60),
    st.sampled_from([180, 45]),
)
def test_summed_figures_give_the_report_of_every_assessment(people, zone, shift, window):
    ctx = Context(
        now=NOW + timedelta(minutes=shift),
        rules=Rules(timezone=zone, reciprocity_window_days=window),
        coverage=coverage(),
    )
    histories = [
        history(*touches, invites=tuple(asks), paused=paused, pid=pid, name=f"P{pid}")
        for pid, (touches, asks, paused) in enumerate(people, 1)
    ]
    assert report_from(summed(histories, ctx), ctx) == report_of(histories, ctx)


def test_many_people_with_the_same_ratio_and_days_keep_the_medians_exact():
    touches = [Interaction(NOW - timedelta(days=d), Channel.REPLY, Direction.IN) for d in (40, 30)]
    meeting = Interaction(NOW - timedelta(days=10), Channel.MEETING, Direction.BOTH)
    out = Interaction(NOW - timedelta(days=5), Channel.DM, Direction.OUT, text="a b c d e f")
    histories = [
        history(*touches[: 1 + pid % 2], meeting, *([out] * (1 + pid % 3)), pid=pid)
        for pid in range(1, 12)
    ]
    ctx = Context(now=NOW, coverage=coverage())
    expected = report_of(histories, ctx)
    assert expected.median_days_to_first_meeting is not None
    assert expected.reciprocity.median_per_person is not None
    assert report_from(summed(histories, ctx), ctx) == expected
