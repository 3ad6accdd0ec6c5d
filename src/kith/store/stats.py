"""Per-person figures (`person_stats`): fast lists, and agenda candidates without a full scan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
)

from kith.domain.model import Stage
from kith.domain.people_list import PeopleFilter
from kith.domain.summary import Summary
from kith.store import report_figures
from kith.store.rawsql import chunks
from kith.store.schema import member_stats, people, person_stats, tags

#: the columns of person_stats; a summary's `report` goes to person_report
_SUMMARY_FIELDS = tuple(f.name for f in fields(Summary) if f.name != "report")


def save(connection: Connection, summaries: Sequence[Summary]) -> None:
    """Replace the stored figures of these people, their part of the report included."""
    if not summaries:
        return
    report_figures.save(connection, [s.report for s in summaries])
    ids = [s.person_id for s in summaries]
    for chunk in chunks(ids):
        connection.execute(delete(person_stats).where(person_stats.c.person_id.in_(chunk)))
    rows = [{name: getattr(s, name) for name in _SUMMARY_FIELDS} for s in summaries]
    for row in rows:
        row["stage"] = row["stage"].value
    for start in range(0, len(rows), 5000):
        connection.execute(insert(person_stats), rows[start : start + 5000])


def save_members(
    connection: Connection, ids: Sequence[int], summaries: Sequence[tuple[str, Summary]]
) -> None:
    """Replace every member's own figures with these people (`ids`) by `summaries`
    (member, figures); a member no longer in a person's history loses their row."""
    for chunk in chunks(list(ids)):
        connection.execute(delete(member_stats).where(member_stats.c.person_id.in_(chunk)))
    rows = []
    for member, summary in summaries:
        row = {name: getattr(summary, name) for name in _SUMMARY_FIELDS}
        row["stage"] = row["stage"].value
        row["member"] = member
        rows.append(row)
    for start in range(0, len(rows), 5000):
        connection.execute(insert(member_stats), rows[start : start + 5000])


def stale_ids(connection: Connection, today: date) -> list[int]:
    """People whose figures were computed on another day, or never."""
    query = (
        select(people.c.id)
        .select_from(people.outerjoin(person_stats, person_stats.c.person_id == people.c.id))
        .where(or_(person_stats.c.as_of.is_(None), person_stats.c.as_of != today))
        .order_by(people.c.id)
    )
    return [int(r[0]) for r in connection.execute(query)]


@dataclass(frozen=True, slots=True)
class PeopleQuery:
    filters: PeopleFilter = field(default_factory=lambda: PeopleFilter())
    sort: str = "strength"
    limit: int | None = None
    offset: int = 0


def people_rows() -> Any:
    """The columns of a People list row: a person with their stored figures."""
    s = person_stats.c
    return select(
        people.c.id,
        people.c.name,
        people.c.circle,
        people.c.city,
        people.c.paused,
        func.coalesce(s.stage, literal(Stage.NOTICED.value)).label("stage"),
        func.coalesce(s.strength, literal(0.0)).label("strength"),
        s.last_touch.label("last_contact"),
        s.ready,
        s.hours,
        (func.coalesce(s.count_in, 0) + func.coalesce(s.count_out, 0)).label("touches"),
    ).select_from(people.outerjoin(person_stats, s.person_id == people.c.id))


def _ordered(query: Any, sort: str) -> Any:
    """The list's order: by tie strength, by the most recent touch, or by name."""
    s = person_stats.c
    name = people.c.name_fold  # accents and case aside, the same order on every back end
    if sort == "strength":
        return query.order_by(s.strength.desc().nulls_last(), name, people.c.id)
    if sort == "recent":
        return query.order_by(s.last_touch.is_(None), s.last_touch.desc(), name, people.c.id)
    return query.order_by(name, people.c.id)


def list_people(connection: Connection, q: PeopleQuery) -> list[Any]:
    query = _ordered(_filtered(people_rows(), q), q.sort)
    if q.limit is not None:
        query = query.limit(q.limit)
    if q.offset:
        query = query.offset(q.offset)
    return list(connection.execute(query))


def ordered_ids(connection: Connection, q: PeopleQuery) -> list[int]:
    """Everyone `q` matches, in the list's order (limit and offset aside)."""
    s = person_stats.c
    ids = select(people.c.id).select_from(
        people.outerjoin(person_stats, s.person_id == people.c.id)
    )
    return [int(r[0]) for r in connection.execute(_ordered(_filtered(ids, q), q.sort))]


def rows_by_id(connection: Connection, ids: Sequence[int]) -> dict[int, Any]:
    """The People list rows of these people."""
    query = people_rows().where(people.c.id.in_(list(ids)))
    return {int(r.id): r for r in connection.execute(query)}


def count_people(connection: Connection, q: PeopleQuery) -> int:
    s = person_stats.c
    query = select(func.count()).select_from(
        people.outerjoin(person_stats, s.person_id == people.c.id)
    )
    return int(connection.execute(_filtered(query, q)).scalar_one())


def _filtered(query: Any, q: PeopleQuery) -> Any:
    s = person_stats.c
    wanted = q.filters
    if (stage := wanted.get("stage")) is not None:
        if stage == Stage.NOTICED.value:
            query = query.where(or_(s.stage == stage, s.stage.is_(None)))
        else:
            query = query.where(s.stage == stage)
    if (circle := wanted.get("circle")) is not None:
        query = query.where(people.c.circle == circle)
    if (city := wanted.get("city")) is not None:
        # "Chicago" finds "Chicago, IL, US" (the city as the gazetteer stores it) as well
        named = " ".join(city.casefold().split())
        escaped = named.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stored = func.lower(people.c.city)
        query = query.where(or_(stored == named, stored.like(f"{escaped},%", escape="\\")))
    if (tag := wanted.get("tag")) is not None:
        query = query.where(exists().where(tags.c.person_id == people.c.id, tags.c.tag == tag))
    if search := wanted.get("search"):
        query = query.where(_name_matches(search))
    return query


def _name_matches(search: str) -> Any:
    """Names holding `search`, case, accents and punctuation aside ("chloe" finds "Chloé",
    "obrien" and "o'brien" find "O'Brien"); a search of no letter or digit at all ("🙂",
    "@") looks for those characters in the name."""
    from kith.domain.names import fold
    from kith.store.people import like_pattern, name_key

    folded = fold(search)
    if folded:
        return people.c.name_fold.like(f"%{like_pattern(folded)}%", escape="\\")
    return people.c.name_key.like(f"%{like_pattern(name_key(search))}%", escape="\\")
