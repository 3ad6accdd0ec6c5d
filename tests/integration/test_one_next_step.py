"""One next step per person: the agenda, `kith show`'s `next` and the person page agree; a
pace warning wins over everything else; nothing is due before the day it is shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kith.api import Kith
from kith.demo import build_demo

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _steady_then_burst(cli) -> None:
    """Eight weeks of one DM each way a week, then six DMs from the user in six days."""
    cli.ok("add", "Rae Burst", "--handle", "x:rae", now=_iso(NOW - timedelta(days=70)))
    cli.ok("log", "x:rae", "reply", "--in", "--at", _iso(NOW - timedelta(days=64)))
    for week in range(9, 1, -1):
        start = NOW - timedelta(days=7 * week)
        cli.ok("log", "x:rae", "dm", "--out", "--at", _iso(start), "--text", "how are you?")
        cli.ok("log", "x:rae", "dm", "--in", "--at", _iso(start + timedelta(hours=3)))
    for day in range(6, 0, -1):
        cli.ok("log", "x:rae", "dm", "--out", "--at", _iso(NOW - timedelta(days=day)))


def test_a_burst_wins_over_a_real_life_ask(cli):
    _steady_then_burst(cli)
    before = NOW - timedelta(days=7)  # the steady rhythm alone: ready for a first call
    shown = cli.json("show", "x:rae", now=_iso(before))
    assert shown["ready"] is True
    assert shown["next"]["action"] == "raise_irl"

    items = cli.json("today", "--limit", "20", now=_iso(NOW))
    rae = [i for i in items if i["person"]["name"] == "Rae Burst"]
    assert [i["action"] for i in rae] == ["slow_down"]
    assert rae[0]["reason"].startswith("6 touches from you in the last 7 days, against 0.9")
    assert rae[0]["due"] >= NOW.date().isoformat()
    shown = cli.json("show", "x:rae", now=_iso(NOW))
    assert shown["next"]["action"] == "slow_down"
    assert shown["slow_down"] is True
    assert shown["ready"] is False
    assert any(m.startswith("ease off first") for m in shown["readiness"]["missing"])


def test_a_burst_they_keep_up_with_is_a_conversation(cli):
    _steady_then_burst(cli)
    for day in range(6, 0, -1):  # they answer each one
        cli.ok("log", "x:rae", "dm", "--in", "--at", _iso(NOW - timedelta(days=day, hours=-1)))
    shown = cli.json("show", "x:rae", now=_iso(NOW))
    assert shown["slow_down"] is False
    assert shown["next"]["action"] == "raise_irl"


def test_no_ask_is_offered_while_backing_off(cli):
    _steady_then_burst(cli)
    answer = _iso(NOW + timedelta(days=1))
    cli.ok("log", "x:rae", "dm", "--in", "--at", answer, now=answer)
    later = NOW + timedelta(days=10)  # they answered, and the burst is over
    assert cli.json("show", "x:rae", now=_iso(later))["next"]["action"] == "raise_irl"
    cli.ok("invite", "x:rae", "--kind", "call", now=_iso(later))
    cli.ok("respond", "x:rae", "negative", now=_iso(later + timedelta(hours=2)))
    shown = cli.json("show", "x:rae", now=_iso(later + timedelta(days=1)))
    assert shown["next"]["action"] == "engage"
    assert "ask again from" in shown["next"]["reason"]
    assert shown["ready"] is False
    assert any("backing off" in m for m in shown["readiness"]["missing"])
    items = cli.json("today", "--limit", "50", now=_iso(later + timedelta(days=1)))
    assert all(i["action"] not in ("raise_irl", "meet_while_travelling") for i in items)


def test_show_next_agrees_with_the_agenda_for_everyone_in_the_demo(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    build_demo(url, people=300, seed=7, now=NOW)
    with Kith(url, clock_fn=lambda: NOW) as base:
        agenda = {i["person"]["id"]: i for i in base.today(limit=10_000)}
        assert len(agenda) > 50
        assert all(i["due"] >= NOW.date().isoformat() for i in agenda.values())
        disagree = []
        for row in base.people(limit=None):
            shown = base.show(str(row["id"]))
            expected = agenda.get(row["id"])
            got = shown["next"]
            if (expected is None) != (got is None) or (
                got is not None
                and expected is not None
                and (got["action"], got["reason"]) != (expected["action"], expected["reason"])
            ):
                disagree.append((row["id"], got, expected))
            if shown["slow_down"] and not shown["paused"]:
                assert got is not None
                assert got["action"] == "slow_down"
                assert shown["ready"] is False
        assert disagree == []
        slowed = [i for i in agenda.values() if i["action"] == "slow_down"]
        assert slowed, "the demo has someone to slow down with"
