"""Circles of attention with limited room, after Dunbar's layers
(docs/path.md, "Focus and circles")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kith.domain.rules import Rules

CIRCLES: tuple[int, ...] = (1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class Member:
    person_id: int
    name: str
    strength: float


@dataclass(frozen=True, slots=True)
class CircleFull:
    circle: int
    cap: int
    could_move_out: tuple[Member, ...]

    def message(self) -> str:
        names = ", ".join(m.name for m in self.could_move_out)
        return (
            f"Circle {self.circle} is full ({self.cap} of {self.cap}); "
            f"to make room, move out one of the weakest ties first: {names}."
        )


def check_room(circle: int, members: Sequence[Member], rules: Rules) -> CircleFull | None:
    """None when one more person fits in `circle`; otherwise who could make room."""
    cap = rules.cap(circle)
    if len(members) < cap:
        return None
    weakest = sorted(members, key=lambda m: (m.strength, m.name, m.person_id))[:3]
    return CircleFull(circle, cap, tuple(weakest))
