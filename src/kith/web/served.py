"""The base as a long-running server holds it: SQLite connections kept in a pool.

The CLI opens a fresh SQLite connection for each transaction (kith.store.database: nothing
stays open between commands). A server answering many requests gains from keeping a few
open: no connection set-up and a warm page cache per connection make a person's page about
a third faster. PostgreSQL engines are pooled already and are left as they are.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from kith.api import Kith
from kith.store import database, migrate

#: connections kept open per server process (requests run on a few threads)
POOL_SIZE = 8


def pooled_engine(url: str) -> Engine:
    """An engine for `url`, migrated, with SQLite connections pooled and set up as the
    store sets up its own."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return database.open_engine(url)
    Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, poolclass=QueuePool, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)
    event.listen(engine, "connect", database._sqlite_pragmas)  # the store's own settings
    try:
        migrate.upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    return engine


class ServedKith(Kith):
    """`Kith` with pooled SQLite connections, for `kith serve`."""

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = pooled_engine(self.url)
        return self._engine
