"""A history's interactions in order, each with its calendar day in the user's zone.

Built once per assessment so that every rule reads the same order and the same days.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from kith.domain.calendar import local_date
from kith.domain.model import Interaction


@dataclass(frozen=True, slots=True)
class Timeline:
    items: tuple[Interaction, ...]
    days: tuple[date, ...]

    def __iter__(self) -> Iterator[tuple[Interaction, date]]:
        return zip(self.items, self.days, strict=True)

    def __len__(self) -> int:
        return len(self.items)


def timeline(
    interactions: Iterable[Interaction], tz: str, until: datetime | None = None
) -> Timeline:
    """Interactions up to `until` (all when None) in a total order, so that the order a
    history is given in never matters."""
    chosen = interactions if until is None else (i for i in interactions if i.occurred_at <= until)
    items = tuple(sorted(chosen, key=Interaction.sort_key))
    return Timeline(items, tuple(local_date(i.occurred_at, tz) for i in items))
