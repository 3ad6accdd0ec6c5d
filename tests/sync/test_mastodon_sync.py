"""`kith sync` of a Mastodon account. No Mastodon server can run here: these tests replay
recorded API entities through a local HTTP server (tests/sync/mastodon_replay.py) that
pages them, rate-limits and refuses tokens as Mastodon does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import CLI
from tests.sync.mastodon_replay import TOKEN, Replay, mastodon_server
from tests.sync.test_imap_sync import snapshot

NOW = "2026-11-20T12:00:00Z"


@pytest.fixture
def replay() -> Iterator[Replay]:
    with mastodon_server() as server:
        yield server


@pytest.fixture
def synced(sqlite_cli: CLI, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> CLI:
    sqlite_cli.now = NOW
    monkeypatch.setenv("KITH_TEST_MASTODON_TOKEN", TOKEN)
    sqlite_cli.ok(
        "sync", "add", "mastodon", "--instance", replay.url, "--token-env",
        "KITH_TEST_MASTODON_TOKEN",
    )  # fmt: skip
    return sqlite_cli


def test_both_sides_of_an_account_become_touches_once(synced, replay):
    (first,) = synced.json("sync")
    assert first["ok"], first
    assert (first["interactions_added"], first["people_created"]) == (8, 3)
    bo = synced.json("show", "mastodon:bo@other.example")
    assert bo["name"] == "Bo Berg"
    assert bo["counts"] == {"in": 2, "out": 2}  # a reply and a DM to him; his reply, his boost
    assert {i["channel"] for i in bo["recent"]} == {"reply", "dm", "share"}
    assert synced.json("show", "mastodon:cy@social.example")["counts"] == {"in": 1, "out": 2}
    assert replay.requests.count("/api/v1/accounts/1/statuses") >= 2  # it followed the pages
    before = snapshot(synced.db)
    (again,) = synced.json("sync")
    assert (again["ok"], again["interactions_added"]) == (True, 0)
    assert snapshot(synced.db) == before


def test_what_is_new_on_the_server_is_all_the_next_sync_adds(synced, replay):
    synced.ok("sync")
    replay.publish_later()
    (run,) = synced.json("sync")
    assert (run["interactions_added"], run["people_created"]) == (2, 0)
    assert synced.json("show", "mastodon:cy@social.example")["counts"] == {"in": 2, "out": 3}


def test_a_rate_limit_is_waited_out(synced, replay):
    replay.rate_limited = 2
    (run,) = synced.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 8)


def test_an_expired_token_is_one_sentence_and_the_next_sync_recovers(synced, replay):
    replay.token = "a-new-token-the-user-has-not-set"
    before = snapshot(synced.db)
    result = synced("sync")
    assert result.code == 2
    assert "refused the access token" in result.out
    assert TOKEN not in result.out + result.err
    assert snapshot(synced.db) == before
    replay.token = TOKEN
    (run,) = synced.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 8)


def test_garbage_from_the_server_writes_nothing(synced, replay):
    replay.garbage = True
    before = snapshot(synced.db)
    result = synced("sync")
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    assert "failed: The Mastodon server 127.0.0.1" in result.out
    assert snapshot(synced.db) == before


def test_a_synced_account_shows_both_sides_and_the_rules_read_them(synced, replay):
    """The archive holds only the user's side of Mastodon; a synced account holds both, so
    silence after a reply there is evidence (docs/path.md, "What each source can see")."""
    synced.ok("sync")
    bo = synced.json("show", "mastodon:bo@other.example")
    assert bo["coverage"] is None
    synced.ok("sync", "remove", "mastodon")  # the touches stay, read as an archive's
    bo = synced.json("show", "mastodon:bo@other.example")
    assert "Mastodon archive" in str(bo["coverage"]), bo["coverage"]


def test_a_server_that_is_down_is_one_sentence(sqlite_cli, monkeypatch):
    from tests.sync.servers import free_port

    monkeypatch.setenv("KITH_TEST_MASTODON_TOKEN", TOKEN)
    url = f"http://127.0.0.1:{free_port()}"
    sqlite_cli.ok(
        "sync", "add", "mastodon", "--instance", url, "--token-env", "KITH_TEST_MASTODON_TOKEN"
    )
    result = sqlite_cli("sync")
    assert result.code == 2
    assert "The Mastodon server 127.0.0.1 cannot be reached." in result.out
