"""Fast many-row inserts through the database driver.

For batches of thousands of rows, SQLAlchemy's per-row parameter handling costs more than
the database itself. This compiles the INSERT once with SQLAlchemy, applies each column
type's own bind processing (so stored values are exactly what SQLAlchemy would store), and
hands the rows to the driver's `executemany`, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as dicts (all with the same keys)."""
    if rows:
        columns = list(rows[0])
        insert_values(connection, table, columns, [[row[c] for c in columns] for row in rows])


def insert_values(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[list[Any]]
) -> None:
    """Insert rows given as lists of values in the order of `columns` (the lists are
    changed in place by type processing)."""
    if not rows:
        return
    dialect = connection.dialect
    compiled = table.insert().inline().compile(dialect=dialect, column_keys=list(columns))
    binds = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
    keys = [compiled.binds[name].key for name in binds]
    if keys != list(columns):  # the statement's own order: rearrange once per row
        order = [list(columns).index(key) for key in keys]
        rows = [[row[n] for n in order] for row in rows]
    # only a few column types transform values (times, booleans on SQLite): apply those
    processors = [
        (n, process)
        for n, key in enumerate(keys)
        if (process := table.c[key].type.bind_processor(dialect)) is not None
    ]
    for n, process in processors:  # a column at a time: the faster loop for many rows
        for row in rows:
            value = row[n]
            if value is not None:
                row[n] = process(value)
    params: list[Any] = (
        rows if compiled.positional else [dict(zip(binds, row, strict=True)) for row in rows]
    )
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(compiled.string, params)
    finally:
        cursor.close()
