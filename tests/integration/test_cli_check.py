"""`kith check TEXT [--to PERSON] [--json]` through the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import sys

import pytest

from tests.conftest import snapshot

NOW = "2026-03-01T12:00:00Z"
FRIENDLY = "Hi Ana, how did the recital go? Would love to hear about it."
PITCH = "Would you like to book a demo? Our pricing is 20% off this week."


@pytest.fixture
def base(cli):
    cli.now = NOW
    cli.ok("add", "Ana Example", "--handle", "x:ana")
    cli.ok("log", "x:ana", "comment", "--out", "--at", "2026-02-20T10:00:00Z")  # engaging
    return cli


def person_id(cli, reference: str) -> int:
    return int(cli.json("show", reference)["id"])


def test_the_friendly_note_is_ok_with_no_flag(base):
    assert base.json("check", FRIENDLY) == {"ok": True, "flags": []}
    assert base.json("check", FRIENDLY, "--to", "x:ana") == {"ok": True, "flags": []}
    human = base.ok("check", FRIENDLY)
    assert human.out.strip() == "Looks fine."
    human = base.ok("check", FRIENDLY, "--to", "x:ana")
    assert "For Ana Example, at the engaging stage." in human.out
    assert "Looks fine." in human.out


CASES = [
    ("hostile", "This is terrible, you ruined everything, I hate you."),
    ("profanity", "Well, shit happens, see you at the meetup next week."),
    ("shouting", "WHY DID NOBODY TELL ME ABOUT THE MEETUP"),
    ("private_details", "Ana's number is +351 912 345 678, give her a ring."),
    ("private_details", "Write to ana@example.org about the recital."),
    ("private_details", "The party is at 221B Baker Street this time."),
    ("pitch", PITCH),
    ("bare_link", "https://example.com/post/1"),
]


@pytest.mark.parametrize(
    ("code", "text"), CASES, ids=[f"{c}-{n}" for n, (c, _) in enumerate(CASES)]
)
def test_each_flag_appears_with_its_code_and_a_sentence(base, code, text):
    result = base.ok("check", text, "--to", "x:ana", "--json")  # exit 0: flags are advice
    data = result.json()
    assert data["ok"] is False
    assert [f["code"] for f in data["flags"]] == [code]
    (flag,) = data["flags"]
    assert set(flag) == {"code", "message"}
    assert flag["message"].endswith((".", "?"))


def test_human_output_lists_the_flags_and_exits_0(base):
    result = base("check", "WHY DID NOBODY TELL ME https://example.com/post/1")
    assert result.code == 0
    assert "shouting" in result.out
    assert "reads as shouting" in result.out
    assert "Looks fine" not in result.out
    assert result.err == ""


def test_a_pitch_needs_to_and_an_early_stage(base):
    assert base.json("check", PITCH) == {"ok": True, "flags": []}
    flags = base.json("check", PITCH, "--to", "x:ana")["flags"]
    assert [f["code"] for f in flags] == ["pitch"]
    assert "Ana Example" in flags[0]["message"]
    assert "engaging stage" in flags[0]["message"]
    base.ok("log", "x:ana", "reply", "--in", "--at", "2026-02-21T10:00:00Z")  # acquainted now
    assert base.json("check", PITCH, "--to", "x:ana") == {"ok": True, "flags": []}


def test_the_stage_is_taken_as_of_now(base):
    """Their reply is logged for a later moment: before it, the pitch is still too early."""
    base.ok("log", "x:ana", "reply", "--in", "--at", "2026-02-28T10:00:00Z")
    assert base.json("check", PITCH, "--to", "x:ana", now="2026-02-27T12:00:00Z")["flags"]
    assert base.json("check", PITCH, "--to", "x:ana") == {"ok": True, "flags": []}


@pytest.mark.parametrize("form", ["id", "#id", "name", "handle"])
def test_to_names_a_person_by_id_name_or_handle(base, form):
    pid = person_id(base, "x:ana")
    reference = {"id": str(pid), "#id": f"#{pid}", "name": "Ana Example", "handle": "x:ana"}[form]
    base.ok("add", "Bo Other", "--handle", "x:bo")  # noticed too: the wrong one would still flag
    flags = base.json("check", PITCH, "--to", reference)["flags"]
    assert [f["code"] for f in flags] == ["pitch"]
    assert "Ana Example" in flags[0]["message"]


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("Nobody Here", "No person named 'Nobody Here'."),
        ("x:nobody", "No person with the x handle 'nobody'."),
        ("#999", "No person with id 999."),
    ],
)
def test_to_an_unknown_person_exits_2_with_one_sentence(base, db_url, reference, message):
    before = snapshot(db_url)
    result = base("check", PITCH, "--to", reference, "--json")
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    assert result.out == ""
    assert snapshot(db_url) == before


def test_an_empty_draft_exits_2(base):
    result = base("check", "   ")
    assert result.code == 2
    assert "Nothing to check" in result.err


def test_a_check_writes_nothing(base, db_url):
    before = snapshot(db_url)
    base.ok("check", PITCH, "--to", "x:ana", "--json")
    assert snapshot(db_url) == before


def test_a_dash_reads_the_draft_from_standard_input(base, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Mail me at ana@example.org\n"))
    data = base.json("check", "-")
    assert [f["code"] for f in data["flags"]] == ["private_details"]


def test_phone_numbers_are_read_in_the_users_zone(base, monkeypatch):
    draft = "Ligue para 912 345 678 quando puder, obrigado pela conversa."
    assert base.json("check", draft) == {"ok": True, "flags": []}  # UTC: read as US numbers
    monkeypatch.setenv("KITH_TZ", "Europe/Lisbon")
    assert [f["code"] for f in base.json("check", draft)["flags"]] == ["private_details"]


def test_help_explains_the_command(sqlite_cli):
    result = sqlite_cli.ok("check", "--help")
    assert "before you post or send" in result.out
    assert "--to" in result.out
