"""Today's agenda read straight through sqlite3 (kith.store.snapshot) is the agenda read
through SQLAlchemy, and `kith today` on a current SQLite base never imports SQLAlchemy."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from kith.api import Kith
from kith.demo import build_demo
from kith.store import snapshot
from kith.store.database import sqlite_url

NOW = datetime.fromisoformat("2026-11-21T15:00:00+00:00")


def _both_ways(url: str, now: datetime, limit: int = 40) -> tuple[list[object], list[object]]:
    """The agenda through sqlite3 (a new Kith, no engine yet) and through SQLAlchemy (a
    server's Kith, which always uses its pooled engine)."""
    with Kith(url, clock_fn=lambda: now) as plain:
        direct = plain.today(limit)
        assert plain._engine is None  # the point: no engine was opened
    with Kith(url, clock_fn=lambda: now, pooled=True) as served:
        through_alchemy = served.today(limit)
    return direct, through_alchemy


@pytest.fixture
def demo_base(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path / "demo.sqlite")
    build_demo(url, people=150, seed=5, now=NOW)
    with Kith(url, clock_fn=lambda: NOW) as base:
        base.trip("Lisbon", "2026-11-24", "2026-11-28")
        first = base.today(1)[0]["person"]["id"]
        base.snooze(str(first), days=3)
        base.remember(str(first), "moves to Porto", on="2026-11-23")
    return url


def test_the_two_read_paths_give_the_same_agenda(demo_base: str) -> None:
    direct, through_alchemy = _both_ways(demo_base, NOW)
    assert direct == through_alchemy
    assert len(direct) >= 20
    kinds = {item["action"] for item in direct}  # type: ignore[index]
    assert len(kinds) >= 4  # trips, facts, asks and pacing all took part


def test_the_two_read_paths_agree_on_a_replay_of_the_past(demo_base: str) -> None:
    # a moment before part of the history: stored figures are set aside, everyone is read
    earlier = datetime.fromisoformat("2026-03-02T09:00:00+00:00")
    direct, through_alchemy = _both_ways(demo_base, earlier, limit=12)
    assert direct == through_alchemy
    assert direct


def test_missing_figures_send_today_through_sqlalchemy_which_computes_them(
    demo_base: str,
) -> None:
    before, _ = _both_ways(demo_base, NOW)
    path = Path(demo_base.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as c:
        c.execute("DELETE FROM person_stats WHERE person_id IN (SELECT id FROM people LIMIT 20)")
    with Kith(demo_base, clock_fn=lambda: NOW) as base:
        assert base.today(40) == before
        assert base._engine is not None  # it had to write
    with sqlite3.connect(path) as c:
        people, figures = c.execute(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM person_stats)"
        ).fetchone()
    assert people == figures


def test_snapshot_is_only_for_a_current_sqlite_file(tmp_path: Path, demo_base: str) -> None:
    def opens(url: str) -> bool:
        with snapshot.reading(url) as plain:
            return plain is not None

    assert opens(demo_base)
    assert not opens("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert not opens("sqlite://")
    assert not opens(sqlite_url(tmp_path / "not-there.sqlite"))
    assert not opens(demo_base + "?mode=ro")
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    assert not opens(sqlite_url(empty))
    older = tmp_path / "older.sqlite"
    older.write_bytes(Path(demo_base.removeprefix("sqlite:///")).read_bytes())
    with sqlite3.connect(older) as c:
        c.execute("UPDATE alembic_version SET version_num = '0004'")
    assert not opens(sqlite_url(older))


def test_kith_today_imports_no_sqlalchemy(demo_base: str, tmp_path: Path) -> None:
    """As a new process, the way a user runs it."""
    probe = (
        "import json, sys\n"
        "from kith.cli.app import main\n"
        "try:\n"
        "    main(['today', '--json'])\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))\n"
        "sys.stderr.write(json.dumps({'code': code, 'loaded': loaded}))\n"
    )
    env = {"KITH_DB": demo_base, "KITH_NOW": NOW.isoformat(), "KITH_TZ": "UTC"}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "KITH_HOME": str(tmp_path), **env},
        timeout=60,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None)
    assert report["loaded"] == []
    items = json.loads(done.stdout)
    assert items == _both_ways(demo_base, NOW, limit=7)[1]


def test_an_unreadable_file_is_one_sentence(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is no database at all" * 200)
    done = subprocess.run(
        [sys.executable, "-m", "kith", "--db", str(junk), "today", "--json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "KITH_HOME": str(tmp_path), "KITH_TZ": "UTC"},
        timeout=60,
    )
    assert done.returncode in (1, 2)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: ")
    assert junk.read_bytes() == b"this is no database at all" * 200
