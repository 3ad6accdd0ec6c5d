"""Sync sources: configure them, and run each once (docs/sync.md).

A run of one source happens in its own transaction: it asks the source's server what is
new since the state its last good run left, stores it as the importer of the same kind of
export would (`importing.take_all`, the same source ids: nothing is stored twice), then
keeps the new state. A failure rolls all of it back and is recorded in a transaction of
its own, so the next run starts where the last good one ended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from kith.domain.context import Context
from kith.errors import InvalidInput
from kith.ingest.base import Options
from kith.services import importing
from kith.services.progress import Progress
from kith.services.views import moment
from kith.store import sync_sources
from kith.store.sync_sources import SyncSource
from kith.sync import secrets
from kith.sync.base import SyncFailed
from kith.sync.registry import fetcher

#: where a password may come from, in the order `secrets.spec` takes them
SECRET_KINDS = ("env", "command", "keyring")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass
class RunResult:
    """What one run of one source did (the `sync` JSON shape of docs/cli.md)."""

    name: str
    kind: str
    ok: bool
    read: int = 0
    interactions_added: int = 0
    people_created: int = 0
    identities_added: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "ok": self.ok,
            "read": self.read,
            "interactions_added": self.interactions_added,
            "people_created": self.people_created,
            "identities_added": self.identities_added,
            "error": self.error,
            "warnings": list(self.warnings),
        }


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidInput(
            f"'{name}' cannot name a sync source: use up to 64 lower-case letters, digits, "
            "'-' and '_', starting with a letter or digit."
        )
    return name


def add(
    connection: Connection,
    name: str,
    kind: str,
    settings: dict[str, Any],
    now: datetime,
    member: str | None = None,
) -> SyncSource:
    check_name(name)
    given = settings.get("secret") or {}
    checked = fetcher(kind).check({k: v for k, v in settings.items() if k != "secret"})
    settings = {**checked, "secret": secrets.spec(*(given.get(k) for k in SECRET_KINDS))}
    if sync_sources.get(connection, name) is not None:
        raise InvalidInput(
            f"A sync source named '{name}' exists already; remove it first "
            f"(kith sync remove {name}) or choose another name."
        )
    sync_sources.add(connection, name, kind, settings, now, member)
    added = sync_sources.get(connection, name)
    assert added is not None
    return added


def describe(source: SyncSource, tz: str) -> dict[str, Any]:
    """A source as `kith sync list` shows it: where it reads, where its password comes from
    (the name of it, never the secret), its last run (times in the zone `tz`)."""
    secret = source.settings.get("secret", {})
    return {
        "name": source.name,
        "kind": source.kind,
        "reads": fetcher(source.kind).describe(source.settings),
        "password_from": ", ".join(f"{k} {v}" for k, v in sorted(secret.items())),
        "last_run_at": moment(source.last_run_at, tz),
        "last_ok_at": moment(source.last_ok_at, tz),
        "last_added": source.last_added,
        "last_error": source.last_error,
    }


def run_one(
    connection: Connection,
    ctx: Context,
    source: SyncSource,
    options: Options,
    secret: str,
    progress: Progress | None = None,
) -> RunResult:
    """Run `source` once inside the caller's transaction (its state is kept there too),
    signed in with `secret` (kith.sync.secrets.reveal); raises SyncFailed or another
    KithError when it cannot be read or stored."""
    kind = fetcher(source.kind)
    fetch = kind.fetch(source.settings, source.state, secret, options)
    summary = importing.take_all(
        connection,
        ctx,
        kind.source,
        f"sync {source.name}",
        importing.cleaned(fetch.records, f"sync source '{source.name}'"),
        options,
        progress,
        member=source.member,
    )
    added = summary.interactions_added
    sync_sources.record_run(connection, source.name, ctx.now, state=fetch.state, added=added)
    return RunResult(
        name=source.name,
        kind=source.kind,
        ok=True,
        read=fetch.read,
        interactions_added=added,
        people_created=summary.people_created,
        identities_added=summary.identities_added,
        warnings=summary.warnings,
    )


__all__ = ["RunResult", "SyncFailed", "add", "check_name", "describe", "run_one"]
