"""Keep `person_stats` equal to what the rules say, after every change and once a day.

Each person's part of `kith report` (`person_report`) is part of their summary and is
stored with it, so the report's figures are refreshed whenever the others are."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection

from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.model import History
from kith.domain.summary import Summary, summarise
from kith.services.progress import Step
from kith.store import histories, members, stats


def refresh(
    connection: Connection,
    ctx: Context,
    ids: Sequence[int],
    progress: Step | None = None,
    known: Mapping[int, History] | None = None,
) -> int:
    """Recompute and store the figures of these people; returns how many were refreshed.

    `known` holds histories the caller already has whole in memory (people an import has
    just created), which are then not read back from the base."""
    if members.is_team(connection):
        return _refresh_team(connection, ctx, ids, progress)
    known = known or {}
    done = 0
    batch: list[Summary] = []
    remembered = (known[i] for i in ids if i in known)
    loaded = histories.stream(connection, [i for i in ids if i not in known])
    for history in itertools.chain(remembered, loaded):
        batch.append(summarise(assess(history, ctx), ctx))
        if len(batch) >= 2000:
            stats.save(connection, batch)
            done += len(batch)
            if progress:
                progress(len(batch))
            batch = []
    stats.save(connection, batch)
    if progress and batch:
        progress(len(batch))
    return done + len(batch)


def _refresh_team(
    connection: Connection, ctx: Context, ids: Sequence[int], progress: Step | None
) -> int:
    """A team base: each person's figures over the team's whole history (`person_stats`)
    and each member's over their own (`member_stats`; docs/team.md)."""
    done = 0
    batch: list[Summary] = []
    own: list[tuple[str, Summary]] = []

    def flush() -> None:
        stats.save(connection, batch)
        stats.save_members(connection, [s.person_id for s in batch], own)
        if progress and batch:
            progress(len(batch))

    for whole, parts in histories.load_with_members(connection, ids):
        batch.append(summarise(assess(whole, ctx), ctx))
        own.extend((member, summarise(assess(h, ctx), ctx)) for member, h in parts)
        if len(batch) >= 2000:
            flush()
            done += len(batch)
            batch, own = [], []
    flush()
    return done + len(batch)


def refresh_stale(connection: Connection, ctx: Context, progress: Step | None = None) -> int:
    """Bring day-dependent figures (tie strength) up to today, where they are older."""
    stale = stats.stale_ids(connection, ctx.today)
    return refresh(connection, ctx, stale, progress) if stale else 0
