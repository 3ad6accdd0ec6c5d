"""Shared fixtures: a fresh base on SQLite and (when configured) PostgreSQL, and a CLI runner."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kith.store.database import sqlite_url

PG_URL = os.environ.get("KITH_TEST_POSTGRES_URL")
PG_SKIP = (
    "PostgreSQL cases need KITH_TEST_POSTGRES_URL, "
    "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the developer's own base: data dir, zone and clock are the test's."""
    monkeypatch.setenv("KITH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KITH_TZ", "UTC")
    for var in ("KITH_DB", "KITH_NOW", "KITH_DEMO_DB", "KITH_USER"):
        monkeypatch.delenv(var, raising=False)


def _postgres_schema_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = f"kith_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty base on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "kith.sqlite")
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A new, empty base on PostgreSQL only (cases about its row locks)."""
    yield from _postgres_schema_url()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "kith.sqlite")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class CLI:
    """Runs `kith` in-process exactly as the console script does (same argument handling,
    same error path, same exit codes)."""

    def __init__(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: str
    ) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.db = db
        self.now: str | None = None

    def __call__(self, *args: str, now: str | None = None) -> Result:
        from kith.cli.app import main

        self.monkeypatch.setenv("KITH_DB", self.db)
        moment = now or self.now
        if moment:
            self.monkeypatch.setenv("KITH_NOW", moment)
        else:
            self.monkeypatch.delenv("KITH_NOW", raising=False)
        self.capsys.readouterr()
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *args: str, now: str | None = None) -> Result:
        result = self(*args, now=now)
        assert result.code == 0, (args, result.out, result.err)
        return result

    def json(self, *args: str, now: str | None = None) -> Any:
        return self.ok(*args, "--json", now=now).json()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str) -> CLI:
    return CLI(capsys, monkeypatch, db_url)


@pytest.fixture
def sqlite_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_db: str
) -> CLI:
    return CLI(capsys, monkeypatch, sqlite_db)


def snapshot(url: str, audit: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every kith table, for 'nothing was written' checks; the audit trail only
    with `audit` (a repeated import adds nothing to the base, but it is a write and leaves
    an entry)."""
    from kith.store.schema import metadata

    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return {
                t.name: sorted(tuple(map(repr, r)) for r in c.execute(t.select()))
                for t in metadata.sorted_tables
                if audit or t.name != "audit"
            }
    finally:
        engine.dispose()
