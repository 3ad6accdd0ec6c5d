"""The store on SQLite and PostgreSQL: migrations, round trips, constraints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from kith.api import Kith
from kith.store import database, histories, migrate
from kith.store.schema import interactions, metadata
from kith.store.snapshot import HEAD_REVISION

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def base(url: str, now: datetime = NOW) -> Kith:
    return Kith(url, clock_fn=lambda: now)


def test_migrations_reach_the_head_the_code_expects(db_url):
    assert migrate.head_of_scripts() == HEAD_REVISION
    engine = database.open_engine(db_url)
    try:
        with engine.connect() as c:
            assert migrate.current_revision(c) == HEAD_REVISION
            tables = set(inspect(c).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= tables
        assert migrate.upgrade(engine) is False  # already current: nothing runs
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_table_definitions(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = database.open_engine(db_url)
    try:
        with engine.connect() as c:
            diff = compare_metadata(MigrationContext.configure(c), metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db):
    engine = database.open_engine(sqlite_db)
    try:
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_times_round_trip_as_utc(db_url):
    with base(db_url) as k:
        pid = k.add("Ana Example")["id"]
        k.log(str(pid), "dm", "in", at="2026-02-28T23:30:00+05:00")
        with k.engine.connect() as c:
            h = histories.load_one(c, pid)
        assert h is not None
        (touch,) = h.interactions
        assert touch.occurred_at == datetime(2026, 2, 28, 18, 30, tzinfo=UTC)
        assert touch.occurred_at.utcoffset() == timedelta(0)


def test_external_ids_are_unique_per_source(db_url):
    with base(db_url) as k:
        pid = k.add("Ana")["id"]
        row = {
            "person_id": pid,
            "occurred_at": NOW,
            "channel": "dm",
            "direction": "in",
            "word_count": 0,
            "is_link_share": False,
            "source": "x",
            "external_id": "dm-1",
        }
        with k.engine.begin() as c:
            c.execute(interactions.insert(), [row])
        with pytest.raises(IntegrityError), k.engine.begin() as c:
            c.execute(interactions.insert(), [row])
        with k.engine.connect() as c:
            n = len(c.execute(select(interactions.c.id)).all())
        assert n == 1


def test_forget_cascades_to_everything(db_url):
    with base(db_url) as k:
        pid = k.add("Ana", handles=["x:ana"], tags=["press"])["id"]
        k.log(str(pid), "dm", "in")
        k.remember(str(pid), "has a dog", on="2026-03-10")
        k.invite(str(pid), "coffee")
        k.forget(str(pid))
        from tests.conftest import snapshot

        rows = snapshot(db_url)
        for table in (
            "people",
            "identities",
            "interactions",
            "facts",
            "invites",
            "tags",
            "person_stats",
        ):
            assert rows[table] == [], table


def test_history_loads_in_bulk(db_url):
    with base(db_url) as k:
        ids = [k.add(f"Person {n}")["id"] for n in range(5)]
        for pid in ids:
            k.log(str(pid), "reply", "in")
        with k.engine.connect() as c:
            loaded = histories.load(c, [*ids, 9999])
        assert sorted(loaded) == sorted(ids)
        assert all(len(h.interactions) == 1 for h in loaded.values())


def test_an_older_base_upgrades_in_place_keeping_its_data(db_url):
    from alembic import command

    engine = database.create(db_url)
    try:
        with engine.begin() as c:
            command.upgrade(migrate._alembic_config(c), "0001")
        with engine.begin() as c:
            assert migrate.current_revision(c) == "0001"
            c.exec_driver_sql(
                "INSERT INTO people (name, name_key, paused, created_at) "
                "VALUES ('Ana', 'ana', false, '2026-01-01 00:00:00')"
            )
        assert migrate.upgrade(engine) is True
        with engine.connect() as c:
            assert migrate.current_revision(c) == HEAD_REVISION
            assert c.exec_driver_sql("SELECT name FROM people").scalar() == "Ana"
            assert "gatherings" in inspect(c).get_table_names()
    finally:
        engine.dispose()
