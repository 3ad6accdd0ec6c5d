"""Contact rhythm of one relationship: two-way contact days, gaps, silences.

A *two-way contact* is a touch where they addressed the user (a reply, mention or
message from them) or a shared moment (a call, a meeting). Contacts are counted per
calendar day in the user's zone, so one long chat is one contact, not a hundred.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import TYPE_CHECKING

from kith.domain.rules import Rules

if TYPE_CHECKING:
    from kith.domain.ledger import Ledger


@dataclass(frozen=True, slots=True)
class Rhythm:
    contact_days: tuple[date, ...]  # distinct days with a two-way contact, ascending
    last_touch: date | None  # last composed touch in either direction (the user checking in counts)
    last_out: date | None  # last composed touch from the user
    last_in: date | None  # last touch of any kind from them

    @property
    def first_contact(self) -> date | None:
        return self.contact_days[0] if self.contact_days else None

    @property
    def last_contact(self) -> date | None:
        return self.contact_days[-1] if self.contact_days else None

    @property
    def median_gap(self) -> float | None:
        days = self.contact_days
        if len(days) < 2:
            return None
        return float(median((b - a).days for a, b in itertools.pairwise(days)))

    def fading_from(self, rules: Rules) -> date | None:
        """The first day on which the current silence counts as fading, or None."""
        gap = self.median_gap
        last = self.last_contact
        if gap is None or last is None or len(self.contact_days) < rules.fading_min_contacts:
            return None
        # silence must exceed factor x gap (strictly) and be at least the minimum
        threshold = max(int(rules.fading_gap_factor * gap) + 1, rules.fading_min_days)
        return date.fromordinal(last.toordinal() + threshold)


def rhythm(counts: Ledger) -> Rhythm:
    return Rhythm(counts.contact_days, counts.last_touch, counts.last_composed_out, counts.last_in)
