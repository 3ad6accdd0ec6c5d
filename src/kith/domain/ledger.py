"""One pass over a history that counts everything the rules read.

Each rule module (contacts, pacing, strength, readiness) turns these counts into its own
result; the counting itself happens here, once per interaction, because assessing a large
base is dominated by walking histories.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date

from kith.domain import ladder
from kith.domain.coverage import EVERYTHING, Coverage
from kith.domain.model import Channel, Direction, Milestone, Stage
from kith.domain.rules import Rules
from kith.domain.stages import StageTracker
from kith.domain.timeline import Timeline

_CALLS = frozenset({Channel.CALL, Channel.VIDEO})


@dataclass(frozen=True, slots=True)
class Ledger:
    # stage (4.3)
    stage: Stage
    milestones: tuple[Milestone, ...]
    hours: float
    # contact rhythm (contacts.py)
    contact_days: tuple[date, ...]  # distinct days with a two-way contact
    last_touch: date | None  # last composed touch, either way
    last_composed_out: date | None  # last composed touch from the user
    last_in: date | None  # last touch of any kind from them
    # reciprocity window (4.5), two-sided evidence only (kith.domain.coverage)
    window_in: int
    window_out: int
    # the same, counting only composed touches (replies, messages, calls, meetings)
    window_in_composed: int
    window_out_composed: int
    # pace (4.5): outbound touches that could have had an answer recorded
    recent_out: int  # outbound touches in the last week
    recent_in: int  # inbound touches in the same week (a burst they answer is a conversation)
    baseline_out: int  # outbound touches in the weeks before
    unanswered: int  # outbound touches since their last inbound one
    last_paced_out: date | None  # last outbound touch the pace rules count
    out_mark: date | None  # day of the (burst floor + 1)-th latest outbound touch they count
    last_out: date | None  # last outbound touch of any kind, from any source
    # (source, channel) of touches that could not show the other side (left out of the pace
    # rules and reciprocity)
    one_sided: tuple[tuple[str, Channel], ...]
    # strength evidence (4.4)
    composed_last_year: int
    reactions_last_year: int
    max_two_way_level: int
    channels: tuple[str, ...]
    private_in: bool
    private_out: bool
    meetings: int
    # readiness (4.6)
    inbound_recent: int  # inbound touches in the readiness window
    in_mark: date | None  # day of the (ready minimum)-th latest inbound touch
    had_call: bool
    # counts
    count_in: int
    count_out: int


def ledger(tl: Timeline, today: date, rules: Rules, coverage: Coverage = EVERYTHING) -> Ledger:
    tracker = StageTracker()
    contact_days: list[date] = []
    last_touch = last_composed_out = last_in = last_out = last_paced = None
    window_in = window_out = recent = recent_in = baseline = unanswered = 0
    one_sided: set[tuple[str, Channel]] = set()
    composed_in = composed_out = 0
    composed = reactions = meetings = inbound_recent = count_in = count_out = 0
    max_two_way = -1
    channels: set[str] = set()
    private_in = private_out = had_call = False
    out_days: deque[date] = deque(maxlen=rules.burst_floor + 1)
    in_days: deque[date] = deque(maxlen=max(rules.ready_min_inbound, 1))
    week = rules.burst_window_days
    baseline_end = week + rules.burst_baseline_weeks * 7
    reciprocity_days = rules.reciprocity_window_days
    ready_days = rules.ready_inbound_window_days
    out, inward, both = Direction.OUT, Direction.IN, Direction.BOTH
    unseen = coverage.one_sided  # see Coverage.one_sided
    for i, day in tl:
        direction = i.direction
        inbound = direction is not out
        outbound = direction is not inward
        count_in += inbound
        count_out += outbound
        if not tracker.add(i, rules):
            continue  # a missed call
        lvl = ladder.LEVEL[i.channel]
        age = (today - day).days
        evidence = direction is both or (i.source, i.channel) not in unseen
        if not evidence:
            one_sided.add((i.source, i.channel))
        if inbound:
            last_in = day
            unanswered = 0
            in_days.append(day)
            if 0 <= age < week:
                recent_in += 1
            if lvl >= ladder.PUBLIC:  # a two-way contact
                if not contact_days or contact_days[-1] != day:
                    contact_days.append(day)
                max_two_way = max(max_two_way, lvl)
            if 0 <= age < ready_days:
                inbound_recent += 1
        if lvl >= ladder.PUBLIC:
            last_touch = day
            if outbound:
                last_composed_out = day
        if evidence and 0 <= age < reciprocity_days:
            window_in += inbound
            window_out += outbound
            if lvl >= ladder.PUBLIC:
                composed_in += inbound
                composed_out += outbound
        if direction is out:
            last_out = day
        if direction is out and evidence:
            unanswered += 1
            last_paced = day
            out_days.append(day)
            if 0 <= age < week:
                recent += 1
            elif week <= age < baseline_end:
                baseline += 1
        if lvl >= 1:
            channels.add(i.channel.value)
        if lvl == ladder.PRIVATE:
            private_out |= outbound
            private_in |= inbound
        if lvl >= ladder.IN_PERSON:
            meetings += 1
        if i.channel in _CALLS:
            had_call = True
        if 0 <= age < 365:
            if lvl >= ladder.PUBLIC:
                composed += 1
            else:
                reactions += 1
    return Ledger(
        stage=tracker.stage(rules),
        milestones=tracker.milestones(),
        hours=tracker.hours,
        contact_days=tuple(contact_days),
        last_touch=last_touch,
        last_composed_out=last_composed_out,
        last_in=last_in,
        window_in=window_in,
        window_out=window_out,
        window_in_composed=composed_in,
        window_out_composed=composed_out,
        recent_out=recent,
        recent_in=recent_in,
        baseline_out=baseline,
        unanswered=unanswered,
        last_paced_out=last_paced,
        out_mark=out_days[0] if len(out_days) == out_days.maxlen else None,
        last_out=last_out,
        one_sided=tuple(sorted(one_sided)),
        composed_last_year=composed,
        reactions_last_year=reactions,
        max_two_way_level=max_two_way,
        channels=tuple(sorted(channels)),
        private_in=private_in,
        private_out=private_out,
        meetings=meetings,
        inbound_recent=inbound_recent,
        in_mark=in_days[0] if len(in_days) == rules.ready_min_inbound else None,
        had_call=had_call,
        count_in=count_in,
        count_out=count_out,
    )
