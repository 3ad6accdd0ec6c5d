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
