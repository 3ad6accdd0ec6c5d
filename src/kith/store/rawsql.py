"""SQL text that runs the same on a sqlite3 connection and on a SQLAlchemy connection.

The reads of today's agenda (settings, trips, snoozes, the candidate queries, histories) are
written as SQL text with `:name` parameters instead of SQLAlchemy expressions, so that
`kith today` on a SQLite base can run them straight through the standard library's sqlite3
without importing SQLAlchemy (docs/architecture.md, "Start-up"). Inside a SQLAlchemy
transaction the same text runs on that transaction's driver connection.

Values are bound and read back as SQLAlchemy stores them: on SQLite, dates as ISO text and
times as naive UTC text with microseconds, booleans as 0 and 1; on PostgreSQL, native types
with times as naive UTC. Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Connection

#: SQLAlchemy's storage format for times on SQLite (`sqlalchemy.dialects.sqlite.DATETIME`)
SQLITE_MOMENT = "%Y-%m-%d %H:%M:%S.%f"

#: ids per `IN (...)`: under SQLite's parameter limit
CHUNK = 900


class _Cursor(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def close(self) -> None: ...


class _Driver(Protocol):
    def cursor(self) -> Any: ...


class Sql:
    """Runs SQL text with `:name` parameters on one driver connection, in its transaction."""

    def __init__(self, driver: _Driver, dialect: str) -> None:
        self.driver = driver
        self.dialect = dialect

    @property
    def sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        cursor: _Cursor = self.driver.cursor()
        try:
            cursor.execute(*self._statement(sql, params))
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """A statement that returns nothing (a write, in the caller's transaction)."""
        cursor: _Cursor = self.driver.cursor()
        try:
            cursor.execute(*self._statement(sql, params))
        finally:
            cursor.close()

    def _statement(self, sql: str, params: Mapping[str, Any] | None) -> tuple[str, Any]:
        values = {k: self.bind(v) for k, v in (params or {}).items()}
        return (sql if self.sqlite else _pyformat(sql)), values

    def bind(self, value: Any) -> Any:
        return stored(value, self.sqlite)


@lru_cache(maxsize=256)
def _pyformat(sql: str) -> str:
    """`:name` parameters as psycopg's `%(name)s` (a literal `%` doubled; `::` casts kept)."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql.replace("%", "%%"))


def stored(value: Any, sqlite: bool) -> Any:
    """A Python value as the column stores it (on SQLite, or on PostgreSQL)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; times must be timezone-aware")
        naive = value.astimezone(UTC).replace(tzinfo=None)
        return naive.strftime(SQLITE_MOMENT) if sqlite else naive
    if sqlite and isinstance(value, date):
        return value.isoformat()
    if sqlite and isinstance(value, bool):
        return int(value)
    return value


def of(source: Connection | Sql) -> Sql:
    """The SQL runner of a SQLAlchemy connection (in its transaction), or `source` itself."""
    if isinstance(source, Sql):
        return source
    return Sql(source.connection, source.dialect.name)


def sqlite(connection: sqlite3.Connection) -> Sql:
    return Sql(connection, "sqlite")


def in_list(name: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    """`(:name0, :name1, ...)` for an `IN`, the values added to `params`."""
    if not values:
        return "(NULL)"
    for n, value in enumerate(values):
        params[f"{name}{n}"] = value
    return "(" + ", ".join(f":{name}{n}" for n in range(len(values))) + ")"


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    """Split id lists so that `IN (...)` stays under SQLite's parameter limit."""
    items = list(ids)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def day(value: Any) -> date | None:
    """A stored date (ISO text on SQLite)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def moment(value: Any) -> datetime | None:
    """A stored time, timezone-aware in UTC (naive UTC as stored)."""
    if value is None:
        return None
    found: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)
