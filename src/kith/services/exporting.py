"""`kith export json`: everything in the base as one JSON document, written as it is read.

The shape (format "kith-json", version 1):

    {"format": "kith-json", "version": 1, "exported_at": ISO time,
     "settings": {key: value},                      # zone, home, rules, the user's identities
     "trips": [{id, city, country, lat, lon, starts_on, ends_on, member, created_at}],
     "people": [{id, name, notes, circle, city, country, lat, lon, timezone, birthday,
                 organisation, role, paused, created_at,
                 tags: [str], identities: [{platform, handle, display}],
                 facts: [{id, text, event_on, private, noted_at, member}],
                 invites: [{id, asked_at, kind, response, responded_at, scheduled_at, place,
                            member}],
                 interactions: [{occurred_at, channel, direction, text, minutes, source,
                                 external_id, member}]}],
     "gatherings": [{id, title, starts_at, minutes, place, uid, member, created_at,
                     guests: [{person_id, invitation, rsvp, rsvp_at, attended}]}]}

Times are ISO-8601 in UTC, dates ISO days. `kith import kith-json` reads it back exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import Connection, select

from kith.ingest.kith_json import FORMAT as FORMAT
from kith.ingest.kith_json import VERSION as VERSION
from kith.store import settings
from kith.store.people import COLUMNS
from kith.store.rawsql import chunks
from kith.store.schema import (
    facts,
    gathering_guests,
    gatherings,
    identities,
    interactions,
    invites,
    people,
    tags,
    trips,
)

PERSON_FIELDS = ("id", *COLUMNS)
FACT_FIELDS = ("id", "text", "event_on", "private", "noted_at", "member")
INVITE_FIELDS = (
    "id",
    "asked_at",
    "kind",
    "response",
    "responded_at",
    "scheduled_at",
    "place",
    "member",
)
INTERACTION_FIELDS = (
    "occurred_at",
    "channel",
    "direction",
    "text",
    "minutes",
    "source",
    "external_id",
    "member",
)
TRIP_FIELDS = (
    "id",
    "city",
    "country",
    "lat",
    "lon",
    "starts_on",
    "ends_on",
    "member",
    "created_at",
)


GATHERING_FIELDS = ("id", "title", "starts_at", "minutes", "place", "uid", "member", "created_at")
GUEST_FIELDS = ("person_id", "invitation", "rsvp", "rsvp_at", "attended")


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(row: Any, fields: Sequence[str]) -> dict[str, Any]:
    mapping = row._mapping
    return {f: plain(mapping[f]) for f in fields}


def _grouped(
    connection: Connection, table: Any, ids: list[int], fields: Sequence[str], order: Any
) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {pid: [] for pid in ids}
    query = select(table).where(table.c.person_id.in_(ids)).order_by(table.c.person_id, *order)
    for row in connection.execute(query):
        found[int(row.person_id)].append(_row(row, fields))
    return found


def _people(connection: Connection, batch: int = 500) -> Iterator[dict[str, Any]]:
    all_ids = [int(r[0]) for r in connection.execute(select(people.c.id).order_by(people.c.id))]
    for ids in chunks(all_ids, batch):
        rows = {
            int(r.id): r for r in connection.execute(select(people).where(people.c.id.in_(ids)))
        }
        tag_map: dict[int, list[str]] = {pid: [] for pid in ids}
        for pid, tag in connection.execute(
            select(tags.c.person_id, tags.c.tag)
            .where(tags.c.person_id.in_(ids))
            .order_by(tags.c.tag)
        ):
            tag_map[int(pid)].append(tag)
        handles = _grouped(
            connection,
            identities,
            ids,
            ("platform", "handle", "display"),
            (identities.c.platform, identities.c.handle),
        )
        known = _grouped(connection, facts, ids, FACT_FIELDS, (facts.c.id,))
        asks = _grouped(connection, invites, ids, INVITE_FIELDS, (invites.c.id,))
        touches = _grouped(
            connection,
            interactions,
            ids,
            INTERACTION_FIELDS,
            (interactions.c.occurred_at, interactions.c.id),
        )
        for pid in ids:
            record = _row(rows[pid], PERSON_FIELDS)
            record.update(
                tags=tag_map[pid],
                identities=handles[pid],
                facts=known[pid],
                invites=asks[pid],
                interactions=touches[pid],
            )
            yield record


def export_json(
    connection: Connection,
    out: IO[str],
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the whole base to `out`; returns how many people were written."""
    total = len(connection.execute(select(people.c.id)).all())
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": plain(now),
        "settings": settings.get_all(connection),
        "trips": [
            _row(r, TRIP_FIELDS) for r in connection.execute(select(trips).order_by(trips.c.id))
        ],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[: text.rindex("}")].rstrip() + ',\n "people": [')
    written = 0
    for record in _people(connection):
        out.write(("\n  " if written == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
        written += 1
        if progress is not None and written % 500 == 0:
            progress(written, total)
    out.write('\n ],\n "gatherings": ')
    out.write(json.dumps(_gatherings(connection), ensure_ascii=False))
    out.write("\n}\n")
    return written


def _gatherings(connection: Connection) -> list[dict[str, Any]]:
    found = []
    for row in connection.execute(select(gatherings).order_by(gatherings.c.id)):
        record = _row(row, GATHERING_FIELDS)
        record["guests"] = [
            _row(g, GUEST_FIELDS)
            for g in connection.execute(
                select(gathering_guests)
                .where(gathering_guests.c.gathering_id == row.id)
                .order_by(gathering_guests.c.person_id)
            )
        ]
        found.append(record)
    return found
