"""The `kith report` in the terminal: Rich tables and sparklines (loaded only when a report
is shown, so that other commands start without them)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kith.cli import state
from kith.cli.render import t
from kith.domain.model import Stage
from kith.domain.phrasing import percent, plain_number
from kith.domain.report import FIRST_CALL, Report

BLOCKS = "▁▂▃▄▅▆▇█"
NO_DATA = "·"
#: quarters and recent conversions shown in the terminal (the JSON and the HTML page have all)
QUARTERS_SHOWN = 8
RECENT_SHOWN = 10


def sparkline(values: Sequence[float | None], top: float | None = None) -> str:
    """One block character per value, from ▁ (zero) to █ (`top`, default the largest);
    a missing value is a middle dot."""
    known = [v for v in values if v is not None]
    high = max(known, default=0.0) if top is None else top
    marks: list[str] = []
    for v in values:
        if v is None:
            marks.append(NO_DATA)
        elif high <= 0:
            marks.append(BLOCKS[0])
        else:
            step = int(max(0.0, min(v / high, 1.0)) * (len(BLOCKS) - 1) + 0.5)
            marks.append(BLOCKS[step])
    return "".join(marks)


def _headline(report: Report) -> Table:
    recip = report.reciprocity
    invites = report.invites
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold cyan")
    grid.add_column()
    rows = [
        ("People", f"{report.people:,} ({report.paused:,} paused)"),
        (
            "Met in person, last 365 days",
            f"{report.met_last_365d:,} ({report.met_ever:,} ever)",
        ),
        (
            "Days from first contact to first meeting",
            f"{plain_number(report.median_days_to_first_meeting, 1)} (median over people who met)",
        ),
        (
            "Conversation share, last 365 days",
            f"{percent(report.conversation.share)} of your outbound touches are talk "
            f"({report.conversation.talk:,} talk, {report.conversation.links:,} links)",
        ),
        (
            f"Reciprocity, last {recip.window_days} days",
            f"{plain_number(recip.ratio)} overall ({recip.inbound:,} in / {recip.outbound:,} out); "
            f"median person {plain_number(recip.median_per_person)} over {recip.people:,}",
        ),
        (
            "Real-life asks",
            f"{invites.asked:,} asked, {invites.answered:,} answered, {invites.positive:,} "
            f"accepted ({percent(invites.accepted_share)} of answered)",
        ),
    ]
    for key, value in rows:
        grid.add_row(t(key), t(value))
    return grid


def _funnel(report: Report) -> Table:
    funnel = report.funnel
    widest = max(funnel.values(), default=0) or 1
    table = Table(title=t("Funnel", "bold"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("stage")
    table.add_column("here now", justify="right")
    table.add_column("reached", justify="right")
    table.add_column("", no_wrap=True)
    for stage in Stage:
        reached = funnel[stage]
        bar = "█" * round(reached / widest * 30) if reached else ""
        table.add_row(
            t(stage.value), t(f"{report.by_stage[stage]:,}"), t(f"{reached:,}"), t(bar, "cyan")
        )
    return table


def _trend(report: Report) -> Table:
    months = report.months
    span = f"{months[0].label} to {months[-1].label}" if months else ""
    table = Table(
        title=t(f"Last {len(months)} months, {span}", "bold"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("per month")
    table.add_column("trend", no_wrap=True)
    table.add_column("total or last 365 days", justify="right")
    calls = [m.first_calls for m in months]
    meetings = [m.first_meetings for m in months]
    shares = [m.talk.share for m in months]
    table.add_row(t("first meetings"), t(sparkline(meetings), "yellow"), t(f"{sum(meetings):,}"))
    table.add_row(t("first calls"), t(sparkline(calls), "blue"), t(f"{sum(calls):,}"))
    table.add_row(
        t("conversation share"),
        t(sparkline(shares, top=1.0), "green"),
        t(percent(report.conversation.share)),
    )
    return table


def _quarters(report: Report) -> Table:
    shown = report.quarters[-QUARTERS_SHOWN:]
    table = Table(
        title=t("First time at each stage, by quarter", "bold"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("quarter")
    for stage in Stage:
        table.add_column(stage.value, justify="right")
    table.add_column("1st call", justify="right")
    table.add_column("1st meeting", justify="right")
    for q in shown:
        table.add_row(
            t(q.label),
            *(t(q.reached[s]) for s in Stage),
            t(q.first_calls),
            t(q.first_meetings),
        )
    return table


def _invites(report: Report) -> Table:
    table = Table(title=t("Real-life asks", "bold"), box=box.SIMPLE_HEAD, title_justify="left")
    for name, justify in (
        ("kind", "left"),
        ("asked", "right"),
        ("answered", "right"),
        ("accepted", "right"),
        ("accepted share", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for kind, c in report.invites_by_kind.items():
        if c.asked:
            table.add_row(
                t(kind.value),
                t(c.asked),
                t(c.answered),
                t(c.positive),
                t(percent(c.accepted_share)),
            )
    total = report.invites
    table.add_row(
        t("all", "bold"),
        t(total.asked),
        t(total.answered),
        t(total.positive),
        t(percent(total.accepted_share)),
    )
    return table


def _recent(report: Report) -> Table:
    from kith.domain.calendar import local_date

    table = Table(
        title=t("Recent first calls and meetings", "bold"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("when")
    table.add_column("who")
    table.add_column("what")
    for c in report.recent[:RECENT_SHOWN]:
        table.add_row(
            t(local_date(c.at, report.timezone).isoformat(), "dim"),
            t(f"{c.name} (#{c.person_id})"),
            t("first call" if c.kind == FIRST_CALL else "first meeting"),
        )
    return table


def show(report: Report) -> None:
    parts: list[RenderableType] = [
        _headline(report),
        Text(),
        _funnel(report),
        _trend(report),
        _quarters(report),
    ]
    if report.invites.asked:
        parts.append(_invites(report))
    if report.recent:
        parts.append(_recent(report))
    title = t(f"kith report, as of {report.today.isoformat()} ({report.timezone})", "bold")
    state.out.print(Panel(Group(*parts), title=title, expand=False))
