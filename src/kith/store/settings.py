"""Key-value settings kept in the database (shared by every member of a team base).

Plain SQL (kith.store.rawsql): the agenda reads settings without SQLAlchemy."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kith.store import rawsql

if TYPE_CHECKING:
    from sqlalchemy import Connection


def get(source: Connection | rawsql.Sql, key: str, default: Any = None) -> Any:
    value = rawsql.of(source).scalar("SELECT value FROM settings WHERE key = :key", {"key": key})
    return default if value is None else json.loads(value)


def many(source: Connection | rawsql.Sql, keys: tuple[str, ...]) -> dict[str, Any]:
    """The settings of `keys` that are set, in one statement."""
    params: dict[str, Any] = {}
    wanted = rawsql.in_list("k", keys, params)  # placeholders; the keys are bound
    rows = rawsql.of(source).rows(
        f"SELECT key, value FROM settings WHERE key IN {wanted}",  # noqa: S608
        params,
    )
    return {str(k): json.loads(v) for k, v in rows}


def get_all(source: Connection | rawsql.Sql) -> dict[str, Any]:
    rows = rawsql.of(source).rows("SELECT key, value FROM settings")
    return {str(k): json.loads(v) for k, v in rows}


def put(source: Connection | rawsql.Sql, key: str, value: Any) -> None:
    sql = rawsql.of(source)
    sql.run("DELETE FROM settings WHERE key = :key", {"key": key})
    sql.run(
        "INSERT INTO settings (key, value) VALUES (:key, :value)",
        {"key": key, "value": json.dumps(value)},
    )
