"""Today's agenda over the whole base, without reading every history (docs/path.md, "The agenda").

Stored per-person figures give, for everyone a rule could name today, a ceiling on the
priority of what it could suggest. Kinds of action are visited from the highest possible
priority down; people are assessed in full, highest ceiling first, until no one left
could beat the last item kept. The result is exactly the agenda over everyone, at the
cost of reading a few histories.
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from typing import TYPE_CHECKING

from kith.domain.agenda import best_for, rank_key
from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.model import Action, Suggestion
from kith.domain.suggestions import ceiling_terms
from kith.domain.team import Introducer
from kith.store import candidates, histories, rawsql, ties

if TYPE_CHECKING:
    from sqlalchemy import Connection

BATCH = 16


class _TopK:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.items: list[Suggestion] = []
        self.seen: set[int] = set()

    def add(self, found: list[Suggestion]) -> None:
        self.items.extend(found)
        self.items.sort(key=rank_key)
        del self.items[self.cap :]

    def beats(self, ceiling: float) -> bool:
        """True when every kept item outranks anything with this priority ceiling."""
        return len(self.items) >= self.cap and self.items[-1].priority > ceiling


def _assess(
    connection: rawsql.Sql, ctx: Context, ids: list[int], member: str | None
) -> list[Suggestion]:
    loaded = histories.load(connection, ids, member)
    if member is not None:
        ctx = replace(ctx, introducers=introducers(connection, ids, member))
    return [s for pid in ids if pid in loaded and (s := best_for(assess(loaded[pid], ctx), ctx))]


def introducers(source: rawsql.Sql, ids: list[int], member: str) -> dict[int, Introducer]:
    """For each of these people, the teammate of `member` with the strongest stored tie."""
    return {
        pid: Introducer(found[0].email, found[0].name, found[0].strength)
        for pid, found in ties.of_people(source, ids, but=member).items()
    }


def _everyone(
    connection: rawsql.Sql, ctx: Context, top: _TopK, member: str | None
) -> list[Suggestion]:
    """Replaying a moment before some of the history: stored figures cannot be trusted."""
    ids = candidates.all_ids(connection)
    for start in range(0, len(ids), 1000):
        top.add(_assess(connection, ctx, ids[start : start + 1000], member))
    return top.items


def today(
    source: Connection | rawsql.Sql,
    ctx: Context,
    limit: int | None = None,
    member: str | None = None,
) -> list[Suggestion]:
    """The agenda over everyone, on a SQLAlchemy connection or straight through sqlite3;
    with `member`, that member's own agenda in a team base (docs/team.md)."""
    connection = rawsql.of(source)
    top = _TopK(ctx.rules.agenda_limit if limit is None else limit)
    figures = candidates.of_member(member)
    if candidates.has_data_after(connection, ctx.now):
        return _everyone(connection, ctx, top, member)
    terms = ceiling_terms(ctx)
    kinds = sorted(Action, key=lambda a: -terms.highest(a))
    pending: list[tuple[float, int]] = []  # (-ceiling, person id)

    def drain(down_to: float) -> None:
        """Assess pending people whose ceiling is above `down_to`, best first."""
        while pending and -pending[0][0] > down_to and not top.beats(-pending[0][0]):
            batch: list[int] = []
            while pending and len(batch) < BATCH and -pending[0][0] > down_to:
                _, pid = heapq.heappop(pending)
                if pid not in top.seen:
                    top.seen.add(pid)
                    batch.append(pid)
            top.add(_assess(connection, ctx, batch, member))

    for kind in kinds:
        highest = terms.highest(kind)
        drain(highest)
        if top.beats(highest):
            break  # neither this kind nor any after it can beat what is kept
        floor = top.items[-1].priority if len(top.items) >= top.cap else 0.0
        found = candidates.candidate_sql(
            kind, ctx.today, ctx.rules, ctx.trips, terms, floor, figures
        )
        for pid, ceiling in candidates.ranked(connection, found):
            if pid not in top.seen:
                heapq.heappush(pending, (-ceiling, pid))
    drain(float("-inf"))
    return top.items
