"""`kith rules`: the numbers of docs/path.md can be changed, and the rules follow."""

from __future__ import annotations


def day(d: str) -> str:
    return f"{d}T12:00:00Z"


def test_defaults_are_the_documented_numbers(sqlite_cli):
    rules = sqlite_cli.json("rules", now=day("2026-01-01"))
    assert rules["backoff_days"] == 90
    assert rules["circle_caps"] == {"1": 5, "2": 15, "3": 50, "4": 150}
    assert rules["circle_cadence_days"] == {"1": 7, "2": 30, "3": 90, "4": 365}
    assert rules["ready_min_days_since_first_contact"] == 21
    assert rules["unanswered_run"] == 5


def test_a_shorter_back_off_applies_at_once(sqlite_cli):
    cli = sqlite_cli
    cli.ok("add", "Ana", now=day("2026-01-01"))
    cli.ok("log", "Ana", "reply", "--in", now=day("2026-01-01"))
    for d in ("2026-02-01", "2026-02-05", "2026-02-09"):
        cli.ok("log", "Ana", "dm", "--in", now=day(d))
        cli.ok("log", "Ana", "dm", "--out", now=day(d))
    cli.ok("invite", "Ana", now=day("2026-02-10"))
    cli.ok("respond", "Ana", "negative", now=day("2026-02-10"))
    assert cli.json("show", "Ana", now=day("2026-03-20"))["ready"] is False  # 38 days in
    cli.ok("rules", "--set", "backoff_days=30", now=day("2026-03-20"))
    assert cli.json("show", "Ana", now=day("2026-03-20"))["ready"] is True
    cli.ok("rules", "--reset", now=day("2026-03-20"))
    assert cli.json("show", "Ana", now=day("2026-03-20"))["ready"] is False


def test_a_bigger_inner_circle(sqlite_cli):
    cli = sqlite_cli
    for n in range(6):
        result = cli(*("add", f"P{n}", "--circle", "1"), now=day("2026-01-01"))
        assert result.code == (0 if n < 5 else 2)
    cli.ok("rules", "--set", "circle_caps=1:6,2:15,3:50,4:150", now=day("2026-01-01"))
    cli.ok("add", "P5", "--circle", "1", now=day("2026-01-01"))


def test_bad_rule_changes_are_refused(sqlite_cli):
    for change, message in (
        ("nope=1", "Unknown rule 'nope'"),
        ("backoff_days=-3", "must not be negative"),
        ("backoff_days=soon", "not a valid value for backoff_days"),
        ("circle_caps=1:6", "give every key"),
        ("backoff_days", "is not NAME=VALUE"),
    ):
        result = sqlite_cli("rules", "--set", change, now=day("2026-01-01"))
        assert result.code == 2
        assert message in result.err
    assert sqlite_cli.json("rules", now=day("2026-01-01"))["backoff_days"] == 90
