"""Who in a team knows whom: members and their own stored figures (`member_stats`), read in
plain SQL (kith.store.rawsql) so that `kith today` in a team base needs no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kith.store import rawsql

if TYPE_CHECKING:
    from sqlalchemy import Connection


def is_team(source: Connection | rawsql.Sql) -> bool:
    """Whether the base has members."""
    return rawsql.of(source).scalar("SELECT 1 FROM members LIMIT 1") is not None


def active_member(source: Connection | rawsql.Sql, email: str) -> str | None:
    """`email` when it names a current member (the caller normalises it), else None."""
    found = rawsql.of(source).scalar(
        "SELECT email FROM members WHERE email = :email AND removed_at IS NULL",
        {"email": email},
    )
    return None if found is None else str(found)


@dataclass(frozen=True, slots=True)
class Tie:
    """One member's stored figures with one person."""

    person_id: int
    email: str
    name: str
    strength: float
    stage: str
    last_contact: date | None


def of_people(
    source: Connection | rawsql.Sql, ids: Sequence[int], but: str | None = None
) -> dict[int, list[Tie]]:
    """Every current member's tie with each of these people (but `but`'s), strongest first."""
    found: dict[int, list[Tie]] = {}
    sql = rawsql.of(source)
    for chunk in rawsql.chunks(sorted(set(ids))):
        params: dict[str, Any] = {"but": but or ""}
        rows = sql.rows(
            "SELECT s.person_id, m.email, m.name, s.strength, s.stage, s.last_contact"  # noqa: S608
            " FROM member_stats s JOIN members m ON m.email = s.member"
            f" WHERE s.person_id IN {rawsql.in_list('p', chunk, params)}"
            " AND m.removed_at IS NULL AND s.member <> :but"
            " ORDER BY s.person_id, s.strength DESC, m.name, m.email",
            params,
        )
        for pid, email, name, strength, stage, last in rows:
            found.setdefault(int(pid), []).append(
                Tie(int(pid), email, name, float(strength), stage, rawsql.day(last))
            )
    return found


def current_members(source: Connection | rawsql.Sql) -> dict[str, str]:
    """Every current member's email and name, in the order they joined."""
    rows = rawsql.of(source).rows(
        "SELECT email, name FROM members WHERE removed_at IS NULL ORDER BY id"
    )
    return {str(email): str(name) for email, name in rows}
