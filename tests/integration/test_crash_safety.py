"""kith killed with SIGKILL at random moments (docs/security.md, "Crash safety"): an import
on SQLite and on PostgreSQL, a migration and a backup. After every kill the base passes the
integrity check and holds exactly what it held before (or what the finished work gives, when
the kill came after it had committed), and running the work again gives the same base as
running it once. `KITH_KILL_SEED` picks other moments; a failure names the ones it used."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kith.proof import crashes
from kith.proof.x_archive import write_archive
from kith.store.database import sqlite_url
from tests.conftest import PG_SKIP, PG_URL

pytestmark = pytest.mark.slow
SEED = int(os.environ.get("KITH_KILL_SEED", "20261203"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An X archive in the real layout: 10,000 tweets and 2,000 direct messages with 300
    people, about a second and a half to import."""
    return write_archive(tmp_path_factory.mktemp("x") / "archive", 10_000, 2_000, 300)


def _report(runs: list[crashes.KillRun]) -> str:
    return f"seed {SEED}: " + "; ".join(
        f"killed after {r.after} s{' (committed)' if r.committed else ''}: {r.problem or 'fine'}"
        for r in runs
    )


def _killed_midway(runs: list[crashes.KillRun]) -> int:
    """How many kills came before the work had committed."""
    return sum(not r.committed for r in runs)


def test_an_import_killed_at_any_moment_leaves_the_base_as_it_was(
    archive: Path, tmp_path: Path
) -> None:
    template = crashes.sqlite_template(tmp_path / "template", crashes.holding_data)
    work = crashes.import_work(archive, lambda: crashes.copy_of(template, tmp_path / "runs"))
    runs = crashes.kill_runs(work, 10, tmp_path / "home", SEED)
    assert [r for r in runs if r.problem] == [], _report(runs)
    assert _killed_midway(runs) >= 8, _report(runs)  # the moments fall inside the import


@pytest.mark.postgres
def test_an_import_into_postgresql_killed_at_any_moment_leaves_the_base_as_it_was(
    archive: Path, tmp_path: Path
) -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    fresh = crashes.postgres_schema(PG_URL)(crashes.holding_data)
    work = crashes.import_work(archive, fresh, keys=False)
    runs = crashes.kill_runs(work, 3, tmp_path / "home", SEED)
    assert [r for r in runs if r.problem] == [], _report(runs)
    assert _killed_midway(runs) >= 2, _report(runs)


def test_a_migration_killed_halfway_leaves_the_old_schema_or_the_new(
    archive: Path, tmp_path: Path
) -> None:
    """Every migration from an older revision runs in one transaction: a kill leaves the
    base at the revision it had, with the schema that revision describes, and the next
    command migrates it as if nothing had happened."""
    template = crashes.migration_template(tmp_path / "template", archive, copies=20)
    work = crashes.migration_work(template, tmp_path / "runs")
    runs = crashes.kill_runs(work, 6, tmp_path / "home", SEED)
    assert [r for r in runs if r.problem] == [], _report(runs)
    assert _killed_midway(runs) >= 3, _report(runs)


def test_a_backup_killed_halfway_leaves_no_half_copy_under_its_name(
    archive: Path, tmp_path: Path
) -> None:
    template = crashes.sqlite_template(tmp_path / "template", crashes.holding_data)
    base = tmp_path / "base.sqlite"
    shutil.copyfile(template, base)
    crashes.run_to_the_end(["import", "x", str(archive)], sqlite_url(base), tmp_path / "home")
    runs = crashes.backup_runs(sqlite_url(base), tmp_path / "backups", tmp_path / "home", 5, SEED)
    assert [r for r in runs if r.problem] == [], _report(runs)
    assert _killed_midway(runs) >= 3, _report(runs)
