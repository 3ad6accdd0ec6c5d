"""A web server, CLI writes and an import on one SQLite base at the same time (docs/
security.md, "Contention"): every write lands, none is lost, and none sees "database is
locked" while no one holds the base longer than the busy timeout.

The import is one transaction of a second or two; the server's and the CLI's writes wait for
it (SQLite allows one writer at a time) and then go through.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kith.proof import crashes
from kith.store.database import sqlite_url

LOCKED = "database is locked"


@dataclass
class ContentionRun:
    """What one run of the three at once gave."""

    import_error: str = ""
    cli_done: int = 0
    web_done: int = 0
    failures: list[str] = field(default_factory=list)
    expected: int = 0
    found: int = 0
    #: writes of the server and the CLI that ended while the import was running
    during_import: int = 0

    @property
    def lost(self) -> int:
        return self.expected - self.found

    @property
    def locked(self) -> int:
        return sum(LOCKED in f for f in self.failures) + (LOCKED in self.import_error)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM interactions").fetchone()[0])
    finally:
        connection.close()


def _person(path: Path, name: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(
            connection.execute("SELECT id FROM people WHERE name = ?", (name,)).fetchone()[0]
        )
    finally:
        connection.close()


def _serve(db: str, home: Path, port: int) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "KITH_DB": db, "KITH_NOW": crashes.NOW, "KITH_HOME": str(home)}
    environment.pop("KITH_USER", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "kith", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"kith serve ended: {server.communicate()[1].decode()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/kith.css", timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("kith serve did not start within a minute")


def contend(
    folder: Path, archive: Path, home: Path, cli_writes: int = 6, web_writes: int = 30
) -> ContentionRun:
    """Import `archive` into a base that holds data while `kith serve` takes `web_writes`
    logged touches through its JSON API and `kith log` runs `cli_writes` times."""
    folder.mkdir(parents=True, exist_ok=True)
    trial, base = folder / "trial.sqlite", folder / "base.sqlite"
    for path in (trial, base):
        for leftover in folder.glob(f"{path.name}*"):
            leftover.unlink()
        crashes.holding_data(sqlite_url(path))
    before = _count(trial)
    crashes.run_to_the_end(["import", "x", str(archive)], sqlite_url(trial), home)
    imported = _count(trial) - before  # what the import adds on its own

    run = ContentionRun(expected=_count(base) + imported + cli_writes + web_writes)
    db = sqlite_url(base)
    tom = _person(base, "Tom Okafor")
    port = _free_port()
    server = _serve(db, home, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            token = client.get("/api/session").json()["csrf_token"]

            def overlapped() -> None:
                if importer.poll() is None:
                    run.during_import += 1

            def web() -> None:
                for n in range(web_writes):
                    answer = client.post(
                        f"/api/people/{tom}/log",
                        json={"channel": "dm", "direction": "in", "text": f"web {n}"},
                        headers={"X-CSRF-Token": token},
                    )
                    if answer.is_success:
                        run.web_done += 1
                        overlapped()
                    else:
                        run.failures.append(f"web: {answer.status_code} {answer.text}")

            def cli() -> None:
                for n in range(cli_writes):
                    process = crashes.kith_process(
                        ["log", "Tom Okafor", "dm", "--in", "--text", f"cli {n}"], db, home
                    )
                    _, err = process.communicate(timeout=120)
                    if process.returncode == 0:
                        run.cli_done += 1
                        overlapped()
                    else:
                        run.failures.append(f"cli: exit {process.returncode}: {err.decode()}")

            importer = crashes.kith_process(["import", "x", str(archive)], db, home)
            workers = [threading.Thread(target=web), threading.Thread(target=cli)]
            for worker in workers:
                worker.start()
            _, err = importer.communicate(timeout=300)
            if importer.returncode != 0:
                run.import_error = err.decode(errors="replace")
            for worker in workers:
                worker.join(300)
    finally:
        server.terminate()
        server.wait(30)
        if server.stderr is not None:
            server.stderr.close()
    run.found = _count(base)
    return run
