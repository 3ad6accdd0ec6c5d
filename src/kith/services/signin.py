"""Signing team members in: passwords, sessions, join links and API tokens (docs/team.md,
"The web UI in team mode"). Secrets are random, shown once and stored as hashes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from kith.domain.team import (
    FAILURE_WINDOW_SECONDS,
    INVITE_DAYS,
    SESSION_IDLE_DAYS,
    Role,
    TeamError,
    normalise_email,
    retry_after,
)
from kith.errors import InvalidInput, NotFound
from kith.services import passwords
from kith.services.team import add as add_member
from kith.services.team import email_of, known
from kith.store import members, signin
from kith.store.members import Member

#: a session's last request is written at most this often
SEEN_EVERY = timedelta(minutes=5)
WRONG = "Wrong email or password."


@dataclass(frozen=True)
class Attempt:
    """What a sign-in came to: a new session for `member`, or a failure to record (and,
    once too many, how long to wait)."""

    member: Member | None
    secret: str | None
    wait: int | None = None


def _seconds(at: datetime) -> float:
    return at.timestamp()


def attempt(
    connection: Connection, now: datetime, email: str, password: str, address: str
) -> Attempt:
    """Check a sign-in; nothing is written on failure (the caller records it, committed,
    before saying so)."""
    try:
        address_key = normalise_email(email)
    except TeamError:
        address_key = email.strip().lower()[:254]
    since = now - timedelta(seconds=FAILURE_WINDOW_SECONDS)
    by_account, by_address = signin.failures_since(connection, address_key, address, since)
    waits = [
        w
        for w in (
            retry_after([_seconds(t) for t in by_account], _seconds(now)),
            retry_after([_seconds(t) for t in by_address], _seconds(now)),
        )
        if w is not None
    ]
    if waits:
        return Attempt(None, None, max(waits))
    member = members.by_email(connection, address_key)
    if member is None or not member.active or not passwords.matches(member.password_hash, password):
        return Attempt(None, None)
    secret = secrets.token_urlsafe(32)
    signin.open_session(connection, member.id, secret, now)
    return Attempt(member, secret)


def failed(connection: Connection, now: datetime, email: str, address: str) -> None:
    signin.add_failure(connection, email.strip().lower()[:254], address[:64], now)
    signin.forget_failures(connection, now - timedelta(days=1))


def session_member(connection: Connection, now: datetime, secret: str) -> Member | None:
    """The active member signed in with `secret`, when the session is not idle too long."""
    found = signin.session(connection, secret)
    if found is None:
        return None
    member_id, seen_at = found
    if now - seen_at > timedelta(days=SESSION_IDLE_DAYS):
        signin.close_session(connection, secret)
        return None
    member = _active(connection, member_id)
    if member is not None and now - seen_at > SEEN_EVERY:
        signin.seen(connection, secret, now)
    return member


def bearer_member(connection: Connection, now: datetime, secret: str) -> Member | None:
    member_id = signin.usable_token(connection, "api", secret, now)
    return None if member_id is None else _active(connection, member_id)


def _active(connection: Connection, member_id: int) -> Member | None:
    member = members.by_id(connection, member_id)  # every signed-in request asks
    return member if member is not None and member.active else None


def sign_out(connection: Connection, secret: str) -> None:
    signin.close_session(connection, secret)


def invite(connection: Connection, now: datetime, email: str, role: Role) -> tuple[Member, str]:
    """A single-use join link's secret for `email` (a new member, or one who has not set a
    password yet), valid `INVITE_DAYS` days."""
    address = email_of(email)
    member = members.by_email(connection, address)
    if member is None or not member.active:
        member = add_member(connection, now, address, address.split("@")[0], role, None)
    elif member.password_hash is not None:
        raise InvalidInput(f"{address} is a member already and can sign in.")
    secret = secrets.token_urlsafe(32)
    signin.add_token(
        connection, member.id, "invite", secret, now, expires_at=now + timedelta(days=INVITE_DAYS)
    )
    return member, secret


def join(
    connection: Connection, now: datetime, secret: str, name: str, password: str
) -> tuple[Member, str]:
    """Use a join link: set the name and password, and open a session."""
    member_id = signin.usable_token(connection, "invite", secret, now)
    member = None if member_id is None else _active(connection, member_id)
    if member is None:
        raise NotFound(
            "This join link is not valid (used, expired or withdrawn); ask for a new one."
        )
    shown = " ".join(name.split())
    if not shown:
        raise InvalidInput("Give your name.")
    members.set_password(connection, member.id, passwords.hashed(password))
    members.rejoin(connection, member.id, shown[:200], member.role)
    signin.use_token(connection, secret, now)
    session = secrets.token_urlsafe(32)
    signin.open_session(connection, member.id, session, now)
    joined = members.by_email(connection, member.email)
    assert joined is not None
    return joined, session


def api_token(connection: Connection, now: datetime, email: str, label: str) -> str:
    member = known(connection, email)
    secret = "kith_" + secrets.token_urlsafe(32)
    signin.add_token(connection, member.id, "api", secret, now, label=label)
    return secret


def revoke(connection: Connection, now: datetime, email: str, label: str) -> int:
    member = known(connection, email)
    count = signin.revoke_tokens(connection, member.id, "api", label, now)
    if not count:
        raise NotFound(f"{member.email} has no token labelled '{label}'.")
    return count
