"""How does a team base hold up? Latency under 16 signed-in members, and two imports at once.

Builds (or reuses) a team base on PostgreSQL: 20 members, 200,000 people, 5,000,000
interactions, each interaction a member's own (most people known by one member, some by
two to five; benchmarks/teambase.py), then:

* **Pages**: starts `kith serve --workers 2` on it as a user would (its own process, on
  loopback; a team base needs sign-in), signs 16 clients in with `POST /api/login`, each as
  a different member, and sends each page 16 clients at once, a bounded number of requests
  and at most a minute per page:

  - Today (``/``): the member's own agenda, kept per member and day by the server (cache.py)
    for a while, so the first request of each member in each process pays for it (shown
    apart) and the rest mostly do not;
  - Person (``/people/ID``): a different person on most requests, each one the member knows;
  - who-knows (``GET /api/people/ID/who-knows``): every member with a history with the
    person, ranked by tie strength, for people the member knows (many known by several).

  Target: p95 under 150 ms for each page.

* **Two imports at once**: two different X archives (kith/proof/x_archive.py; the second
  with its own account, tweet and message ids, and half its counterparts shared with the
  first, as two members of a team follow some of the same people) are imported by two
  members of a new team base one after the other, then by the same two members at the same
  moment (two `kith --as EMAIL import x` processes started together) into another new base.
  Target: nothing lost, i.e. the same counts of people, identities and interactions.

    python benchmarks/team.py                     # 20 members, 200k people, 5M interactions
    python benchmarks/team.py --quick             # 20k people, 500k interactions: a check
    python benchmarks/team.py --rebuild --people 50000 --interactions 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from kith.proof.x_archive import ME, write_archive

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import teambase  # noqa: E402
from web import NOW, TARGET_MS, Result, free_port, start_server  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
WORK = Path("bench-data") / "team"
FULL = {"people": 200_000, "interactions": 5_000_000, "requests": 800}
QUICK = {"people": 20_000, "interactions": 500_000, "requests": 320}


# -- the base -------------------------------------------------------------------------------
def counts(url: str) -> dict[str, int]:
    """People, interactions and active members of the base at `url` (empty: no such base)."""
    if not teambase.database_exists(url):
        return {}
    try:
        with psycopg.connect(teambase.libpq(url)) as c:
            row = c.execute(
                "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM interactions), "
                "(SELECT COUNT(*) FROM members WHERE removed_at IS NULL)"
            ).fetchone()
    except psycopg.Error:
        return {}
    assert row is not None
    return {"people": row[0], "interactions": row[1], "members": row[2]}


def ensure_base(url: str, args: argparse.Namespace, now: datetime) -> dict[str, float]:
    """Build the team base unless it is there with the expected counts; seconds per step."""
    wanted = {"people": args.people, "interactions": args.interactions, "members": args.members}
    timings: dict[str, float] = {}
    if args.rebuild or counts(url) != wanted:
        print(
            f"building {args.members} members, {args.people:,} people, "
            f"{args.interactions:,} interactions in {url.rsplit('/', 1)[-1]} ...",
            flush=True,
        )
        began = time.perf_counter()
        teambase.recreate_database(url)
        teambase.make_team(url, args.members, now)
        timings["team (init, team init, members with passwords)"] = time.perf_counter() - began
        steps = teambase.load(url, args.people, args.interactions, args.members, now)
        timings["plan the histories"] = steps["plan"]
        timings["COPY people, identities, facts, interactions"] = steps["copy"]
        timings["VACUUM ANALYZE"] = steps["analyze"]
    else:
        print(f"reusing {url.rsplit('/', 1)[-1]}: {args.people:,} people, as asked", flush=True)
    began = time.perf_counter()
    refreshed = teambase.refresh(url, now)
    timings[f"kith's figures (Kith.refresh_stale: {refreshed:,} people)"] = (
        time.perf_counter() - began
    )
    if refreshed:
        began = time.perf_counter()
        teambase.vacuum(url)
        timings["VACUUM ANALYZE after the figures"] = time.perf_counter() - began
    for label, seconds in timings.items():
        print(f"  {label:<58} {seconds:8.1f} s")
    return timings


def known_people(url: str) -> dict[str, list[int]]:
    """Each member's people (those with an interaction of theirs) and, under "", the people
    several members know."""
    with psycopg.connect(teambase.libpq(url)) as c:
        rows = c.execute("SELECT member, person_id FROM interactions GROUP BY 1, 2").fetchall()
    found: dict[str, list[int]] = defaultdict(list)
    per_person: Counter[int] = Counter()
    for member, pid in rows:
        found[member].append(pid)
        per_person[pid] += 1
    found[""] = sorted(pid for pid, n in per_person.items() if n > 1)
    return dict(found)


def members_of(url: str, pid: int) -> set[str]:
    """The members with a history with one person: their interactions, asks or facts."""
    with psycopg.connect(teambase.libpq(url)) as c:
        rows = c.execute(
            "SELECT member FROM interactions WHERE person_id = %(p)s AND member IS NOT NULL "
            "UNION SELECT member FROM invites WHERE person_id = %(p)s AND member IS NOT NULL "
            "UNION SELECT member FROM facts WHERE person_id = %(p)s AND member IS NOT NULL",
            {"p": pid},
        ).fetchall()
    return {r[0] for r in rows}


# -- the clients ------------------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Client:
    """One signed-in member on a keep-alive HTTP/1.1 connection, as lean as a load generator
    should be (as benchmarks/web.py's), with the cookies the server set."""

    def __init__(self, port: int, email: str) -> None:
        self.port = port
        self.email = email
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *rest = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        pairs = [
            (k.strip().lower(), v.strip()) for k, _, v in (x.partition(":") for x in rest) if k
        ]
        found = dict(pairs)
        if found.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                parts.append((await self.reader.readexactly(size + 2))[:-2])
                if size == 0:
                    break
            content = b"".join(parts)
        else:
            content = await self.reader.readexactly(int(found.get("content-length", "0")))
        for name, value in pairs:
            if name == "set-cookie":
                key, _, rest_of = value.partition("=")
                self.cookies[key.strip()] = rest_of.split(";", 1)[0]
        if found.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, pairs, content)

    async def sign_in(self, password: str) -> float:
        """`GET /api/session` (the CSRF token and its cookie), then `POST /api/login`;
        returns the sign-in's milliseconds."""
        session = await self.request("GET", "/api/session")
        token = json.loads(session.body)["csrf_token"]
        body = json.dumps({"email": self.email, "password": password}).encode()
        began = time.perf_counter()
        answer = await self.request(
            "POST",
            "/api/login",
            body,
            {"Content-Type": "application/json", "X-CSRF-Token": token},
        )
        took = (time.perf_counter() - began) * 1000
        if answer.status != 200 or "kith_member" not in self.cookies:
            raise SystemExit(
                f"sign-in of {self.email} failed: {answer.status} {answer.body[:300]!r}"
            )
        return took

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Page:
    result: Result
    statuses: Counter[int] = field(default_factory=Counter)
    alone: float = float("nan")  # median ms of the same requests made by one client alone


async def alone(client: Client, paths: list[str]) -> float:
    """Median milliseconds of `paths` asked one after the other by one client, nobody else
    asking: what a request costs the server, without waiting for the others'."""
    times = []
    for path in paths:
        began = time.perf_counter()
        await client.request("GET", path)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


async def hammer(
    clients: list[Client], page: str, plans: list[list[str]], seconds: float, solo: list[str]
) -> Page:
    """First the `solo` paths one after the other by the first client alone; then each
    client works through its own paths (one request each) at the same time as the others,
    until all are done or `seconds` have passed."""
    out = Page(Result(page, distinct=len({p for plan in plans for p in plan})))
    out.alone = await alone(clients[0], solo)
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()

    async def one(client: Client, paths: list[str]) -> None:
        queue = list(reversed(paths))
        while queue and time.perf_counter() < deadline:
            path = queue.pop()
            began = time.perf_counter()
            try:
                status = (await client.request("GET", path)).status
            except (OSError, asyncio.IncompleteReadError, ValueError):
                client.close()
                status = 0
            out.statuses[status] += 1
            if status == 200:
                out.result.latencies.append((time.perf_counter() - began) * 1000)
            else:
                out.result.errors += 1

    await asyncio.gather(*(one(c, p) for c, p in zip(clients, plans, strict=True)))
    out.result.seconds = time.perf_counter() - start
    return out


async def first_todays(clients: list[Client], rounds: int) -> list[float]:
    """Each member asks for Today `rounds` times, each on a new connection, so that every
    worker process has worked out that member's agenda; returns each first visit's ms."""

    async def one(client: Client) -> float:
        first = 0.0
        for n in range(rounds):
            client.close()
            began = time.perf_counter()
            await client.request("GET", "/")
            if n == 0:
                first = (time.perf_counter() - began) * 1000
        client.close()
        return first

    return list(await asyncio.gather(*(one(c) for c in clients)))


@dataclass
class Served:
    pages: list[Page]
    sign_ins: list[float]
    first_today: list[float]
    who_knows: str  # "available", or why not measured
    who_knows_checked: int = 0
    who_knows_wrong: list[str] = field(default_factory=list)


async def serve_and_measure(
    port: int, url: str, args: argparse.Namespace, known: dict[str, list[int]]
) -> Served:
    rng = random.Random(5)
    emails = [teambase.member_email(n) for n in range(1, args.clients + 1)]
    passwords = [teambase.member_password(n) for n in range(1, args.clients + 1)]
    clients = [Client(port, e) for e in emails]
    sign_ins = list(
        await asyncio.gather(*(c.sign_in(p) for c, p in zip(clients, passwords, strict=True)))
    )
    per = max(1, args.requests // len(clients))
    several = set(known.get("", []))

    def spread(email: str, count: int, prefer_several: bool = False) -> list[int]:
        mine = known.get(email, [])
        if prefer_several:  # who-knows: half of them people several members know
            shared = [p for p in mine if p in several]
            single = [p for p in mine if p not in several]
            half = count // 2
            picked = rng.sample(shared, min(half, len(shared)))
            return picked + rng.sample(single, min(count - len(picked), len(single)))
        return rng.sample(mine, min(count, len(mine)))

    # the clients' own pauses must not count as the server's (as benchmarks/web.py)
    gc.collect()
    gc.freeze()
    first_today = await first_todays(clients, 8)
    pages = [
        await hammer(clients, "Today", [["/"] * per for _ in clients], args.seconds, ["/"] * 30),
        await hammer(
            clients,
            "Person",
            [[f"/people/{pid}" for pid in spread(e, per)] for e in emails],
            args.seconds,
            [f"/people/{pid}" for pid in spread(emails[0], 30)],
        ),
    ]
    # who-knows: being built; a build without it answers 404 for every person
    probe = Client(port, emails[0])
    probe.cookies = dict(clients[0].cookies)
    ids = spread(emails[0], 20, prefer_several=True)
    answers = [(pid, await probe.request("GET", f"/api/people/{pid}/who-knows")) for pid in ids]
    probe.close()
    if all(a.status == 404 for _, a in answers):
        return Served(pages, sign_ins, first_today, "not available in this build")
    wrong = []
    for pid, answer in answers:  # every member with a history, each once
        if answer.status != 200:
            wrong.append(f"person {pid}: status {answer.status}")
            continue
        listed = [item["member"]["email"] for item in json.loads(answer.body)]
        expected = members_of(url, pid)
        if sorted(listed) != sorted(expected):
            wrong.append(f"person {pid}: lists {sorted(listed)}, history of {sorted(expected)}")
    pages.append(
        await hammer(
            clients,
            "who-knows",
            [
                [f"/api/people/{pid}/who-knows" for pid in spread(e, per, prefer_several=True)]
                for e in emails
            ],
            args.seconds,
            [f"/api/people/{pid}/who-knows" for pid in ids],
        )
    )
    for client in clients:
        client.close()
    return Served(pages, sign_ins, first_today, "available", len(answers), wrong)


# -- two imports at once ----------------------------------------------------------------------
#: the second archive's account, and how far its tweet and message ids are moved
ME_B = "80000001"
ID_SHIFT = 500_000_000_000_000_000


def _read_js(path: Path) -> tuple[str, Any]:
    text = path.read_text(encoding="utf-8")
    head, _, data = text.partition("= ")
    return head + "= ", json.loads(data)


def _second_archive(root: Path, counterparts: int) -> None:
    """Make an archive from kith.proof.x_archive another member's: their own account, tweet and
    message ids of their own, and counterparts moved by half the pool (so that half of
    them are the first archive's too)."""
    shift = counterparts // 2
    low = 90_000_000

    def uid(value: str) -> str:
        n = int(value)
        return str(n + shift) if low <= n < low + counterparts else value

    def handle(match: re.Match[str]) -> str:
        return f"@user{int(match.group(1)) + shift}"

    data = root / "data"
    head, account = _read_js(data / "account.js")
    account[0]["account"].update(
        {"accountId": ME_B, "username": "sam_b", "accountDisplayName": "Sam B"}
    )
    (data / "account.js").write_text(head + json.dumps(account))
    tweet_file = next(p for p in data.iterdir() if p.name.startswith("tweet"))
    head, tweets = _read_js(tweet_file)
    for item in tweets:
        tweet = item["tweet"]
        tweet["id_str"] = tweet["id"] = str(int(tweet["id_str"]) + ID_SHIFT)
        tweet["full_text"] = re.sub(r"@user(\d+)", handle, tweet["full_text"])
        for m in tweet["entities"]["user_mentions"]:
            n = int(m["id_str"]) - low
            m["id_str"] = m["id"] = uid(m["id_str"])
            m["screen_name"], m["name"] = f"user{n + shift}", f"Person {n + shift}"
        if "in_reply_to_user_id_str" in tweet:
            tweet["in_reply_to_user_id_str"] = tweet["in_reply_to_user_id"] = uid(
                tweet["in_reply_to_user_id_str"]
            )
            n = int(tweet["in_reply_to_screen_name"].removeprefix("user"))
            tweet["in_reply_to_screen_name"] = f"user{n + shift}"
    tweet_file.write_text(head + json.dumps(tweets), encoding="utf-8")
    head, conversations = _read_js(data / "direct-messages.js")
    for item in conversations:
        conversation = item["dmConversation"]
        other = ""
        for event in conversation["messages"]:
            message = event["messageCreate"]
            message["id"] = str(int(message["id"]) + ID_SHIFT)
            for key in ("senderId", "recipientId"):
                message[key] = ME_B if message[key] == ME else uid(message[key])
                if message[key] != ME_B:
                    other = message[key]
        if other:
            conversation["conversationId"] = f"{other}-{ME_B}"
    (data / "direct-messages.js").write_text(head + json.dumps(conversations), encoding="utf-8")
    head, followers = _read_js(data / "follower.js")
    for item in followers:
        item["follower"]["accountId"] = uid(item["follower"]["accountId"])
    (data / "follower.js").write_text(head + json.dumps(followers))


def archives(tweets: int, dms: int, counterparts: int) -> tuple[Path, Path]:
    """Two different X archives (written once, then reused)."""
    work = WORK.resolve()
    work.mkdir(parents=True, exist_ok=True)
    found = []
    for label, seed in (("a", 1), ("b", 2)):
        target = work / f"x-{label}-{tweets}-{dms}-{counterparts}.zip"
        if not target.exists():
            root = work / target.stem
            shutil.rmtree(root, ignore_errors=True)
            write_archive(root, tweets, dms, counterparts, seed=seed, zip_it=False)
            if label == "b":
                _second_archive(root, counterparts)
            partial = target.with_suffix(".part")
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                for file in sorted((root / "data").iterdir()):
                    z.write(file, f"data/{file.name}")
            partial.replace(target)
            shutil.rmtree(root)
        found.append(target)
    return found[0], found[1]


@dataclass
class Imported:
    email: str
    archive: Path
    seconds: float
    status: int
    error: str
    summary: dict[str, Any]


def _command(url: str, email: str, archive: Path) -> list[str]:
    kith = shutil.which("kith")
    command = [kith] if kith else [sys.executable, "-m", "kith"]
    return [*command, "--db", url, "--as", email, "import", "x", str(archive), "--json"]


def _started(url: str, email: str, archive: Path) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "KITH_NOW": NOW}
    child = subprocess.Popen(
        _command(url, email, archive), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    return child, time.perf_counter()


def _finished(child: subprocess.Popen[bytes], began: float, email: str, archive: Path) -> Imported:
    out, err = child.communicate(timeout=1800)
    seconds = time.perf_counter() - began
    summary: dict[str, Any] = {}
    if child.returncode == 0:
        try:
            summary = json.loads(out)
        except ValueError:
            summary = {}
    return Imported(
        email, archive, seconds, child.returncode, err.decode(errors="replace"), summary
    )


def import_counts(url: str) -> dict[str, int]:
    with psycopg.connect(teambase.libpq(url)) as c:
        row = c.execute(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM identities), "
            "(SELECT COUNT(*) FROM interactions)"
        ).fetchone()
        assert row is not None
        found = {"people": row[0], "identities": row[1], "interactions": row[2]}
        for member, n in c.execute(
            "SELECT COALESCE(member, '(no member)'), COUNT(*) FROM interactions GROUP BY 1 "
            "ORDER BY 1"
        ):
            found[f"interactions of {member}"] = n
    return found


def imports(
    args: argparse.Namespace, now: datetime
) -> tuple[dict[str, int], dict[str, int], list[Imported], list[Imported], float, float]:
    a, b = archives(args.tweets, args.dms, args.counterparts)
    jobs = [(teambase.member_email(2), a), (teambase.member_email(3), b)]
    one_after = teambase.with_database(SERVER, f"{args.db_name}_imports_one_after")
    together = teambase.with_database(SERVER, f"{args.db_name}_imports_together")
    for url in (one_after, together):
        teambase.recreate_database(url)
        teambase.make_team(url, 3, now)
    print("  one after the other ...", flush=True)
    began = time.perf_counter()
    sequential = [_finished(*_started(one_after, e, p), e, p) for e, p in jobs]
    sequential_seconds = time.perf_counter() - began
    print("  at the same time ...", flush=True)
    began = time.perf_counter()
    children = [(_started(together, e, p), e, p) for e, p in jobs]
    concurrent = [_finished(*child, e, p) for child, e, p in children]
    concurrent_seconds = time.perf_counter() - began
    return (
        import_counts(one_after),
        import_counts(together),
        sequential,
        concurrent,
        sequential_seconds,
        concurrent_seconds,
    )


# -- the report -------------------------------------------------------------------------------
def print_pages(served: Served, args: argparse.Namespace, base: dict[str, int]) -> None:
    print(
        f"\nbase: postgresql, {base['members']} members, {base['people']:,} people, "
        f"{base['interactions']:,} interactions; {args.clients} signed-in clients at once "
        f"(each a different member) on loopback, {args.workers} server process(es), "
        f"{os.cpu_count()} cores"
    )
    ordered = sorted(served.sign_ins)
    print(
        f"  sign-in (POST /api/login, 16 at once, Argon2): median {ordered[len(ordered) // 2]:.0f}"
        f" ms, slowest {ordered[-1]:.0f} ms"
    )
    firsts = sorted(served.first_today)
    print(
        f"  each member's first Today (their agenda worked out): median "
        f"{firsts[len(firsts) // 2]:.0f} ms, slowest {firsts[-1]:.0f} ms (left out below)"
    )
    print(
        f"  {'page':<10} {'requests':>8} {'distinct':>8} {'alone ms':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'max ms':>8} {'req/s':>7}  target p95 < {TARGET_MS:.0f} ms"
    )
    for page in served.pages:
        r = page.result
        p95 = r.percentile(95)
        verdict = "met" if p95 < TARGET_MS and not r.errors else "not met"
        failed = {s: n for s, n in page.statuses.items() if s != 200}
        print(
            f"  {r.page:<10} {len(r.latencies):>8} {r.distinct:>8} {page.alone:>8.1f} "
            f"{r.percentile(50):>8.1f} "
            f"{p95:>8.1f} {max(r.latencies, default=float('nan')):>8.1f} "
            f"{len(r.latencies) / r.seconds:>7.1f}  {verdict}"
            + (f" (failed: {failed})" if failed else "")
        )
    print(
        "  (alone: the median of 20 to 30 such requests made one after the other by one client, "
        "nobody else asking)"
    )
    if served.who_knows != "available":
        print(f"  who-knows: {served.who_knows}")
    elif served.who_knows_wrong:
        print(
            f"  who-knows lists every member with a history, each once: NO, in "
            f"{len(served.who_knows_wrong)} of {served.who_knows_checked} people checked:"
        )
        for line in served.who_knows_wrong[:5]:
            print(f"    {line}")
    else:
        print(
            f"  who-knows lists every member with a history, each once: yes "
            f"({served.who_knows_checked} people checked)"
        )


def print_imports(
    found: tuple[dict[str, int], dict[str, int], list[Imported], list[Imported], float, float],
    args: argparse.Namespace,
) -> bool:
    one_after, together, sequential, concurrent, seq_s, conc_s = found
    print(
        f"\ntwo imports at once: two X archives of {args.tweets:,} tweets, {args.dms:,} DMs and "
        f"{args.counterparts:,} counterparts each, half of them shared, imported by "
        f"{sequential[0].email} and {sequential[1].email}"
    )
    for label, runs, total in (
        ("one after the other", sequential, seq_s),
        ("at the same time", concurrent, conc_s),
    ):
        parts = ", ".join(
            f"{r.email} {r.seconds:.1f} s" + ("" if r.status == 0 else f" FAILED (exit {r.status})")
            for r in runs
        )
        print(f"  {label:<20} {total:6.1f} s in all ({parts})")
    failed = [r for r in concurrent + sequential if r.status != 0]
    for r in failed:
        print(f"\n  FINDING: the import by {r.email} of {r.archive.name} failed (exit {r.status}):")
        for line in r.error.strip().splitlines()[-15:]:
            print(f"    {line}")
    keys = list(dict.fromkeys([*one_after, *together]))
    print(f"\n  {'count':<40} {'one after':>12} {'together':>12}")
    for key in keys:
        x, y = one_after.get(key, 0), together.get(key, 0)
        print(f"  {key:<40} {x:>12,} {y:>12,}{'' if x == y else '   <- differs'}")
    equal = one_after == together and not failed
    print(f"  counts: {'equal' if equal else 'NOT equal'}")
    return equal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k people, 500k interactions")
    parser.add_argument("--people", type=int)
    parser.add_argument("--interactions", type=int)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--clients", type=int, default=16, help="concurrent signed-in clients")
    parser.add_argument("--requests", type=int, help="requests per page, over all clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="time cap per page")
    parser.add_argument("--workers", type=int, default=2, help="kith serve --workers")
    parser.add_argument("--rebuild", action="store_true", help="build even if the base exists")
    parser.add_argument("--db-name", help="PostgreSQL database (default kith_bench_team[_quick])")
    parser.add_argument("--tweets", type=int, default=20_000, help="per archive, for the imports")
    parser.add_argument("--dms", type=int, default=4_000)
    parser.add_argument("--counterparts", type=int, default=2_000)
    parser.add_argument("--no-imports", action="store_true", help="leave out the imports")
    args = parser.parse_args()
    preset = QUICK if args.quick else FULL
    for name in ("people", "interactions", "requests"):
        if getattr(args, name) is None:
            setattr(args, name, preset[name])
    args.db_name = args.db_name or ("kith_bench_team_quick" if args.quick else "kith_bench_team")
    if args.clients > args.members:
        raise SystemExit("--clients cannot exceed --members: each client is its own member")
    if args.clients < 1 or args.requests < 1:
        raise SystemExit("--clients and --requests must be at least 1")
    os.environ["KITH_NOW"] = NOW
    now = datetime.fromisoformat(NOW)
    url = teambase.with_database(SERVER, args.db_name)
    print(f"machine: {os.cpu_count()} cores; PostgreSQL on 127.0.0.1:5432", flush=True)

    began = time.perf_counter()
    ensure_base(url, args, now)
    base = counts(url)
    built = time.perf_counter() - began
    began = time.perf_counter()
    known = known_people(url)
    load = os.getloadavg()[0]
    port = free_port()
    server = start_server(url, port, args.workers)
    started = time.perf_counter() - began
    try:
        began = time.perf_counter()
        served = asyncio.run(serve_and_measure(port, url, args, known))
        measured = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_pages(served, args, base)
    print(f"  the machine's load average (1 min) before the server started: {load:.2f}")

    found = None
    imported = 0.0
    if not args.no_imports:
        print("\nimports ...", flush=True)
        began = time.perf_counter()
        found = imports(args, now)
        imported = time.perf_counter() - began
        print_imports(found, args)

    print("\ntime taken:")
    print(f"  base (built or reused, figures current) {built:8.1f} s")
    print(f"  server start and who knows whom         {started:8.1f} s")
    print(f"  sign-ins and pages                      {measured:8.1f} s")
    if found is not None:
        print(f"  archives and the four imports           {imported:8.1f} s")


if __name__ == "__main__":
    main()
