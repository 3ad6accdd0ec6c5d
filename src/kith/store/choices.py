"""What the People list's filters can offer: the base's most common tags and cities."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from kith.store.schema import people, tags


def common_tags(connection: Connection, limit: int) -> list[str]:
    query = select(tags.c.tag).group_by(tags.c.tag).order_by(func.count().desc(), tags.c.tag)
    return sorted(str(r[0]) for r in connection.execute(query.limit(limit)))


def common_cities(connection: Connection, limit: int) -> list[str]:
    query = (
        select(people.c.city)
        .where(people.c.city.is_not(None))
        .group_by(people.c.city)
        .order_by(func.count().desc(), people.c.city)
    )
    return sorted(str(r[0]) for r in connection.execute(query.limit(limit)))
