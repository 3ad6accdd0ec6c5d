"""`kith demo`: its own base, a realistic shape, a short explained agenda, reproducible."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kith.api import Kith
from kith.demo import build_demo
from kith.domain.agenda import agenda
from kith.domain.assessment import assess
from kith.services import context
from kith.store import histories
from kith.store.schema import facts, invites, people

NOW = "2026-11-21T15:00:00Z"


def test_demo_prints_a_short_explained_agenda(sqlite_cli):
    items = sqlite_cli.json("demo", now=NOW)
    assert 1 <= len(items) <= 7
    for item in items:
        assert item["person"]["name"]
        assert item["action"]
        assert len(item["reason"]) > 20
    human = sqlite_cli.ok("demo", now=NOW)
    assert "Today, 2026-11-21" in human.out
    assert items[0]["person"]["name"] in human.out


def test_same_seed_and_now_give_the_same_output(sqlite_cli):
    first = sqlite_cli.ok("demo", "--seed", "3", now=NOW).out
    second = sqlite_cli.ok("demo", "--seed", "3", now=NOW).out
    other = sqlite_cli.ok("demo", "--seed", "4", now=NOW).out
    assert first == second
    assert first != other


def test_demo_never_touches_the_users_base(sqlite_cli, tmp_path, monkeypatch):
    sqlite_cli.ok("add", "My Real Friend", now=NOW)
    monkeypatch.delenv("KITH_DB")
    from kith.cli.app import main

    with pytest.raises(SystemExit) as done:
        main(["demo"])
    assert done.value.code == 0
    assert [p["name"] for p in sqlite_cli.json("people", now=NOW)] == ["My Real Friend"]
    # and it refuses to overwrite a base holding the user's data
    refused = sqlite_cli("demo", "--db", sqlite_cli.db, now=NOW)
    assert refused.code == 2
    assert "holds your own data" in refused.err
    assert [p["name"] for p in sqlite_cli.json("people", now=NOW)] == ["My Real Friend"]


def test_demo_ignores_kith_db_in_the_environment(sqlite_cli, tmp_path, monkeypatch):
    """KITH_DB names the user's base: the demo never goes there, only to an explicit --db."""
    mine = tmp_path / "mine.sqlite"
    monkeypatch.setenv("KITH_DB", str(mine))
    monkeypatch.setenv("KITH_NOW", NOW)
    from kith.cli.app import main

    with pytest.raises(SystemExit) as done:
        main(["demo", "--people", "12"])
    assert done.value.code == 0
    demo = Path(tmp_path / "home" / "demo.sqlite")
    assert demo.exists()
    with Kith(str(mine)) as base:
        assert base.people() == []
    with Kith(str(demo)) as base:
        assert len(base.people()) == 12
    explicit = tmp_path / "elsewhere.sqlite"
    with pytest.raises(SystemExit) as done:
        main(["demo", "--people", "5", "--db", str(explicit)])
    assert done.value.code == 0
    with Kith(str(explicit)) as base:
        assert len(base.people()) == 5


def test_demo_network_has_a_realistic_shape(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    moment = datetime(2026, 11, 21, 15, tzinfo=UTC)
    build_demo(url, people=300, seed=7, now=moment)
    with Kith(url, clock_fn=lambda: moment) as k:
        stages = Counter(p["stage"] for p in k.people())
        assert sum(stages.values()) == 300
        assert stages["noticed"] + stages["engaging"] > 150
        assert 12 <= stages["conversing"] + stages["voice"] <= 60
        assert 3 <= stages["met"] + stages["friend"] + stages["close"] <= 25
        rows = k.people(limit=None)
        assert any(r["circle"] for r in rows)
        assert sum(1 for r in rows if r["city"]) > 150
        with k.engine.connect() as c:
            dated = c.execute(select(func.count()).where(facts.c.event_on.is_not(None))).scalar()
            answers = {r[0] for r in c.execute(select(invites.c.response).distinct())}
        assert dated
        assert dated > 3
        assert answers == {"pending", "positive", "neutral", "negative"}


@pytest.mark.parametrize("days_later", [0, 1, 6, 20, 45])
def test_agenda_from_candidates_equals_agenda_over_everyone(tmp_path, days_later):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    built = datetime(2026, 11, 21, 15, tzinfo=UTC)
    build_demo(url, people=400, seed=11, now=built)
    moment = built + timedelta(days=days_later)
    with Kith(url, clock_fn=lambda: moment) as k:
        fast = k.today(limit=30)
        with k.engine.connect() as c:
            ctx = context.build(c, moment)
            ids = [r[0] for r in c.execute(select(people.c.id))]
            everyone = histories.load(c, ids).values()
            full = agenda((assess(h, ctx) for h in everyone), ctx, 30)
    assert [(i["person"]["id"], i["action"], i["priority"]) for i in fast] == [
        (s.person_id, s.action.value, s.priority) for s in full
    ]
