"""Bad input: one clear sentence, exit status 2, no traceback, and nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import snapshot

NOW = "2026-03-01T12:00:00Z"


@pytest.fixture
def seeded(cli):
    cli.now = NOW
    cli.ok("add", "Ana Example", "--handle", "x:ana")
    cli.ok("add", "Alex Kim", "--handle", "x:alex1")
    cli.ok("add", "Alex Kim", "--handle", "x:alex2")
    for n in range(5):
        cli.ok("add", f"Inner {n}", "--circle", "1")
    cli.ok("add", "Outer")
    cli.ok("log", "Inner 0", "dm", "--in")
    return cli


CASES = [
    (("show", "Nobody Here"), "No person named 'Nobody Here'."),
    (("log", "Alex Kim", "dm"), "'Alex Kim' names 2 people"),
    (("show", "x:nobody"), "No person with the x handle 'nobody'."),
    (("show", "#999"), "No person with id 999."),
    (("log", "Ana Example", "sms"), "Unknown channel 'sms'; valid channels: follow, like,"),
    (("log", "Ana Example", "dm", "--at", "32/13/2026"), "'32/13/2026' is not a date or time"),
    (("log", "Ana Example", "dm", "--at", "yesterdayish"), "is not a date or time"),
    (("remember", "Ana Example", "a talk", "--on", "not a date"), "'not a date' is not a date"),
    (("edit", "Outer", "--circle", "1"), "Circle 1 is full (5 of 5)"),
    (("add", "Newcomer", "--circle", "1"), "Circle 1 is full (5 of 5)"),
    (("edit", "Outer", "--circle", "7"), "Circle must be 1, 2, 3 or 4"),
    (("add", "Someone", "--handle", "ana"), "'ana' is not PLATFORM:HANDLE"),
    (("add", "Someone", "--handle", "x:ana"), "x:ana already belongs to Ana Example"),
    (("add", "Someone", "--city", "Portland"), "could be several cities"),
    (("add", "Someone", "--city", "Nowhereville"), "No city called 'Nowhereville'"),
    (("respond", "Ana Example", "positive"), "There is no ask to answer"),
    (("respond", "Ana Example", "maybe"), "Unknown answer 'maybe'; valid answers:"),
    (("invite", "Ana Example", "--kind", "picnic"), "Unknown kind 'picnic'; valid kinds:"),
    (("people", "--stage", "bestie"), "Unknown stage 'bestie'; valid stages: noticed"),
    (("people", "--sort", "age"), "Unknown sort 'age'"),
    (("log", "Ana Example", "dm", "--minutes", "30"), "--minutes applies to calls"),
    (("log", "Ana Example", "dm", "--at", "2026-03-02T12:00Z"), "That time is in the future"),
    (("log", "Ana Example", "dm", "--in", "--out"), "Choose one of --in, --out and --both."),
    (("merge", "Ana Example", "x:ana"), "Cannot merge a person with themselves."),
    (("init", "--tz", "Mars/Olympus"), "Unknown time zone 'Mars/Olympus'"),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_input_exits_2_with_one_sentence_and_writes_nothing(seeded, db_url, args, message):
    before = snapshot(db_url)
    result = seeded(*args)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err
    assert "Traceback" not in result.err
    assert result.err.strip().count("\n") == 0  # one line
    assert result.out == ""
    assert snapshot(db_url) == before


def test_ambiguous_names_list_the_candidates(seeded):
    result = seeded("show", "Alex Kim")
    assert result.code == 2
    assert "#2 Alex Kim (x:alex1)" in result.err
    assert "#3 Alex Kim (x:alex2)" in result.err


def test_unknown_name_suggests_close_ones(seeded):
    result = seeded("show", "Ana")
    assert result.code == 2
    assert "Did you mean: Ana Example (#1)?" in result.err


def test_circle_full_names_who_could_move_out(seeded):
    result = seeded("edit", "Outer", "--circle", "1")
    assert "Inner 1" in result.err  # weaker than Inner 0, who wrote back


def test_a_bad_kith_now_is_a_sentence(cli):
    result = cli("today", now="next tuesday")
    assert result.code == 2
    assert "KITH_NOW='next tuesday' is not an ISO-8601 time" in result.err
