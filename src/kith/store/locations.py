"""Where a base is: the user's data directory, the default and demo bases, database URLs.

Nothing here imports SQLAlchemy unless a URL other than a SQLite file must be checked."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from kith.errors import InvalidInput

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
    if value.startswith("sqlite:///") and "?" not in value:
        return value  # a file (or :memory:): nothing to check
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(value)
    except ArgumentError as exc:
        raise InvalidInput(f"'{value}' is not a database URL or file path.") from exc
    return value
