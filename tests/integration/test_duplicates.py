"""`kith people --duplicates`: likely pairs, with reasons; nothing merged by itself."""

from __future__ import annotations

NOW = "2026-03-01T12:00:00Z"


def test_same_names_and_similar_handles_are_listed(sqlite_cli):
    cli = sqlite_cli
    cli.ok("add", "José Lopez", "--handle", "x:jose_lopez", now=NOW)
    cli.ok("add", "jose lopez", "--handle", "mastodon:joselopez@mastodon.social", now=NOW)
    cli.ok("add", "Ana Smith", "--handle", "linkedin:ana-smith-1a2b3c", now=NOW)
    cli.ok("add", "A. Smith", "--handle", "email:ana.smith@example.org", now=NOW)
    cli.ok("add", "Unrelated Person", "--handle", "x:someone", now=NOW)
    pairs = cli.json("people", "--duplicates", now=NOW)
    found = {(p["a"]["name"], p["b"]["name"]): p["reasons"] for p in pairs}
    assert set(found) == {("José Lopez", "jose lopez"), ("Ana Smith", "A. Smith")}
    assert len(found[("José Lopez", "jose lopez")]) == 2  # the name and the handle
    assert "similar handles" in found[("Ana Smith", "A. Smith")][0]
    assert len(cli.json("people", now=NOW)) == 5  # nothing merged
    human = cli.ok("people", "--duplicates", now=NOW).out
    assert "kith merge" in human


def _pairs(cli) -> set[tuple[str, str]]:
    return {(p["a"]["name"], p["b"]["name"]) for p in cli.json("people", "--duplicates", now=NOW)}


def _three_alike(cli) -> tuple[int, int, int]:
    ids = tuple(
        cli.json("add", name, now=NOW)["id"]
        for name in ("Aisha Becker", "aisha becker", "Aïsha Becker")
    )
    assert len(_pairs(cli)) == 3
    return ids  # type: ignore[return-value]


def test_a_pair_said_to_be_two_people_is_not_suggested_again(cli):
    a, b, c = _three_alike(cli)
    said = cli.json("not-same", f"#{a}", f"#{b}", now=NOW)
    assert said == {
        "a": {"id": a, "name": "Aisha Becker"},
        "b": {"id": b, "name": "aisha becker"},
        "changed": True,
    }
    assert ("Aisha Becker", "aisha becker") not in _pairs(cli)
    assert len(_pairs(cli)) == 2  # the other two pairs still look alike
    # said again, the other way round: nothing new
    assert cli.json("not-same", f"#{b}", f"#{a}", now=NOW)["changed"] is False
    human = cli.ok("not-same", f"#{a}", f"#{c}", now=NOW).out
    assert f"Aisha Becker (#{a}) and Aïsha Becker (#{c}) are different people" in human
    assert len(_pairs(cli)) == 1
    back = cli.ok("not-same", f"#{a}", f"#{b}", "--undo", now=NOW).out
    assert "may be suggested as duplicates again" in back
    assert ("Aisha Becker", "aisha becker") in _pairs(cli)


def test_merging_carries_what_the_gone_record_was_not_and_forgetting_ends_it(cli):
    a, b, c = _three_alike(cli)
    cli.ok("not-same", f"#{b}", f"#{c}", now=NOW)
    cli.ok("merge", f"#{a}", f"#{b}", now=NOW)
    # b was not c, so a (now holding b) is not c either: no pair is left
    assert _pairs(cli) == set()
    cli.ok("forget", f"#{c}", "--yes", now=NOW)
    d = cli.json("add", "Aisha Becker", now=NOW)["id"]
    assert _pairs(cli) == {("Aisha Becker", "Aisha Becker")}
    assert d != c


def test_not_same_refuses_one_person_and_unknown_ids(cli):
    a, _b, _c = _three_alike(cli)
    same = cli("not-same", f"#{a}", f"#{a}", now=NOW)
    assert same.code == 2
    assert "same person as themselves" in same.err
    missing = cli("not-same", f"#{a}", "#999999", now=NOW)
    assert missing.code == 2
    assert "No person with id 999999" in missing.err
