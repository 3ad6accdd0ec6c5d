"""Open the store: SQLite (embedded default) or PostgreSQL, migrated to the current schema."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool, QueuePool

from kith.errors import InvalidInput
from kith.store import migrate

APP = "kith"


def data_dir() -> Path:
    override = os.environ.get("KITH_HOME")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))


def default_url() -> str:
    return os.environ.get("KITH_DB") or sqlite_url(data_dir() / "kith.sqlite")


def demo_url() -> str:
    return os.environ.get("KITH_DEMO_DB") or sqlite_url(data_dir() / "demo.sqlite")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"


def normalise_url(value: str) -> str:
    """Accept a SQLAlchemy URL, or a plain file path meaning a SQLite file."""
    if "://" not in value:
        return sqlite_url(Path(value))
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    try:
        make_url(value)
    except ArgumentError as exc:
        raise InvalidInput(f"'{value}' is not a database URL or file path.") from exc
    return value


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
