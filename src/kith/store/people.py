"""People, their identities and tags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from kith.domain.identity import name_key as name_key
from kith.domain.names import fold
from kith.domain.names import sort_key as sort_key
from kith.store import rawsql
from kith.store.histories import tags_of as tags_of
from kith.store.rawsql import chunks as chunks
from kith.store.schema import facts, identities, interactions, invites, people, person_stats, tags

#: what describes a person beyond their name (taken from a duplicate record when missing)
DESCRIPTION: tuple[str, ...] = (
    "notes",
    "city",
    "country",
    "lat",
    "lon",
    "timezone",
    "birthday",
    "organisation",
    "role",
)
#: every stored column of a person except the id and what is derived from others
COLUMNS: tuple[str, ...] = ("name", *DESCRIPTION, "circle", "paused", "created_at")


def birthday_md(birthday: date | None) -> int | None:
    return None if birthday is None else birthday.month * 100 + birthday.day


def insert_person(connection: Connection, name: str, created_at: datetime, **fields: Any) -> int:
    values = {
        "name": name,
        "name_key": name_key(name),
        "name_fold": sort_key(name),
        "paused": False,
        "created_at": created_at,
    }
    values.update(fields)
    if "birthday" in fields:
        values["birthday_md"] = birthday_md(fields["birthday"])
    result = connection.execute(insert(people).values(**values).returning(people.c.id))
    return int(result.scalar_one())


def update_person(connection: Connection, person_id: int, **fields: Any) -> None:
    if not fields:
        return
    values = dict(fields)
    if "name" in values:
        values["name_key"] = name_key(values["name"])
        values["name_fold"] = sort_key(values["name"])
    if "birthday" in values:
        values["birthday_md"] = birthday_md(values["birthday"])
    connection.execute(update(people).where(people.c.id == person_id).values(**values))


def get_row(connection: Connection, person_id: int) -> Any | None:
    return connection.execute(select(people).where(people.c.id == person_id)).first()


def exists(source: Connection | rawsql.Sql, person_id: int) -> bool:
    """Whether someone has this id (plain SQL: the person page asks on every visit)."""
    found = rawsql.of(source).scalar("SELECT 1 FROM people WHERE id = :id", {"id": person_id})
    return found is not None


def details(source: Connection | rawsql.Sql, person_id: int) -> dict[str, Any] | None:
    """What the profile shows beyond the rules' history: organisation, role, notes."""
    found = rawsql.of(source).rows(
        "SELECT organisation, role, notes FROM people WHERE id = :id", {"id": person_id}
    )
    if not found:
        return None
    organisation, role, notes = found[0]
    return {"organisation": organisation, "role": role, "notes": notes}


def ids_by_name(connection: Connection, name: str) -> list[int]:
    query = select(people.c.id).where(people.c.name_key == name_key(name)).order_by(people.c.id)
    return [int(r[0]) for r in connection.execute(query)]


def id_by_identity(connection: Connection, platform: str, handle: str) -> int | None:
    query = select(identities.c.person_id).where(
        identities.c.platform == platform, identities.c.handle == handle
    )
    found = connection.execute(query).scalar()
    return None if found is None else int(found)


def like_pattern(text: str) -> str:
    """`text` with LIKE's wildcards escaped (the escape character is a backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def names_like(connection: Connection, text: str, limit: int = 5) -> list[Any]:
    """People whose name starts with, or has a word starting with, `text` (any case and
    accents: "chloe" finds "Chloé")."""
    key = fold(text)
    if not key:
        return []
    pattern = like_pattern(key)
    query = (
        select(people.c.id, people.c.name)
        .where(
            or_(
                people.c.name_fold.like(f"{pattern}%", escape="\\"),
                people.c.name_fold.like(f"% {pattern}%", escape="\\"),
            )
        )
        .order_by(people.c.name_fold, people.c.id)
        .limit(limit)
    )
    return list(connection.execute(query))


def add_identity(
    connection: Connection, person_id: int, platform: str, handle: str, display: str | None
) -> None:
    connection.execute(
        insert(identities).values(
            person_id=person_id, platform=platform, handle=handle, display=display
        )
    )


def identities_of(
    source: Connection | rawsql.Sql, ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """Each person's (platform, handle) pairs, in that order."""
    sql = rawsql.of(source)
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in chunks(ids):
        params: dict[str, Any] = {}
        marks = rawsql.in_list("p", chunk, params)  # placeholders only; the ids are bound
        where = f"WHERE person_id IN {marks}"
        rows = sql.rows(
            f"SELECT person_id, platform, handle FROM identities {where} "  # noqa: S608
            "ORDER BY platform, handle",
            params,
        )
        for pid, platform, handle in rows:
            found[int(pid)].append((platform, handle))
    return dict(found)


def add_tags(connection: Connection, person_id: int, new: Iterable[str]) -> None:
    have = set(tags_of(connection, [person_id]).get(person_id, []))
    rows = [{"person_id": person_id, "tag": t} for t in dict.fromkeys(new) if t not in have]
    if rows:
        connection.execute(insert(tags), rows)


def remove_tags(connection: Connection, person_id: int, gone: Iterable[str]) -> None:
    gone = list(gone)
    if gone:
        connection.execute(delete(tags).where(tags.c.person_id == person_id, tags.c.tag.in_(gone)))


def circle_members(connection: Connection, circle: int) -> list[Any]:
    query = (
        select(people.c.id, people.c.name, func.coalesce(person_stats.c.strength, 0.0))
        .select_from(people.outerjoin(person_stats, person_stats.c.person_id == people.c.id))
        .where(people.c.circle == circle)
        .order_by(people.c.id)
    )
    return list(connection.execute(query))


def circle_sizes(connection: Connection) -> dict[int, int]:
    query = (
        select(people.c.circle, func.count())
        .where(people.c.circle.is_not(None))
        .group_by(people.c.circle)
    )
    return {int(c): int(n) for c, n in connection.execute(query)}


def delete_person(connection: Connection, person_id: int) -> None:
    connection.execute(delete(people).where(people.c.id == person_id))


def merge(connection: Connection, keep: int, gone: int) -> None:
    """Fold `gone` into `keep`, both existing: identities, interactions, facts, invites and
    tags move over; what describes `gone` and `keep` lacks is taken, and the closer circle;
    then `gone` is deleted. Figures are the caller's to refresh."""
    a, b = (
        connection.execute(select(people).where(people.c.id == pid)).mappings().one()
        for pid in (keep, gone)
    )
    for table in (identities, interactions, facts, invites):
        connection.execute(update(table).where(table.c.person_id == gone).values(person_id=keep))
    moved_tags = [
        r[0] for r in connection.execute(select(tags.c.tag).where(tags.c.person_id == gone))
    ]
    connection.execute(delete(tags).where(tags.c.person_id == gone))
    add_tags(connection, keep, moved_tags)
    update_person(connection, keep, **taken_over(a, b))
    delete_person(connection, gone)


def taken_over(keep: Any, gone: Any) -> dict[str, Any]:
    """What the kept person (a row as a mapping) takes from the one merged into them: what
    describes `gone` and `keep` lacks, and the closer circle. The name is always kept's."""
    fill: dict[str, Any] = {
        column: gone[column]
        for column in DESCRIPTION
        if keep[column] is None and gone[column] is not None
    }
    if gone["circle"] is not None and (keep["circle"] is None or gone["circle"] < keep["circle"]):
        fill["circle"] = gone["circle"]
    return fill


def row_mapping(connection: Connection, person_id: int) -> Any | None:
    """A person's stored columns by name, or None."""
    return connection.execute(select(people).where(people.c.id == person_id)).mappings().first()


def record_counts(connection: Connection, person_id: int) -> dict[str, int]:
    """How many interactions, facts and asks a person has."""
    counted = {}
    for name, table in (("interactions", interactions), ("facts", facts), ("invites", invites)):
        query = select(func.count()).select_from(table).where(table.c.person_id == person_id)
        counted[name] = int(connection.execute(query).scalar_one())
    return counted


def names_of(connection: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The names of the people with these ids (ids of nobody are left out)."""
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for chunk in rawsql.chunks(wanted):
        query = select(people.c.id, people.c.name).where(people.c.id.in_(chunk))
        found.update({int(r.id): r.name for r in connection.execute(query)})
    return found
