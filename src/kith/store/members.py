"""The members of a team base (`members`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from kith.domain.team import Role
from kith.store import rawsql, ties
from kith.store.schema import members


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    email: str
    name: str
    role: Role
    password_hash: str | None
    created_at: datetime
    removed_at: datetime | None
    share_texts: bool = False

    @property
    def active(self) -> bool:
        return self.removed_at is None


def _member(row: object) -> Member:
    m = row._mapping  # type: ignore[attr-defined]
    return Member(
        int(m["id"]),
        m["email"],
        m["name"],
        Role(m["role"]),
        m["password_hash"],
        m["created_at"],
        m["removed_at"],
        bool(m["share_texts"]),
    )


def is_team(source: Connection | rawsql.Sql) -> bool:
    """Whether the base has members (plain SQL: every write asks)."""
    return ties.is_team(source)


def claim_unattributed(connection: Connection, email: str) -> None:
    """What a one-user base recorded without a member becomes its first owner's, when it
    turns into a team base (docs/team.md, "The team base")."""
    for table in ("interactions", "facts", "invites", "trips", "gatherings"):
        rawsql.of(connection).run(
            f"UPDATE {table} SET member = :email WHERE member IS NULL",  # noqa: S608 (fixed names)
            {"email": email},
        )


def add(
    connection: Connection,
    email: str,
    name: str,
    role: Role,
    password_hash: str | None,
    now: datetime,
) -> int:
    result = connection.execute(
        insert(members).values(
            email=email, name=name, role=role.value, password_hash=password_hash, created_at=now
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def by_email(connection: Connection, email: str) -> Member | None:
    row = connection.execute(select(members).where(members.c.email == email)).first()
    return None if row is None else _member(row)


def by_id(connection: Connection, member_id: int) -> Member | None:
    row = connection.execute(select(members).where(members.c.id == member_id)).first()
    return None if row is None else _member(row)


def every(connection: Connection) -> list[Member]:
    """Every member, removed ones too, in the order they joined."""
    return [_member(r) for r in connection.execute(select(members).order_by(members.c.id))]


def count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(members)).scalar_one())


def set_role(connection: Connection, member_id: int, role: Role) -> None:
    connection.execute(update(members).where(members.c.id == member_id).values(role=role.value))


def set_password(connection: Connection, member_id: int, password_hash: str) -> None:
    connection.execute(
        update(members).where(members.c.id == member_id).values(password_hash=password_hash)
    )


def rejoin(connection: Connection, member_id: int, name: str, role: Role) -> None:
    """A removed member added again: active, with the role and name given now."""
    connection.execute(
        update(members)
        .where(members.c.id == member_id)
        .values(name=name, role=role.value, removed_at=None)
    )


def remove(connection: Connection, member_id: int, now: datetime) -> None:
    connection.execute(update(members).where(members.c.id == member_id).values(removed_at=now))


def set_share_texts(connection: Connection, member_id: int, share: bool) -> None:
    connection.execute(update(members).where(members.c.id == member_id).values(share_texts=share))
