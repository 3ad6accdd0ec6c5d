"""`kith serve`: which base it serves, what it says, and a real server with two worker
processes sharing the cache stamp and the import table."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kith.api import Kith
from kith.cli.commands_serve import allowed_hosts, choose_base
from kith.demo import build_demo
from kith.store import database
from tests.web.conftest import FIXTURES, NOW


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_empty_base_serves_the_demo_network_when_there_is_one() -> None:
    chosen = choose_base(None, False)
    assert not chosen.demo  # no demo base yet: the user's own (empty) base
    build_demo(database.demo_url(), people=20, now=NOW)
    chosen = choose_base(None, False)
    assert chosen.url == database.demo_url()
    assert chosen.demo
    assert chosen.note
    assert "Your base is empty" in chosen.note


def test_the_users_base_wins_once_it_has_people() -> None:
    build_demo(database.demo_url(), people=20, now=NOW)
    with Kith() as mine:
        mine.add("Ana Example")
    chosen = choose_base(None, False)
    assert chosen.url == database.normalise_url(database.default_url())
    assert not chosen.demo


def test_db_and_demo_are_taken_as_given(tmp_path: Path) -> None:
    build_demo(database.demo_url(), people=20, now=NOW)
    empty = tmp_path / "empty.sqlite"
    assert choose_base(str(empty), False).url == database.sqlite_url(empty)
    assert not choose_base(str(empty), False).demo
    assert choose_base(None, True).demo
    assert choose_base(database.demo_url(), False).demo  # the demo base says it is one


def test_host_names_the_server_answers_to() -> None:
    assert allowed_hosts("127.0.0.1") == ("127.0.0.1", "localhost", "::1")
    assert allowed_hosts("192.168.1.5") == ("127.0.0.1", "localhost", "::1", "192.168.1.5")
    assert allowed_hosts("0.0.0.0") is None


def test_a_busy_port_is_one_sentence(sqlite_cli: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = sqlite_cli("serve", "--port", str(port))
    assert result.code == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in result.err
    assert "--port" in result.err


class Server:
    def __init__(self, port: int) -> None:
        self.port = port

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, cookie: str | None = None) -> tuple[int, str, Any]:
        request = urllib.request.Request(self.url(path))
        if cookie:
            request.add_header("Cookie", cookie)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(self.url(path), data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[Server, subprocess.Popen[str]]]:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "KITH_HOME": str(home),
        "KITH_NOW": NOW.isoformat(),
        "KITH_TZ": "UTC",
    }
    env.pop("KITH_DB", None)
    build_demo(database.sqlite_url(home / "demo.sqlite"), people=40, now=NOW)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kith", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(port)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"kith serve exited: {process.stderr.read() if process.stderr else ''}")
        try:
            if server.get("/static/kith.css")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield server, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_workers_share_the_cache_and_the_import_table(
    two_workers: tuple[Server, subprocess.Popen[str]],
) -> None:
    server, process = two_workers
    status, page, headers = server.get("/")
    assert status == 200
    assert "Demo network" in page
    cookie = headers["set-cookie"].split(";", 1)[0]
    token = json.loads(server.get("/api/session", cookie)[1])["csrf_token"]
    send = {"Cookie": cookie, "X-CSRF-Token": token}

    # every worker keeps today's agenda; a write in one clears it in both
    for _ in range(6):
        item = json.loads(server.get("/api/today")[1])[0]
    first = item["person"]
    status, _ = server.post(
        f"/api/people/{first['id']}/snooze",
        b'{"days": 7}',
        {**send, "Content-Type": "application/json"},
    )
    assert status == 200
    for _ in range(6):  # new connections: both workers answer some of these
        items = json.loads(server.get("/api/today")[1])
        assert (first["id"], item["action"]) not in [
            (i["person"]["id"], i["action"]) for i in items
        ]

    # an import started in one worker is visible from both
    boundary = "kithboundary"
    vcard = (FIXTURES / "vcard" / "rfc6350_style_v4.vcf").read_bytes()
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nvcard\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.vcf"\r\n'
            "Content-Type: text/vcard\r\n\r\n"
        ).encode()
        + vcard
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, started = server.post(
        "/api/import", body, {**send, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert status == 202
    job_id = json.loads(started)["id"]
    states = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, text, _ = server.get(f"/api/import/jobs/{job_id}")
        assert status == 200
        states.append(json.loads(text)["state"])
        if states[-1] == "done" and len(states) >= 6:
            break
        time.sleep(0.1)
    assert states[-1] == "done"
    assert "Grace Hopper" in server.get("/people?q=Grace")[1]

    process.terminate()
    _out, err = process.communicate(timeout=20)
    assert "Demo network" in err
