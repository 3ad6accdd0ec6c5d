"""Which base: where the user's and the demo base live, and a look inside one without
opening it for work (no migration, no file created)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from kith.store import database, settings
from kith.store.schema import people


@dataclass(frozen=True, slots=True)
class Peek:
    people: int | None  # None: it cannot be read (not a kith base, or unreachable)
    demo: bool  # written by `kith demo`


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def peek(url: str) -> Peek:
    """How many people the base at `url` holds and whether it is the demo; a SQLite file
    that does not exist holds no one (and is not created)."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return Peek(0, False)
    engine = database.create(url)
    try:
        with engine.connect() as connection:
            count = int(connection.execute(select(func.count()).select_from(people)).scalar_one())
            return Peek(count, bool(settings.get(connection, "demo", False)))
    except Exception:
        return Peek(None, False)
    finally:
        engine.dispose()
