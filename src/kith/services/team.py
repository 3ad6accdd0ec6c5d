"""A team base's members: who they are, their roles, and whether the acting member may do
what a command asks (docs/team.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from kith.domain.team import Role, TeamError, leaves_an_owner, normalise_email, refusal
from kith.errors import InvalidInput, NotAllowed, NotFound
from kith.services import passwords, views
from kith.store import members
from kith.store.members import Member


def email_of(text: str) -> str:
    """An email address as members are known by, or InvalidInput in one sentence."""
    try:
        return normalise_email(text)
    except TeamError as exc:
        raise InvalidInput(str(exc)) from None


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidInput("Give the member a name (--name).")
    if len(name) > 200:
        raise InvalidInput("A member's name is at most 200 characters.")
    return name


def role_of(text: str) -> Role:
    from kith.domain.team import parse_role

    try:
        return parse_role(text)
    except TeamError as exc:
        raise InvalidInput(str(exc)) from None


def acting(connection: Connection, who: str | None, operation: str) -> Member | None:
    """The member doing `operation`, when the base is a team base and they may; None in a
    one-user base. NotAllowed (exit 2, one sentence) otherwise."""
    if not members.is_team(connection):
        if operation == "team":  # members join a team, which an owner starts
            raise InvalidInput(
                "This base has no team yet: make it a team base first, with "
                "'kith team init --owner EMAIL --name NAME'."
            )
        return None
    member = None
    if who:
        try:
            member = members.by_email(connection, normalise_email(who))
        except TeamError:
            member = None
    if member is not None and not member.active:
        raise NotAllowed(f"{member.email} is no longer a member of this team.")
    problem = refusal(None if member is None else member.role, operation)
    if problem:
        if member is None and who:
            problem = f"'{who}' is not a member of this team; ask an owner to add you."
        raise NotAllowed(problem)
    return member


def init(connection: Connection, now: datetime, email: str, name: str, password: str) -> Member:
    """Make a one-user base a team base with its first owner."""
    if members.is_team(connection):
        raise InvalidInput("This base is a team base already; add members with 'kith team add'.")
    address, shown = email_of(email), _name(name)
    members.add(connection, address, shown, Role.OWNER, passwords.hashed(password), now)
    members.claim_unattributed(connection, address)
    from kith.services import own_identities

    mine = own_identities.load(connection)  # the base's user is its first owner
    own_identities.learn(connection, mine.handles, mine.names, address)
    found = members.by_email(connection, address)
    assert found is not None
    return found


def add(
    connection: Connection,
    now: datetime,
    email: str,
    name: str,
    role: Role,
    password: str | None,
) -> Member:
    """A new member (or a removed one, back); their password may come later (join link)."""
    address, shown = email_of(email), _name(name)
    stored = None if password is None else passwords.hashed(password)
    known = members.by_email(connection, address)
    if known is not None and known.active:
        raise InvalidInput(f"{address} is a member already ({known.role.value}).")
    if known is not None:
        members.rejoin(connection, known.id, shown, role)
        if stored is not None:
            members.set_password(connection, known.id, stored)
    else:
        members.add(connection, address, shown, role, stored, now)
    found = members.by_email(connection, address)
    assert found is not None
    return found


def known(connection: Connection, email: str) -> Member:
    """The active member with this email, or NotFound."""
    address = email_of(email)
    found = members.by_email(connection, address)
    if found is None or not found.active:
        raise NotFound(f"No member {address} in this team.")
    return found


def _keeps_an_owner(connection: Connection, changed: Member, new_role: Role | None) -> None:
    active = [m for m in members.every(connection) if m.active]
    index = next(i for i, m in enumerate(active) if m.id == changed.id)
    if not leaves_an_owner([m.role for m in active], index, new_role):
        raise InvalidInput("A team needs an owner: make someone else an owner first.")


def set_role(connection: Connection, email: str, role: Role) -> Member:
    member = known(connection, email)
    _keeps_an_owner(connection, member, role)
    members.set_role(connection, member.id, role)
    return known(connection, email)


def remove(connection: Connection, now: datetime, email: str) -> Member:
    """End a membership: the member cannot act any more; their history stays theirs."""
    member = known(connection, email)
    _keeps_an_owner(connection, member, None)
    members.remove(connection, member.id, now)
    from kith.store import signin

    signin.end_all(connection, member.id, now)  # signed out at once, tokens refused
    return member


def share_texts(connection: Connection, email: str | None, share: bool) -> Member:
    """The acting member (`email`, None in a one-user base) shares their texts or not."""
    if email is None:
        raise InvalidInput("Sharing texts is for team bases: this base has one user.")
    member = known(connection, email)
    members.set_share_texts(connection, member.id, share)
    changed = members.by_id(connection, member.id)
    assert changed is not None
    return changed


def as_json(member: Member, tz: str) -> dict[str, Any]:
    return {
        "email": member.email,
        "name": member.name,
        "role": member.role.value,
        "active": member.active,
        "has_password": member.password_hash is not None,
        "shares_texts": member.share_texts,
        "joined": views.moment(member.created_at, tz),
        "removed": views.moment(member.removed_at, tz),
    }


def listing(connection: Connection, tz: str) -> list[dict[str, Any]]:
    return [as_json(m, tz) for m in members.every(connection)]
