"""The per-person figures the store keeps for fast lists and for picking agenda candidates.

They are derived from an :class:`Assessment` (so they can never disagree with the rules)
and refreshed whenever a person's history changes, and daily for the time-dependent ones.
`report` is the person's part of `kith report` (:mod:`kith.domain.report_figures`), kept
in a table of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kith.domain.assessment import Assessment
from kith.domain.context import Context
from kith.domain.model import Stage
from kith.domain.report_figures import ReportFigures, report_figures


@dataclass(frozen=True, slots=True)
class Summary:
    person_id: int
    as_of: date
    stage: Stage
    stage_rank: int
    strength: float
    hours: float
    first_contact: date | None
    last_contact: date | None
    last_touch: date | None
    last_in: date | None
    last_out: date | None
    fading_from: date | None
    unanswered: int  # outbound touches since their last inbound one
    out_mark: date | None  # day of the (burst floor + 1)-th latest outbound touch
    in_mark: date | None  # day of the (ready minimum)-th latest inbound touch
    count_in: int
    count_out: int
    ready: bool
    report: ReportFigures


def summarise(a: Assessment, ctx: Context) -> Summary:
    beat = a.rhythm
    return Summary(
        person_id=a.person.id,
        as_of=ctx.today,
        stage=a.stage,
        stage_rank=a.stage.rank,
        strength=a.strength.score,
        hours=a.hours,
        first_contact=beat.first_contact,
        last_contact=beat.last_contact,
        last_touch=beat.last_touch,
        last_in=beat.last_in,
        last_out=a.pace.last_out,
        fading_from=beat.fading_from(ctx.rules),
        unanswered=a.pace.unanswered,
        out_mark=a.ledger.out_mark,
        in_mark=a.ledger.in_mark,
        count_in=a.count_in,
        count_out=a.count_out,
        ready=a.readiness.ready,
        report=report_figures(a, ctx),
    )
