"""Everything the rules say about one relationship at one moment, computed once."""

from __future__ import annotations

from dataclasses import dataclass

from kith.domain.contacts import Rhythm, rhythm
from kith.domain.context import Context
from kith.domain.ledger import Ledger, ledger
from kith.domain.model import History, Interaction, Milestone, Person, Stage, Strength
from kith.domain.pacing import Pace, Reciprocity, pace_of, reciprocity_of
from kith.domain.places import maybe_distance_km
from kith.domain.readiness import AskState, Readiness, ask_state, readiness
from kith.domain.strength import tie_strength
from kith.domain.timeline import Timeline, timeline


@dataclass(frozen=True, slots=True)
class Assessment:
    history: History  # as of the moment assessed: nothing dated later
    timeline: Timeline
    ledger: Ledger
    stage: Stage
    milestones: tuple[Milestone, ...]
    hours: float
    rhythm: Rhythm
    reciprocity: Reciprocity
    pace: Pace
    strength: Strength
    asks: AskState
    distance_km: float | None
    readiness: Readiness
    count_in: int
    count_out: int

    @property
    def person(self) -> Person:
        return self.history.person

    @property
    def interactions(self) -> tuple[Interaction, ...]:
        return self.timeline.items


def assess(history: History, ctx: Context) -> Assessment:
    """Apply every relationship rule (docs/path.md) to one history, as of `ctx.now`.

    Anything dated after `now` is ignored, so a past moment can be replayed.
    """
    rules = ctx.rules
    today = ctx.today
    now = ctx.now
    tl = timeline(history.interactions, rules.timezone, until=now)
    facts = tuple(f for f in history.facts if f.noted_at is None or f.noted_at <= now)
    invites = tuple(inv for inv in history.invites if inv.asked_at <= now)
    counts = ledger(tl, today, rules, ctx.coverage)
    beat = rhythm(counts)
    recip = reciprocity_of(counts)
    pacing = pace_of(counts, rules, today)
    asks = ask_state(invites, tl.items, ctx)
    distance = maybe_distance_km(ctx.home, history.person.location)
    return Assessment(
        history=History(history.person, tl.items, facts, invites),
        timeline=tl,
        ledger=counts,
        stage=counts.stage,
        milestones=counts.milestones,
        hours=round(counts.hours, 2),
        rhythm=beat,
        reciprocity=recip,
        pace=pacing,
        strength=tie_strength(counts, facts, beat, recip, today, rules),
        asks=asks,
        distance_km=None if distance is None else round(distance, 1),
        readiness=readiness(counts.stage, counts, beat, recip, pacing, asks, distance, ctx),
        count_in=counts.count_in,
        count_out=counts.count_out,
    )
