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
    # on every interface: this machine's names and addresses, never "any" (issue 12, probe 9)
    everywhere = allowed_hosts("0.0.0.0")
    assert everywhere[:3] == ("127.0.0.1", "localhost", "::1")
    assert socket.gethostname().lower() in everywhere
    assert "evil.example" not in everywhere
    assert allowed_hosts("::") == everywhere
    # behind a reverse proxy: the name browsers use, and nothing else
    loopback = ("127.0.0.1", "localhost", "::1")
    assert allowed_hosts("127.0.0.1", ["Kith.Example.org."]) == (*loopback, "kith.example.org")
    assert allowed_hosts("0.0.0.0", ["kith.example.org"]) == (*loopback, "kith.example.org")


def test_a_public_name_is_answered_and_marks_cookies_secure(demo_url: str) -> None:
    from fastapi.testclient import TestClient

    from kith.web.app import create_app
    from tests.web.conftest import UPLOAD_LIMIT

    with Kith(demo_url) as base:
        app = create_app(
            base,
            max_upload_bytes=UPLOAD_LIMIT,
            warm=False,
            allowed_hosts=allowed_hosts("127.0.0.1", ["kith.example.org"]),
        )
        with TestClient(app, base_url="http://kith.example.org") as client:
            answer = client.get("/api/today")
            assert answer.status_code == 200
            assert answer.headers["set-cookie"].endswith("SameSite=Strict; Secure")
            evil = client.get("/api/today", headers={"Host": "evil.example"})
            assert evil.status_code == 400


def test_on_every_interface_a_rebinding_name_is_refused(demo_url: str) -> None:
    """With --host 0.0.0.0 the DNS-rebinding guard stayed off: any page the user visited
    could read and change the base under a name of its own (issue 12, probe 9)."""
    from fastapi.testclient import TestClient

    from kith.web.app import create_app
    from tests.web.conftest import UPLOAD_LIMIT

    with Kith(demo_url) as base:
        app = create_app(
            base, max_upload_bytes=UPLOAD_LIMIT, warm=False, allowed_hosts=allowed_hosts("0.0.0.0")
        )
        with TestClient(app, base_url=f"http://{socket.gethostname()}:8765") as client:
            assert client.get("/api/today").status_code == 200
            for path in ("/", "/api/today", "/api/session"):
                evil = client.get(path, headers={"Host": "evil.example:8765"})
                assert evil.status_code == 400, path
                assert "csrf_token" not in evil.text
            token = client.get("/api/session").json()["csrf_token"]
            written = client.post(
                "/api/people",
                json={"name": "Planted"},
                headers={"Host": "evil.example:8765", "X-CSRF-Token": token},
            )
            assert written.status_code == 400
        assert base.count_people(search="Planted") == 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_busy_port_is_one_sentence(sqlite_cli: Any, workers: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = sqlite_cli("serve", "--port", str(port), "--workers", workers)
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


def workers_of(server: subprocess.Popen[str]) -> list[int]:
    """The worker processes of a `kith serve --workers N` (Linux: /proc)."""
    found = []
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"resource_tracker" not in command:
            found.append(int(pid))
    return found


def established(pid: int, port: int) -> int:
    """How many TCP connections to `port` the process `pid` holds open (Linux: /proc)."""
    return len(sockets_of(pid, port, "01"))


def sockets_of(pid: int, port: int, state: str) -> set[str]:
    """The inodes of the TCP sockets on local `port` in `state` (01 established, 0A
    listening) that the process `pid` holds (Linux: /proc)."""
    inodes = set()
    for link in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(link)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == state and fields[9] in inodes:
                found.add(fields[9])
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="balancing is Linux's")
def test_connections_arriving_together_are_spread_over_the_workers(
    two_workers: tuple[Server, subprocess.Popen[str]],
) -> None:
    """With one listening socket shared by the workers, a burst of connections all went to
    one worker while the other idled; each worker now listens on its own socket."""
    server, process = two_workers
    request = f"GET /static/kith.css HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n"
    clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(32)]
    try:
        for client in clients:
            client.sendall(request.encode())
        for client in clients:
            assert client.recv(64).startswith(b"HTTP/1.1 200")
        workers = workers_of(process)
        assert len(workers) == 2
        first, second = (sockets_of(pid, server.port, "0A") for pid in workers)
        assert first
        assert second
        assert not first & second  # a listening socket each
        shares = [established(pid, server.port) for pid in workers]
        assert sum(shares) == 32
        # split by address, each worker's share is binomial: below 4 of 32 once in a million
        assert min(shares) >= 4, shares
    finally:
        for client in clients:
            client.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_a_worker_that_dies_is_replaced(two_workers: tuple[Server, subprocess.Popen[str]]) -> None:
    server, process = two_workers
    before = workers_of(process)
    assert len(before) == 2
    time.sleep(5.5)  # past the start-up window, where a dying worker stops the server
    os.kill(before[0], 9)
    deadline = time.monotonic() + 30
    now: list[int] = []
    while time.monotonic() < deadline:
        now = workers_of(process)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.2)
    assert len(now) == 2
    assert before[0] not in now
    assert before[1] in now
    for _ in range(10):  # new connections: whichever worker takes them answers
        status = 0
        while time.monotonic() < deadline:
            try:
                status = server.get("/static/kith.css")[0]
                break
            except OSError:  # the new worker may still be starting
                time.sleep(0.2)
        assert status == 200
    assert process.poll() is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::"])
def test_no_address_beyond_this_machine_without_members(sqlite_cli: Any, host: str) -> None:
    result = sqlite_cli("serve", "--host", host, "--port", str(free_port()))
    assert result.code == 2
    assert f"Not listening on {host}: this base has no members" in result.err
    assert "kith team init" in result.err
