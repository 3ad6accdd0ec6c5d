"""The report's SVG charts (`kith.reporting.charts.charts`): they scale with the page, keep one
measure per value axis, carry no title, and draw exactly the report's numbers.

`NOW` is 2026-03-01 12:00 UTC (tests/builders.py); `touch(d, ...)` happens d days before it:
10d = 2026-02-19, 40d = 2026-01-20, 100d = 2025-11-21, 200d = 2025-08-13.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from kith.domain import Stage
from kith.domain.report import Report, report_of
from kith.reporting import charts
from tests.builders import ctx, history, touch

SVG = "{http://www.w3.org/2000/svg}"
#: how wide a chart is on a 390 px phone: the page's padding and the card's leave 335 px
PHONE_CHART_PX = 335


def _report() -> Report:
    talk = "How did the talk go? I would love to hear more"
    people = [
        history(touch(200, "dm", "out", text=talk), touch(199, "dm", "in"), pid=1, name="A"),
        history(touch(100, "call", "both"), touch(99, "dm", "out", text=talk), pid=2, name="B"),
        history(touch(40, "meeting", "both"), pid=3, name="C"),
        history(
            touch(10, "call", "both"),
            touch(10, "dm", "out", text="https://example.org"),
            touch(9, "dm", "out", text=talk),
            pid=4,
            name="D",
        ),
        history(touch(5, "like", "out"), pid=5, name="E"),
    ]
    return report_of(people, ctx())


def _parsed(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(chart.markup)  # also proves the markup is well-formed XML


def _all(root: ET.Element, tag: str, **attrs: str) -> list[ET.Element]:
    return [
        e
        for e in root.iter(SVG + tag)
        if all(e.get(k.replace("_", "-")) == v for k, v in attrs.items())
    ]


def _texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(SVG + "text"))


@pytest.fixture(scope="module")
def drawn() -> dict[str, charts.Chart]:
    return charts.charts(_report())


def test_the_charts_come_in_the_page_order(drawn):
    assert tuple(drawn) == charts.NAMES == ("funnel", "firsts", "share")
    assert set(charts.CAPTIONS) == set(charts.NAMES)


@pytest.mark.parametrize("name", charts.NAMES)
def test_each_chart_scales_with_its_box_and_has_no_title(drawn, name):
    chart = drawn[name]
    root = _parsed(chart)
    assert root.tag == SVG + "svg"
    assert root.get("viewBox") == f"0 0 {chart.width} {chart.height}"
    # no fixed size: the page sets its width and the viewBox its height
    assert root.get("width") is None
    assert root.get("height") is None
    assert "px" not in chart.markup
    # no title: neither an SVG <title> nor a text naming the chart (the page captions it)
    assert list(root.iter(SVG + "title")) == []
    texts = [t.text or "" for t in _texts(root)]
    assert charts.CAPTIONS[name] not in texts
    assert not any("report" in t.lower() or "month by month" in t.lower() for t in texts)
    # words for an image's alternative text
    assert chart.label.endswith(".")


@pytest.mark.parametrize("name", charts.NAMES)
def test_text_stays_readable_on_a_phone_and_inside_the_chart(drawn, name):
    chart = drawn[name]
    root = _parsed(chart)
    assert root.get("font-size") == str(charts.FONT)
    # no text is drawn smaller than the chart's font
    assert all(t.get("font-size") is None for t in _texts(root))
    assert charts.FONT * PHONE_CHART_PX / chart.width >= 11.5
    for t in _texts(root):
        x, y, width = float(t.get("x", 0)), float(t.get("y", 0)), charts.text_width(t.text or "")
        start = {"start": x, "middle": x - width / 2, "end": x - width}[t.get("text-anchor", "")]
        assert start >= 0, t.text
        assert start + width <= chart.width + 0.1, t.text  # coordinates have one decimal
        assert charts.FONT <= y <= chart.height, t.text


@pytest.mark.parametrize("name", ["firsts", "share"])
def test_month_labels_do_not_touch(drawn, name):
    axis = _all(_parsed(drawn[name]), "g", **{"class": "x-axis"})[0]
    labels = [(float(t.get("x", 0)), t.text or "") for t in axis.iter(SVG + "text")]
    assert len(labels) >= 3
    assert labels[-1][1] == "2026-03"  # the current month is always named
    for (x1, a), (x2, b) in itertools.pairwise(labels):
        assert x2 - x1 >= (charts.text_width(a) + charts.text_width(b)) / 2, (a, b)


def test_no_chart_has_a_second_value_axis(drawn):
    axes = {name: _all(_parsed(c), "g", **{"class": "y-axis"}) for name, c in drawn.items()}
    assert {name: len(found) for name, found in axes.items()} == {
        "funnel": 0,
        "firsts": 1,
        "share": 1,
    }
    counts = [t.text or "" for t in axes["firsts"][0].iter(SVG + "text")]
    shares = [t.text or "" for t in axes["share"][0].iter(SVG + "text")]
    # one measure each: people (whole numbers) on one, percentages on the other
    assert counts == ["0", "1"]
    assert shares == ["0%", "25%", "50%", "75%", "100%"]


def test_the_funnel_draws_who_reached_each_stage_and_who_is_there_now(drawn):
    report = _report()
    root = _parsed(drawn["funnel"])
    rows = _all(root, "g", **{"class": "stage"})
    assert [r.get("data-stage") for r in rows] == [s.value for s in Stage]
    widest = report.funnel[Stage.NOTICED]
    assert widest == 5
    for row, stage in zip(rows, Stage, strict=True):
        reached, now = report.funnel[stage], report.by_stage[stage]
        assert (row.get("data-reached"), row.get("data-now")) == (str(reached), str(now))
        texts = [t.text for t in row.iter(SVG + "text")]
        assert texts == [stage.value, f"{reached:,} reached · {now:,} now"]
        track, went, here = (float(r.get("width", 0)) for r in row.iter(SVG + "rect"))
        assert track == charts.WIDTH
        assert here == pytest.approx(charts.WIDTH * now / widest, abs=0.05)
        assert went == pytest.approx(charts.WIDTH * reached / widest, abs=0.05) or (
            reached and went == 2  # a stage someone reached is never an invisible bar
        )
    assert report.by_stage[Stage.NOTICED] == 1  # E only liked a post


def test_first_calls_and_meetings_are_bars_of_the_report_months(drawn):
    report = _report()
    root = _parsed(drawn["firsts"])
    for kind, field in (("first-calls", "first_calls"), ("first-meetings", "first_meetings")):
        bars = _all(root, "rect", **{"class": f"bar {kind}"})
        assert [b.get("data-month") for b in bars] == [m.label for m in report.months]
        values = [int(b.get("data-value", -1)) for b in bars]
        assert values == [getattr(m, field) for m in report.months]
        # each bar is as tall as its number, on the one scale of the axis (0 to 1 here)
        for bar, value in zip(bars, values, strict=True):
            assert float(bar.get("height", -1)) == pytest.approx(value * 152, abs=0.05)
    # B's call in 2025-11, D's in 2026-02; C's meeting in 2026-01
    drawn_calls = {
        b.get("data-month"): b.get("data-value")
        for b in _all(root, "rect", **{"class": "bar first-calls"})
        if b.get("data-value") != "0"
    }
    assert drawn_calls == {"2025-11": "1", "2026-02": "1"}


def test_the_share_is_a_line_with_a_gap_for_months_without_outbound_touches(drawn):
    report = _report()
    root = _parsed(drawn["share"])
    points = {p.get("data-month"): float(p.get("data-value", -1)) for p in _all(root, "circle")}
    expected = {m.label: m.talk.share for m in report.months if m.talk.share is not None}
    assert points == pytest.approx(expected, abs=5e-5)
    assert points == pytest.approx({"2025-08": 1.0, "2025-11": 1.0, "2026-02": 0.5})
    # 100% at the top of the plot, 0% at its bottom
    top = {p.get("data-month"): float(p.get("cy", -1)) for p in _all(root, "circle")}
    assert top["2025-08"] == top["2025-11"] == 10
    assert top["2026-02"] == 85
    # months between are gaps: no line joins points across them
    assert _all(root, "polyline") == []


def test_months_in_a_row_are_joined_by_one_line():
    words = "Good to see you again, let us talk soon"
    touches = [touch(d, "dm", "out", text=words) for d in (40, 10, 0.2)]  # 2026-01 to 2026-03
    root = _parsed(charts.share_chart(report_of([history(*touches)], ctx())))
    (line,) = _all(root, "polyline")
    joined = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
    dots = [(float(c.get("cx", -1)), float(c.get("cy", -1))) for c in _all(root, "circle")]
    assert joined == dots
    assert [c.get("data-month") for c in _all(root, "circle")] == ["2026-01", "2026-02", "2026-03"]


def test_a_base_without_people_still_draws_three_charts():
    empty = charts.charts(report_of([], ctx()))
    share = _parsed(empty["share"])
    assert _all(share, "circle") == []
    assert "no outbound touches in these months" in [t.text for t in _texts(share)]
    firsts = _parsed(empty["firsts"])
    assert [t.text for t in _all(firsts, "g", **{"class": "y-axis"})[0].iter(SVG + "text")] == [
        "0",
        "1",
    ]
    assert all(
        float(b.get("height", -1)) == 0
        for b in _all(firsts, "rect", **{"class": "bar first-calls"})
    )
    funnel = _parsed(empty["funnel"])
    assert [t.text for t in _texts(funnel)][-1] == "0 reached · 0 now"


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (4, [0, 1, 2, 3, 4]),
        (5, [0, 2, 4, 6]),
        (9, [0, 5, 10]),
        (17, [0, 5, 10, 15, 20]),
        (40, [0, 10, 20, 30, 40]),
        (41, [0, 20, 40, 60]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def testcount_ticks_are_few_whole_round_numbers(top, ticks):
    from kith.reporting.charts import count_ticks

    assert count_ticks(top) == ticks
