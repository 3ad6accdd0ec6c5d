"""How fast are the web pages on a large base? Prints p50/p95 latency per page from one run.

Builds (or reuses) the 100,000-person, 2,000,000-interaction base of benchmarks/agenda.py,
starts `kith serve` on it as a user would (its own process, on loopback), and sends each
page 16 clients at once, a bounded number of requests and at most a minute per page:

* Today (``/``): the whole agenda; the server keeps it per day until a write (cache.py),
  so the first request pays for it and the rest do not.
* People (``/people``): many different pages of the list (sorted by strength, last contact
  and name, filtered by stage, searched by name without accents: "chloe" finds "Chloé",
  "muller" finds "Müller"): LIMIT/OFFSET in the database.
* Person (``/people/ID``): a different person on most requests (the agenda's people, then
  ids spread over the base): the story, the ladder and the timeline of each.

Target (issue 5): p95 under 150 ms for each page.

    python benchmarks/web.py                                # 100k people, 2M interactions
    python benchmarks/web.py --people 20000 --interactions 400000 --db bench-data/small.sqlite
    python benchmarks/web.py --db bench-data/agenda.sqlite --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from kith.api import Kith
from kith.demo import build_demo
from kith.store import database
from kith.store.snapshot import sqlite_file

NOW = "2026-11-21T15:00:00+00:00"  # the moment of benchmarks/agenda.py: one base for both
TARGET_MS = 150.0


@dataclass
class Result:
    page: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    distinct: int = 0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]


def ensure_base(url: str, people: int, interactions: int, rebuild: bool) -> None:
    now = datetime.fromisoformat(NOW)
    existing = 0
    with Kith(url, clock_fn=lambda: now) as base:
        try:
            with base.engine.connect() as c:
                existing = c.execute(text("SELECT COUNT(*) FROM people")).scalar_one()
        except Exception:
            existing = 0
    if rebuild or existing != people:
        print(f"building {people:,} people / {interactions:,} interactions ...")
        start = time.perf_counter()
        build_demo(url, people=people, seed=1, interactions=interactions, now=now)
        print(f"  built in {time.perf_counter() - start:.1f} s")


def read_through(url: str) -> float | None:
    """Read a SQLite base's file once, so that the operating system's page cache holds it
    as it does once a server has run for a while: the pages then measure the server, not
    the disk (on this machine the kernel also reclaims cold pages on its own, so a random
    person's page could otherwise wait for the disk or not, run to run). Returns seconds."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    began = time.perf_counter()
    with path.open("rb") as stream:
        while stream.read(1 << 24):
            pass
    return time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    kith = shutil.which("kith")
    command = [kith] if kith else [sys.executable, "-m", "kith"]
    command += ["--db", url, "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    env = {**os.environ, "KITH_NOW": NOW}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"kith serve exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/kith.css", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("kith serve did not start within 2 minutes")


class Connection:
    """One client: a keep-alive HTTP/1.1 connection, as lean as a load generator should be
    (a full HTTP client in Python would take as much CPU as the server it measures)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n"
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def hammer(port: int, page: str, paths: list[str], clients: int, seconds: float) -> Result:
    """`clients` concurrent clients work through `paths` (one request each) until done or
    `seconds` have passed."""
    result = Result(page, distinct=len(set(paths)))
    queue = list(reversed(paths))
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()

    async def one_client() -> None:
        connection = Connection(port)
        try:
            while queue and time.perf_counter() < deadline:
                path = queue.pop()
                began = time.perf_counter()
                try:
                    ok = await connection.get(path) == 200
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    connection.close()
                    ok = False
                if ok:
                    result.latencies.append((time.perf_counter() - began) * 1000)
                else:
                    result.errors += 1
        finally:
            connection.close()

    await asyncio.gather(*(one_client() for _ in range(clients)))
    result.seconds = time.perf_counter() - start
    return result


def person_paths(url: str, count: int, seed: int) -> list[str]:
    now = datetime.fromisoformat(NOW)
    with Kith(url, clock_fn=lambda: now) as base:
        agenda = [item["person"]["id"] for item in base.today(20)]
        with base.engine.connect() as c:
            top = c.execute(text("SELECT MAX(id) FROM people")).scalar_one()
    rng = random.Random(seed)
    ids = agenda + [rng.randint(1, int(top)) for _ in range(count - len(agenda))]
    return [f"/people/{pid}" for pid in ids[:count]]


#: the People views the clients browse: the list by tie strength (the default), by last
#: contact and by name, one stage, and two searches that only match once accents are set
#: aside (people.name_fold)
PEOPLE_VIEWS = (
    "",
    "sort=recent&",
    "sort=name&",
    "stage=conversing&",
    "q=chloe&",
    "q=muller&sort=name&",
)
#: searches nobody has made yet: each is a new view (one query over the folded names)
NEW_SEARCHES = ("angstrom", "zoe", "garcia", "ana")


def people_paths(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"/people?{rng.choice(PEOPLE_VIEWS)}page={rng.randint(1, 40)}" for _ in range(count)]


async def warm_up(port: int, paths: list[str], rounds: int) -> None:
    """Ask for each path `rounds` times, each on a new connection, so that every worker
    process has worked out its agenda and list orders (kept per process)."""
    for _ in range(rounds):
        for path in paths:
            connection = Connection(port)
            try:
                await connection.get(path)
            finally:
                connection.close()


async def first_visit(port: int, path: str) -> float:
    connection = Connection(port)
    try:
        began = time.perf_counter()
        await connection.get(path)
        return (time.perf_counter() - began) * 1000
    finally:
        connection.close()


async def run(
    port: int, args: argparse.Namespace, url: str
) -> tuple[list[Result], float, list[float]]:
    plans = [
        ("Today", ["/"] * args.requests),
        ("People", people_paths(args.requests, 5)),
        ("Person", person_paths(url, args.requests, 5)),
    ]
    # the clients' own pauses must not count as the server's: finding the agenda's people
    # above leaves this process with objects that a full garbage collection would walk in
    # the middle of a page's timing (up to 0.6 s at 100,000 people)
    gc.collect()
    gc.freeze()
    # a sort no one has asked for yet: what the first visit of a new view costs
    cold = await first_visit(port, "/people?stage=acquainted&sort=recent")
    await warm_up(port, ["/", *(f"/people?{view}page=1" for view in PEOPLE_VIEWS)], 8)
    # once each process keeps its figures: what typing a new search costs
    searches = [await first_visit(port, f"/people?q={q}") for q in NEW_SEARCHES]
    results = []
    for page, paths in plans:
        results.append(await hammer(port, page, paths, args.clients, args.seconds))
    return results, cold, searches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=2_000_000)
    parser.add_argument("--db", default=str(Path("bench-data") / "agenda.sqlite"))
    parser.add_argument("--rebuild", action="store_true", help="build even if the base exists")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--seconds", type=float, default=60.0, help="time cap per page")
    parser.add_argument(
        "--workers", type=int, default=2, help="server processes (kith serve --workers)"
    )
    args = parser.parse_args()
    url = database.normalise_url(args.db)
    ensure_base(url, args.people, args.interactions, args.rebuild)

    cached = read_through(url)
    port = free_port()
    server = start_server(url, port, args.workers)
    try:
        results, cold, searches = asyncio.run(run(port, args, url))
    finally:
        server.terminate()
        server.wait(timeout=30)

    with Kith(url) as base, base.engine.connect() as c:
        n_people = c.execute(text("SELECT COUNT(*) FROM people")).scalar_one()
        n_touch = c.execute(text("SELECT COUNT(*) FROM interactions")).scalar_one()
    backend = database.create(url).dialect.name
    print(
        f"\nbase: {backend}, {n_people:,} people, {n_touch:,} interactions; "
        f"{args.clients} concurrent clients on loopback, {args.workers} server process(es), "
        f"{os.cpu_count()} cores"
    )
    print(
        f"  {'page':<8} {'requests':>8} {'distinct':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'req/s':>7}  target p95 < {TARGET_MS:.0f} ms"
    )
    for r in results:
        p95 = r.percentile(95)
        verdict = "met" if p95 < TARGET_MS and not r.errors else "MISSED"
        print(
            f"  {r.page:<8} {len(r.latencies):>8} {r.distinct:>8} {r.percentile(50):>8.1f} "
            f"{p95:>8.1f} {max(r.latencies, default=float('nan')):>8.1f} "
            f"{len(r.latencies) / r.seconds:>7.1f}  {verdict}"
            + (f" ({r.errors} failed requests)" if r.errors else "")
        )
    if cached is not None:
        print(f"\n  the base's file was read once before the server started ({cached:.1f} s)")
    print(
        f"\n  after a warm-up of 8 requests per view; a People view nobody has asked for yet "
        f"(a new filter or sort) first took {cold:.0f} ms: the list is sorted once per view, "
        "then each page is read by id"
    )
    print(
        "  a search nobody has made yet (a new view, accents and case aside): "
        + ", ".join(f"'{q}' {ms:.0f} ms" for q, ms in zip(NEW_SEARCHES, searches, strict=True))
    )


if __name__ == "__main__":
    main()
