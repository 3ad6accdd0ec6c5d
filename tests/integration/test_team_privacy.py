"""Privacy and the audit trail in a team base (docs/team.md, "Privacy" and "Audit"): a
member's message texts and private facts stay theirs, forgetting is an owner's work, and
every write leaves an entry nothing can change; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from kith.api import Kith
from kith.errors import NotAllowed

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
ANA, BEN = "ana@example.org", "ben@example.org"
WORDS = "Off the record: the merger closes on Friday"
SECRET_FACT = "her mother is in hospital"


def _as(url: str, member: str | None) -> Kith:
    return Kith(url, clock_fn=lambda: NOW, member=member)


def _team(url: str) -> None:
    owner = _as(url, ANA)
    owner.init(timezone="UTC")
    owner.team_init(ANA, "Ana", "correct horse battery staple")
    owner.team_add(BEN, "Ben", "member", "ben's password 1")
    owner.add("Rita Reporter", handles=["x:rita"])


def _texts(shown: dict[str, Any]) -> list[str | None]:
    return [i["text"] for i in shown["recent"]]


def test_teammates_see_that_a_touch_happened_not_its_words(db_url: str) -> None:
    _team(db_url)
    ana, ben, team = _as(db_url, ANA), _as(db_url, BEN), _as(db_url, None)
    ana.log("Rita Reporter", "dm", "out", at=NOW - timedelta(days=3), text=WORDS)
    ana.log("Rita Reporter", "dm", "in", at=NOW - timedelta(days=2), text="Noted, thanks")

    assert _texts(ana.show("Rita Reporter")) == ["Noted, thanks", WORDS]  # her own
    as_team = team.show("Rita Reporter")
    assert [(i["channel"], i["direction"], i["text"]) for i in as_team["recent"]] == [
        ("dm", "in", None),
        ("dm", "out", None),
    ]
    assert as_team["recent"][0]["at"].startswith("2026-11-19")
    mine = ben.show("Rita Reporter")
    assert mine["recent"] == []  # Ben's own history with her is empty
    assert [t["member"]["email"] for t in mine["who_knows"]] == [ANA]  # but Ana knows her
    assert mine["who_knows"][0]["last_contact"] is not None

    shared = ana.team_share(texts=True)
    assert shared["shares_texts"] is True
    assert _texts(team.show("Rita Reporter")) == ["Noted, thanks", WORDS]
    ana.team_share(texts=False)
    assert _texts(team.show("Rita Reporter")) == [None, None]
    # the team's figures did not need the words
    assert team.show("Rita Reporter")["stage"] == ana.show("Rita Reporter")["stage"]


def test_a_private_fact_is_its_authors_only(db_url: str) -> None:
    _team(db_url)
    ana, ben, team = _as(db_url, ANA), _as(db_url, BEN), _as(db_url, None)
    soon = (NOW + timedelta(days=4)).date()
    ana.remember("Rita Reporter", SECRET_FACT, on=soon, private=True)
    ana.remember("Rita Reporter", "covers the energy beat")

    def facts(base: Kith) -> list[str]:
        return [f["text"] for f in base.show("Rita Reporter")["facts"]]

    assert facts(ana) == [SECRET_FACT, "covers the energy beat"]
    assert facts(ben) == ["covers the energy beat"]
    assert facts(team) == ["covers the energy beat"]
    for base in (ben, team):  # no agenda item quotes it either
        assert all(SECRET_FACT not in item["reason"] for item in base.today(limit=50))

    # nor does its number show in Ana's tie as her teammates read it
    def reasons(base: Kith) -> str:
        (tie,) = base.who_knows("Rita Reporter")
        return "; ".join(tie["strength"]["reasons"])

    assert "2 facts remembered" in reasons(ana)
    assert "2 facts" not in reasons(ben)
    assert "1 fact" in reasons(ben)


def test_copying_the_whole_base_out_is_an_owners_work(db_url: str) -> None:
    _team(db_url)
    _as(db_url, ANA).log("Rita Reporter", "dm", "out", text=WORDS)
    with pytest.raises(NotAllowed, match="Only an owner can copy the whole base out"):
        _as(db_url, BEN).export_json(io.StringIO())
    out = io.StringIO()
    assert _as(db_url, ANA).export_json(out) >= 1
    assert WORDS in out.getvalue()


def test_forgetting_needs_an_owner_and_leaves_an_entry_without_the_name(db_url: str) -> None:
    _team(db_url)
    ana, ben = _as(db_url, ANA), _as(db_url, BEN)
    pid = ana.person_id("Rita Reporter")
    with pytest.raises(NotAllowed, match="Only an owner can forget a person"):
        ben.forget("Rita Reporter")
    assert [e["action"] for e in ana.audit(person=str(pid))] == ["add"]  # refused: no entry
    ana.forget("Rita Reporter")
    entries = ana.audit(person=f"#{pid}")
    assert [(e["action"], e["member"]) for e in entries] == [("forget", ANA), ("add", ANA)]
    assert entries[0]["person"] == {"id": pid, "name": None}
    assert all("Rita" not in e["detail"] for e in entries)


def test_every_write_records_its_member_and_time(db_url: str) -> None:
    _team(db_url)
    ana, ben = _as(db_url, ANA), _as(db_url, BEN)
    pid = ana.person_id("Rita Reporter")
    ben.log("Rita Reporter", "comment", "out", text="Great piece")
    ben.remember("Rita Reporter", "moving to Berlin", private=True)
    ben.invite("Rita Reporter")
    ana.edit("Rita Reporter", city="Berlin")
    ana.dnc("Rita Reporter", "legal hold")

    trail = ana.audit()
    assert [(e["action"], e["member"]) for e in trail[:5]] == [
        ("dnc", ANA),
        ("edit", ANA),
        ("invite", BEN),
        ("remember", BEN),
        ("log", BEN),
    ]
    assert {e["action"] for e in trail[5:]} >= {"team init", "team add", "add"}
    assert all(e["at"].startswith("2026-11-21T15:00") for e in trail)
    assert "moving to Berlin" not in repr(trail)  # a private fact's words stay in its table
    assert [e["action"] for e in ana.audit(member=BEN)] == ["invite", "remember", "log"]
    assert {e["person"]["id"] for e in ana.audit(person="Rita Reporter")} == {pid}
    assert ana.audit(since="2026-11-22") == []
    assert len(ana.audit(since="2026-11-21")) == len(trail)


def test_nothing_changes_or_deletes_an_audit_row(db_url: str) -> None:
    _team(db_url)
    engine = create_engine(db_url)
    try:
        for statement in ("UPDATE audit SET member = 'someone@else.org'", "DELETE FROM audit"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as c:
                c.execute(text(statement))
        with engine.connect() as c:
            members = {r[0] for r in c.execute(text("SELECT member FROM audit"))}
    finally:
        engine.dispose()
    assert members == {ANA}


def test_the_audit_command_and_sharing_on_the_command_line(cli: Any) -> None:
    cli.monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    cli.ok("team", "init", "--owner", ANA, "--name", "Ana", "--password-stdin")
    pid = cli.json("--as", ANA, "add", "Rita Reporter")["id"]
    cli.ok("--as", ANA, "log", f"#{pid}", "dm", "--out", "--text", WORDS)
    said = cli.ok("--as", ANA, "team", "share", "--texts").out
    assert "Teammates now see the words of your messages." in said
    assert cli.json("team", "members")[0]["shares_texts"] is True
    out = cli.ok("audit", "--person", f"#{pid}").out
    assert f"log #{pid} Rita Reporter: dm out" in out
    assert ANA in out
    entries = cli.json("audit", "--member", ANA)
    assert [e["action"] for e in entries][:3] == ["team share", "log", "add"]
    refused = cli("audit", "--member", "not an email")
    assert refused.code == 2
    assert "is not an email address" in refused.err
