"""Load whole histories (person, interactions, facts, invites) for the rules to read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from kith.domain.model import (
    AskKind,
    Channel,
    Direction,
    Fact,
    History,
    Interaction,
    Invite,
    Response,
)
from kith.store.people import chunks, person_from_row, tags_of
from kith.store.schema import facts, interactions, invites, people

_INTERACTION_COLUMNS = (
    interactions.c.person_id,
    interactions.c.occurred_at,
    interactions.c.channel,
    interactions.c.direction,
    interactions.c.text,
    interactions.c.word_count,
    interactions.c.is_link_share,
    interactions.c.minutes,
    interactions.c.source,
)

_CHANNELS = {c.value: c for c in Channel}
_DIRECTIONS = {d.value: d for d in Direction}


def _interaction_rows(connection: Connection, ids: list[int]) -> list[tuple[Any, ...]]:
    """The interaction rows of these people, read through the driver: histories are the
    hottest read in kith, and SQLAlchemy's per-row result handling costs more than the
    query. Times come back as stored (naive UTC, text on SQLite) and are read here."""
    query = select(*_INTERACTION_COLUMNS).where(interactions.c.person_id.in_(ids))
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params: Any = (
        [compiled.params[name] for name in compiled.positiontup or ()]
        if compiled.positional
        else compiled.params
    )
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _utc(value: Any) -> datetime:
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def interaction_from_row(row: Any) -> Interaction:
    _, at, channel, direction, text, words, link, minutes, source = row
    return Interaction(
        occurred_at=_utc(at),
        channel=_CHANNELS[channel],
        direction=_DIRECTIONS[direction],
        text=text,
        word_count=words or 0,
        is_link_share=bool(link),
        minutes=minutes,
        source=source,
    )


def fact_from_row(row: Any) -> Fact:
    return Fact(
        text=row.text,
        event_on=row.event_on,
        private=bool(row.private),
        noted_at=row.noted_at,
        id=row.id,
    )


def invite_from_row(row: Any) -> Invite:
    return Invite(
        asked_at=row.asked_at,
        kind=AskKind(row.kind),
        response=Response(row.response),
        responded_at=row.responded_at,
        scheduled_at=row.scheduled_at,
        place=row.place,
        id=row.id,
    )


def load(connection: Connection, ids: Sequence[int]) -> dict[int, History]:
    """Histories of the given people (unknown ids are left out)."""
    found: dict[int, History] = {}
    for chunk in chunks(sorted(set(ids))):
        rows = list(connection.execute(select(people).where(people.c.id.in_(chunk))))
        if not rows:
            continue
        tag_map = tags_of(connection, chunk)
        touches: dict[int, list[Interaction]] = defaultdict(list)
        for row in _interaction_rows(connection, chunk):
            touches[row[0]].append(interaction_from_row(row))
        known: dict[int, list[Fact]] = defaultdict(list)
        for row in connection.execute(select(facts).where(facts.c.person_id.in_(chunk))):
            known[int(row.person_id)].append(fact_from_row(row))
        asks: dict[int, list[Invite]] = defaultdict(list)
        for row in connection.execute(select(invites).where(invites.c.person_id.in_(chunk))):
            asks[int(row.person_id)].append(invite_from_row(row))
        for row in rows:
            pid = int(row.id)
            found[pid] = History(
                person=person_from_row(row._mapping, tag_map.get(pid, ())),
                interactions=tuple(touches.get(pid, ())),
                facts=tuple(sorted(known.get(pid, ()), key=lambda f: f.id or 0)),
                invites=tuple(sorted(asks.get(pid, ()), key=lambda i: i.id or 0)),
            )
    return found


def load_one(connection: Connection, person_id: int) -> History | None:
    return load(connection, [person_id]).get(person_id)


def stream(connection: Connection, ids: Sequence[int], batch: int = 2000) -> Iterator[History]:
    """Histories of many people, loaded a batch at a time to keep memory bounded."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), batch):
        loaded = load(connection, ordered[start : start + batch])
        yield from (loaded[i] for i in sorted(loaded))
