"""Restoring a kith-json export: people as they were, merged into what the base holds.

A saved person joins whoever already holds one of their identities (as any import does);
otherwise they are created with their original id when it is free, so that a restore into
an empty base is exact. Tags, identities, facts, asks and interactions are added where
missing; interactions keep their original source and external id, so a later import of
the same exports adds nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, tuple_

from kith.ingest.records import Handle, SavedBase, SavedGatherings
from kith.services import people as people_service
from kith.store import settings
from kith.store.people import COLUMNS, add_tags, birthday_md, name_key, update_person
from kith.store.schema import (
    facts,
    gathering_guests,
    identities,
    interactions,
    invites,
    people,
    trips,
)
from kith.store.schema import gatherings as gathering_table

if TYPE_CHECKING:
    from kith.services.importing import _Importer

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


def _value(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in _DATES:
        return date.fromisoformat(value)
    if key in _TIMES:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return value


def _free(connection: Connection, table: Any, row_id: Any) -> bool:
    if not isinstance(row_id, int):
        return False
    return connection.execute(select(table.c.id).where(table.c.id == row_id)).first() is None


def base(job: _Importer, saved: SavedBase) -> None:
    connection = job.connection
    current = settings.get_all(connection)
    for key, value in saved.settings.items():
        if key == "me":
            have = current.get("me") or {}
            merged = {
                part: sorted({*(have.get(part) or []), *(value.get(part) or [])})
                for part in ("handles", "names")
            }
            settings.put(connection, "me", merged)
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
        if same is not None:
            continue
        if not _free(connection, trips, row.get("id")):
            row.pop("id", None)
        else:
            job.explicit_ids = True
        connection.execute(insert(trips).values(**row))
    job.ctx = _rebuilt_context(job)


def _rebuilt_context(job: _Importer) -> Any:
    from kith.services import context

    return context.build(job.connection, job.ctx.now)


def person(job: _Importer, data: dict[str, Any]) -> None:
    connection = job.connection
    handles = job._normalised(
        Handle(h["platform"], h["handle"]) for h in data.get("identities") or ()
    )
    owners = job._owners(set(handles))
    found = sorted(set(owners.values()))
    if found:
        pid = found[0]
        for other in found[1:]:
            people_service.merge_quietly(connection, pid, other)
            job.summary.people_merged += 1
        job.matched.add(pid)
        _fill(connection, pid, data)
    else:
        pid = _create(job, data)
    if isinstance(data.get("id"), int):
        job.restored[data["id"]] = pid
    job.touched.add(pid)
    display = {(h["platform"], h["handle"]): h.get("display") for h in data.get("identities") or ()}
    new_handles = [h for h in handles if h not in owners]
    if new_handles:
        connection.execute(
            insert(identities),
            [
                {"person_id": pid, "platform": p, "handle": h, "display": display.get((p, h), h)}
                for p, h in new_handles
            ],
        )
        job.summary.identities_added += len(new_handles)
    add_tags(connection, pid, data.get("tags") or [])
    _facts(job, pid, data.get("facts") or [])
    _invites(job, pid, data.get("invites") or [])
    _interactions(job, pid, data.get("interactions") or [])


def _create(job: _Importer, data: dict[str, Any]) -> int:
    connection = job.connection
    row = {k: _value(k, data.get(k)) for k in PERSON_COLUMNS}
    row["paused"] = bool(row["paused"])
    row["name_key"] = name_key(row["name"])
    row["birthday_md"] = birthday_md(row["birthday"])
    if row["created_at"] is None:
        row["created_at"] = job.ctx.now
    if _free(connection, people, data.get("id")):
        row["id"] = data["id"]
        job.explicit_ids = True
    pid = int(connection.execute(insert(people).values(**row).returning(people.c.id)).scalar_one())
    job.created.add(pid)
    return pid


def _fill(connection: Connection, pid: int, data: dict[str, Any]) -> None:
    current = connection.execute(select(people).where(people.c.id == pid)).one()._mapping
    changes = {
        k: _value(k, data.get(k))
        for k in PERSON_COLUMNS
        if current[k] is None and data.get(k) is not None
    }
    if changes:
        update_person(connection, pid, **changes)


def _facts(job: _Importer, pid: int, saved: list[dict[str, Any]]) -> None:
    connection = job.connection
    have = {
        (r.text, r.event_on)
        for r in connection.execute(
            select(facts.c.text, facts.c.event_on).where(facts.c.person_id == pid)
        )
    }
    for fact in saved:
        row = {
            k: _value(k, fact.get(k)) for k in ("text", "event_on", "private", "noted_at", "member")
        }
        if (row["text"], row["event_on"]) in have:
            continue
        row["private"] = bool(row["private"])
        row["noted_at"] = row["noted_at"] or job.ctx.now
        if _free(connection, facts, fact.get("id")):
            row["id"] = fact["id"]
            job.explicit_ids = True
        connection.execute(insert(facts).values(person_id=pid, **row))


def _invites(job: _Importer, pid: int, saved: list[dict[str, Any]]) -> None:
    connection = job.connection
    have = {
        (r.asked_at, r.kind)
        for r in connection.execute(
            select(invites.c.asked_at, invites.c.kind).where(invites.c.person_id == pid)
        )
    }
    for ask in saved:
        row = {
            k: _value(k, ask.get(k))
            for k in (
                "asked_at",
                "kind",
                "response",
                "responded_at",
                "scheduled_at",
                "place",
                "member",
            )
        }
        if (row["asked_at"], row["kind"]) in have:
            continue
        if _free(connection, invites, ask.get("id")):
            row["id"] = ask["id"]
            job.explicit_ids = True
        connection.execute(insert(invites).values(person_id=pid, **row))


def _interactions(job: _Importer, pid: int, saved: list[dict[str, Any]]) -> None:
    from kith.domain.pacing import is_link_share, word_count

    connection = job.connection
    keys = [(t["source"], t["external_id"]) for t in saved if t.get("external_id")]
    existing: set[tuple[str, str]] = set()
    for start in range(0, len(keys), 400):
        part = keys[start : start + 400]
        query = select(interactions.c.source, interactions.c.external_id).where(
            tuple_(interactions.c.source, interactions.c.external_id).in_(part)
        )
        existing.update((s, e) for s, e in connection.execute(query))
    rows = []
    seen: set[tuple[str, str]] = set()
    for t in saved:
        key = (t["source"], t.get("external_id"))
        if key in existing or key in seen:
            job.summary.interactions_skipped += 1
            continue
        if key[1] is not None:
            seen.add(key)  # type: ignore[arg-type]
        text = t.get("text")
        rows.append(
            {
                "person_id": pid,
                "occurred_at": _value("occurred_at", t["occurred_at"]),
                "channel": t["channel"],
                "direction": t["direction"],
                "text": text,
                "word_count": word_count(text),
                "is_link_share": is_link_share(text, job.ctx.rules),
                "minutes": t.get("minutes"),
                "source": t["source"],
                "external_id": t.get("external_id"),
                "member": t.get("member"),
            }
        )
    if rows:
        connection.execute(insert(interactions), rows)
    job.summary.interactions_added += len(rows)


def gatherings(job: _Importer, saved: SavedGatherings) -> None:
    """Gatherings and their guests, each guest mapped to the person restored for them."""
    connection = job.connection
    for item in saved.items:
        if connection.execute(
            select(gathering_table.c.id).where(gathering_table.c.uid == item["uid"])
        ).first():
            continue
        row = {
            k: _value(k, item.get(k))
            for k in ("title", "starts_at", "minutes", "place", "uid", "member", "created_at")
        }
        if _free(connection, gathering_table, item.get("id")):
            row["id"] = item["id"]
            job.explicit_ids = True
        gid = connection.execute(
            insert(gathering_table).values(**row).returning(gathering_table.c.id)
        ).scalar_one()
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


def sync_sequences(connection: Connection) -> None:
    """After rows were written with explicit ids, PostgreSQL's sequences must move past them."""
    if connection.dialect.name != "postgresql":
        return
    for name in (
        "people",
        "facts",
        "invites",
        "trips",
        "gatherings",
    ):  # fixed names, nothing from the user
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
        )
