"""Stages and milestones (docs/path.md, "Stages"): the highest stage a whole history reaches.

A stage never goes down: every condition below only ever becomes true as a history
grows. Decay shows in tie strength instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kith.domain import ladder
from kith.domain.model import Channel, Direction, Interaction, Milestone, Stage
from kith.domain.rules import Rules

_CALLS = frozenset({Channel.CALL, Channel.VIDEO})


@dataclass(slots=True)
class StageTracker:
    """What a history has shown so far, one interaction at a time, in time order:
    the conditions of each stage, shared hours, and the milestones met on the way."""

    engaged: bool = False  # the user shared, commented on or wrote to them
    addressed: bool = False  # they addressed the user at least once
    private_out: bool = False
    private_in: bool = False
    voice: bool = False
    met: bool = False
    hours: float = 0.0
    reached: int = -1
    marks: dict[str, Milestone] = field(default_factory=dict)

    def add(self, interaction: Interaction, rules: Rules) -> bool:
        """Take one interaction into account; False when it did not happen (a missed call)."""
        channel = interaction.channel
        if interaction.minutes == 0 and channel in ladder.SYNCHRONOUS:
            return False
        lvl = ladder.LEVEL[channel]
        direction = interaction.direction
        outbound = direction is not Direction.IN
        inbound = direction is not Direction.OUT
        before = (
            self.engaged,
            self.addressed,
            self.private_out,
            self.private_in,
            self.voice,
            self.met,
        )
        if outbound and lvl >= 1:
            self.engaged = True
        if inbound and lvl >= ladder.PUBLIC:
            self.addressed = True
        if lvl == ladder.PRIVATE:
            self.private_out |= outbound
            self.private_in |= inbound
            if inbound:
                self._mark("first_inbound_message", interaction)
        if channel in _CALLS:
            self.voice = True
            self._mark("first_call", interaction)
        if lvl >= ladder.IN_PERSON:
            self.met = True
            self._mark("first_meeting", interaction)
        had = self.hours
        self.hours += ladder.hours(interaction, rules)
        crossed = had < rules.friend_hours <= self.hours or had < rules.close_hours <= self.hours
        after = (
            self.engaged,
            self.addressed,
            self.private_out,
            self.private_in,
            self.voice,
            self.met,
        )
        if self.reached >= 0 and before == after and not crossed:
            return True  # nothing that decides the stage has changed
        stage = self.stage(rules)
        if stage.rank > self.reached:
            # the first touch of any kind is when they were noticed; later jumps mark
            # only the stage actually reached (a first meeting is not a first message)
            self._mark(Stage.NOTICED.value, interaction)
            self._mark(stage.value, interaction)
            self.reached = stage.rank
        return True

    def _mark(self, kind: str, interaction: Interaction) -> None:
        if kind not in self.marks:
            self.marks[kind] = Milestone(kind, interaction.occurred_at)

    def milestones(self) -> tuple[Milestone, ...]:
        return tuple(
            sorted(self.marks.values(), key=lambda m: (m.at, _MILESTONE_ORDER.index(m.kind)))
        )

    def stage(self, rules: Rules) -> Stage:
        if self.hours >= rules.close_hours:
            return Stage.CLOSE
        if self.met and self.hours >= rules.friend_hours:
            return Stage.FRIEND
        if self.met:
            return Stage.MET
        if self.voice:
            return Stage.VOICE
        if self.private_out and self.private_in:
            return Stage.CONVERSING
        if self.addressed:
            return Stage.ACQUAINTED
        if self.engaged:
            return Stage.ENGAGING
        return Stage.NOTICED


@dataclass(frozen=True, slots=True)
class Progression:
    stage: Stage
    milestones: tuple[Milestone, ...]
    hours: float


def in_order(interactions: Iterable[Interaction]) -> tuple[Interaction, ...]:
    return tuple(sorted(interactions, key=Interaction.sort_key))


def stage_of(interactions: Iterable[Interaction], rules: Rules) -> Stage:
    tracker = StageTracker()
    for interaction in interactions:
        tracker.add(interaction, rules)
    return tracker.stage(rules)


def progression(ordered: Iterable[Interaction], rules: Rules) -> Progression:
    """Stage, milestones and shared hours in one pass over interactions in time order.

    Milestones are the first time each stage was reached, plus the first inbound
    message, the first call and the first meeting.
    """
    tracker = StageTracker()
    for interaction in ordered:
        tracker.add(interaction, rules)
    return Progression(tracker.stage(rules), tracker.milestones(), tracker.hours)


def milestones(ordered: Iterable[Interaction], rules: Rules) -> tuple[Milestone, ...]:
    return progression(ordered, rules).milestones


_MILESTONE_ORDER: tuple[str, ...] = (
    *(s.value for s in Stage),
    "first_inbound_message",
    "first_call",
    "first_meeting",
)
