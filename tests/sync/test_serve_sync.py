"""`kith serve` runs the sync sources itself and shows each one's last run and the calendar
feed on the Import page."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from kith.api import Kith
from kith.web.app import create_app
from tests.sync import test_imap_sync as imap
from tests.sync.servers import Dovecot


def served(tmp_path, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Kith:
    monkeypatch.setenv("KITH_TEST_IMAP_PW", dovecot.password)
    base = Kith(str(tmp_path / "kith.sqlite"), clock_fn=lambda: datetime(2026, 11, 20, tzinfo=UTC))
    settings = {
        "host": dovecot.host,
        "port": dovecot.port,
        "tls": "none",
        "user": dovecot.user,
        "folders": [],
        "me": [],
        "secret": {"env": "KITH_TEST_IMAP_PW"},
    }
    base.sync_add("mail", "imap", settings)
    return base


def test_the_server_syncs_at_start_and_the_import_page_says_so(tmp_path, dovecot, monkeypatch):
    imap.seed(dovecot)
    base = served(tmp_path, dovecot, monkeypatch)
    app = create_app(base, warm=False, sync_seconds=3600)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        loop = app.state.sync_loop
        deadline = time.monotonic() + 20
        while loop.runs < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert loop.runs == 1
        page = client.get("/import").text
        assert "<strong>mail</strong>" in page
        assert "3 new interactions" in page
        assert "every 60 minutes" in page
        assert 'value="http://127.0.0.1/calendar/' in page
        assert dovecot.password not in page
    (source,) = base.sync_sources()
    assert (source["last_added"], source["last_error"]) == (3, None)
    base.close()


def test_a_failing_source_shows_its_error_and_the_server_goes_on(tmp_path, dovecot, monkeypatch):
    base = served(tmp_path, dovecot, monkeypatch)
    dovecot.stop()
    app = create_app(base, warm=False, sync_seconds=3600)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        loop = app.state.sync_loop
        deadline = time.monotonic() + 20
        while loop.runs < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        page = client.get("/import")
        assert page.status_code == 200
        assert "failed: The mail server" in page.text
    base.close()


def test_no_sync_means_no_loop(tmp_path, dovecot, monkeypatch):
    base = served(tmp_path, dovecot, monkeypatch)
    app = create_app(base, warm=False, sync_seconds=None)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert app.state.sync_loop is None
        page = client.get("/import").text
        assert "Not run yet." in page
        assert "does not read them by itself" in page
    base.close()


def test_the_server_log_names_a_failure_and_never_the_password(
    tmp_path, dovecot, monkeypatch, caplog
):
    base = served(tmp_path, dovecot, monkeypatch)
    monkeypatch.setenv("KITH_TEST_IMAP_PW", "the-wrong-secret-123")
    app = create_app(base, warm=False, sync_seconds=3600)
    with caplog.at_level("DEBUG"), TestClient(app, base_url="http://127.0.0.1"):
        loop = app.state.sync_loop
        deadline = time.monotonic() + 20
        while loop.runs < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "sync mail failed: The mail server" in logged
    assert "the-wrong-secret-123" not in logged
    assert dovecot.password not in logged
    base.close()


def test_in_a_team_base_the_server_syncs_as_the_member_who_added_the_source(
    tmp_path, dovecot, monkeypatch
):
    imap.seed(dovecot)
    path = str(tmp_path / "team.sqlite")
    clock = lambda: datetime(2026, 11, 20, tzinfo=UTC)  # noqa: E731
    owner = Kith(path, clock_fn=clock)
    owner.team_init("ana@example.org", "Ana", "a long enough password")
    owner.close()
    monkeypatch.setenv("KITH_TEST_IMAP_PW", dovecot.password)
    settings = {"host": dovecot.host, "port": dovecot.port, "tls": "none", "user": dovecot.user,
                "folders": [], "me": [], "secret": {"env": "KITH_TEST_IMAP_PW"}}  # fmt: skip
    with Kith(path, clock_fn=clock, member="ana@example.org") as ana:
        ana.sync_add("mail", "imap", settings)
    with Kith(path, clock_fn=clock) as server:  # no member: as `kith serve` runs it
        (run,) = server.sync()
        assert (run["ok"], run["interactions_added"]) == (True, 3), run
    with Kith(path, clock_fn=clock, member="ana@example.org") as ana:
        assert ana.show("email:bo@example.net")["counts"] == {"in": 1, "out": 1}
