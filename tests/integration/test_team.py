"""`kith team`: members, roles, and who may change a team base (docs/team.md), on SQLite
and on PostgreSQL."""

from __future__ import annotations

import io
import sqlite3
from typing import Any

from kith.api import Kith

NOW = "2026-12-01T10:00:00Z"
OWNER = "ana@example.org"
SECRET = "correct horse battery staple"


def _with_password(cli: Any, password: str, *args: str) -> Any:
    cli.monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli(*args, "--password-stdin", now=NOW)


def _team(cli: Any) -> None:
    cli.ok("add", "Reporter One", now=NOW)
    made = _with_password(
        cli, SECRET, "team", "init", "--owner", "Ana@Example.org", "--name", "Ana"
    )
    assert made.code == 0, made.err
    assert "is now a team base" in made.out


def test_a_one_user_base_needs_no_member(cli: Any) -> None:
    cli.ok("add", "Someone", now=NOW)
    cli.ok("log", "Someone", "dm", "--in", now=NOW)
    assert cli.json("team", "members", now=NOW) == []
    assert "one-user base" in cli.ok("team", "members", now=NOW).out


def test_members_join_a_team_an_owner_has_started(cli: Any) -> None:
    """Inviting or adding someone to a base without members would make a team without an
    owner, which nobody could then run."""
    for args in (
        ("team", "invite", "bob@example.org"),
        ("team", "add", "bob@example.org", "--name", "Bob"),
        ("team", "token", "bob@example.org"),
    ):
        refused = cli(*args)
        assert refused.code == 2, args
        assert "This base has no team yet: make it a team base first" in refused.err
    assert cli.json("team", "members") == []
    cli.ok("add", "Still One User")  # and it is still a one-user base


def test_every_change_in_a_team_base_names_a_member_who_may_make_it(cli: Any) -> None:
    _team(cli)
    nobody = cli("log", "Reporter One", "dm", "--out", now=NOW)
    assert nobody.code == 2
    assert "say who you are with --as EMAIL or KITH_USER" in nobody.err
    assert cli("--as", "ANA@example.org", "log", "Reporter One", "dm", "--out", now=NOW).code == 0
    stranger = cli("--as", "eve@example.org", "log", "Reporter One", "dm", now=NOW)
    assert stranger.code == 2
    assert "'eve@example.org' is not a member of this team" in stranger.err
    # reading needs no member
    assert cli.json("show", "Reporter One", now=NOW)["name"] == "Reporter One"

    cli.monkeypatch.setenv("KITH_USER", OWNER)
    ben = ("team", "add", "Ben@example.org", "--name", "Ben", "--role", "viewer")
    added = _with_password(cli, "viewer pass 123", *ben)
    assert added.code == 0, added.err
    cli.ok("team", "add", "cleo@example.org", "--name", "Cleo", now=NOW)
    listed = {m["email"]: m for m in cli.json("team", "members", now=NOW)}
    assert [(m["role"], m["has_password"]) for m in listed.values()] == [
        ("owner", True),
        ("viewer", True),
        ("member", False),
    ]
    twice = cli("team", "add", "cleo@example.org", "--name", "Cleo", now=NOW)
    assert twice.code == 2
    assert "is a member already (member)" in twice.err

    cli.monkeypatch.setenv("KITH_USER", "ben@example.org")
    viewer = cli("add", "Someone New", now=NOW)
    assert viewer.code == 2
    assert "Viewers can read the base but not change it." in viewer.err

    cli.monkeypatch.setenv("KITH_USER", "cleo@example.org")
    cli.ok("remember", "Reporter One", "covers climate", now=NOW)
    for owners_work in (
        ("team", "role", "ben@example.org", "member"),
        ("forget", "Reporter One", "--yes"),
        ("rules", "--set", "near_km=50"),
    ):
        refused = cli(*owners_work, now=NOW)
        assert refused.code == 2, owners_work
        assert "Only an owner can" in refused.err

    cli.monkeypatch.setenv("KITH_USER", OWNER)
    last = cli("team", "role", OWNER, "member", now=NOW)
    assert last.code == 2
    assert "A team needs an owner" in last.err
    cli.ok("team", "role", "cleo@example.org", "owner", now=NOW)
    cli.ok("team", "role", OWNER, "member", now=NOW)  # Cleo is an owner now
    cli.monkeypatch.setenv("KITH_USER", "cleo@example.org")
    gone = cli.ok("team", "remove", "ben@example.org", now=NOW)
    assert "no longer a member; what they recorded stays" in gone.out
    cli.monkeypatch.setenv("KITH_USER", "ben@example.org")
    after = cli("log", "Reporter One", "dm", now=NOW)
    assert after.code == 2
    assert "ben@example.org is no longer a member of this team" in after.err
    assert not next(m for m in cli.json("team", "members", now=NOW) if "ben" in m["email"])[
        "active"
    ]


def test_passwords_are_checked_and_stored_only_as_argon2_hashes(cli: Any, db_url: str) -> None:
    short = _with_password(cli, "short", "team", "init", "--owner", OWNER, "--name", "Ana")
    assert short.code == 2
    assert "at least 10 characters" in short.err
    assert cli.json("team", "members", now=NOW) == []  # nothing written
    _team(cli)
    again = _with_password(cli, SECRET, "team", "init", "--owner", OWNER, "--name", "Ana")
    assert again.code == 2
    assert "a team base already" in again.err
    bad = _with_password(cli, SECRET, "team", "add", "not-an-email", "--name", "X", "--as", OWNER)
    assert bad.code == 2
    assert "'not-an-email' is not an email address" in bad.err
    with Kith(db_url) as base, base.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT password_hash FROM members").scalar_one()
    assert stored.startswith("$argon2id$")
    assert SECRET not in stored
    from kith.services.passwords import matches

    assert matches(stored, SECRET)
    assert not matches(stored, SECRET + "!")
    assert not matches(None, SECRET)


def test_no_password_on_the_command_line_or_without_a_terminal(sqlite_cli: Any) -> None:
    sqlite_cli.ok("add", "Someone", now=NOW)
    sqlite_cli.monkeypatch.setattr("sys.stdin", io.StringIO(""))
    refused = sqlite_cli("team", "init", "--owner", OWNER, "--name", "Ana", now=NOW)
    assert refused.code == 2
    assert "--password-stdin" in refused.err
    assert sqlite3.connect(sqlite_cli.db.removeprefix("sqlite:///")).execute(
        "SELECT COUNT(*) FROM members"
    ).fetchone() == (0,)
