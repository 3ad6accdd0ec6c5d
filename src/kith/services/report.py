"""`kith report`: sums over every person's stored report figures, joined by the rules.

Each person's part of the report (:mod:`kith.domain.report_figures`) is stored beside their
other figures and refreshed with them, after every write and once a day; the report brings
the rows it cannot use up to date (:func:`kith.store.report_figures.stale_ids`: none yet,
window counts of another day, other rules or zone) and sums the rest in SQL, so a base whose
figures are current is reported on without reading a single history.

:func:`reassess` is the report made the long way, assessing every history as of now (a
batch at a time, so memory stays bounded on a base of 100,000 people): the reference the
tests hold the sums to, and the report of a replay of the past (something dated after
now), which stored figures cannot serve.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.model import AskKind, Stage
from kith.domain.report import (
    RECENT_DAYS,
    RECENT_LIMIT,
    InviteCount,
    Report,
    ReportBuilder,
    TalkCount,
)
from kith.domain.report_figures import basis, report_from
from kith.services.refresh import refresh
from kith.services.views import moment
from kith.store import candidates, histories, report_figures

#: histories loaded per query batch
BATCH = 2000

Json = dict[str, Any]
Measuring = Callable[[int, int], None]
"""Called as (done, total) while the report brings figures up to date."""


def build(
    connection: Connection,
    ctx: Context,
    progress: Measuring | None = None,
    batch: int = BATCH,
) -> Report:
    """The report over every person in the base (paused ones too), as of `ctx.now`.

    Figures the report cannot use are recomputed first (and stored, as any refresh does);
    `progress(done, total)` follows that over the whole base, `batch` people at a time."""
    if candidates.has_data_after(connection, ctx.now):
        return reassess(connection, ctx, progress, batch)
    stale = report_figures.stale_ids(connection, ctx.today, ctx.now, basis(ctx))
    if progress is not None:
        _bring_up_to_date(connection, ctx, stale, progress, batch)
    elif stale:
        refresh(connection, ctx, stale)
    since = ctx.today - timedelta(days=RECENT_DAYS - 1)
    return report_from(report_figures.totals(connection, ctx.now, since, RECENT_LIMIT), ctx)


def _bring_up_to_date(
    connection: Connection, ctx: Context, stale: list[int], progress: Measuring, batch: int
) -> None:
    """Refresh the `stale` people among each `batch` of the base in turn, telling progress
    after each batch (people whose figures are current need no work)."""
    if not stale:
        total = report_figures.everyone(connection)
        for done in range(batch, total + batch, batch):
            progress(min(done, total), total)
        return
    ids = candidates.all_ids(connection)
    waiting = set(stale)
    for start in range(0, len(ids), batch):
        chosen = [pid for pid in ids[start : start + batch] if pid in waiting]
        if chosen:
            refresh(connection, ctx, chosen)
        progress(min(start + batch, len(ids)), len(ids))


def reassess(
    connection: Connection,
    ctx: Context,
    progress: Measuring | None = None,
    batch: int = BATCH,
) -> Report:
    """The same report made by assessing every history as of `ctx.now`, one at a time."""
    ids = candidates.all_ids(connection)
    builder = ReportBuilder(ctx)
    for done, history in enumerate(histories.stream(connection, ids, batch), 1):
        builder.add(assess(history, ctx))
        if progress is not None and (done % batch == 0 or done == len(ids)):
            progress(done, len(ids))
    return builder.result()


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _talk(count: TalkCount) -> Json:
    return {"talk": count.talk, "links": count.links, "share": _ratio(count.share)}


def _invites(count: InviteCount) -> Json:
    return {
        "asked": count.asked,
        "answered": count.answered,
        "positive": count.positive,
        "neutral": count.neutral,
        "negative": count.negative,
        "pending": count.pending,
        "accepted_share": _ratio(count.accepted_share),
    }


def as_json(report: Report) -> Json:
    """The `report` shape of docs/cli.md, with the details documented in
    docs/report.md (fields may be added, never renamed)."""
    tz = report.timezone
    recip = report.reciprocity
    return {
        "as_of": moment(report.as_of, tz),
        "timezone": tz,
        "people": report.people,
        "paused": report.paused,
        "by_stage": {stage.value: n for stage, n in report.by_stage.items()},
        "funnel": {stage.value: n for stage, n in report.funnel.items()},
        "met_last_365d": report.met_last_365d,
        "met_ever": report.met_ever,
        "median_days_to_first_meeting": report.median_days_to_first_meeting,
        "conversation_share": _ratio(report.conversation_share),
        "conversation": {
            "window_days": 365,
            **_talk(report.conversation),
            "all_time": _talk(report.conversation_all_time),
        },
        "reciprocity": _ratio(recip.ratio),
        "reciprocity_detail": {
            "window_days": recip.window_days,
            "inbound": recip.inbound,
            "outbound": recip.outbound,
            "ratio": _ratio(recip.ratio),
            "median_per_person": _ratio(recip.median_per_person),
            "people": recip.people,
        },
        "invites": {
            **_invites(report.invites),
            "by_kind": {kind.value: _invites(report.invites_by_kind[kind]) for kind in AskKind},
        },
        "conversions": [
            {
                "quarter": q.label,
                "starts_on": q.starts_on.isoformat(),
                "reached": {stage.value: q.reached[stage] for stage in Stage},
                "first_call": q.first_calls,
                "first_meeting": q.first_meetings,
            }
            for q in report.quarters
        ],
        "months": [
            {
                "month": m.label,
                "first_call": m.first_calls,
                "first_meeting": m.first_meetings,
                "talk": m.talk.talk,
                "links": m.talk.links,
                "conversation_share": _ratio(m.talk.share),
            }
            for m in report.months
        ],
        "recent": [
            {
                "person": {"id": c.person_id, "name": c.name},
                "kind": c.kind,
                "at": moment(c.at, tz),
            }
            for c in report.recent
        ],
    }
