"""Figures of `kith report`: the stage funnel, first calls and first meetings per month, and
the conversation share per month.

Two ways of drawing them:

* **SVG charts** (`charts(report)`): one small chart per measure, built here from the
  report's numbers, for the web page and the HTML page. Each is an `<svg>` with a `viewBox`
  and no width or height, so it scales with the page; it is drawn narrow (`WIDTH` units)
  with large text (`FONT` units), so that on a phone (a chart about 335 px wide) its labels
  are still about 11.5 px tall. Every chart has a single measure on its value axis (people,
  or a share from 0 to 100%) and no title: the page names it. Every text is escaped.
* **A PNG** (`png(report)`, `figure(...)`): the same three panels stacked in one image for
  `kith report --png`, drawn by matplotlib on its Agg canvas (no display, no pyplot). Each
  figure is a plain `Figure` given its own `FigureCanvasAgg`, so using this module changes
  no global backend (a notebook using kith keeps its own) and nothing is left open once a
  figure is saved. matplotlib is imported only when a PNG is drawn.
"""

from __future__ import annotations

import html
import io
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kith.domain.calendar import local_date
from kith.domain.model import Stage
from kith.domain.phrasing import percent, plain_number
from kith.domain.report import FIRST_CALL, FIRST_MEETING, MonthCount, Report

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CALL_COLOUR = "#4c78a8"
MEETING_COLOUR = "#f58518"
SHARE_COLOUR = "#3f8a36"
FUNNEL_COLOUR = "#9fd0cc"  # reached the stage and went further
FUNNEL_NOW_COLOUR = "#3b7f7b"  # reached the stage and is there now
INK = "#1c232b"
MUTED = "#5c6773"
GRID = "#e1e5ea"
AXIS = "#8a949e"
DPI = 100

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

KIND_LABELS = {FIRST_CALL: "first call", FIRST_MEETING: "first meeting"}


# -- SVG charts ------------------------------------------------------------------------------
#: every SVG chart is this many user units wide; its text is FONT units tall
WIDTH = 400
FONT = 14
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

#: the charts, in the order the pages show them
NAMES = ("funnel", "firsts", "share")


@dataclass(frozen=True, slots=True)
class Chart:
    """One SVG chart: `markup` is an `<svg>` element scaled by its `viewBox` (0 0 width
    height); `label` says in words what it draws (an image's alternative text)."""

    name: str
    width: int
    height: int
    label: str
    markup: str


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _el(tag: str, attrs: Mapping[str, object], content: str | None = None) -> str:
    """One SVG element; attribute values and `content` are escaped here (content given as
    markup goes through `_markup`)."""
    parts = [tag]
    for key, value in attrs.items():
        shown = _n(value) if isinstance(value, float) else value
        parts.append(f'{key}="{_e(shown)}"')
    head = " ".join(parts)
    return f"<{head}/>" if content is None else f"<{head}>{content}</{tag}>"


def _text(x: float, y: float, text: str, **attrs: object) -> str:
    """A text at (x, y) (its baseline); `anchor` is start, middle or end."""
    anchor = attrs.pop("anchor", "start")
    return _el(
        "text",
        {"x": float(x), "y": float(y), "text-anchor": anchor, **attrs},
        _e(text),
    )


def _rect(x: float, y: float, width: float, height: float, fill: str, **attrs: object) -> str:
    return _el(
        "rect",
        {
            "x": float(x),
            "y": float(y),
            "width": float(max(width, 0.0)),
            "height": float(max(height, 0.0)),
            "fill": fill,
            **attrs,
        },
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str) -> str:
    return _el(
        "line",
        {"x1": float(x1), "y1": float(y1), "x2": float(x2), "y2": float(y2), "stroke": stroke},
    )


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of how wide `text` is drawn at `size` (no font metrics here):
    the widths, in em, of a wide sans-serif (DejaVu Sans) rounded up."""
    em = 0.0
    for char in text:
        if char.isdigit():
            em += 0.64
        elif char in "%mwMW":
            em += 0.96
        elif char.isupper():
            em += 0.74
        elif char in " .,:;·-'":
            em += 0.38
        else:
            em += 0.62
    return em * size


def _svg(name: str, height: int, label: str, body: Sequence[str]) -> Chart:
    markup = _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "class": f"kith-chart chart-{name}",
            "role": "img",
            "aria-label": label,
            "font-family": FONT_FAMILY,
            "font-size": FONT,
            "fill": INK,
        },
        "".join(body),
    )
    return Chart(name, WIDTH, height, label, markup)


def _swatch(x: float, y: float, colour: str, label: str) -> tuple[list[str], float]:
    """A legend entry with its baseline at y: the parts and where the next one may start."""
    parts = [
        _rect(x, y - 11, 12, 12, colour),
        _text(x + 17, y, label, fill=MUTED),
    ]
    return parts, x + 17 + text_width(label) + 14


def funnel_chart(report: Report) -> Chart:
    """People who reached each stage (or a later one), one bar per stage from `noticed` down
    to `close`: the bar's dark part is who is at that stage now, its light part who went
    further. One measure, people, along the bars."""
    funnel = report.funnel
    widest = max(funnel.values(), default=0) or 1
    top, row = 30, 40
    body: list[str] = []
    x = 0.0
    for colour, label in (
        (FUNNEL_NOW_COLOUR, "at this stage now"),
        (FUNNEL_COLOUR, "went further"),
    ):
        parts, x = _swatch(x, 14, colour, label)
        body.extend(parts)
    for i, stage in enumerate(Stage):
        reached, now = funnel[stage], report.by_stage[stage]
        y = top + i * row
        whole = WIDTH * reached / widest
        body.append(
            _el(
                "g",
                {
                    "class": "stage",
                    "data-stage": stage.value,
                    "data-reached": reached,
                    "data-now": now,
                },
                "".join(
                    [
                        _text(0, y + 15, stage.value, **{"font-weight": 600}),
                        _text(
                            WIDTH,
                            y + 15,
                            f"{reached:,} reached · {now:,} now",
                            anchor="end",
                            fill=MUTED,
                        ),
                        _rect(0, y + 21, WIDTH, 12, GRID),
                        _rect(0, y + 21, max(whole, 2.0) if reached else 0, 12, FUNNEL_COLOUR),
                        _rect(0, y + 21, WIDTH * now / widest, 12, FUNNEL_NOW_COLOUR),
                    ]
                ),
            )
        )
    label = (
        f"Bars of the {report.people:,} people by the furthest stage reached, from noticed "
        f"({funnel[Stage.NOTICED]:,}) to close ({funnel[Stage.CLOSE]:,})."
    )
    return _svg("funnel", top + len(Stage) * row, label, body)


@dataclass(frozen=True, slots=True)
class _Frame:
    """A value axis (left, labelled) over the months (bottom), in user units."""

    left: float
    right: float
    top: float
    bottom: float
    months: int

    def slot(self) -> float:
        return (self.right - self.left) / max(self.months, 1)

    def centre(self, i: int) -> float:
        return self.left + (i + 0.5) * self.slot()


def count_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, at most five of them, a step of 1, 2 or
    5 times a power of ten apart."""
    top = max(top, 1)
    k, step = 0, 1
    while math.ceil(top / step) > 4:
        k += 1
        step = (1, 2, 5)[k % 3] * 10 ** (k // 3)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _value_axis(frame: _Frame, ticks: Sequence[tuple[float, str]]) -> str:
    """Grid lines and labels of the one value axis; `ticks` are (0..1 of the height, text)."""
    parts = []
    for where, label in ticks:
        y = frame.bottom - where * (frame.bottom - frame.top)
        parts.append(_line(frame.left, y, frame.right, y, AXIS if where == 0 else GRID))
        parts.append(_text(frame.left - 6, y + 5, label, anchor="end", fill=MUTED))
    return _el("g", {"class": "y-axis"}, "".join(parts))


def _month_axis(frame: _Frame, months: Sequence[MonthCount]) -> str:
    """Month labels under the plot: the latest month and every `step` months before it, the
    smallest step whose labels do not touch (each label kept inside the chart)."""
    if not months:
        return ""
    half = text_width(months[-1].label) / 2

    def placed(step: int) -> list[tuple[int, float]]:
        return [
            (i, min(max(frame.centre(i), half), WIDTH - half))
            for i in range(len(months) - 1, -1, -step)
        ]

    step = 1
    while step < len(months) and any(
        a - b < 2 * half + 6 for (_, a), (_, b) in itertools.pairwise(placed(step))
    ):
        step += 1
    parts = []
    for i, x in reversed(placed(step)):
        parts.append(_line(frame.centre(i), frame.bottom, frame.centre(i), frame.bottom + 4, AXIS))
        parts.append(_text(x, frame.bottom + 20, months[i].label, anchor="middle", fill=MUTED))
    return _el("g", {"class": "x-axis"}, "".join(parts))


def firsts_chart(report: Report) -> Chart:
    """First calls and first meetings per month, side by side bars on one axis: people."""
    months = report.months
    body: list[str] = []
    x = 0.0
    for colour, label in ((CALL_COLOUR, "first calls"), (MEETING_COLOUR, "first meetings")):
        parts, x = _swatch(x, 14, colour, label)
        body.extend(parts)
    top = max((max(m.first_calls, m.first_meetings) for m in months), default=0)
    ticks = count_ticks(top)
    highest = ticks[-1]
    tick_width = max(text_width(f"{t:,}") for t in ticks)
    frame = _Frame(left=tick_width + 8, right=WIDTH - 2, top=34, bottom=186, months=len(months))
    body.append(_value_axis(frame, [(t / highest, f"{t:,}") for t in ticks]))
    bar = frame.slot() * 0.36
    tall = frame.bottom - frame.top
    for i, m in enumerate(months):
        centre = frame.centre(i)
        for offset, value, colour, kind in (
            (-bar, m.first_calls, CALL_COLOUR, "first-calls"),
            (0.0, m.first_meetings, MEETING_COLOUR, "first-meetings"),
        ):
            height = tall * value / highest
            body.append(
                _rect(
                    centre + offset,
                    frame.bottom - height,
                    bar,
                    height,
                    colour,
                    **{"class": f"bar {kind}", "data-month": m.label, "data-value": value},
                )
            )
    body.append(_month_axis(frame, months))
    label = (
        f"Bars of first calls and first meetings per month, people each month, over the last "
        f"{len(months)} months; at most {top:,} in a month."
    )
    return _svg("firsts", 212, label, body)


def share_chart(report: Report) -> Chart:
    """The conversation share (talk over talk and links) of each month's outbound touches,
    as a line on one axis from 0 to 100%; a month without outbound touches is a gap."""
    months = report.months
    frame = _Frame(
        left=text_width("100%") + 8, right=WIDTH - 2, top=10, bottom=160, months=len(months)
    )
    body = [_value_axis(frame, [(q / 4, f"{q * 25}%") for q in range(5)])]
    tall = frame.bottom - frame.top
    runs: list[list[tuple[float, float]]] = [[]]
    points: list[str] = []
    for i, m in enumerate(months):
        share = m.talk.share
        if share is None:
            if runs[-1]:
                runs.append([])
            continue
        x, y = frame.centre(i), frame.bottom - tall * share
        runs[-1].append((x, y))
        points.append(
            _el(
                "circle",
                {
                    "cx": float(x),
                    "cy": float(y),
                    "r": 3.5,
                    "fill": SHARE_COLOUR,
                    "class": "point",
                    "data-month": m.label,
                    "data-value": f"{share:.4f}",
                },
            )
        )
    for run in runs:
        if len(run) > 1:
            body.append(
                _el(
                    "polyline",
                    {
                        "points": " ".join(f"{_n(x)},{_n(y)}" for x, y in run),
                        "fill": "none",
                        "stroke": SHARE_COLOUR,
                        "stroke-width": 2.5,
                        "stroke-linejoin": "round",
                    },
                )
            )
    body.extend(points)
    if not points:
        body.append(
            _text(
                (frame.left + frame.right) / 2,
                (frame.top + frame.bottom) / 2,
                "no outbound touches in these months",
                anchor="middle",
                fill=MUTED,
            )
        )
    body.append(_month_axis(frame, months))
    shares = [m.talk.share for m in months if m.talk.share is not None]
    label = (
        f"Line of the conversation share of your outbound touches per month, 0 to 100%, over "
        f"the last {len(months)} months"
        + (f"; from {percent(min(shares))} to {percent(max(shares))}." if shares else ".")
    )
    return _svg("share", 186, label, body)


def charts(report: Report) -> dict[str, Chart]:
    """The report's SVG charts by name (`NAMES`), in the order the pages show them."""
    return {
        "funnel": funnel_chart(report),
        "firsts": firsts_chart(report),
        "share": share_chart(report),
    }


# -- the PNG (matplotlib) --------------------------------------------------------------------
def draw_funnel(ax: Axes, report: Report) -> None:
    """People who reached each stage (or a later one), centred bars from `noticed` (widest,
    at the top) down to `close`; each bar says how many reached it and how many are there
    now."""
    funnel = report.funnel
    stages = list(Stage)
    widths = [funnel[s] for s in stages]
    widest = max(widths, default=0) or 1
    rows = list(range(len(stages)))
    ax.barh(
        rows,
        widths,
        left=[-w / 2 for w in widths],
        height=0.72,
        color="#72b7b2",
        edgecolor=FUNNEL_NOW_COLOUR,
    )
    for row, stage, width in zip(rows, stages, widths, strict=True):
        ax.text(
            max(width, widest * 0.02) / 2 + widest * 0.03,
            row,
            f"{width:,} reached, {report.by_stage[stage]:,} now",
            va="center",
            ha="left",
            fontsize=9,
        )
    ax.set_yticks(rows, [s.value for s in stages])
    ax.invert_yaxis()  # noticed on top
    ax.set_xlim(-widest * 0.55, widest * 1.15)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"Funnel: {report.people:,} people, by the furthest stage reached", loc="left")


def _month_ticks(ax: Axes, months: Sequence[MonthCount]) -> None:
    step = max(1, math.ceil(len(months) / 8))
    ticks = [i for i in range(len(months)) if (len(months) - 1 - i) % step == 0]
    ax.set_xticks(ticks, [months[i].label for i in ticks])
    ax.set_xlim(-0.7, len(months) - 0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def draw_firsts(ax: Axes, report: Report) -> None:
    """First calls and first meetings per month, as bars on one axis: people."""
    from matplotlib.ticker import MaxNLocator

    months = report.months
    x = list(range(len(months)))
    ax.bar(
        [i - 0.2 for i in x],
        [m.first_calls for m in months],
        width=0.4,
        color=CALL_COLOUR,
        label="first calls",
    )
    ax.bar(
        [i + 0.2 for i in x],
        [m.first_meetings for m in months],
        width=0.4,
        color=MEETING_COLOUR,
        label="first meetings",
    )
    top = max((max(m.first_calls, m.first_meetings) for m in months), default=0)
    ax.set_ylim(0, max(top, 1) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("people per month")
    _month_ticks(ax, months)
    ax.legend(loc="upper left", ncols=2, frameon=False, fontsize=9)
    ax.set_title(
        f"First calls and first meetings, last {len(months)} months "
        f"(calendar in {report.timezone})",
        loc="left",
    )


def draw_share(ax: Axes, report: Report) -> None:
    """The conversation share of each month's outbound touches, as a line on one axis from
    0 to 100%; a month without outbound touches is a gap."""
    from matplotlib.ticker import PercentFormatter

    months = report.months
    values = [math.nan if m.talk.share is None else m.talk.share for m in months]
    ax.plot(range(len(months)), values, color=SHARE_COLOUR, marker="o", markersize=3)
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("talk share")
    _month_ticks(ax, months)
    ax.set_title("Conversation share of your outbound touches, by month", loc="left")


#: the PNG's panels and their heights (inches); with the title they make 1000 x 940 pixels
PANELS = {"funnel": 3.7, "firsts": 2.75, "share": 2.35}
_DRAW = {"funnel": draw_funnel, "firsts": draw_firsts, "share": draw_share}


def figure(report: Report, *parts: str) -> Figure:
    """A figure with the named panels (`PANELS`) stacked, titled with the date; each panel
    has one value axis."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not parts:
        raise ValueError("a figure needs at least one part")
    for part in parts:
        if part not in PANELS:
            raise ValueError(f"unknown chart part {part!r}")
    heights = [PANELS[p] for p in parts]
    fig = Figure(figsize=(10, sum(heights) + 0.6), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # draw with Agg, whatever backend matplotlib was set to
    axes = fig.subplots(len(parts), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, part in zip(axes, parts, strict=True):
        _DRAW[part](ax, report)
    fig.suptitle(f"kith report, as of {report.today.isoformat()}", fontsize=14, fontweight="bold")
    return fig


def png(report: Report) -> bytes:
    """The funnel, the first calls and meetings and the conversation share, as PNG bytes."""
    buffer = io.BytesIO()
    figure(report, *PANELS).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


# -- the HTML page ---------------------------------------------------------------------------
def _table(head: Sequence[str], rows: Sequence[Sequence[object]], caption: str) -> str:
    out = [f"<table><caption>{_e(caption)}</caption><thead><tr>"]
    out.extend(f"<th>{_e(h)}</th>" for h in head)
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


#: what each SVG chart is called on a page (the chart itself has no title)
CAPTIONS = {
    "funnel": "People by the furthest stage reached",
    "firsts": "First calls and meetings, per month",
    "share": "Conversation share, per month",
}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 62rem; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.as-of { color: #666; margin-top: 0; }
dl.headline { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem; }
dl.headline dt { font-weight: 600; }
dl.headline dd { margin: 0; }
table { border-collapse: collapse; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.7rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.charts { display: grid; gap: 1.5rem; margin: 1.5rem 0;
          grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr)); }
figure { margin: 0; max-width: 28rem; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
figure svg { display: block; width: 100%; height: auto; }
"""


def html_page(report: Report) -> str:
    """A self-contained page: the headline numbers, the tables and the charts inline."""
    recip = report.reciprocity
    invites = report.invites
    headline = [
        ("People", f"{report.people:,} ({report.paused:,} paused)"),
        (
            "Met in person, last 365 days",
            f"{report.met_last_365d:,} ({report.met_ever:,} ever)",
        ),
        (
            "Median days from first two-way contact to first meeting",
            plain_number(report.median_days_to_first_meeting, 1),
        ),
        (
            "Conversation share, last 365 days",
            f"{percent(report.conversation.share)} ({report.conversation.talk:,} talk, "
            f"{report.conversation.links:,} links)",
        ),
        (
            f"Reciprocity, last {recip.window_days} days",
            f"{plain_number(recip.ratio)} overall ({recip.inbound:,} in / {recip.outbound:,} out); "
            f"median person {plain_number(recip.median_per_person)}",
        ),
        (
            "Real-life asks",
            f"{invites.asked:,} asked, {invites.answered:,} answered, "
            f"{invites.positive:,} accepted ({percent(invites.accepted_share)} of answered)",
        ),
    ]
    figures = [
        f'<figure><figcaption id="chart-{name}">{_e(CAPTIONS[name])}</figcaption>'
        f"{chart.markup}</figure>"
        for name, chart in charts(report).items()
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e('kith report, ' + report.today.isoformat())}</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>kith report</h1>",
        f'<p class="as-of">As of {_e(report.as_of.isoformat())}; calendar in '
        f"{_e(report.timezone)}.</p>",
        '<dl class="headline">',
        *(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in headline),
        "</dl>",
        '<div class="charts">',
        *figures,
        "</div>",
        _table(
            ["stage", "here now", "reached (this stage or later)"],
            [[s.value, report.by_stage[s], report.funnel[s]] for s in Stage],
            "Stages",
        ),
        _table(
            ["month", "first calls", "first meetings", "talk", "links", "conversation share"],
            [
                [
                    m.label,
                    m.first_calls,
                    m.first_meetings,
                    m.talk.talk,
                    m.talk.links,
                    percent(m.talk.share),
                ]
                for m in report.months
            ],
            "Month by month",
        ),
        _table(
            ["quarter", *(s.value for s in Stage), "first calls", "first meetings"],
            [
                [q.label, *(q.reached[s] for s in Stage), q.first_calls, q.first_meetings]
                for q in report.quarters
            ],
            "First time at each stage, by quarter",
        ),
        _table(
            ["kind", "asked", "answered", "accepted", "accepted share"],
            [
                [k.value, c.asked, c.answered, c.positive, percent(c.accepted_share)]
                for k, c in report.invites_by_kind.items()
            ]
            + [
                [
                    "all",
                    invites.asked,
                    invites.answered,
                    invites.positive,
                    percent(invites.accepted_share),
                ]
            ],
            "Real-life asks",
        ),
        _table(
            ["when", "who", "what"],
            [
                [
                    local_date(c.at, report.timezone).isoformat(),
                    f"{c.name} (#{c.person_id})",
                    KIND_LABELS.get(c.kind, c.kind),
                ]
                for c in report.recent
            ],
            "Recent first calls and meetings",
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
