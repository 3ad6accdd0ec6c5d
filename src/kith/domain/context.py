"""What every rule is evaluated against: the moment, the rules, the user's home and trips,
and what each source of the history can see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from kith.domain.calendar import local_date
from kith.domain.coverage import EVERYTHING, Coverage
from kith.domain.model import GeoPoint, Trip
from kith.domain.rules import Rules
from kith.domain.team import Introducer, TeamAsk


@dataclass(frozen=True)
class Context:
    now: datetime
    rules: Rules = field(default_factory=Rules)
    home: GeoPoint | None = None
    trips: tuple[Trip, ...] = ()
    snoozed: frozenset[tuple[int, str]] = frozenset()  # (person id, action) set aside today
    #: people on the team's do-not-contact list: no suggestion for anyone (docs/team.md)
    do_not_contact: frozenset[int] = frozenset()
    coverage: Coverage = EVERYTHING  # what each source can see (kith.domain.coverage)
    #: a team base: teammates' recent asks and pitches, per person (the team cooldown) ...
    team_asks: Mapping[int, TeamAsk] = field(default_factory=dict, hash=False)
    #: ... and the teammate who could introduce the acting member, per person
    introducers: Mapping[int, Introducer] = field(default_factory=dict, hash=False)
    today: date = field(init=False, compare=False)  # `now`'s calendar day in the user's zone

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            object.__setattr__(self, "now", self.now.replace(tzinfo=UTC))
        object.__setattr__(self, "today", local_date(self.now, self.rules.timezone))

    def day_of(self, moment: datetime) -> date:
        return local_date(moment, self.rules.timezone)
