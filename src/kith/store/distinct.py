"""Pairs of people the user said are not one human (`distinct_people`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, or_, select

from kith.store.schema import distinct_people


def _ordered(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def mark(connection: Connection, x: int, y: int, now: datetime) -> bool:
    """Remember that `x` and `y` are two people; False when that was known already."""
    a, b = _ordered(x, y)
    if is_marked(connection, a, b):
        return False
    connection.execute(insert(distinct_people).values(person_a=a, person_b=b, decided_at=now))
    return True


def unmark(connection: Connection, x: int, y: int) -> None:
    a, b = _ordered(x, y)
    connection.execute(
        delete(distinct_people).where(
            distinct_people.c.person_a == a, distinct_people.c.person_b == b
        )
    )


def is_marked(connection: Connection, x: int, y: int) -> bool:
    a, b = _ordered(x, y)
    query = select(distinct_people.c.person_a).where(
        distinct_people.c.person_a == a, distinct_people.c.person_b == b
    )
    return connection.execute(query).first() is not None


def pairs(connection: Connection) -> set[tuple[int, int]]:
    """Every pair (lower id first)."""
    query = select(distinct_people.c.person_a, distinct_people.c.person_b)
    return {(int(a), int(b)) for a, b in connection.execute(query)}


def carry_over(connection: Connection, keep: int, gone: int, now: datetime) -> None:
    """Before `gone` is merged into `keep`: whoever `gone` was not is not `keep` either."""
    query = select(distinct_people.c.person_a, distinct_people.c.person_b).where(
        or_(distinct_people.c.person_a == gone, distinct_people.c.person_b == gone)
    )
    for a, b in list(connection.execute(query)):
        other = int(b) if int(a) == gone else int(a)
        if other != keep:
            mark(connection, keep, other, now)
