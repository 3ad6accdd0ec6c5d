"""Find the one person a user means: by id, exact name or platform:handle."""

from __future__ import annotations

from sqlalchemy import Connection

from kith.domain import ids
from kith.domain.identity import HandleError, normalise, parse_reference
from kith.errors import Ambiguous, InvalidInput, NotFound
from kith.store import people


def _label(connection: Connection, person_id: int) -> str:
    row = people.get_row(connection, person_id)
    if row is None:
        return f"#{person_id}"
    handles = people.identities_of(connection, [person_id]).get(person_id, [])
    extra = [f"{p}:{h}" for p, h in handles[:2]]
    if row.city:
        extra.append(row.city)
    suffix = f" ({', '.join(extra)})" if extra else ""
    return f"#{person_id} {row.name}{suffix}"


def person_id(connection: Connection, reference: str) -> int:
    """The id of the person `reference` names; NotFound or Ambiguous otherwise."""
    ref = reference.strip()
    if not ref:
        raise InvalidInput("Name a person by id, exact name or platform:handle.")
    pid = ids.typed(ref)
    if pid is not None:
        if ids.storable(pid) and people.exists(connection, pid):
            return pid
        if not ref.startswith("#") and (by_name := people.ids_by_name(connection, ref)):
            return _one(connection, ref, by_name)
        raise NotFound(f"No person with id {pid}.")
    handle = parse_reference(ref)
    if handle is not None:
        try:
            normalised = normalise(handle.platform, handle.handle)
        except HandleError as exc:
            raise InvalidInput(str(exc)) from exc
        pid_found = people.id_by_identity(connection, handle.platform, normalised)
        if pid_found is not None:
            return pid_found
        if not (by_name := people.ids_by_name(connection, ref)):
            raise NotFound(f"No person with the {handle.platform} handle '{normalised}'.")
        return _one(connection, ref, by_name)
    return _one(connection, ref, people.ids_by_name(connection, ref))


def _one(connection: Connection, ref: str, ids: list[int]) -> int:
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        raise Ambiguous(
            f"'{ref}' names {len(ids)} people; use an id or a platform:handle.",
            [_label(connection, i) for i in ids[:10]],
        )
    close = [f"{row.name} (#{row.id})" for row in people.names_like(connection, ref.split()[0])]
    raise NotFound(f"No person named '{ref}'.", close)
