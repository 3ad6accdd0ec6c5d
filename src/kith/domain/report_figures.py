"""One person's part of `kith report` (docs/report.md), stored beside their other figures.

The report of a whole base is a handful of sums over these per-person figures, so it needs
no walk over every history: :func:`report_figures` derives them from an assessment by the
same rules as :class:`kith.domain.report.ReportBuilder`, the store keeps them (refreshed
with `person_stats`, after every write and once a day), and :func:`report_from` turns the
store's sums back into the very :class:`~kith.domain.report.Report` a full reassessment
gives.

What the figures hold, and how long they stay true:

* dates and moments (the first day each stage was reached, the first call and meeting, the
  last meeting, the days to a first meeting) depend only on the history: the report counts
  them relative to any day;
* window counts (talk and links over the last 365 days and month by month, reciprocity
  touches over the last 180 days) are those of the day they were computed (`as_of`): the
  report uses only rows computed today;
* everything is in the zone and under the rules it was computed with (`basis`), and holds
  the history up to the moment it was computed (`computed_at`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from kith.domain import ladder
from kith.domain.assessment import Assessment
from kith.domain.calendar import in_last_days
from kith.domain.context import Context
from kith.domain.coverage import Coverage
from kith.domain.model import AskKind, Response, Stage
from kith.domain.report import (
    FIRST_CALL,
    FIRST_MEETING,
    RECENT_DAYS,
    RECENT_LIMIT,
    TREND_MONTHS,
    YEAR_DAYS,
    Conversion,
    Report,
    ReportBuilder,
    is_talk,
    month_of,
    months_back,
    quarter_of,
)
from kith.domain.rules import Rules

#: the milestone kinds the report counts, in the order the store keeps their days
MILESTONE_KINDS: tuple[str, ...] = (*(s.value for s in Stage), FIRST_CALL, FIRST_MEETING)

#: bump when the derivation below changes, so that figures stored by an older one are stale
VERSION = 1


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """What one person adds to the report (see the module's docstring)."""

    person_id: int
    as_of: date  # the day the window counts are of
    computed_at: datetime  # the moment assessed: the history up to it is counted
    basis: str  # the rules and coverage they were computed under (:func:`basis`)
    stage: Stage
    # the day each stage of STAGE_ORDER was first reached (None: not reached)
    reached_on: tuple[date | None, ...]
    first_call_at: datetime | None
    first_call_on: date | None
    first_meeting_at: datetime | None
    first_meeting_on: date | None
    days_to_first_meeting: int | None
    last_met_on: date | None  # the last meeting or gathering that happened
    talk: int  # talk and links over all time
    links: int
    talk_year: int  # ... over the last 365 days ending `as_of`
    links_year: int
    # ... by calendar month: index 0 is `as_of`'s month, 1 the month before, and so on
    talk_by_month: tuple[int, ...]
    links_by_month: tuple[int, ...]
    window_in: int  # reciprocity touches in the window ending `as_of`
    window_out: int

    def milestone_days(self) -> dict[str, date]:
        """Milestone kind (MILESTONE_KINDS) to the day it was reached, for those reached."""
        days = [*self.reached_on, self.first_call_on, self.first_meeting_on]
        return {kind: day for kind, day in zip(MILESTONE_KINDS, days, strict=True) if day}


def _months_between(later: tuple[int, int], earlier: tuple[int, int]) -> int:
    return (later[0] - earlier[0]) * 12 + later[1] - earlier[1]


def report_figures(a: Assessment, ctx: Context) -> ReportFigures:
    """One person's figures, as of `ctx.now` (the walk of :meth:`ReportBuilder.add`)."""
    today = ctx.today
    this_month = month_of(today)
    talk = links = talk_year = links_year = 0
    talk_by_month = [0] * TREND_MONTHS
    links_by_month = [0] * TREND_MONTHS
    last_met: date | None = None
    for i, day in a.timeline:
        if ladder.LEVEL[i.channel] >= ladder.IN_PERSON and ladder.happened(i):
            last_met = day
        talks = is_talk(i, ctx)
        if talks is None:
            continue
        recent = in_last_days(day, today, YEAR_DAYS)
        back = _months_between(this_month, month_of(day))
        in_trend = 0 <= back < TREND_MONTHS
        if talks:
            talk += 1
            talk_year += recent
            if in_trend:
                talk_by_month[back] += 1
        else:
            links += 1
            links_year += recent
            if in_trend:
                links_by_month[back] += 1

    reached: dict[str, date] = {}
    first_call_at = first_meeting_at = None
    days_to_meeting: int | None = None
    first_contact = a.rhythm.first_contact
    for m in a.milestones:
        day = ctx.day_of(m.at)
        reached.setdefault(m.kind, day)
        if m.kind == FIRST_CALL:
            first_call_at = m.at
        elif m.kind == FIRST_MEETING:
            first_meeting_at = m.at
            # as in the builder: a meeting is itself a two-way contact
            start = day if first_contact is None else min(first_contact, day)
            days_to_meeting = (day - start).days
    return ReportFigures(
        person_id=a.person.id,
        as_of=today,
        computed_at=ctx.now,
        basis=basis(ctx),
        stage=a.stage,
        reached_on=tuple(reached.get(stage.value) for stage in Stage),
        first_call_at=first_call_at,
        first_call_on=reached.get(FIRST_CALL),
        first_meeting_at=first_meeting_at,
        first_meeting_on=reached.get(FIRST_MEETING),
        days_to_first_meeting=days_to_meeting,
        last_met_on=last_met,
        talk=talk,
        links=links,
        talk_year=talk_year,
        links_year=links_year,
        talk_by_month=tuple(talk_by_month),
        links_by_month=tuple(links_by_month),
        window_in=a.reciprocity.inbound,
        window_out=a.reciprocity.outbound,
    )


# -- the basis: rules and coverage, as a short stable digest --------------------------------
def _canonical(value: Any) -> Any:
    """A JSON-able form of `value` that does not depend on set or dict order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, Mapping):
        items = [[_canonical(k), _canonical(v)] for k, v in value.items()]
        return sorted(items, key=lambda kv: json.dumps(kv, sort_keys=True))
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def basis_of(rules: Rules, coverage: Coverage) -> str:
    """A digest of everything the figures depend on besides the history and the day: the
    rules (the user's zone among them), what each source can see, and VERSION."""
    described = {
        "version": VERSION,
        "rules": _canonical(rules),
        "one_sided": _canonical(coverage.one_sided),
    }
    text = json.dumps(described, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


_BASES: list[tuple[Rules, Coverage, str]] = []


def basis(ctx: Context) -> str:
    """:func:`basis_of` the context's rules and coverage, worked out once per pair."""
    for rules, coverage, digest in _BASES:
        if rules is ctx.rules and coverage is ctx.coverage:
            return digest
    digest = basis_of(ctx.rules, ctx.coverage)
    _BASES.insert(0, (ctx.rules, ctx.coverage, digest))
    del _BASES[8:]
    return digest


# -- the report from the store's sums -------------------------------------------------------
@dataclass(frozen=True)
class ReportTotals:
    """The store's sums over everyone's figures (each computed today, under this basis)
    and the base's own counts. Mappings from a value to how many people have it keep the
    medians exact without a number per person."""

    people: int
    paused: int
    by_stage: Mapping[Stage, int]
    last_met_on: Mapping[date, int]  # day of the last meeting -> people
    days_to_first_meeting: Mapping[int, int]  # days -> people
    talk: int
    links: int
    talk_year: int
    links_year: int
    talk_by_month: Sequence[int]  # as ReportFigures: index 0 is today's month
    links_by_month: Sequence[int]
    window_in: int
    window_out: int
    window_pairs: Mapping[tuple[int, int], int]  # (in, out) with out > 0 -> people
    milestone_days: Mapping[tuple[str, date], int]  # (kind, day) -> people
    recent: Sequence[Conversion]  # first calls and meetings of the last RECENT_DAYS, or more
    invites: Mapping[tuple[AskKind, Response], int]  # as of now: later answers are pending


def _spread(counts: Mapping[Any, int]) -> list[Any]:
    """The values of `counts`, each as many times as counted (for an exact median)."""
    return [value for value, n in sorted(counts.items()) for _ in range(n)]


def report_from(totals: ReportTotals, ctx: Context) -> Report:
    """The report these sums say, as of `ctx.now`: the same numbers as assessing everyone
    (:func:`kith.domain.report.report_of`); the final arithmetic is the builder's own."""
    today = ctx.today
    b = ReportBuilder(ctx)
    b.people = totals.people
    b.paused = totals.paused
    b.by_stage = Counter(totals.by_stage)
    b.met_ever = sum(totals.last_met_on.values())
    b.met_last_365d = sum(
        n for day, n in totals.last_met_on.items() if in_last_days(day, today, YEAR_DAYS)
    )
    b.days_to_meeting = _spread(totals.days_to_first_meeting)
    b.talk_all = Counter({True: totals.talk, False: totals.links})
    b.talk_year = Counter({True: totals.talk_year, False: totals.links_year})
    b.window_in = totals.window_in
    b.window_out = totals.window_out
    b.ratios = _spread(_ratio_counts(totals.window_pairs))
    b.invites = Counter(totals.invites)
    this_month = month_of(today)
    for back in range(TREND_MONTHS):
        talk, links = totals.talk_by_month[back], totals.links_by_month[back]
        if talk or links:
            month = b._month(months_back(*this_month, back))
            month["talk"] += talk
            month["links"] += links
    for (kind, day), n in totals.milestone_days.items():
        b.quarters.setdefault(quarter_of(day), Counter())[kind] += n
        if kind in (FIRST_CALL, FIRST_MEETING) and b._in_trend(month_of(day)):
            b._month(month_of(day))[kind] += n
    latest = sorted(
        (
            (c.at, c.person_id, c.kind, c.name)
            for c in totals.recent
            if in_last_days(ctx.day_of(c.at), today, RECENT_DAYS)
        ),
        reverse=True,
    )
    b.recent = latest[:RECENT_LIMIT]
    return b.result()


def _ratio_counts(pairs: Mapping[tuple[int, int], int]) -> Counter[float]:
    ratios: Counter[float] = Counter()
    for (inbound, outbound), n in pairs.items():
        if outbound > 0:
            ratios[inbound / outbound] += n
    return ratios
