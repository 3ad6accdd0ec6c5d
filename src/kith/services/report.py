"""`kith report`: stream every history from the store, assess it, feed the pure report.

Histories are loaded a batch at a time (:func:`kith.store.histories.stream`) and dropped
once assessed, so memory stays bounded on a base of 100,000 people.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.model import AskKind, Stage
from kith.domain.report import InviteCount, Report, ReportBuilder, TalkCount
from kith.services.views import moment
from kith.store import histories, stats

#: histories loaded per query batch
BATCH = 2000

Json = dict[str, Any]


def build(
    connection: Connection,
    ctx: Context,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
) -> Report:
    """The report over every person in the base (paused ones too), as of `ctx.now`."""
    ids = stats.all_ids(connection)
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
