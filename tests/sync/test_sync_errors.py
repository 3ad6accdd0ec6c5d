"""Sync sources that answer garbage, password commands, and the checks `kith sync add` makes."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import CLI
from tests.sync import test_imap_sync as imap
from tests.sync.servers import Dovecot
from tests.sync.test_imap_sync import snapshot


@pytest.fixture
def junk_imap() -> Iterator[int]:
    """A TCP server on loopback that greets with junk instead of IMAP."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>hi</html>\r\n"
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


class _Html(BaseHTTPRequestHandler):
    def do_PROPFIND(self) -> None:
        body = b"<html><body>Welcome to our portal</body></html>"
        self.send_response(207)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def junk_dav() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Html)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/dav/"
    server.shutdown()
    server.server_close()


def test_a_server_that_answers_garbage_is_one_sentence_and_nothing(
    sqlite_cli: CLI, junk_imap: int, junk_dav: str, monkeypatch
):
    monkeypatch.setenv("PW", "a-password")
    sqlite_cli.ok(
        "sync", "add", "imap", "--host", "127.0.0.1", "--port", str(junk_imap), "--tls",
        "none", "--user", "ana@example.org", "--password-env", "PW",
    )  # fmt: skip
    sqlite_cli.ok("sync", "add", "caldav", junk_dav, "--user", "ana", "--password-env", "PW")
    before = snapshot(sqlite_cli.db)
    result = sqlite_cli("sync")
    assert result.code == 2, result.out
    assert "Traceback" not in result.out + result.err
    lines = {line.split(" ", 1)[0]: line for line in result.out.splitlines()}
    assert "failed: The mail server 127.0.0.1:" in lines["imap"]
    assert "answered with something that is not WebDAV" in lines["caldav"]
    assert snapshot(sqlite_cli.db) == before


def test_a_password_command_gives_the_password_and_its_failures_are_named(
    sqlite_cli: CLI, dovecot: Dovecot
):
    sqlite_cli.now = imap.NOW
    imap.seed(dovecot)
    command = f"{sys.executable} -c \"print('{dovecot.password}')\""
    sqlite_cli.ok(
        "sync", "add", "imap", "--host", dovecot.host, "--port", str(dovecot.port),
        "--tls", "none", "--user", dovecot.user, "--password-command", command,
    )  # fmt: skip
    (run,) = sqlite_cli.json("sync")
    assert (run["ok"], run["interactions_added"]) == (True, 3)
    sqlite_cli.ok("sync", "remove", "imap")
    sqlite_cli.ok(
        "sync", "add", "imap", "--host", dovecot.host, "--port", str(dovecot.port),
        "--tls", "none", "--user", dovecot.user, "--password-command", "no-such-program-here",
    )  # fmt: skip
    (failed,) = sqlite_cli("sync", "--json").json()
    assert failed["error"] == (
        "The password command 'no-such-program-here' failed: No such file or directory."
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["imap", "--host", "imap.example.org", "--user", "u", "--tls", "none",
          "--password-env", "PW"], "in the clear"),
        (["imap", "--host", "imap.example.org", "--user", "u"], "Say where the password"),
        (["imap", "--host", "imap.example.org", "--user", "u", "--password-env", "PW",
          "--password-command", "x"], "Say where the password"),
        (["caldav", "http://dav.example.org/", "--user", "u", "--password-env", "PW"],
         "plain HTTP"),
        (["caldav", "ftp://dav.example.org/", "--user", "u", "--password-env", "PW"],
         "is no http(s) URL"),
        (["imap", "--host", "h", "--user", "u", "--password-env", "PW", "--name", "Bad Name"],
         "cannot name a sync source"),
    ],
)  # fmt: skip
def test_add_refuses_what_cannot_work_in_one_sentence(sqlite_cli: CLI, args, said):
    result = sqlite_cli("sync", "add", *args)
    assert result.code == 2
    assert said in result.out + result.err
    assert sqlite_cli.json("sync", "list") == []


def test_two_sources_of_one_name_and_removing_an_unknown_one(sqlite_cli: CLI):
    add = ["sync", "add", "imap", "--host", "h.example.org", "--user", "u", "--password-env", "PW"]
    sqlite_cli.ok(*add)
    again = sqlite_cli(*add)
    assert again.code == 2
    assert "exists already" in again.out + again.err
    gone = sqlite_cli("sync", "remove", "nothing")
    assert gone.code == 2
    assert "No sync source is named 'nothing'" in gone.out + gone.err
    (listed,) = sqlite_cli.json("sync", "list")
    assert (listed["name"], listed["password_from"], listed["last_run_at"]) == (
        "imap",
        "env PW",
        None,
    )
