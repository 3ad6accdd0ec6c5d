"""Adding, editing, merging and forgetting people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from kith import gazetteer
from kith.domain.circles import CIRCLES, Member, check_room
from kith.domain.context import Context
from kith.domain.identity import HandleError, normalise, parse_reference
from kith.errors import CircleFullError, InvalidInput
from kith.services.refresh import refresh
from kith.store import distinct, people

_NO_CHANGE: Any = object()


def parse_handle(text: str) -> tuple[str, str, str]:
    """`platform:handle` typed by the user, as (platform, normalised handle, as typed)."""
    ref = parse_reference(text)
    if ref is None:
        from kith.domain.identity import PLATFORMS

        raise InvalidInput(f"'{text}' is not PLATFORM:HANDLE; platforms: {', '.join(PLATFORMS)}.")
    try:
        return ref.platform, normalise(ref.platform, ref.handle), ref.handle
    except HandleError as exc:
        raise InvalidInput(str(exc)) from exc


def _check_identity_free(
    connection: Connection, platform: str, handle: str, pid: int | None
) -> None:
    owner = people.id_by_identity(connection, platform, handle)
    if owner is not None and owner != pid:
        row = people.get_row(connection, owner)
        name = row.name if row is not None else "someone"
        raise InvalidInput(
            f"{platform}:{handle} already belongs to {name} (#{owner}); "
            f"use 'kith merge' if they are the same person."
        )


def _check_circle(connection: Connection, ctx: Context, circle: int, pid: int | None) -> None:
    if circle not in CIRCLES:
        raise InvalidInput(f"Circle must be 1, 2, 3 or 4 (got {circle}).")
    members = [
        Member(int(r[0]), r[1], float(r[2]))
        for r in people.circle_members(connection, circle)
        if int(r[0]) != pid
    ]
    full = check_room(circle, members, ctx.rules)
    if full is not None:
        raise CircleFullError(full.message())


@dataclass(frozen=True, slots=True)
class Place:
    city: str
    country: str
    lat: float
    lon: float


def locate(text: str) -> Place:
    city = gazetteer.lookup(text)
    return Place(city.label, city.country, city.lat, city.lon)


def _place_fields(city: str | None) -> dict[str, Any]:
    if city is None:
        return {}
    if not city.strip():
        return {"city": None, "country": None, "lat": None, "lon": None}
    place = locate(city)
    return {"city": place.city, "country": place.country, "lat": place.lat, "lon": place.lon}


def add(
    connection: Connection,
    ctx: Context,
    name: str,
    handles: Sequence[str] = (),
    city: str | None = None,
    tag_names: Sequence[str] = (),
    circle: int | None = None,
    birthday: date | None = None,
    organisation: str | None = None,
    role: str | None = None,
) -> int:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("A person needs a name.")
    parsed = [parse_handle(h) for h in handles]
    for platform, handle, _ in parsed:
        _check_identity_free(connection, platform, handle, None)
    if circle is not None:
        _check_circle(connection, ctx, circle, None)
    fields = _place_fields(city)
    pid = people.insert_person(
        connection,
        name,
        ctx.now,
        circle=circle,
        birthday=birthday,
        organisation=organisation,
        role=role,
        **fields,
    )
    for platform, handle, shown in dict.fromkeys(parsed):
        people.add_identity(connection, pid, platform, handle, shown)
    people.add_tags(connection, pid, _clean_tags(tag_names))
    refresh(connection, ctx, [pid])
    return pid


def _clean_tags(names: Sequence[str]) -> list[str]:
    cleaned = [" ".join(t.split()).lower() for t in names]
    if any(not t for t in cleaned):
        raise InvalidInput("A tag cannot be empty.")
    return cleaned


def edit(
    connection: Connection,
    ctx: Context,
    pid: int,
    name: str | None = None,
    city: str | None = None,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    circle: int | Any | None = _NO_CHANGE,
    paused: bool | None = None,
    handles: Sequence[str] = (),
    birthday: date | Any | None = _NO_CHANGE,
    organisation: str | None = None,
    role: str | None = None,
) -> None:
    fields: dict[str, Any] = {}
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise InvalidInput("A person needs a name.")
        fields["name"] = name
    parsed = [parse_handle(h) for h in handles]
    for platform, handle, _ in parsed:
        _check_identity_free(connection, platform, handle, pid)
    if circle is not _NO_CHANGE:
        if circle is not None:
            _check_circle(connection, ctx, int(circle), pid)
        fields["circle"] = circle
    if birthday is not _NO_CHANGE:
        fields["birthday"] = birthday
    if paused is not None:
        fields["paused"] = paused
    if organisation is not None:
        fields["organisation"] = organisation or None
    if role is not None:
        fields["role"] = role or None
    fields.update(_place_fields(city))
    people.update_person(connection, pid, **fields)
    known = {(p, h) for p, h in people.identities_of(connection, [pid]).get(pid, [])}
    for platform, handle, shown in parsed:
        if (platform, handle) not in known:
            people.add_identity(connection, pid, platform, handle, shown)
    people.add_tags(connection, pid, _clean_tags(add_tags))
    people.remove_tags(connection, pid, _clean_tags(remove_tags))
    refresh(connection, ctx, [pid])


NO_CHANGE = _NO_CHANGE


def merge(connection: Connection, ctx: Context, keep: int, gone: int) -> None:
    """Fold `gone` into `keep` (`kith.store.people.merge`) and refresh the figures of `keep`."""
    if keep == gone:
        raise InvalidInput("Cannot merge a person with themselves.")
    if people.get_row(connection, keep) is None or people.get_row(connection, gone) is None:
        raise InvalidInput("Both people must exist to merge them.")
    distinct.carry_over(connection, keep, gone, ctx.now)
    people.merge(connection, keep, gone)
    refresh(connection, ctx, [keep])


def keep_apart(connection: Connection, ctx: Context, x: int, y: int) -> bool:
    """Remember that `x` and `y` are two people (they leave the duplicates list); False
    when that was known already."""
    if x == y:
        raise InvalidInput("A person is always the same person as themselves.")
    if not people.exists(connection, x) or not people.exists(connection, y):
        raise InvalidInput("Both people must exist to keep them apart.")
    return distinct.mark(connection, x, y, ctx.now)


#: what a merge preview shows of each record (and says when the kept one takes it)
_SHOWN = ("city", "circle", "birthday", "organisation", "role", "notes")


def merge_preview(connection: Connection, keep: int, gone: int) -> dict[str, Any]:
    """What `merge(keep, gone)` would do, writing nothing: both records (`keep`, `gone`)
    and the person that would remain (`merged`): the name of `keep`, every handle, tag,
    interaction, fact and ask of both, and what describes `gone` where `keep` says nothing
    (`taken` names those fields, and the circle when `gone`'s is closer)."""
    if keep == gone:
        raise InvalidInput("Cannot merge a person with themselves.")
    a, b = people.row_mapping(connection, keep), people.row_mapping(connection, gone)
    if a is None or b is None:
        raise InvalidInput("Both people must exist to merge them.")
    handles = people.identities_of(connection, [keep, gone])
    tagged = people.tags_of(connection, [keep, gone])
    from kith.store import stats

    figures = stats.rows_by_id(connection, [keep, gone])

    def record(pid: int, row: Any) -> dict[str, Any]:
        shown = figures.get(pid)
        return {
            "id": pid,
            "name": row["name"],
            "handles": [f"{p}:{h}" for p, h in handles.get(pid, [])],
            "tags": sorted(tagged.get(pid, [])),
            **{field: _plain(row[field]) for field in _SHOWN},
            "stage": None if shown is None else shown.stage,
            "last_contact": None if shown is None else _plain(shown.last_contact),
            **people.record_counts(connection, pid),
        }

    kept, other = record(keep, a), record(gone, b)
    taken = people.taken_over(a, b)
    merged = {
        **kept,
        **{field: _plain(taken[field]) for field in _SHOWN if field in taken},
        "handles": list(dict.fromkeys([*kept["handles"], *other["handles"]])),
        "tags": sorted({*kept["tags"], *other["tags"]}),
        "interactions": kept["interactions"] + other["interactions"],
        "facts": kept["facts"] + other["facts"],
        "invites": kept["invites"] + other["invites"],
        "last_contact": max(
            (d for d in (kept["last_contact"], other["last_contact"]) if d), default=None
        ),
        "taken": [field for field in _SHOWN if field in taken],
    }
    del merged["stage"]  # worked out again from the joined history
    return {"keep": kept, "gone": other, "merged": merged}


def _plain(value: Any) -> Any:
    """A stored value as JSON has it (days as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def forget(connection: Connection, pid: int) -> str:
    """Erase a person and everything about them (cascades to every table)."""
    row = people.get_row(connection, pid)
    assert row is not None
    people.delete_person(connection, pid)
    return str(row.name)
