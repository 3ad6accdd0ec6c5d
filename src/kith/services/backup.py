"""`kith backup PATH`: a consistent copy of the base, even while kith is in use.

SQLite: the online backup API copies the file page by page under a read transaction, so a
copy taken during writes is still a consistent snapshot. PostgreSQL: a kith-json export
(`pg_dump` is the administrator's tool; this is the user's).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from kith.errors import InvalidInput


def backup(engine: Engine, target: Path, export_json: Callable[[Path], int]) -> str:
    """Write the copy to `target` (atomically: a failure leaves no half file); returns the
    kind of copy made."""
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give a file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".kith-backup-", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        if engine.dialect.name == "sqlite":
            kind = "sqlite"
            raw = engine.raw_connection()
            try:
                source = raw.driver_connection
                assert isinstance(source, sqlite3.Connection)
                copy = sqlite3.connect(temp)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
            finally:
                raw.close()
        else:
            kind = "kith-json"
            export_json(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return kind
