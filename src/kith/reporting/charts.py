"""Figures of `kith report`: the stage funnel and the monthly trend, as PNG bytes, SVG text
and a self-contained HTML page (no scripts, no CDN, every text escaped).

matplotlib draws on its Agg canvas (no display, no pyplot): each figure is a plain `Figure`
given its own `FigureCanvasAgg`, so importing this module changes no global backend (a
notebook using kith keeps its own) and nothing is left open once a figure is saved.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from kith.domain.calendar import local_date
from kith.domain.model import Stage
from kith.domain.phrasing import percent, plain_number
from kith.domain.report import FIRST_CALL, FIRST_MEETING, Report

CALL_COLOUR = "#4c78a8"
MEETING_COLOUR = "#f58518"
SHARE_COLOUR = "#54a24b"
FUNNEL_COLOUR = "#72b7b2"
DPI = 100

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

KIND_LABELS = {FIRST_CALL: "first call", FIRST_MEETING: "first meeting"}




# -- drawing ---------------------------------------------------------------------------------
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
        color=FUNNEL_COLOUR,
        edgecolor="#3b7f7b",
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


def draw_trend(ax: Axes, report: Report) -> None:
    """First calls and first meetings per month (bars) and the conversation share (line,
    right axis) over the trend's months."""
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
    step = max(1, math.ceil(len(months) / 8))
    ticks = [i for i in x if (len(months) - 1 - i) % step == 0]
    ax.set_xticks(ticks, [months[i].label for i in ticks])
    ax.set_xlim(-0.7, len(months) - 0.3)
    ax.spines["top"].set_visible(False)

    share = ax.twinx()
    values = [math.nan if m.talk.share is None else m.talk.share for m in months]
    share.plot(x, values, color=SHARE_COLOUR, marker="o", markersize=3, label="conversation share")
    share.set_ylim(0, 1.05)
    share.yaxis.set_major_formatter(PercentFormatter(1.0))
    share.set_ylabel("conversation share of your outbound touches")
    share.spines["top"].set_visible(False)

    handles, labels = ax.get_legend_handles_labels()
    more, more_labels = share.get_legend_handles_labels()
    ax.legend(
        handles + more,
        labels + more_labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncols=3,
        frameon=False,
        fontsize=9,
    )
    ax.set_title(
        f"Month by month, last {len(months)} months (calendar in {report.timezone})", loc="left"
    )


def figure(report: Report, *parts: str) -> Figure:
    """A figure with the named parts ("funnel", "trend") stacked, titled with the date."""
    fig = Figure(figsize=(10, 4.4 * len(parts) + 0.6), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # draw with Agg, whatever backend matplotlib was set to
    axes = fig.subplots(len(parts), 1, squeeze=False)[:, 0]
    for ax, part in zip(axes, parts, strict=True):
        if part == "funnel":
            draw_funnel(ax, report)
        elif part == "trend":
            draw_trend(ax, report)
        else:
            raise ValueError(f"unknown chart part {part!r}")
    fig.suptitle(f"kith report, as of {report.today.isoformat()}", fontsize=14, fontweight="bold")
    return fig


def png(report: Report) -> bytes:
    """The funnel above the monthly trend, as PNG bytes."""
    buffer = io.BytesIO()
    figure(report, "funnel", "trend").savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


_SVG_START = re.compile(r"<svg\b")


def svg(report: Report) -> str:
    """The funnel above the monthly trend as one inline `<svg>` element (the XML prolog and
    doctype removed); text is drawn as paths, so no text of the base reaches the markup."""
    buffer = io.StringIO()
    figure(report, "funnel", "trend").savefig(buffer, format="svg")
    text = buffer.getvalue()
    start = _SVG_START.search(text)
    return text[start.start() :] if start else text


# -- the HTML page ---------------------------------------------------------------------------
def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], caption: str) -> str:
    out = [f"<table><caption>{_e(caption)}</caption><thead><tr>"]
    out.extend(f"<th>{_e(h)}</th>" for h in head)
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


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
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
"""


def html_page(report: Report) -> str:
    """A self-contained page: the headline numbers, the tables and both charts inline."""
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
        _table(
            ["stage", "here now", "reached (this stage or later)"],
            [[s.value, report.by_stage[s], report.funnel[s]] for s in Stage],
            "Stages",
        ),
        '<figure aria-label="the funnel and the monthly trend">',
        svg(report),
        "</figure>",
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
