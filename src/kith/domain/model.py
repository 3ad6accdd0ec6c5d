"""The records the relationship rules work on: immutable, no I/O.

Times are timezone-aware UTC datetimes; calendar rules work on dates in the
user's zone (see :func:`kith.domain.calendar.local_date`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Channel(StrEnum):
    """How a touch happened, from one-click reactions to meeting in person."""

    FOLLOW = "follow"
    LIKE = "like"
    SHARE = "share"
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    DM = "dm"
    CHAT = "chat"
    EMAIL = "email"
    CALL = "call"
    VIDEO = "video"
    MEETING = "meeting"
    GATHERING = "gathering"


class Direction(StrEnum):
    """`out`: the user to them; `in`: them to the user; `both`: a shared moment."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


class Stage(StrEnum):
    """How far a relationship has come; derived from the history, never set by hand."""

    NOTICED = "noticed"
    ENGAGING = "engaging"
    ACQUAINTED = "acquainted"
    CONVERSING = "conversing"
    VOICE = "voice"
    MET = "met"
    FRIEND = "friend"
    CLOSE = "close"

    @property
    def rank(self) -> int:
        return _STAGE_RANK[self]


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
_STAGE_RANK: dict[Stage, int] = {stage: n for n, stage in enumerate(Stage)}


class AskKind(StrEnum):
    """The kinds of real-life ask, from the lightest rung up."""

    CALL = "call"
    VIDEO = "video"
    COFFEE = "coffee"
    MEAL = "meal"
    EVENT = "event"


class Response(StrEnum):
    PENDING = "pending"
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Action(StrEnum):
    """What the agenda can suggest."""

    WISH_LUCK = "wish_luck"
    ASK_HOW_IT_WENT = "ask_how_it_went"
    BIRTHDAY = "birthday"
    SCHEDULE = "schedule"
    MEET_WHILE_TRAVELLING = "meet_while_travelling"
    SLOW_DOWN = "slow_down"
    RAISE_IRL = "raise_irl"
    KEEP_IN_TOUCH = "keep_in_touch"
    DEEPEN = "deepen"
    ENGAGE = "engage"
    #: a team base: a teammate knows them well, the acting member not at all; it takes the
    #: place of another suggestion (kith.domain.agenda.introduce)
    ASK_FOR_INTRO = "ask_for_intro"


#: the source of a touch the user logged by hand
MANUAL_SOURCE = "manual"


@dataclass(frozen=True, slots=True)
class Interaction:
    """One touch between the user and a person; `source` names the import (or sync) it came
    from, which tells what that record could have shown of the other side (`coverage`)."""

    occurred_at: datetime
    channel: Channel
    direction: Direction
    text: str | None = None
    word_count: int = 0
    is_link_share: bool = False
    minutes: int | None = None
    source: str = MANUAL_SOURCE

    def sort_key(self) -> tuple[datetime, str, str, int, str]:
        """A total order, so that the order a history is given in never matters."""
        return (
            self.occurred_at,
            self.channel,  # str enums: their values order them
            self.direction,
            -1 if self.minutes is None else self.minutes,
            self.text or "",
        )


@dataclass(frozen=True, slots=True)
class Fact:
    """Something learnt about a person; a date makes it an upcoming event."""

    text: str
    event_on: date | None = None
    private: bool = False
    noted_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Invite:
    """A real-life ask and its answer."""

    asked_at: datetime
    kind: AskKind
    response: Response = Response.PENDING
    responded_at: datetime | None = None
    scheduled_at: datetime | None = None
    place: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class GeoPoint:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Person:
    """What the rules need to know about a person, besides the history."""

    id: int
    name: str
    circle: int | None = None
    paused: bool = False
    city: str | None = None
    location: GeoPoint | None = None
    birthday: date | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class History:
    """A person and everything that happened between them and the user."""

    person: Person
    interactions: tuple[Interaction, ...] = ()
    facts: tuple[Fact, ...] = ()
    invites: tuple[Invite, ...] = ()


@dataclass(frozen=True, slots=True)
class Milestone:
    kind: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Strength:
    """Tie strength in [0, 1] and the plain-language reasons behind it."""

    score: float
    reasons: tuple[str, ...]
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One agenda item: who, what, why, how urgent, by when."""

    person_id: int
    person_name: str
    action: Action
    reason: str
    priority: float
    due: date
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Trip:
    """The user's stay in a city between two dates (both included)."""

    city: str
    location: GeoPoint | None
    starts_on: date
    ends_on: date
    id: int | None = None
