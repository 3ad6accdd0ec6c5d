"""`kith report`: what vanity metrics miss (docs/report.md), computed from assessments.

Follower counts say how many people could see the user; this report says how many
relationships moved from online to real life, how fast, and whether the user talks or
only links. Every figure is explained in docs/report.md.

The report is built one assessment at a time (:class:`ReportBuilder`), so a base of any
size is measured in bounded memory: per person it keeps at most two numbers (the days to a
first meeting and the reciprocity ratio), everything else is a running count.

All calendar boundaries (days, months, quarters) are in the user's zone
(`ctx.rules.timezone`); "the last N days" are the N calendar days ending today.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from kith.domain import ladder
from kith.domain.assessment import Assessment, assess
from kith.domain.calendar import in_last_days
from kith.domain.context import Context
from kith.domain.model import AskKind, Direction, History, Interaction, Response, Stage
from kith.domain.pacing import is_link_share

#: months in the monthly trend, the current one included
TREND_MONTHS = 24
#: "met in the last year" and the conversation share's window, in days
YEAR_DAYS = 365
#: how far back the list of recent first calls and meetings goes, and its length
RECENT_DAYS = 90
RECENT_LIMIT = 20

FIRST_CALL = "first_call"
FIRST_MEETING = "first_meeting"


# -- the report's parts ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TalkCount:
    """The user's outbound touches above a like: conversation against bare links.

    *talk*: touches the user composed (a reply, comment, mention, message, or a call or
    meeting logged as outbound) that are not link shares; *links*: shares (reposts) and
    composed touches that are only a link (fewer than `link_share_max_words` words besides
    the URL). Follows and likes are neither.
    """

    talk: int = 0
    links: int = 0

    @property
    def total(self) -> int:
        return self.talk + self.links

    @property
    def share(self) -> float | None:
        """talk / (talk + links); None when the user sent nothing above a like."""
        return None if self.total == 0 else self.talk / self.total


@dataclass(frozen=True, slots=True)
class InviteCount:
    """Real-life asks and their answers; an answer recorded after `now` is still pending."""

    asked: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def answered(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def pending(self) -> int:
        return self.asked - self.answered

    @property
    def accepted_share(self) -> float | None:
        """positive / answered; None while nothing has been answered."""
        return None if self.answered == 0 else self.positive / self.answered


@dataclass(frozen=True, slots=True)
class QuarterCount:
    """How many people reached each stage for the first time in one calendar quarter, and
    how many had their first call and first meeting in it (from milestones)."""

    year: int
    quarter: int  # 1..4
    reached: dict[Stage, int]
    first_calls: int
    first_meetings: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def starts_on(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)


@dataclass(frozen=True, slots=True)
class MonthCount:
    """One calendar month of the trend: first calls, first meetings, talk against links."""

    year: int
    month: int
    first_calls: int
    first_meetings: int
    talk: TalkCount

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def starts_on(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True, slots=True)
class Conversion:
    """One person's first call or first meeting (a move from online to a richer channel)."""

    person_id: int
    name: str
    kind: str  # FIRST_CALL or FIRST_MEETING
    at: datetime


@dataclass(frozen=True, slots=True)
class Reciprocity:
    """Inbound over outbound touches in the reciprocity window (180 days by default): over
    all touches of the base, and the median of the per-person ratios."""

    window_days: int
    inbound: int
    outbound: int
    median_per_person: float | None
    people: int  # people with an outbound touch in the window (those with a ratio)

    @property
    def ratio(self) -> float | None:
        return None if self.outbound == 0 else self.inbound / self.outbound


@dataclass(frozen=True, slots=True)
class Report:
    as_of: datetime
    today: date
    timezone: str
    people: int
    paused: int
    by_stage: dict[Stage, int]  # people whose current stage is this one
    met_ever: int
    met_last_365d: int
    median_days_to_first_meeting: float | None
    conversation: TalkCount  # the last 365 days
    conversation_all_time: TalkCount
    reciprocity: Reciprocity
    invites: InviteCount
    invites_by_kind: dict[AskKind, InviteCount]
    quarters: tuple[QuarterCount, ...]
    months: tuple[MonthCount, ...]
    recent: tuple[Conversion, ...]  # newest first

    @property
    def funnel(self) -> dict[Stage, int]:
        """People who reached each stage or a later one: widest at `noticed` (everyone)."""
        total = 0
        reached: dict[Stage, int] = {}
        for stage in reversed(Stage):
            total += self.by_stage[stage]
            reached[stage] = total
        return {stage: reached[stage] for stage in Stage}

    @property
    def conversation_share(self) -> float | None:
        return self.conversation.share


# -- building it -----------------------------------------------------------------------------
def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def month_of(day: date) -> tuple[int, int]:
    return day.year, day.month


def months_back(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - n
    return index // 12, index % 12 + 1


def is_talk(i: Interaction, ctx: Context) -> bool | None:
    """True for conversation, False for a link, None when the touch is neither (see
    :class:`TalkCount`)."""
    if i.direction is not Direction.OUT or not ladder.happened(i):
        return None
    lvl = ladder.LEVEL[i.channel]
    if lvl < 1:
        return None
    if lvl < ladder.PUBLIC:
        return False  # a share (repost, boost) passes a link along
    return not (i.is_link_share or is_link_share(i.text, ctx.rules))


@dataclass
class ReportBuilder:
    """Takes assessments one at a time; :meth:`result` gives the report."""

    ctx: Context
    people: int = 0
    paused: int = 0
    by_stage: Counter[Stage] = field(default_factory=Counter)
    met_ever: int = 0
    met_last_365d: int = 0
    days_to_meeting: list[int] = field(default_factory=list)
    talk_year: Counter[bool] = field(default_factory=Counter)
    talk_all: Counter[bool] = field(default_factory=Counter)
    window_in: int = 0
    window_out: int = 0
    ratios: list[float] = field(default_factory=list)
    invites: Counter[tuple[AskKind, Response]] = field(default_factory=Counter)
    quarters: dict[tuple[int, int], Counter[str]] = field(default_factory=dict)
    months: dict[tuple[int, int], Counter[str]] = field(default_factory=dict)
    recent: list[tuple[datetime, int, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        today = self.ctx.today
        self._first_month = months_back(today.year, today.month, TREND_MONTHS - 1)
        self._this_month = month_of(today)

    def _in_trend(self, key: tuple[int, int]) -> bool:
        return self._first_month <= key <= self._this_month

    def _month(self, key: tuple[int, int]) -> Counter[str]:
        found = self.months.get(key)
        if found is None:
            found = self.months[key] = Counter()
        return found

    def add(self, a: Assessment) -> None:
        ctx = self.ctx
        today = ctx.today
        person = a.person
        self.people += 1
        self.paused += person.paused
        self.by_stage[a.stage] += 1

        # talk versus link, and in-person meetings, in one walk over the timeline
        last_met: date | None = None
        for i, day in a.timeline:
            if ladder.LEVEL[i.channel] >= ladder.IN_PERSON and ladder.happened(i):
                last_met = day
            talks = is_talk(i, ctx)
            if talks is None:
                continue
            self.talk_all[talks] += 1
            if in_last_days(day, today, YEAR_DAYS):
                self.talk_year[talks] += 1
            month = month_of(day)
            if self._in_trend(month):
                self._month(month)["talk" if talks else "links"] += 1
        if last_met is not None:
            self.met_ever += 1
            if in_last_days(last_met, today, YEAR_DAYS):
                self.met_last_365d += 1

        # milestones: conversions by quarter and month, days to a first meeting
        first_contact = a.rhythm.first_contact
        for m in a.milestones:
            day = ctx.day_of(m.at)
            quarter = self.quarters.get(quarter_of(day))
            if quarter is None:
                quarter = self.quarters[quarter_of(day)] = Counter()
            quarter[m.kind] += 1
            if m.kind in (FIRST_CALL, FIRST_MEETING):
                month = month_of(day)
                if self._in_trend(month):
                    self._month(month)[m.kind] += 1
                if in_last_days(day, today, RECENT_DAYS):
                    item = (m.at, person.id, m.kind, person.name)
                    if len(self.recent) < RECENT_LIMIT:
                        heapq.heappush(self.recent, item)
                    else:
                        heapq.heappushpop(self.recent, item)
            if m.kind == FIRST_MEETING:
                # a meeting is itself a two-way contact; one logged as outbound is not, and
                # then the meeting day is the first contact
                start = day if first_contact is None else min(first_contact, day)
                self.days_to_meeting.append((day - start).days)

        # reciprocity over the window
        recip = a.reciprocity
        self.window_in += recip.inbound
        self.window_out += recip.outbound
        if recip.ratio is not None:
            self.ratios.append(recip.ratio)

        # real-life asks (those asked by now; an answer given after now is still pending)
        for inv in a.history.invites:
            answered = inv.responded_at is None or inv.responded_at <= ctx.now
            response = inv.response if answered else Response.PENDING
            self.invites[inv.kind, response] += 1

    def result(self) -> Report:
        ctx = self.ctx
        today = ctx.today
        by_kind = {
            kind: InviteCount(
                asked=sum(n for (k, _), n in self.invites.items() if k is kind),
                positive=self.invites[kind, Response.POSITIVE],
                neutral=self.invites[kind, Response.NEUTRAL],
                negative=self.invites[kind, Response.NEGATIVE],
            )
            for kind in AskKind
        }
        total = InviteCount(
            asked=sum(c.asked for c in by_kind.values()),
            positive=sum(c.positive for c in by_kind.values()),
            neutral=sum(c.neutral for c in by_kind.values()),
            negative=sum(c.negative for c in by_kind.values()),
        )
        return Report(
            as_of=ctx.now,
            today=today,
            timezone=ctx.rules.timezone,
            people=self.people,
            paused=self.paused,
            by_stage={stage: self.by_stage[stage] for stage in Stage},
            met_ever=self.met_ever,
            met_last_365d=self.met_last_365d,
            median_days_to_first_meeting=(
                float(median(self.days_to_meeting)) if self.days_to_meeting else None
            ),
            conversation=TalkCount(self.talk_year[True], self.talk_year[False]),
            conversation_all_time=TalkCount(self.talk_all[True], self.talk_all[False]),
            reciprocity=Reciprocity(
                window_days=ctx.rules.reciprocity_window_days,
                inbound=self.window_in,
                outbound=self.window_out,
                median_per_person=float(median(self.ratios)) if self.ratios else None,
                people=len(self.ratios),
            ),
            invites=total,
            invites_by_kind=by_kind,
            quarters=self._quarter_rows(today),
            months=self._month_rows(),
            recent=tuple(
                Conversion(pid, name, kind, at)
                for at, pid, kind, name in sorted(self.recent, reverse=True)
            ),
        )

    def _quarter_rows(self, today: date) -> tuple[QuarterCount, ...]:
        """Every quarter from the first with a milestone to the current one, empty ones too."""
        last = quarter_of(today)
        first = min((q for q in self.quarters if q <= last), default=last)
        rows: list[QuarterCount] = []
        year, q = first
        while (year, q) <= last:
            counts = self.quarters.get((year, q), Counter())
            rows.append(
                QuarterCount(
                    year=year,
                    quarter=q,
                    reached={stage: counts[stage.value] for stage in Stage},
                    first_calls=counts[FIRST_CALL],
                    first_meetings=counts[FIRST_MEETING],
                )
            )
            year, q = (year + 1, 1) if q == 4 else (year, q + 1)
        return tuple(rows)

    def _month_rows(self) -> tuple[MonthCount, ...]:
        rows: list[MonthCount] = []
        this_year, this_month = self._this_month
        for back in range(TREND_MONTHS - 1, -1, -1):
            key = months_back(this_year, this_month, back)
            counts = self.months.get(key, Counter())
            rows.append(
                MonthCount(
                    year=key[0],
                    month=key[1],
                    first_calls=counts[FIRST_CALL],
                    first_meetings=counts[FIRST_MEETING],
                    talk=TalkCount(counts["talk"], counts["links"]),
                )
            )
        return tuple(rows)


def report(assessments: Iterable[Assessment], ctx: Context) -> Report:
    """The report over these assessments (each made with `ctx`)."""
    builder = ReportBuilder(ctx)
    for a in assessments:
        builder.add(a)
    return builder.result()


def report_of(histories: Iterable[History], ctx: Context) -> Report:
    """Assess each history as of `ctx.now` and report on them all, one at a time."""
    return report((assess(h, ctx) for h in histories), ctx)
