"""Who deserves a place in a circle: step 1 of the path."""

from __future__ import annotations

from sqlalchemy import Connection, select

from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.focus import Candidate, candidates
from kith.store import histories, people
from kith.store.schema import people as people_table
from kith.store.schema import person_stats

#: how many of the most promising people (by stored figures) are assessed in full
POOL = 2000


def focus(connection: Connection, ctx: Context, limit: int = 10) -> list[Candidate]:
    s = person_stats.c
    query = (
        select(s.person_id)
        .select_from(person_stats.join(people_table, people_table.c.id == s.person_id))
        .where(people_table.c.circle.is_(None), people_table.c.paused.is_(False))
        .order_by(s.stage_rank.desc(), s.last_in.desc().nulls_last(), s.person_id)
        .limit(POOL)
    )
    ids = [int(r[0]) for r in connection.execute(query)]
    loaded = histories.load(connection, ids)
    assessed = [assess(loaded[i], ctx) for i in ids if i in loaded]
    return candidates(assessed, people.circle_sizes(connection), ctx, limit)
