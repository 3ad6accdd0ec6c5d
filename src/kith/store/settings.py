"""Key-value settings kept in the database (shared by every member of a team base)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from kith.store.schema import settings


def get(connection: Connection, key: str, default: Any = None) -> Any:
    value = connection.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
    return default if value is None else json.loads(value)


def get_all(connection: Connection) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in connection.execute(select(settings))}


def put(connection: Connection, key: str, value: Any) -> None:
    connection.execute(delete(settings).where(settings.c.key == key))
    connection.execute(insert(settings).values(key=key, value=json.dumps(value)))
