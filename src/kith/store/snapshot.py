"""A read of a SQLite base straight through the standard library's sqlite3.

`kith today` reads a few thousand rows; importing SQLAlchemy alone takes longer than that on
a 100,000-person base. When the base is a SQLite file already at this code's schema, its
reads (kith.store.rawsql) run on a plain sqlite3 connection in one read transaction
(docs/architecture.md, "Start-up"). Anything else (PostgreSQL, a new file, a schema to
migrate, figures to recompute) goes through SQLAlchemy as every write does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kith.store import rawsql

#: the Alembic revision this code expects; a test keeps it equal to the migrations' head
HEAD_REVISION = "0013"

#: seconds to wait for a writer holding the base (as the SQLAlchemy engines do)
BUSY_TIMEOUT = 10.0


def sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL (no in-memory base, no URL options)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    return None if not path or path == ":memory:" else Path(path)


@contextmanager
def reading(url: str) -> Iterator[rawsql.Sql | None]:
    """Plain SQL on the SQLite file of `url`, in one read transaction (a consistent view
    while other processes write), or None when the base must be opened through SQLAlchemy:
    not a SQLite file, no such file yet, or a schema other than `HEAD_REVISION`."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        yield None
        return
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error:
        yield None
        return
    try:
        connection.execute("BEGIN")
        try:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:  # not a kith base yet (or not a database): SQLAlchemy says so
            found = []
        current = [row[0] for row in found] == [HEAD_REVISION]
        yield rawsql.sqlite(connection) if current else None
    finally:
        connection.rollback()
        connection.close()
