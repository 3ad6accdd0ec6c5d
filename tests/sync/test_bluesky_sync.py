"""`kith sync` of a Bluesky account. No Bluesky server can run here: these tests replay
records and notifications in the AT Protocol's shapes through a local XRPC server
(tests/sync/bluesky_replay.py) that pages them with cursors and rate-limits as a PDS does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import CLI
from tests.sync.bluesky_replay import APP_PASSWORD, Replay, bluesky_server
from tests.sync.test_imap_sync import snapshot

NOW = "2026-11-20T12:00:00Z"
BO = "bluesky:did:plc:bo7d2kq5zv3wxa6mfl4ntjre"
CY = "bluesky:did:plc:cy3n8pw2qd6hk5xzme7vrtla"


@pytest.fixture
def replay() -> Iterator[Replay]:
    with bluesky_server() as server:
        yield server


@pytest.fixture
def synced(sqlite_cli: CLI, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> CLI:
    sqlite_cli.now = NOW
    monkeypatch.setenv("KITH_TEST_BSKY_PW", APP_PASSWORD)
    sqlite_cli.ok(
        "sync", "add", "bluesky", "--handle", "ana.bsky.social", "--service", replay.url,
        "--app-password-env", "KITH_TEST_BSKY_PW",
    )  # fmt: skip
    return sqlite_cli


def test_both_sides_of_an_account_become_touches_once(synced, replay):
    (first,) = synced.json("sync")
    assert first["ok"], first
    assert (first["interactions_added"], first["people_created"]) == (8, 2)
    bo = synced.json("show", BO)
    assert bo["name"] == "Bo Berg"
    assert bo["counts"] == {"in": 2, "out": 2}  # a reply and a like to him; his reply, follow
    assert bo["coverage"] is None  # a synced account holds both sides
    assert synced.json("show", CY)["counts"] == {"in": 1, "out": 3}
    assert replay.requests.count("com.atproto.repo.listRecords") == 4  # one per collection
    assert replay.requests.count("app.bsky.notification.listNotifications") == 2  # 2 pages
    before = snapshot(synced.db)
    (again,) = synced.json("sync")
    assert (again["ok"], again["interactions_added"]) == (True, 0)
    assert snapshot(synced.db) == before


def test_what_is_new_is_all_the_next_sync_adds(synced, replay):
    synced.ok("sync")
    replay.publish_later()
    (run,) = synced.json("sync")
    assert (run["interactions_added"], run["people_created"]) == (2, 0)


def test_a_rate_limit_is_waited_out(synced, replay):
    replay.rate_limited = 1
    (run,) = synced.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 8)


def test_a_revoked_app_password_is_one_sentence_and_the_next_sync_recovers(synced, replay):
    replay.password = "wxyz-wxyz-wxyz-wxyz"
    before = snapshot(synced.db)
    result = synced("sync")
    assert result.code == 2
    assert "refused the handle or app password" in result.out
    assert APP_PASSWORD not in result.out + result.err
    assert snapshot(synced.db) == before
    replay.password = APP_PASSWORD
    (run,) = synced.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 8)


def test_garbage_from_the_server_writes_nothing(synced, replay):
    replay.garbage = True
    before = snapshot(synced.db)
    result = synced("sync")
    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    assert "failed: The Bluesky server 127.0.0.1" in result.out
    assert snapshot(synced.db) == before


def test_a_server_that_is_down_is_one_sentence(sqlite_cli, monkeypatch):
    from tests.sync.servers import free_port

    monkeypatch.setenv("KITH_TEST_BSKY_PW", APP_PASSWORD)
    url = f"http://127.0.0.1:{free_port()}"
    sqlite_cli.ok(
        "sync", "add", "bluesky", "--handle", "ana.bsky.social", "--service", url,
        "--app-password-env", "KITH_TEST_BSKY_PW",
    )  # fmt: skip
    result = sqlite_cli("sync")
    assert result.code == 2
    assert "cannot be reached" in result.out, result.out
