"""Restoring a kith-json export: people as they were, merged into what the base holds.

A saved person joins whoever already holds one of their identities (as any import does);
otherwise they are created with their original id when it is free, so that a restore into
an empty base is exact. Tags, identities, facts, asks and interactions are added where
missing; interactions keep their original source and external id, so a later import of
the same exports adds nothing twice. Everything goes through the import's `ImportJob`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, exists, insert, select

from kith.domain import ids
from kith.domain.model import Channel, Direction
from kith.ingest.base import ImportFailed
from kith.ingest.records import Handle, Record, SavedBase, SavedGatherings, SavedPerson
from kith.services import context, own_identities
from kith.services.exporting import FACT_FIELDS, INVITE_FIELDS
from kith.services.import_job import ImportJob
from kith.store import interactions, settings
from kith.store.interactions import NewInteraction
from kith.store.people import COLUMNS, add_tags, birthday_md, name_key, update_person
from kith.store.schema import facts, gathering_guests, identities, invites, people, trips
from kith.store.schema import gatherings as gathering_table

PERSON_COLUMNS = COLUMNS
_DATES = {"birthday", "event_on", "starts_on", "ends_on"}
_TIMES = {
    "created_at",
    "noted_at",
    "asked_at",
    "responded_at",
    "scheduled_at",
    "occurred_at",
    "starts_at",
    "rsvp_at",
}
_Kind = TypeVar("_Kind", Channel, Direction)
_GATHERING_FIELDS = ("title", "starts_at", "minutes", "place", "uid", "member", "created_at")


def _value(key: str, value: Any) -> Any:
    """A saved field as a column takes it (the importer has checked and typed the file,
    kith.ingest.kith_json_schema; dates and times may still come as text from elsewhere)."""
    if value is None or isinstance(value, date):  # a datetime is a date too
        return value
    if key in _DATES:
        return date.fromisoformat(value)
    if key in _TIMES:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return value


def _free(connection: Connection, table: Table, row_id: Any) -> bool:
    if not isinstance(row_id, int):
        return False
    return connection.execute(select(table.c.id).where(table.c.id == row_id)).first() is None


def _insert(job: ImportJob, table: Table, row: dict[str, Any], saved_id: Any) -> Any:
    """Insert one row, with its saved id when that id is free here; returns the row's id."""
    if _free(job.connection, table, saved_id):
        row = {**row, "id": saved_id}
        job.note_explicit_ids()
    return job.connection.execute(insert(table).values(**row).returning(table.c.id)).scalar_one()


def take(job: ImportJob, record: Record) -> None:
    """One saved record of a kith-json export (people after what the job has pending)."""
    if isinstance(record, SavedPerson):
        job.flush()
        person(job, record.data)
    elif isinstance(record, SavedBase):
        base(job, record)
    elif isinstance(record, SavedGatherings):
        job.flush()
        gatherings(job, record)


def base(job: ImportJob, saved: SavedBase) -> None:
    connection = job.connection
    current = settings.get_all(connection)
    for key, value in saved.settings.items():
        if key == "me":  # the user's own identities: those of the backup added to ours
            handles = [own_identities.handle_of(h) for h in value.get("handles") or []]
            names = [n for n in value.get("names") or [] if n.strip()]
            own_identities.learn(connection, [h for h in handles if h], names)
        elif key not in current:
            settings.put(connection, key, value)
    for trip in saved.trips:
        row = {k: _value(k, v) for k, v in trip.items() if k in trips.c}
        same = connection.execute(
            select(trips.c.id).where(
                trips.c.city == row["city"],
                trips.c.starts_on == row["starts_on"],
                trips.c.ends_on == row["ends_on"],
            )
        ).first()
        if same is None:
            _insert(job, trips, {k: v for k, v in row.items() if k != "id"}, row.get("id"))
    job.ctx = context.build(connection, job.ctx.now)


def person(job: ImportJob, data: dict[str, Any]) -> None:
    saved = data.get("identities") or ()
    handles = job.normalised(Handle(h["platform"], h["handle"]) for h in saved)
    owners = job.owners(handles)
    found = sorted(set(owners.values())) or (
        [] if handles else _restored_before(job.connection, data)
    )
    if found:
        pid = found[0]
        for other in found[1:]:
            job.merge(pid, other)
        job.note_matched(pid)
        _fill(job.connection, pid, data)
    else:
        pid = _create(job, data)
    if isinstance(data.get("id"), int):
        job.restored[data["id"]] = pid
    display = {(h["platform"], h["handle"]): h.get("display") for h in saved}
    job.add_identities(pid, [h for h in handles if h not in owners], display)
    add_tags(job.connection, pid, data.get("tags") or [])
    _facts(job, pid, data.get("facts") or [])
    _invites(job, pid, data.get("invites") or [])
    _interactions(job, pid, data.get("interactions") or [])


def _restored_before(connection: Connection, data: dict[str, Any]) -> list[int]:
    """A saved person with no identity kith can read is the person at their saved id when
    that one has the same name (this backup, or one of this base, restored before), else the
    first person of that name who has no identity either (restored before under another id),
    so that importing a backup twice adds no one twice; [] when there is none."""
    saved_id, name = data.get("id"), data.get("name")
    if isinstance(saved_id, int) and ids.storable(saved_id):
        row = connection.execute(select(people.c.name).where(people.c.id == saved_id)).first()
        if row is not None and row.name == name:
            return [saved_id]
    nobody_else = ~exists().where(identities.c.person_id == people.c.id)
    query = select(people.c.id).where(people.c.name == name, nobody_else).order_by(people.c.id)
    row = connection.execute(query.limit(1)).first()
    return [] if row is None else [int(row.id)]


def _create(job: ImportJob, data: dict[str, Any]) -> int:
    row = {k: _value(k, data.get(k)) for k in PERSON_COLUMNS}
    row["paused"] = bool(row["paused"])
    row["name_key"] = name_key(row["name"])
    row["birthday_md"] = birthday_md(row["birthday"])
    if row["created_at"] is None:
        row["created_at"] = job.ctx.now
    pid = int(_insert(job, people, row, data.get("id")))
    job.note_created(pid)
    return pid


def _fill(connection: Connection, pid: int, data: dict[str, Any]) -> None:
    current = connection.execute(select(people).where(people.c.id == pid)).mappings().one()
    changes = {
        k: _value(k, data.get(k))
        for k in PERSON_COLUMNS
        if current[k] is None and data.get(k) is not None
    }
    if changes:
        update_person(connection, pid, **changes)


def _facts(job: ImportJob, pid: int, saved: list[dict[str, Any]]) -> None:
    rows = []
    for fact in saved:
        row = {k: _value(k, fact.get(k)) for k in FACT_FIELDS if k != "id"}
        row["private"] = bool(row["private"])
        row["noted_at"] = row["noted_at"] or job.ctx.now
        rows.append((row, fact.get("id")))
    _add_missing(job, pid, facts, ("text", "event_on"), rows)


def _invites(job: ImportJob, pid: int, saved: list[dict[str, Any]]) -> None:
    rows = [
        ({k: _value(k, a.get(k)) for k in INVITE_FIELDS if k != "id"}, a.get("id")) for a in saved
    ]
    _add_missing(job, pid, invites, ("asked_at", "kind"), rows)


def _add_missing(
    job: ImportJob,
    pid: int,
    table: Table,
    same: tuple[str, str],
    rows: list[tuple[dict[str, Any], Any]],
) -> None:
    """Give `pid` each saved (row, id) whose `same` fields match none of theirs."""
    query = select(table.c[same[0]], table.c[same[1]]).where(table.c.person_id == pid)
    have = {tuple(r) for r in job.connection.execute(query)}
    for row, saved_id in rows:
        if (row[same[0]], row[same[1]]) not in have:
            _insert(job, table, {"person_id": pid, **row}, saved_id)


def _interactions(job: ImportJob, pid: int, saved: list[dict[str, Any]]) -> None:
    keys = [(t["source"], t["external_id"]) for t in saved if t.get("external_id") is not None]
    existing = interactions.stored_keys(job.connection, keys)
    new: list[NewInteraction] = []
    seen: set[tuple[str, str]] = set()
    # one without an id of its source is told apart by what it is: else every restore of
    # the same backup would add it again
    unkeyed = {_what(*k) for k in interactions.unkeyed(job.connection, pid)}
    for t in saved:
        source, external_id = t["source"], t.get("external_id")
        if (source, external_id) in existing or (source, external_id) in seen:
            job.summary.interactions_skipped += 1
            continue
        if external_id is not None:
            seen.add((source, external_id))
        when = _value("occurred_at", t["occurred_at"])
        channel, direction = _kind(Channel, t["channel"]), _kind(Direction, t["direction"])
        if external_id is None:
            what = _what(source, when, channel.value, direction.value, t.get("text"))
            if what in unkeyed:
                job.summary.interactions_skipped += 1
                continue
            unkeyed.add(what)
        new.append(
            NewInteraction(
                pid,
                when,
                channel,
                direction,
                t.get("text"),
                t.get("minutes"),
                source,
                external_id,
                t.get("member"),
            )
        )
    interactions.add_many(job.connection, new, job.ctx.rules)
    job.summary.interactions_added += len(new)


def _what(
    source: str, when: datetime, channel: str, direction: str, text: str | None
) -> tuple[str, datetime, str, str, str]:
    moment = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return source, moment, channel, direction, interactions.clean_text(text) or ""


def _kind(kind: type[_Kind], value: Any) -> _Kind:
    """A saved channel or direction; one this kith does not know is an ImportFailed."""
    try:
        return kind(value)
    except ValueError:
        what = kind.__name__.lower()
        raise ImportFailed(f"A saved interaction has an unknown {what} '{value}'.") from None


def gatherings(job: ImportJob, saved: SavedGatherings) -> None:
    """Gatherings and their guests, each guest mapped to the person restored for them."""
    connection = job.connection
    for item in saved.items:
        if connection.execute(
            select(gathering_table.c.id).where(gathering_table.c.uid == item["uid"])
        ).first():
            continue
        row = {k: _value(k, item.get(k)) for k in _GATHERING_FIELDS}
        gid = _insert(job, gathering_table, row, item.get("id"))
        guests = [
            {
                "gathering_id": gid,
                "person_id": job.restored[g["person_id"]],
                "invitation": g["invitation"],
                "rsvp": g["rsvp"],
                "rsvp_at": _value("rsvp_at", g.get("rsvp_at")),
                "attended": bool(g["attended"]),
            }
            for g in item.get("guests") or ()
            if g.get("person_id") in job.restored
        ]
        if guests:
            connection.execute(insert(gathering_guests), guests)
