"""The user's own identities: the handles, addresses, numbers and display names that are the
user in every export (`kith init --me`, `kith profile`, `kith import --me`, and what imports
learn by themselves). Every importer is given them, so that no export asks twice."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from kith.domain.identity import HandleError, normalise, parse_reference
from kith.errors import InvalidInput
from kith.store import settings

KEY = "me"
_PHONE = re.compile(r"^\+[\d\s().-]{6,}$")
_EMAIL = re.compile(r"^[^@\s:]+@[^@\s:]+\.[^@\s:]+$")


@dataclass(frozen=True, slots=True)
class OwnIdentities:
    handles: tuple[str, ...] = ()  # "platform:handle", each in its one spelling
    names: tuple[str, ...] = ()  # display names as exports write them ("Ana Example")

    def values(self) -> tuple[str, ...]:
        """What importers are given as `Options.me`."""
        return (*self.handles, *self.names)

    def as_json(self) -> dict[str, list[str]]:
        return {"handles": list(self.handles), "names": list(self.names)}


def _key(member: str | None) -> str:
    """Where they are kept: the user's, or in a team base each member's own."""
    return KEY if member is None else f"{KEY}:{member}"


def load(connection: Connection, member: str | None = None) -> OwnIdentities:
    stored = settings.get(connection, _key(member), {}) or {}
    return OwnIdentities(
        tuple(str(h) for h in stored.get("handles", ())),
        tuple(str(n) for n in stored.get("names", ())),
    )


def _save(connection: Connection, own: OwnIdentities, member: str | None = None) -> OwnIdentities:
    if own != load(connection, member):
        settings.put(connection, _key(member), own.as_json())
    return own


def read(value: str, region: str = "US") -> tuple[str | None, str | None]:
    """(handle, name) that `value` gives: `x:ana`, `email:ana@example.org`, a bare e-mail
    address or +phone number, or else a display name. A handle that cannot be read for its
    platform is an error."""
    text = " ".join(value.split())
    if not text:
        raise InvalidInput("An empty value cannot be one of your identities.")
    ref = parse_reference(text)
    if ref is None and _EMAIL.match(text):
        ref = parse_reference(f"email:{text}")
    if ref is None and _PHONE.match(text):
        ref = parse_reference(f"phone:{text}")
    if ref is None:
        return None, text
    try:
        return f"{ref.platform}:{normalise(ref.platform, ref.handle, region)}", None
    except HandleError as exc:
        raise InvalidInput(str(exc)) from None


def handle_of(value: str, region: str = "US") -> str | None:
    """`value` as a handle, `platform:handle` in kith's one spelling; None when it is none."""
    ref = parse_reference(" ".join(value.split()))
    if ref is None:
        return None
    try:
        return f"{ref.platform}:{normalise(ref.platform, ref.handle, region)}"
    except HandleError:
        return None


def _merged(own: OwnIdentities, handles: Iterable[str], names: Iterable[str]) -> OwnIdentities:
    return OwnIdentities(
        tuple(dict.fromkeys([*own.handles, *handles])),
        tuple(dict.fromkeys([*own.names, *names])),
    )


def add(
    connection: Connection, values: Iterable[str], region: str = "US", member: str | None = None
) -> OwnIdentities:
    """Add what the user (in a team base, `member`) said is them (`--me` values)."""
    read_values = [read(v, region) for v in values]
    handles = [h for h, _ in read_values if h]
    names = [n for _, n in read_values if n]
    return _save(connection, _merged(load(connection, member), handles, names), member)


def learn(
    connection: Connection,
    handles: Iterable[str],
    names: Iterable[str],
    member: str | None = None,
) -> OwnIdentities:
    """Add what an import found out about the user (already normalised)."""
    return _save(connection, _merged(load(connection, member), handles, names), member)


def remove(
    connection: Connection, values: Iterable[str], region: str = "US", member: str | None = None
) -> OwnIdentities:
    own = load(connection, member)
    handles, names = list(own.handles), list(own.names)
    for value in values:
        handle, name = read(value, region)
        if handle in handles:
            handles.remove(str(handle))
        elif name is not None and name.casefold() in (n.casefold() for n in names):
            names = [n for n in names if n.casefold() != name.casefold()]
        else:
            known = ", ".join(own.values()) or "none yet"
            raise InvalidInput(f"'{value}' is not one of your identities (yours: {known}).")
    return _save(connection, OwnIdentities(tuple(handles), tuple(names)), member)
