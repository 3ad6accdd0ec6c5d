"""The database: schema, migrations and queries, for SQLite and PostgreSQL alike."""
