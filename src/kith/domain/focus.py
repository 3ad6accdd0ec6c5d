"""Who deserves a place in a circle: candidates ranked, the user decides (docs/path.md,
"Focus and circles").

Ranked by reciprocity, recent attention from them, stage and depth; nearness helps.
Only people in no circle and not paused are candidates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kith.domain import ladder
from kith.domain.assessment import Assessment
from kith.domain.calendar import in_last_days
from kith.domain.context import Context
from kith.domain.model import Stage

WEIGHTS: dict[str, float] = {
    "reciprocity": 0.30,
    "attention": 0.30,
    "stage": 0.25,
    "depth": 0.10,
    "nearness": 0.05,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    name: str
    score: float
    suggested_circle: int
    reasons: tuple[str, ...]
    stage: Stage


def _suggested_circle(stage: Stage, sizes: Mapping[int, int], ctx: Context) -> int:
    wanted = 2 if stage.rank >= Stage.MET.rank else 3 if stage.rank >= Stage.CONVERSING.rank else 4
    for circle in range(wanted, 5):
        if sizes.get(circle, 0) < ctx.rules.cap(circle):
            return circle
    return 4


def candidate(a: Assessment, sizes: Mapping[int, int], ctx: Context) -> Candidate | None:
    person = a.person
    if person.circle is not None or person.paused or not a.interactions:
        return None
    attention = sum(
        1
        for i, day in a.timeline
        if ladder.is_inbound(i)
        and ladder.LEVEL[i.channel] >= ladder.PUBLIC
        and in_last_days(day, ctx.today, 90)
    )
    near = a.distance_km is not None and a.distance_km <= ctx.rules.near_km
    parts = {
        "reciprocity": a.reciprocity.balance,
        "attention": 1 - math.exp(-attention / 4),
        "stage": a.stage.rank / Stage.CLOSE.rank,
        "depth": min(1.0, math.log1p(a.hours) / math.log1p(ctx.rules.friend_hours)),
        "nearness": 1.0 if near else 0.0,
    }
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    if score <= 0:
        return None
    reasons = [f"stage {a.stage.value}"]
    if attention:
        reasons.append(f"addressed you {attention} times in the last 90 days")
    r = a.reciprocity
    if r.inbound or r.outbound:
        reasons.append(f"{r.inbound} touches from them, {r.outbound} from you in 180 days")
    if a.hours >= 0.5:
        reasons.append(f"{a.hours:.1f} shared hours")
    if near and a.distance_km is not None:
        reasons.append(f"lives {a.distance_km:.0f} km from you")
    return Candidate(
        person.id,
        person.name,
        round(score, 4),
        _suggested_circle(a.stage, sizes, ctx),
        tuple(reasons),
        a.stage,
    )


def candidates(
    assessments: Iterable[Assessment], sizes: Mapping[int, int], ctx: Context, limit: int = 10
) -> list[Candidate]:
    found = [c for a in assessments if (c := candidate(a, sizes, ctx)) is not None]
    found.sort(key=lambda c: (-c.score, c.name, c.person_id))
    return found[:limit]
