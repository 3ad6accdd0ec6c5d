"""Sessions, tokens and failed sign-ins of team members (secrets as SHA-256 hashes only)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Connection, delete, insert, or_, select, update

from kith.store.schema import login_failures, member_sessions, member_tokens


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# -- sessions -----------------------------------------------------------------------------
def open_session(connection: Connection, member_id: int, secret: str, now: datetime) -> None:
    connection.execute(
        insert(member_sessions).values(
            token_hash=digest(secret), member_id=member_id, created_at=now, seen_at=now
        )
    )


def session(connection: Connection, secret: str) -> tuple[int, datetime] | None:
    """The member and the last request of the session `secret`, or None."""
    row = connection.execute(
        select(member_sessions.c.member_id, member_sessions.c.seen_at).where(
            member_sessions.c.token_hash == digest(secret)
        )
    ).first()
    return None if row is None else (int(row[0]), row[1])


def seen(connection: Connection, secret: str, now: datetime) -> None:
    connection.execute(
        update(member_sessions)
        .where(member_sessions.c.token_hash == digest(secret))
        .values(seen_at=now)
    )


def close_session(connection: Connection, secret: str) -> None:
    connection.execute(
        delete(member_sessions).where(member_sessions.c.token_hash == digest(secret))
    )


def end_all(connection: Connection, member_id: int, now: datetime) -> None:
    """A member's sessions end and their tokens stop working (removal)."""
    connection.execute(delete(member_sessions).where(member_sessions.c.member_id == member_id))
    connection.execute(
        update(member_tokens)
        .where(member_tokens.c.member_id == member_id, member_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


# -- tokens -------------------------------------------------------------------------------
def add_token(
    connection: Connection,
    member_id: int,
    kind: str,
    secret: str,
    now: datetime,
    expires_at: datetime | None = None,
    label: str | None = None,
) -> None:
    connection.execute(
        insert(member_tokens).values(
            member_id=member_id,
            kind=kind,
            label=label,
            token_hash=digest(secret),
            created_at=now,
            expires_at=expires_at,
        )
    )


def usable_token(connection: Connection, kind: str, secret: str, now: datetime) -> int | None:
    """The member a token of `kind` belongs to, when it is neither used (join links are
    single-use), revoked nor expired; None otherwise."""
    row = connection.execute(
        select(
            member_tokens.c.member_id,
            member_tokens.c.expires_at,
            member_tokens.c.used_at,
            member_tokens.c.revoked_at,
        ).where(member_tokens.c.token_hash == digest(secret), member_tokens.c.kind == kind)
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    if kind == "invite" and row.used_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    return int(row.member_id)


def use_token(connection: Connection, secret: str, now: datetime) -> None:
    connection.execute(
        update(member_tokens)
        .where(member_tokens.c.token_hash == digest(secret))
        .values(used_at=now)
    )


def revoke_tokens(
    connection: Connection, member_id: int, kind: str, label: str, now: datetime
) -> int:
    result = connection.execute(
        update(member_tokens)
        .where(
            member_tokens.c.member_id == member_id,
            member_tokens.c.kind == kind,
            member_tokens.c.label == label,
            member_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)


# -- failed sign-ins ----------------------------------------------------------------------
def add_failure(connection: Connection, email: str, address: str, now: datetime) -> None:
    connection.execute(insert(login_failures).values(email=email, address=address, at=now))


def failures_since(
    connection: Connection, email: str, address: str, since: datetime
) -> tuple[list[datetime], list[datetime]]:
    """Times of recent failures for this account, and for this client address."""
    rows = connection.execute(
        select(login_failures.c.email, login_failures.c.address, login_failures.c.at).where(
            login_failures.c.at > since,
            or_(login_failures.c.email == email, login_failures.c.address == address),
        )
    ).all()
    return [r.at for r in rows if r.email == email], [r.at for r in rows if r.address == address]


def forget_failures(connection: Connection, before: datetime) -> None:
    connection.execute(delete(login_failures).where(login_failures.c.at < before))
