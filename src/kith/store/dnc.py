"""The team's do-not-contact list (`do_not_contact`); the agenda reads it without SQLAlchemy
(kith.services.context.do_not_contact)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from kith.store.schema import do_not_contact, people


def entry(connection: Connection, person_id: int) -> Any | None:
    query = select(do_not_contact).where(do_not_contact.c.person_id == person_id)
    return connection.execute(query).first()


def put(
    connection: Connection, person_id: int, reason: str, member: str | None, now: datetime
) -> None:
    connection.execute(delete(do_not_contact).where(do_not_contact.c.person_id == person_id))
    connection.execute(
        insert(do_not_contact).values(
            person_id=person_id, reason=reason, member=member, created_at=now
        )
    )


def clear(connection: Connection, person_id: int) -> bool:
    result = connection.execute(
        delete(do_not_contact).where(do_not_contact.c.person_id == person_id)
    )
    return bool(result.rowcount)


def listing(connection: Connection) -> list[Any]:
    query = (
        select(
            do_not_contact.c.person_id,
            people.c.name,
            do_not_contact.c.reason,
            do_not_contact.c.member,
            do_not_contact.c.created_at,
        )
        .join(people, people.c.id == do_not_contact.c.person_id)
        .order_by(people.c.name_fold, people.c.id)
    )
    return list(connection.execute(query))
