"""Alembic environment: migrations run on the connection kith hands over, in its transaction."""

from __future__ import annotations

from alembic import context

from kith.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - kith always passes its connection
    raise RuntimeError("kith migrations run through kith.store.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
