"""Bring a database to the schema this code expects, with Alembic, inside one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from kith.store.snapshot import HEAD_REVISION


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "kith.store:migrations")
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> bool:
    """Migrate to the head revision; True when anything ran. Cheap when already current."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD_REVISION:
            return False
    from alembic import command

    with engine.begin() as connection:
        _all_in_one_transaction(connection)
        command.upgrade(_alembic_config(connection), "head")
    return True


def _all_in_one_transaction(connection: Connection) -> None:
    """Python's sqlite3 opens a transaction only before a row is written, so a CREATE or
    DROP that comes first is committed at once, and a migration killed halfway would leave
    a schema no revision describes. An explicit BEGIN puts every statement of every
    migration in the one transaction (SQLite's DDL is transactional); PostgreSQL's already is."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (for tests of migrations: a base as an older kith
    left it)."""
    from alembic import command

    with engine.begin() as connection:
        _all_in_one_transaction(connection)
        command.downgrade(_alembic_config(connection), revision)


def head_of_scripts() -> str:
    """The newest revision among the migration scripts (kept equal to HEAD_REVISION)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "kith.store:migrations")
    head = ScriptDirectory.from_config(config).get_current_head()
    return str(head)
