"""The sync sources of a base (`sync_sources`): what each reads and where it got to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from kith.store.schema import sync_sources


@dataclass(frozen=True)
class SyncSource:
    name: str
    kind: str
    settings: dict[str, Any]
    state: dict[str, Any]
    member: str | None
    created_at: datetime
    last_run_at: datetime | None
    last_ok_at: datetime | None
    last_added: int
    last_error: str | None


def _source(row: Any) -> SyncSource:
    return SyncSource(
        name=row.name,
        kind=row.kind,
        settings=json.loads(row.settings),
        state=json.loads(row.state or "{}"),
        member=row.member,
        created_at=row.created_at,
        last_run_at=row.last_run_at,
        last_ok_at=row.last_ok_at,
        last_added=int(row.last_added or 0),
        last_error=row.last_error,
    )


def all_sources(connection: Connection) -> list[SyncSource]:
    query = select(sync_sources).order_by(sync_sources.c.name)
    return [_source(r) for r in connection.execute(query)]


def get(connection: Connection, name: str) -> SyncSource | None:
    row = connection.execute(select(sync_sources).where(sync_sources.c.name == name)).first()
    return None if row is None else _source(row)


def add(
    connection: Connection,
    name: str,
    kind: str,
    settings: dict[str, Any],
    now: datetime,
    member: str | None = None,
) -> None:
    connection.execute(
        insert(sync_sources).values(
            name=name,
            kind=kind,
            settings=json.dumps(settings, sort_keys=True),
            state="{}",
            member=member,
            created_at=now,
        )
    )


def remove(connection: Connection, name: str) -> bool:
    result = connection.execute(delete(sync_sources).where(sync_sources.c.name == name))
    return bool(result.rowcount)


def record_run(
    connection: Connection,
    name: str,
    now: datetime,
    *,
    state: dict[str, Any] | None = None,
    added: int = 0,
    error: str | None = None,
) -> None:
    """What a run did: on success its new state and count, else its error (the state is
    kept as it was, so the next run starts where the last good one ended)."""
    values: dict[str, Any] = {"last_run_at": now, "last_error": error}
    if error is None:
        values.update(last_ok_at=now, last_added=added)
        if state is not None:
            values["state"] = json.dumps(state, sort_keys=True)
    connection.execute(update(sync_sources).where(sync_sources.c.name == name).values(**values))
