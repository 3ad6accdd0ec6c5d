"""Tie strength: a score in [0, 1] from transparent features, with reasons (docs/path.md,
"Tie strength").

After Gilbert and Karahalios (2009): recency, duration, intensity, depth, reciprocity,
multiplexity, intimacy and real-life history. Each feature is in [0, 1]; the score is
their weighted sum with weights that add up to 1 (`Rules.strength_weights`). The three
largest contributions become plain-language reasons naming this person's own history.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kith.domain import ladder
from kith.domain.calendar import days_ago_text
from kith.domain.contacts import Rhythm
from kith.domain.ledger import Ledger
from kith.domain.model import Fact, Strength
from kith.domain.pacing import Reciprocity
from kith.domain.phrasing import plural
from kith.domain.rules import Rules

FEATURES: tuple[str, ...] = (
    "recency",
    "duration",
    "intensity",
    "depth",
    "reciprocity",
    "multiplexity",
    "intimacy",
    "real_life",
)


@dataclass(frozen=True, slots=True)
class _Evidence:
    """The facts of a history the features and their reasons are made of."""

    days_since_last: int | None
    days_since_first: int | None
    composed_last_year: int
    reactions_last_year: int
    max_level: int
    hours: float
    reciprocity: Reciprocity
    exchanged: tuple[int, int]  # composed touches (in, out) in 180 days; reactions left out
    channels: tuple[str, ...]
    facts: int
    private_both_ways: bool
    private_out: bool
    meetings: int
    wrote_to_them: bool  # the user has addressed them at least once (or met them)

    @property
    def balance(self) -> float:
        """1 when both sides write as much, towards 0 when one side does all of it."""
        high = max(self.exchanged)
        return 0.0 if high == 0 else min(self.exchanged) / high


def _clamp(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def _gather(
    counts: Ledger,
    facts: tuple[Fact, ...],
    rhythm: Rhythm,
    recip: Reciprocity,
    today: date,
) -> _Evidence:
    first, last = rhythm.first_contact, rhythm.last_contact
    return _Evidence(
        days_since_last=None if last is None else max(0, (today - last).days),
        days_since_first=None if first is None else max(0, (today - first).days),
        composed_last_year=counts.composed_last_year,
        reactions_last_year=counts.reactions_last_year,
        max_level=counts.max_two_way_level,
        hours=counts.hours,
        reciprocity=recip,
        exchanged=(counts.window_in_composed, counts.window_out_composed),
        channels=counts.channels,
        facts=len(facts),
        private_both_ways=counts.private_in and counts.private_out,
        private_out=counts.private_out,
        meetings=counts.meetings,
        wrote_to_them=counts.last_composed_out is not None,
    )


def _features(e: _Evidence, rules: Rules) -> dict[str, float]:
    monthly = (e.composed_last_year + rules.reaction_weight * e.reactions_last_year) / 12.0
    depth_level = max(e.max_level, 0) / ladder.IN_PERSON
    depth_hours = math.log1p(e.hours) / math.log1p(rules.close_hours)
    intimacy_channel = 1.0 if e.private_both_ways else 0.4 if e.private_out else 0.0
    return {
        "recency": 0.0
        if e.days_since_last is None
        else 0.5 ** (e.days_since_last / rules.recency_half_life_days),
        "duration": 0.0 if e.days_since_first is None else 1 - 0.5 ** (e.days_since_first / 365),
        "intensity": 1 - math.exp(-monthly / 8.0),
        "depth": _clamp(0.5 * depth_level + 0.5 * depth_hours),
        "reciprocity": e.balance,
        "multiplexity": _clamp(len(e.channels) / 5.0),
        "intimacy": _clamp(0.5 * min(1.0, e.facts / 5.0) + 0.5 * intimacy_channel),
        "real_life": 1 - 0.5**e.meetings,
    }


def _exchanges(count: int) -> str:
    """'1 reply, message or call', '3 replies, messages or calls'."""
    return "1 reply, message or call" if count == 1 else f"{count} replies, messages or calls"


_REASONS: dict[str, Callable[[_Evidence], str]] = {
    "recency": lambda e: (
        f"last two-way contact {days_ago_text(e.days_since_last or 0)}"
        if e.wrote_to_them
        else f"last message from them {days_ago_text(e.days_since_last or 0)}"
    ),
    "duration": lambda e: (
        f"first two-way contact {days_ago_text(e.days_since_first or 0)}"
        if e.wrote_to_them
        else f"first message from them {days_ago_text(e.days_since_first or 0)}; "
        "you have not written to them"
    ),
    "intensity": lambda e: (
        _exchanges(e.composed_last_year)
        + " in the last year"
        + (f" and {plural(e.reactions_last_year, 'reaction')}" if e.reactions_last_year else "")
    ),
    "depth": lambda e: (
        f"reached {ladder.LEVEL_NAMES.get(e.max_level, 'no two-way channel')}, "
        f"{e.hours:.1f} shared hours"
    ),
    "reciprocity": lambda e: (
        f"{_exchanges(e.exchanged[0])} from them and {e.exchanged[1]} from you in 180 days"
    ),
    "multiplexity": lambda e: (
        f"in touch on {plural(len(e.channels), 'channel')} ({', '.join(e.channels)})"
    ),
    "intimacy": lambda e: ", ".join(
        part
        for part in (
            plural(e.facts, "fact") + " remembered" if e.facts else "",
            "private messages both ways" if e.private_both_ways else "",
            "you wrote to them privately" if e.private_out and not e.private_both_ways else "",
        )
        if part
    ),
    "real_life": lambda e: f"met in person {plural(e.meetings, 'time')}",
}


def tie_strength(
    counts: Ledger,
    facts: tuple[Fact, ...],
    rhythm: Rhythm,
    recip: Reciprocity,
    today: date,
    rules: Rules,
) -> Strength:
    evidence = _gather(counts, facts, rhythm, recip, today)
    features = _features(evidence, rules)
    weights = rules.strength_weights
    total_weight = sum(weights.values()) or 1.0
    contributions = {name: weights.get(name, 0.0) * _clamp(features[name]) for name in FEATURES}
    score = _clamp(sum(contributions.values()) / total_weight)
    top = sorted(
        (name for name, c in contributions.items() if c > 0.005),
        key=lambda name: (-contributions[name], FEATURES.index(name)),
    )[:3]
    reasons = tuple(_REASONS[name](evidence) for name in top)
    if not reasons:
        reasons = ("no two-way contact yet",)
    return Strength(round(score, 4), reasons, {k: round(v, 4) for k, v in features.items()})


def growth_bound(rules: Rules, days: int) -> float:
    """The most a tie strength can rise over `days` days in which nothing new happens.

    Without new interactions recency, intensity and every all-time feature can only stay or
    fall; two can rise: reciprocity (old touches leave its window, up to its whole weight)
    and duration (by at most ln 2 / 365 per day). Used to bound stored scores safely.
    """
    weights = rules.strength_weights
    total = sum(weights.values()) or 1.0
    reciprocity = weights.get("reciprocity", 0.0) / total
    duration = weights.get("duration", 0.0) / total * min(1.0, days * math.log(2) / 365)
    return reciprocity + duration + 1e-4  # scores are stored rounded to 4 places
