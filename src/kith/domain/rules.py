"""Every number behind the relationship rules, in one object the user can change.

The defaults and the references behind them are in docs/path.md.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kith.domain.model import AskKind, Channel


def _default_cadence() -> dict[int, int]:
    return {1: 7, 2: 30, 3: 90, 4: 365}


def _default_caps() -> dict[int, int]:
    return {1: 5, 2: 15, 3: 50, 4: 150}


def _default_strength_weights() -> dict[str, float]:
    # Gilbert and Karahalios 2009: recency, intimacy and duration carry the most weight.
    return {
        "recency": 0.25,
        "intensity": 0.15,
        "depth": 0.15,
        "duration": 0.10,
        "reciprocity": 0.10,
        "intimacy": 0.10,
        "real_life": 0.10,
        "multiplexity": 0.05,
    }


#: rules that only make sense within bounds (inclusive), checked when a team changes them
BOUNDS: dict[str, tuple[float, float]] = {
    "team_cooldown_days": (2, 30),  # docs/team.md, "No double pitches"
    "intro_min_strength": (0.0, 1.0),
}


@dataclass(frozen=True)
class Rules:
    """The tunable numbers. `Rules()` gives the documented defaults."""

    timezone: str = "UTC"

    # 4.2 time invested, in hours per interaction (calls and meetings use minutes)
    hours_share: float = 0.01
    hours_comment: float = 0.05
    hours_message: float = 0.03
    hours_email: float = 0.1
    default_minutes_call: int = 30
    default_minutes_video: int = 45
    default_minutes_meeting: int = 120
    default_minutes_gathering: int = 180
    gathering_share: float = 0.5
    friend_hours: float = 50.0
    close_hours: float = 200.0

    # 4.4 tie strength
    recency_half_life_days: float = 90.0
    strength_weights: dict[str, float] = field(default_factory=_default_strength_weights)
    reaction_weight: float = 0.1  # a like counts a tenth of a composed touch (Burke and Kraut 2014)

    # 4.5 pacing and care
    burst_window_days: int = 7
    burst_baseline_weeks: int = 8
    burst_floor: int = 3
    burst_factor: float = 2.0
    burst_answered_share: float = 0.5  # a burst they answer this much of is a conversation
    unanswered_run: int = 5
    reciprocity_window_days: int = 180
    link_share_max_words: int = 5

    # 4.6 readiness and asks
    ready_min_days_since_first_contact: int = 21
    ready_inbound_window_days: int = 90
    ready_min_inbound: int = 3
    ready_min_reciprocity: float = 0.5
    near_km: float = 100.0
    irl_ramp_start_days: int = 21
    irl_ramp_end_days: int = 42
    no_answer_after_days: int = 14
    retry_after_days: int = 30
    backoff_days: int = 90

    # 4.7 keeping in touch
    circle_cadence_days: dict[int, int] = field(default_factory=_default_cadence)
    circle_caps: dict[int, int] = field(default_factory=_default_caps)
    fading_min_contacts: int = 5
    fading_gap_factor: float = 4.0
    fading_min_days: int = 30

    # 4.8 follow-ups
    wish_luck_days_before: int = 2
    ask_how_days_after: int = 14
    birthday_days_before: int = 2

    # 4.11 vigilance (kith check): VADER's compound score below this is hostile; shouting is
    # more than this share of capitals among at least this many letters
    hostile_below: float = -0.6
    shouting_min_letters: int = 5
    shouting_upper_share: float = 0.7

    # 4.9 places
    travel_radius_km: float = 50.0
    travel_lead_days: int = 14

    # 4.10 agenda
    agenda_limit: int = 7
    engage_gap_days: int = 7  # leave a week between suggested engagements
    deepen_recent_days: int = 30  # they addressed the user this recently
    slow_down_relevant_days: int = 14  # an old burst is no longer worth a warning

    # a team base (docs/team.md): a teammate's tie at least this strong makes an introduction
    # better than a cold approach; after one member's ask or pitch, the others wait this long
    intro_min_strength: float = 0.5
    team_cooldown_days: int = 14

    @cached_property
    def fixed_hours(self) -> dict[Channel, float]:
        """Hours of the touches whose length is not logged (4.2)."""
        return {
            Channel.FOLLOW: 0.0,
            Channel.LIKE: 0.0,
            Channel.SHARE: self.hours_share,
            Channel.COMMENT: self.hours_comment,
            Channel.REPLY: self.hours_comment,
            Channel.MENTION: self.hours_comment,
            Channel.DM: self.hours_message,
            Channel.CHAT: self.hours_message,
            Channel.EMAIL: self.hours_email,
        }

    def cadence(self, circle: int | None) -> int | None:
        return None if circle is None else self.circle_cadence_days.get(circle)

    def cap(self, circle: int) -> int:
        return self.circle_caps[circle]

    def with_changes(self, **changes: Any) -> Rules:
        return dataclasses.replace(self, **changes)

    @staticmethod
    def field_names() -> list[str]:
        return [f.name for f in dataclasses.fields(Rules)]


#: the ask ladder for people who live far away or whose city is unknown
FAR_ASK_LADDER: tuple[AskKind, ...] = (AskKind.CALL, AskKind.VIDEO)
