"""Troubles with the base itself (issue 12, probe 10): a base locked by another kith for
longer than the busy timeout, and a full disk, are one sentence and exit 2 (they were exit
1), and leave the base as it was. SQLite only: these are a file's troubles."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI, snapshot

NOW = "2026-03-01T12:00:00Z"
SAMPLE_X = Path(__file__).parents[1] / "fixtures" / "x" / "sample"


def test_a_base_locked_too_long_is_one_sentence(sqlite_cli: CLI, sqlite_db: str) -> None:
    sqlite_cli.ok("add", "Ana Example", now=NOW)
    before = snapshot(sqlite_db)
    holder = sqlite3.connect(sqlite_db.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another kith, writing for a long time
        result = sqlite_cli("add", "Ben Example", now=NOW)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 2, result.err
    assert "The base is busy: another kith" in result.err
    assert "try again once it is done" in result.err
    assert "Traceback" not in result.err
    assert snapshot(sqlite_db) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB file system of its own (a tmpfs), where the machine lets the tests mount one."""
    where = tmp_path / f"small-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the tests mount a small file system")
    try:
        yield where
    finally:
        # lazily: the base's file may still be open in this process's connection pool
        subprocess.run(["umount", "--lazy", str(where)], check=False)


def test_a_full_disk_is_one_sentence_and_the_base_stays_intact(
    small_disk: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{small_disk / 'kith.sqlite'}"
    cli = CLI(capsys, monkeypatch, url)
    cli.ok("add", "Ana Example", "--handle", "x:ana", now=NOW)
    before = snapshot(url)
    # fill the disk but for a little room
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(bytes(max(free - 48 * 1024, 0)))
    archive = small_disk.parent / "x-archive"
    shutil.copytree(SAMPLE_X, archive)
    tweets = archive / "data" / "tweets.js"
    body = tweets.read_text("utf-8")  # make the import need more room than is left
    tweets.write_text(body.replace("Great thread", "Great thread " + "x" * 200_000), "utf-8")
    result = cli("import", "x", str(archive), now=NOW)
    assert result.code == 2, result.err
    assert "The disk that holds the base is full" in result.err
    assert "Traceback" not in result.err
    filler.unlink()
    assert snapshot(url) == before
    check = sqlite3.connect(small_disk / "kith.sqlite")
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        check.close()
    left = sorted(p.name for p in small_disk.iterdir())
    assert set(left) <= {"kith.sqlite", "kith.sqlite-wal", "kith.sqlite-shm"}, left
