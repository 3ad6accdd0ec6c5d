"""Load whole histories (person, interactions, facts, invites) for the rules to read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kith.domain.model import (
    AskKind,
    Channel,
    Direction,
    Fact,
    GeoPoint,
    History,
    Interaction,
    Invite,
    Person,
    Response,
)
from kith.store import rawsql
from kith.store.rawsql import chunks

if TYPE_CHECKING:
    from sqlalchemy import Connection

_PERSON = "id, name, circle, paused, city, lat, lon, birthday"
_INTERACTION = (
    "person_id, occurred_at, channel, direction, text, word_count, is_link_share, minutes, source"
)
_FACT = "person_id, id, text, event_on, private, noted_at"
_INVITE = "person_id, id, asked_at, kind, response, responded_at, scheduled_at, place"

_CHANNELS = {c.value: c for c in Channel}
_DIRECTIONS = {d.value: d for d in Direction}


def _of(sql: rawsql.Sql, columns: str, table: str, ids: list[int], order: str = "") -> list[Any]:
    params: dict[str, Any] = {}
    where = f"person_id IN {rawsql.in_list('p', ids, params)}"
    return sql.rows(f"SELECT {columns} FROM {table} WHERE {where}{order}", params)


def tags_of(source: Connection | rawsql.Sql, ids: Sequence[int]) -> dict[int, list[str]]:
    sql = rawsql.of(source)
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids):
        for pid, tag in _of(sql, "person_id, tag", "tags", chunk, " ORDER BY tag"):
            found[int(pid)].append(tag)
    return dict(found)


def person_from_row(row: Mapping[Any, Any], person_tags: Sequence[str] = ()) -> Person:
    lat, lon = row["lat"], row["lon"]
    return Person(
        id=int(row["id"]),
        name=row["name"],
        circle=row["circle"],
        paused=bool(row["paused"]),
        city=row["city"],
        location=None if lat is None or lon is None else GeoPoint(float(lat), float(lon)),
        birthday=rawsql.day(row["birthday"]),
        tags=tuple(person_tags),
    )


def interaction_from_row(row: Any) -> Interaction:
    _, at, channel, direction, text, words, link, minutes, source = row
    occurred_at = rawsql.moment(at)
    assert occurred_at is not None  # a NOT NULL column
    return Interaction(
        occurred_at=occurred_at,
        channel=_CHANNELS[channel],
        direction=_DIRECTIONS[direction],
        text=text,
        word_count=words or 0,
        is_link_share=bool(link),
        minutes=minutes,
        source=source,
    )


def fact_from_row(row: Sequence[Any]) -> Fact:
    _, fact_id, text, event_on, private, noted_at = row
    return Fact(
        text=text,
        event_on=rawsql.day(event_on),
        private=bool(private),
        noted_at=rawsql.moment(noted_at),
        id=int(fact_id),
    )


def invite_from_row(row: Sequence[Any]) -> Invite:
    _, invite_id, asked_at, kind, response, responded_at, scheduled_at, place = row
    asked = rawsql.moment(asked_at)
    assert asked is not None  # a NOT NULL column
    return Invite(
        asked_at=asked,
        kind=AskKind(kind),
        response=Response(response),
        responded_at=rawsql.moment(responded_at),
        scheduled_at=rawsql.moment(scheduled_at),
        place=place,
        id=int(invite_id),
    )


def invite(source: Connection | rawsql.Sql, invite_id: int) -> Invite:
    """One ask, as stored."""
    found = rawsql.of(source).rows(
        f"SELECT {_INVITE} FROM invites WHERE id = :id", {"id": invite_id}
    )
    return invite_from_row(found[0])


def load(source: Connection | rawsql.Sql, ids: Sequence[int]) -> dict[int, History]:
    """Histories of the given people (unknown ids are left out)."""
    sql = rawsql.of(source)
    found: dict[int, History] = {}
    names = _PERSON.split(", ")
    for chunk in chunks(sorted(set(ids))):
        params: dict[str, Any] = {}
        rows = sql.rows(
            f"SELECT {_PERSON} FROM people WHERE id IN {rawsql.in_list('p', chunk, params)}",
            params,
        )
        if not rows:
            continue
        tag_map = tags_of(sql, chunk)
        touches: dict[int, list[Interaction]] = defaultdict(list)
        for row in _of(sql, _INTERACTION, "interactions", chunk):
            touches[row[0]].append(interaction_from_row(row))
        known: dict[int, list[Fact]] = defaultdict(list)
        for row in _of(sql, _FACT, "facts", chunk):
            known[int(row[0])].append(fact_from_row(row))
        asks: dict[int, list[Invite]] = defaultdict(list)
        for row in _of(sql, _INVITE, "invites", chunk):
            asks[int(row[0])].append(invite_from_row(row))
        for row in rows:
            pid = int(row[0])
            found[pid] = History(
                person=person_from_row(dict(zip(names, row, strict=True)), tag_map.get(pid, ())),
                interactions=tuple(touches.get(pid, ())),
                facts=tuple(sorted(known.get(pid, ()), key=lambda f: f.id or 0)),
                invites=tuple(sorted(asks.get(pid, ()), key=lambda i: i.id or 0)),
            )
    return found


def load_one(source: Connection | rawsql.Sql, person_id: int) -> History | None:
    return load(source, [person_id]).get(person_id)


def stream(
    source: Connection | rawsql.Sql, ids: Sequence[int], batch: int = 2000
) -> Iterator[History]:
    """Histories of many people, loaded a batch at a time to keep memory bounded."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), batch):
        loaded = load(source, ordered[start : start + batch])
        yield from (loaded[i] for i in sorted(loaded))
