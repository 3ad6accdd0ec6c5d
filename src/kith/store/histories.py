"""Load whole histories (person, interactions, facts, invites) for the rules to read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
from kith.store import rawsql, ties
from kith.store.rawsql import chunks

if TYPE_CHECKING:
    from sqlalchemy import Connection

_PERSON = "id, name, circle, paused, city, lat, lon, birthday"
_INTERACTION = (
    "person_id, occurred_at, channel, direction, text, word_count, is_link_share, minutes,"
    " source, member"
)
_FACT = "person_id, id, text, event_on, private, noted_at, member"
_INVITE = "person_id, id, asked_at, kind, response, responded_at, scheduled_at, place, member"

_CHANNELS = {c.value: c for c in Channel}
_DIRECTIONS = {d.value: d for d in Direction}


def _of(
    sql: rawsql.Sql,
    columns: str,
    table: str,
    ids: list[int],
    order: str = "",
    also: str = "",
    member: str | None = None,
) -> list[Any]:
    params: dict[str, Any] = {}
    where = f"person_id IN {rawsql.in_list('p', ids, params)}"
    if also:
        where += f" AND {also}"
        params["member"] = member
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
    _, at, channel, direction, text, words, link, minutes, source = row[:9]
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
    _, fact_id, text, event_on, private, noted_at = row[:6]
    return Fact(
        text=text,
        event_on=rawsql.day(event_on),
        private=bool(private),
        noted_at=rawsql.moment(noted_at),
        id=int(fact_id),
    )


def invite_from_row(row: Sequence[Any]) -> Invite:
    _, invite_id, asked_at, kind, response, responded_at, scheduled_at, place = row[:8]
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


#: a member's own part of a person's history (docs/team.md, "Per-member relationships"):
#: their interactions and asks, their private facts and every shared fact
_OWN_TOUCHES = "member = :member"
_OWN_FACTS = "(NOT private OR member = :member)"


@dataclass(slots=True)
class _Parts:
    """What one batch of people holds, each row with the member who wrote it."""

    people: dict[int, Person]
    touches: dict[int, list[tuple[str | None, Interaction]]]
    facts: dict[int, list[tuple[str | None, Fact]]]
    asks: dict[int, list[tuple[str | None, Invite]]]
    #: a team base read as the team: private facts and unshared texts stay out of view
    team: bool = False
    #: the members whose message texts the team may read (`kith team share --texts`)
    sharing: frozenset[str] = field(default_factory=frozenset)


def _read(
    sql: rawsql.Sql, chunk: list[int], member: str | None = None, whole: bool = True
) -> _Parts | None:
    """One batch; with `member`, only that member's own part of each history. `whole`:
    whether the batch is also read as the team (`_whole`), which needs to know what the
    team may see."""
    params: dict[str, Any] = {}
    rows = sql.rows(
        f"SELECT {_PERSON} FROM people WHERE id IN {rawsql.in_list('p', chunk, params)}",
        params,
    )
    if not rows:
        return None
    names = _PERSON.split(", ")
    tag_map = tags_of(sql, chunk)
    parts = _Parts(
        people={
            int(row[0]): person_from_row(
                dict(zip(names, row, strict=True)), tag_map.get(int(row[0]), ())
            )
            for row in rows
        },
        touches=defaultdict(list),
        facts=defaultdict(list),
        asks=defaultdict(list),
    )
    if whole and member is None and ties.is_team(sql):
        parts.team = True
        shared_by = sql.rows("SELECT email FROM members WHERE share_texts")
        parts.sharing = frozenset(str(row[0]) for row in shared_by)
    own, shared = (_OWN_TOUCHES, _OWN_FACTS) if member is not None else ("", "")
    for row in _of(sql, _INTERACTION, "interactions", chunk, also=own, member=member):
        parts.touches[int(row[0])].append((row[9], interaction_from_row(row)))
    for row in _of(sql, _FACT, "facts", chunk, also=shared, member=member):
        parts.facts[int(row[0])].append((row[6], fact_from_row(row)))
    for row in _of(sql, _INVITE, "invites", chunk, also=own, member=member):
        parts.asks[int(row[0])].append((row[8], invite_from_row(row)))
    return parts


def _history(
    person: Person,
    touches: Iterable[Interaction],
    facts: Iterable[Fact],
    asks: Iterable[Invite],
) -> History:
    return History(
        person=person,
        interactions=tuple(touches),
        facts=tuple(sorted(facts, key=lambda f: f.id or 0)),
        invites=tuple(sorted(asks, key=lambda i: i.id or 0)),
    )


def load(
    source: Connection | rawsql.Sql, ids: Sequence[int], member: str | None = None
) -> dict[int, History]:
    """Histories of the given people (unknown ids are left out); with `member`, that
    member's own history with each (a team base)."""
    sql = rawsql.of(source)
    found: dict[int, History] = {}
    for chunk in chunks(sorted(set(ids))):
        parts = _read(sql, chunk, member)
        if parts is None:
            continue
        for pid in parts.people:
            found[pid] = _whole(parts, pid)
    return found


def _whole(parts: _Parts, pid: int) -> History:
    """Everything a batch holds of one person; in a team base, as the team sees it
    (docs/team.md, "Privacy"): no private fact, and of each touch by a member who does not
    share their texts only that it happened (date, channel, direction), not its words."""
    if not parts.team:
        return _history(
            parts.people[pid],
            (t for _, t in parts.touches.get(pid, ())),
            (f for _, f in parts.facts.get(pid, ())),
            (i for _, i in parts.asks.get(pid, ())),
        )
    return _history(
        parts.people[pid],
        (
            t if m in parts.sharing or t.text is None else replace(t, text=None)
            for m, t in parts.touches.get(pid, ())
        ),
        (f for _, f in parts.facts.get(pid, ()) if not f.private),
        (i for _, i in parts.asks.get(pid, ())),
    )


def _own(parts: _Parts, pid: int, member: str) -> History:
    """One member's own part of a person's history (as `_OWN_TOUCHES` and `_OWN_FACTS`)."""
    return _history(
        parts.people[pid],
        (t for m, t in parts.touches.get(pid, ()) if m == member),
        (f for m, f in parts.facts.get(pid, ()) if m == member or not f.private),
        (i for m, i in parts.asks.get(pid, ()) if m == member),
    )


def _split(parts: _Parts, pid: int) -> list[tuple[str, History]]:
    """Each member's own history with one person: every member who wrote something of it."""
    authors = {m for rows in (parts.touches, parts.asks, parts.facts) for m, _ in rows.get(pid, ())}
    return [(member, _own(parts, pid, member)) for member in sorted(m for m in authors if m)]


def load_with_members(
    source: Connection | rawsql.Sql, ids: Sequence[int]
) -> Iterator[tuple[History, list[tuple[str, History]]]]:
    """Each person's whole history with every member's own part of it, a batch at a time."""
    sql = rawsql.of(source)
    for chunk in chunks(sorted(set(ids))):
        parts = _read(sql, chunk)
        if parts is None:
            continue
        for pid in sorted(parts.people):
            yield _whole(parts, pid), _split(parts, pid)


def load_for(
    source: Connection | rawsql.Sql, person_id: int, member: str | None
) -> tuple[History, list[tuple[str, History]]] | None:
    """In one read, a person's history as `member` sees it (their own; everyone's with
    None) and every member's own part of it; None for an unknown id."""
    parts = _read(rawsql.of(source), [person_id], whole=member is None)
    if parts is None:
        return None
    seen = _whole(parts, person_id) if member is None else _own(parts, person_id, member)
    return seen, _split(parts, person_id)


def load_one(
    source: Connection | rawsql.Sql, person_id: int, member: str | None = None
) -> History | None:
    return load(source, [person_id], member).get(person_id)


def stream(
    source: Connection | rawsql.Sql, ids: Sequence[int], batch: int = 2000
) -> Iterator[History]:
    """Histories of many people, loaded a batch at a time to keep memory bounded."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), batch):
        loaded = load(source, ordered[start : start + batch])
        yield from (loaded[i] for i in sorted(loaded))
