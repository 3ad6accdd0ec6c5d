"""Per-member relationships in a team base (docs/team.md, "Per-member relationships"): each
member's stage, strength and agenda come from their own history with a person, who-knows
ranks the members, and imports are the importing member's; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kith.api import Kith
from kith.errors import InvalidInput, KithError

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
ANA, BEN, CLEO = "ana@example.org", "ben@example.org", "cleo@example.org"
SECRET = "correct horse battery staple"
SAMPLE_X = Path(__file__).parents[1] / "fixtures" / "x" / "sample"


def _as(url: str, member: str | None) -> Kith:
    return Kith(url, clock_fn=lambda: NOW, member=member)


def _weeks_of_talk(base: Kith, who: str, weeks: int, met: bool, ago: int = 0) -> None:
    """A scripted history: a message each way every week (the last `ago` + 10 days ago),
    then a meeting."""
    start = NOW - timedelta(days=7 * weeks + 3 + ago)
    for week in range(weeks):
        at = start + timedelta(days=7 * week)
        base.log(who, "dm", "out", at=at, text="How is the climate desk treating you?")
        base.log(who, "dm", "in", at=at + timedelta(hours=5), text="Busy! Thanks for asking.")
    if met:
        base.log(who, "meeting", "both", at=NOW - timedelta(days=2), minutes=60)


def _team(url: str) -> None:
    owner = _as(url, ANA)
    owner.init(timezone="UTC")
    owner.team_init(ANA, "Ana", SECRET)
    owner.team_add(BEN, "Ben", "member", "ben's password 1")
    owner.team_add(CLEO, "Cleo", "member", "cleo's password 1")
    owner.add("Rita Reporter", handles=["x:rita"])
    owner.add("Sam Stranger")


def test_each_member_sees_their_own_relationship(db_url: str) -> None:
    _team(db_url)
    ana, ben, team = _as(db_url, ANA), _as(db_url, BEN), _as(db_url, None)
    _weeks_of_talk(ana, "Rita Reporter", 6, met=False)

    mine = ana.show("Rita Reporter")
    assert mine["stage"] == "conversing"
    assert mine["interactions"] == 12
    assert mine["as_member"] == ANA
    theirs = ben.show("Rita Reporter")
    assert theirs["stage"] == "noticed"
    assert theirs["interactions"] == 0
    assert theirs["strength"]["score"] < mine["strength"]["score"]
    # read as the team: everyone's history
    assert team.show("Rita Reporter")["stage"] == "conversing"

    # Ana's agenda carries on her conversation, Ben's does not
    assert mine["next"] is not None
    assert "Rita Reporter" in {item["person"]["name"] for item in ana.today()}
    assert "Rita Reporter" not in {item["person"]["name"] for item in ben.today()}
    assert theirs["next"] is None


def test_who_knows_ranks_every_member_with_a_history(db_url: str) -> None:
    _team(db_url)
    ana, ben = _as(db_url, ANA), _as(db_url, BEN)
    assert ana.who_knows("Rita Reporter") == []
    _weeks_of_talk(ana, "Rita Reporter", 6, met=True)
    ben.log("Rita Reporter", "comment", "out", at=NOW - timedelta(days=10), text="Great piece")
    _as(db_url, CLEO).remember("Rita Reporter", "moving to the Berlin bureau in spring")

    ties = ben.who_knows("Rita Reporter")
    assert [t["member"]["email"] for t in ties] == [ANA, BEN, CLEO]
    scores = [t["strength"]["score"] for t in ties]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]
    first = ties[0]
    assert first["member"] == {"email": ANA, "name": "Ana"}
    assert first["strength"]["reasons"]
    assert first["last_contact"] == (NOW - timedelta(days=2)).date().isoformat()
    assert ties[1]["last_contact"] is None  # a comment nobody answered is not two-way
    shown = ben.show("Rita Reporter")["who_knows"]
    assert [t["member"]["email"] for t in shown] == [ANA, BEN, CLEO]

    # a former member's history stays but they are not offered as someone who knows them
    _as(db_url, ANA).team_remove(BEN)
    assert [t["member"]["email"] for t in ana.who_knows("Rita Reporter")] == [ANA, CLEO]


def test_a_one_user_base_shows_no_team_block(db_url: str) -> None:
    solo = _as(db_url, None)
    solo.init(timezone="UTC")
    solo.add("Rita Reporter")
    _weeks_of_talk(solo, "Rita Reporter", 3, met=False)
    shown = solo.show("Rita Reporter")
    assert "who_knows" not in shown  # exactly as before teams
    assert "as_member" not in shown
    assert solo.who_knows("Rita Reporter") == []


def test_turning_a_base_into_a_team_makes_its_history_the_owners(db_url: str) -> None:
    solo = _as(db_url, None)
    solo.init(timezone="UTC", me=["x:ana_writes"])
    solo.add("Rita Reporter")
    _weeks_of_talk(solo, "Rita Reporter", 6, met=True)
    before = solo.show("Rita Reporter")
    agenda_before = solo.today()

    solo.team_init(ANA, "Ana", SECRET)
    _as(db_url, ANA).team_add(BEN, "Ben", "member", "ben's password 1")
    as_owner = _as(db_url, ANA).show("Rita Reporter")
    for key in ("stage", "strength", "interactions", "ready", "next"):
        assert as_owner[key] == before[key], key
    assert _as(db_url, ANA).today() == agenda_before
    assert _as(db_url, ANA).profile()["handles"] == ["x:ana_writes"]
    assert _as(db_url, BEN).profile()["handles"] == []
    assert _as(db_url, BEN).show("Rita Reporter")["interactions"] == 0


def test_an_import_is_the_importing_members_history(db_url: str) -> None:
    _team(db_url)
    ben = _as(db_url, BEN)
    summary = ben.import_file("x", SAMPLE_X)
    assert summary["interactions_added"] > 0
    # the archive's owner is Ben, not the base's first owner
    assert ben.profile()["handles"]
    assert _as(db_url, ANA).profile()["handles"] == []
    someone = ben.people(sort="strength", limit=1)[0]
    assert ben.show(f"#{someone['id']}")["interactions"] > 0
    assert _as(db_url, ANA).show(f"#{someone['id']}")["interactions"] == 0
    assert [t["member"]["email"] for t in ben.who_knows(f"#{someone['id']}")] == [BEN]
    # the same archive again adds nothing
    assert ben.import_file("x", SAMPLE_X)["interactions_added"] == 0


def test_a_teammates_strong_tie_turns_a_cold_approach_into_an_introduction(db_url: str) -> None:
    _team(db_url)
    ana, ben = _as(db_url, ANA), _as(db_url, BEN)
    ana.edit("Rita Reporter", circle=2)  # someone the team wants to keep close
    ana.edit("Sam Stranger", circle=2)
    _weeks_of_talk(ana, "Rita Reporter", 8, met=True)
    assert ana.who_knows("Rita Reporter")[0]["strength"]["score"] >= 0.5

    items = {item["person"]["name"]: item for item in ben.today()}
    intro = items["Rita Reporter"]
    assert intro["action"] == "ask_for_intro"
    assert intro["details"]["teammate"] == {"email": ANA, "name": "Ana"}
    assert "ask Ana to introduce you" in intro["reason"]
    assert ben.show("Rita Reporter")["next"]["action"] == "ask_for_intro"
    # nobody on the team knows Sam: a cold approach stays what it was
    assert items["Sam Stranger"]["action"] != "ask_for_intro"
    # Ana's own agenda never asks her to be introduced to someone she knows
    assert all(item["action"] != "ask_for_intro" for item in ana.today())
    # once Ben has a history of his own, he goes on from it
    ben.log("Rita Reporter", "comment", "out", at=NOW - timedelta(days=1), text="Loved it")
    assert ben.show("Rita Reporter")["next"] is None or (
        ben.show("Rita Reporter")["next"]["action"] != "ask_for_intro"
    )


def test_a_teammates_ask_starts_a_team_cooldown(db_url: str) -> None:
    _team(db_url)
    ana, ben, cleo = _as(db_url, ANA), _as(db_url, BEN), _as(db_url, CLEO)
    # Ben's own messages are older than the cooldown: they hold nobody's ask
    _weeks_of_talk(ben, "Rita Reporter", 6, met=False, ago=12)
    assert ben.show("Rita Reporter")["next"]["action"] == "raise_irl"

    three_days_ago = Kith(db_url, clock_fn=lambda: NOW - timedelta(days=3), member=ANA)
    three_days_ago.invite("Rita Reporter", "coffee")

    shown = ben.show("Rita Reporter")
    assert shown["team_hold"] == "Ana asked them to meet 3 days ago"
    assert shown["next"] is None or shown["next"]["action"] != "raise_irl"
    assert all(
        item["action"] != "raise_irl"
        for item in ben.today()
        if item["person"]["name"] == "Rita Reporter"
    )
    refused = _refusal(lambda: ben.invite("Rita Reporter"))
    assert refused == (
        "Ana asked them to meet 3 days ago (the team waits 14 days between asks to one "
        "person); add --anyway to ask all the same."
    )
    # Ana's own ask is hers to follow up, not held
    assert "team_hold" not in ana.show("Rita Reporter")
    # a logged pitch counts as well; a reply from them does not
    cleo.log("Sam Stranger", "email", "out", at=NOW - timedelta(days=1), text="Story idea")
    assert ben.show("Sam Stranger")["team_hold"] == "Cleo pitched them yesterday"
    # past the window, and with --anyway, the ask goes through
    later = Kith(db_url, clock_fn=lambda: NOW + timedelta(days=12), member=BEN)
    assert "team_hold" not in later.show("Rita Reporter")
    assert ben.invite("Rita Reporter", anyway=True)["invite"]["kind"]


def test_the_cooldown_is_a_rule_the_team_can_change_within_bounds(db_url: str) -> None:
    _team(db_url)
    owner = _as(db_url, ANA)
    assert owner.rules()["team_cooldown_days"] == 14
    assert owner.rules({"team_cooldown_days": "3"})["team_cooldown_days"] == 3
    for bad in ("1", "31"):
        with pytest.raises(InvalidInput, match="between 2 and 30"):
            owner.rules({"team_cooldown_days": bad})


def _refusal(call: Any) -> str:
    with pytest.raises(KithError) as refused:
        call()
    assert refused.value.exit_code == 2
    return str(refused.value)
