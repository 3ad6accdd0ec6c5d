"""`kith dnc`: the do-not-contact list (docs/team.md), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

NOW = "2026-11-21T15:00:00Z"


def _agenda_ids(cli: Any) -> set[int]:
    return {item["person"]["id"] for item in cli.json("today", now=NOW)}


def test_a_person_on_the_list_gets_no_suggestion_and_needs_anyway(cli: Any) -> None:
    cli.ok("demo", "--people", "40", "--db", cli.db, now=NOW)  # into this test's base
    ids = _agenda_ids(cli)
    assert ids
    target = min(ids)
    put = cli.json("dnc", f"#{target}", "--reason", "asked us to stop", now=NOW)
    assert put == {"id": target, "name": put["name"], "listed": True}
    assert target not in _agenda_ids(cli)
    listed = cli.json("dnc", "--list", now=NOW)
    assert [(e["person"]["id"], e["reason"]) for e in listed] == [(target, "asked us to stop")]
    refused = cli("log", f"#{target}", "dm", "--out", now=NOW)
    assert refused.code == 2
    assert "is on the do-not-contact list (asked us to stop); add --anyway" in refused.err
    assert cli("invite", f"#{target}", now=NOW).code == 2
    cli.ok("log", f"#{target}", "dm", "--in", "--text", "hello again", now=NOW)  # they wrote
    cli.ok("log", f"#{target}", "dm", "--out", "--anyway", now=NOW)
    off = cli.json("dnc", f"#{target}", "--clear", now=NOW)
    assert off["listed"] is False
    assert cli.json("dnc", "--list", now=NOW) == []
    assert "Nobody is on the do-not-contact list." in cli.ok("dnc", "--list", now=NOW).out
    again = cli("dnc", f"#{target}", "--clear", now=NOW)
    assert again.code == 2
    assert "is not on the list" in again.err
    assert cli("dnc", f"#{target}", now=NOW).code == 2  # a reason is needed


def test_in_a_team_any_member_lists_and_only_an_owner_clears(cli: Any) -> None:
    pid = cli.json("add", "Reporter One", now=NOW)["id"]
    cli.monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    cli.ok("team", "init", "--owner", "ana@example.org", "--name", "Ana", "--password-stdin")
    cli.ok("--as", "ana@example.org", "team", "add", "ben@example.org", "--name", "Ben", now=NOW)
    cli.ok("--as", "ben@example.org", "dnc", f"#{pid}", "--reason", "legal hold", now=NOW)
    listed = cli.json("dnc", "--list", now=NOW)
    assert listed[0]["member"] == "ben@example.org"
    refused = cli("--as", "ben@example.org", "dnc", f"#{pid}", "--clear", now=NOW)
    assert refused.code == 2
    assert "Only an owner can take someone off the do-not-contact list." in refused.err
    cli.ok("--as", "ana@example.org", "dnc", f"#{pid}", "--clear", now=NOW)
