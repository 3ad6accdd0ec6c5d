"""Open the store: SQLite (embedded default) or PostgreSQL, migrated to the current schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool, QueuePool

from kith.errors import InvalidInput
from kith.store import migrate
from kith.store.locations import data_dir as data_dir
from kith.store.locations import default_url as default_url
from kith.store.locations import demo_url as demo_url
from kith.store.locations import normalise_url as normalise_url
from kith.store.locations import sqlite_url as sqlite_url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


#: SQLite connections a long-running server keeps open (requests run on a few threads)
POOL_SIZE = 8


def create(url: str, pooled: bool = False) -> Engine:
    """An engine for `url`, with SQLite set up for safe concurrent local use.

    The CLI opens a fresh SQLite connection for each transaction: nothing stays open between
    commands. A server (`pooled`) keeps a few open instead: no connection set-up and a warm
    page cache make a person's page about a third faster. PostgreSQL engines are pooled."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        in_memory = not database or database == ":memory:"
        if database and not in_memory:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if pooled and not in_memory:
            engine = create_engine(
                url, poolclass=QueuePool, pool_size=POOL_SIZE, max_overflow=POOL_SIZE
            )
        else:
            engine = create_engine(url, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise InvalidInput(
            f"Unsupported database '{parsed.get_backend_name()}': use a SQLite file or a "
            "postgresql+psycopg:// URL."
        )
    return create_engine(url, pool_pre_ping=True)


def open_engine(url: str, pooled: bool = False) -> Engine:
    """Create the engine and migrate the schema to the current revision."""
    engine = create(url, pooled)
    try:
        migrate.upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    return engine
