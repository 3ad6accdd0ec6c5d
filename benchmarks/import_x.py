"""How fast does kith import an X archive? Prints figures and ratios from one run.

Generates an X archive of 500,000 tweets and 100,000 DMs with 20,000 distinct counterparts
(the real layout, see kith.proof.x_archive), then times, each in its own process:

(a) `kith import x ARCHIVE` into a new SQLite base;
(b) the floor: reading the same files with orjson and inserting the same people,
    identities and interactions into the same schema with sqlite3's `executemany` in one
    transaction (no identity resolution, no deduplication, no per-person figures);
(c) `twitter-to-sqlite import` of the same archive, when it installs (in a venv of its own);
(d) `kith import x ARCHIVE` into a new PostgreSQL database (`--postgres`, the server of
    127.0.0.1:5432 by default; left out when none answers);
(e) the raw floor: unzip, orjson and one `executemany` of id, person, time and text per
    message into a table without indexes (issue 12, probe 11).

Targets (issue 3): kith within 2x of the floor, faster than twitter-to-sqlite; (issue 12)
kith on PostgreSQL within 2x of kith on SQLite, and within 2x of the raw floor; peak memory
of each is printed.

    python benchmarks/import_x.py
    python benchmarks/import_x.py --tweets 50000 --dms 10000 --counterparts 2000 --repeat 3

With `--repeat N` every contender runs N times, in turn (so that a slow spell of a shared
machine falls on all of them alike), and the fastest run of each is compared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from kith.proof.x_archive import ME, write_archive

HERE = Path(__file__).resolve().parent


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        raise SystemExit(f"{' '.join(command[:4])} ... failed: {error[-2000:]}")
    return wall, usage.ru_maxrss / 1024


# -- (b) the floor ------------------------------------------------------------------------
def floor(archive: Path, db: Path) -> None:
    """Parse with orjson and executemany the same rows into the same schema."""
    import sqlite3
    from datetime import UTC, datetime

    import orjson

    from kith.store.database import open_engine, sqlite_url

    open_engine(sqlite_url(db)).dispose()  # the same tables and indexes as kith's

    def array(data: bytes) -> list[dict]:
        return orjson.loads(data[data.index(b"[") :])

    with zipfile.ZipFile(archive) as z:
        tweets = array(z.read("data/tweet.js"))
        conversations = array(z.read("data/direct-messages.js"))
    people: dict[str, int] = {}
    names: dict[str, tuple[str, str]] = {}
    rows = []

    def person(uid: str) -> int:
        return people.setdefault(uid, len(people) + 1)

    for item in tweets:
        tweet = item["tweet"]
        when = datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y")
        stamp = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        text = tweet["full_text"]
        for m in tweet["entities"]["user_mentions"]:
            names[m["id_str"]] = (m["screen_name"], m["name"])
            channel = (
                "share"
                if text.startswith("RT @")
                else "reply"
                if tweet.get("in_reply_to_user_id_str") == m["id_str"]
                else "mention"
            )
            rows.append(
                (
                    person(m["id_str"]),
                    stamp,
                    channel,
                    "out",
                    text,
                    len(text.split()),
                    0,
                    None,
                    "x",
                    f"tweet:{tweet['id_str']}:{m['id_str']}",
                    None,
                )
            )
    for item in conversations:
        for event in item["dmConversation"]["messages"]:
            message = event["messageCreate"]
            mine = message["senderId"] == ME
            other = message["recipientId"] if mine else message["senderId"]
            stamp = message["createdAt"].replace("T", " ").replace("Z", "000")
            rows.append(
                (
                    person(other),
                    stamp,
                    "dm",
                    "out" if mine else "in",
                    message["text"],
                    len(message["text"].split()),
                    0,
                    None,
                    "x",
                    f"dm:{message['id']}",
                    None,
                )
            )
    connection = sqlite3.connect(db)
    with connection:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        connection.executemany(
            "INSERT INTO people (id, name, name_key, paused, created_at) VALUES (?, ?, ?, 0, ?)",
            [
                (pid, names.get(uid, (uid, uid))[1], names.get(uid, (uid, uid))[1].lower(), now)
                for uid, pid in people.items()
            ],
        )
        connection.executemany(
            "INSERT INTO identities (person_id, platform, handle, display) VALUES (?, ?, ?, ?)",
            [(pid, "x", f"id:{uid}", uid) for uid, pid in people.items()],
        )
        connection.executemany(
            "INSERT INTO interactions (person_id, occurred_at, channel, direction, text, "
            "word_count, is_link_share, minutes, source, external_id, member) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    connection.close()


# -- (e) the raw floor ---------------------------------------------------------------------
def raw_floor(archive: Path, db: Path) -> None:
    """Unzip, orjson, and one executemany of id, person, time and text per message into a
    table without indexes: what reading the archive and writing its messages costs at least."""
    import sqlite3

    import orjson

    def array(data: bytes) -> list[dict]:
        return orjson.loads(data[data.index(b"[") :])

    with zipfile.ZipFile(archive) as z:
        tweets = array(z.read("data/tweet.js"))
        conversations = array(z.read("data/direct-messages.js"))
    rows = [
        (t["tweet"]["id_str"], m["id_str"], t["tweet"]["created_at"], t["tweet"]["full_text"])
        for t in tweets
        for m in t["tweet"]["entities"]["user_mentions"]
    ]
    for item in conversations:
        for event in item["dmConversation"]["messages"]:
            message = event["messageCreate"]
            other = message["recipientId"] if message["senderId"] == ME else message["senderId"]
            rows.append((message["id"], other, message["createdAt"], message["text"]))
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("CREATE TABLE messages (id TEXT, person TEXT, at TEXT, text TEXT)")
        connection.executemany("INSERT INTO messages VALUES (?, ?, ?, ?)", rows)
    connection.close()


# -- (c) twitter-to-sqlite ----------------------------------------------------------------
def twitter_to_sqlite(work: Path) -> Path | None:
    venv = work / "t2s-venv"
    exe = venv / "bin" / "twitter-to-sqlite"
    if exe.exists():
        return exe
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300
        )
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "twitter-to-sqlite"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError):
        shutil.rmtree(venv, ignore_errors=True)
        return None
    return exe if exe.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=500_000)
    parser.add_argument("--dms", type=int, default=100_000)
    parser.add_argument("--counterparts", type=int, default=20_000)
    parser.add_argument("--work", default="bench-data/import-x")
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to make the database kith_bench_import on ('' to leave out)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each contender; the fastest counts"
    )
    parser.add_argument("--floor", nargs=2, metavar=("ARCHIVE", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--raw-floor", nargs=2, metavar=("ARCHIVE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(Path(args.floor[0]), Path(args.floor[1]))
        return
    if args.raw_floor:
        raw_floor(Path(args.raw_floor[0]), Path(args.raw_floor[1]))
        return
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    name = f"x-{args.tweets}-{args.dms}-{args.counterparts}"
    archive = work / f"{name}.zip"
    if not archive.exists():
        print(f"writing {archive.name} ...", flush=True)
        # tweet.js, the name older archives used: both kith and twitter-to-sqlite read it
        write_archive(work / name, args.tweets, args.dms, args.counterparts, tweet_file="tweet.js")
        shutil.rmtree(work / name)
    size = sum(i.file_size for i in zipfile.ZipFile(archive).infolist())
    print(
        f"archive: {args.tweets:,} tweets, {args.dms:,} DMs, {args.counterparts:,} "
        f"counterparts; {archive.stat().st_size / 2**20:.0f} MiB zipped, "
        f"{size / 2**20:.0f} MiB of JSON"
    )

    env = {**os.environ, "KITH_NOW": "2026-11-21T12:00:00Z", "KITH_HOME": str(work / "home")}
    kith = shutil.which("kith")
    command = [kith] if kith else [sys.executable, "-m", "kith"]
    exe = twitter_to_sqlite(work)

    def fresh(name: str) -> str:
        """A new, empty SQLite file `name` in the work folder."""
        db = work / name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return str(db)

    def on_postgres() -> list[str] | None:
        target = fresh_postgres(args.postgres, "kith_bench_import")
        return None if target is None else [*command, "--db", target, "import", "x", str(archive)]

    contenders: dict[str, Callable[[], list[str] | None]] = {
        "kith import x": lambda: [
            *command,
            "--db",
            fresh("kith.sqlite"),
            "import",
            "x",
            str(archive),
        ],
        "floor: orjson + executemany": lambda: [
            sys.executable,
            __file__,
            "--floor",
            str(archive),
            fresh("floor.sqlite"),
        ],
        "raw floor: executemany, no index": lambda: [
            sys.executable,
            __file__,
            "--raw-floor",
            str(archive),
            fresh("raw.sqlite"),
        ],
        "twitter-to-sqlite import": lambda: (
            None if exe is None else [str(exe), "import", fresh("t2s.sqlite"), str(archive)]
        ),
        "kith import x (PostgreSQL)": on_postgres,
    }
    results: dict[str, tuple[float, float] | None] = dict.fromkeys(contenders)
    for round_ in range(1, max(args.repeat, 1) + 1):
        for label, make in contenders.items():
            print(f"round {round_}: {label} ...", flush=True)
            line = make()
            if line is None:
                continue
            wall, peak = run(line, env)
            best = results[label]
            results[label] = (
                (wall, peak) if best is None else (min(best[0], wall), max(best[1], peak))
            )

    base = results["floor: orjson + executemany"]
    assert base is not None
    print()
    for label, figures in results.items():
        if figures is None:
            print(f"  {label:<32} did not install here")
            continue
        wall, peak = figures
        print(f"  {label:<32} {wall:8.1f} s   peak {peak:7.0f} MiB   {wall / base[0]:5.2f}x floor")
    ours = results["kith import x"]
    assert ours is not None
    print("\ntargets:")
    ratio = ours[0] / base[0]
    print(f"  within 2x of the floor ........ {'met' if ratio <= 2 else 'MISSED'} ({ratio:.2f}x)")
    raw = results["raw floor: executemany, no index"]
    assert raw is not None
    raw_ratio = ours[0] / raw[0]
    print(
        f"  within 2x of the raw floor .... {'met' if raw_ratio <= 2 else 'MISSED'} "
        f"({raw_ratio:.2f}x)"
    )
    other = results["twitter-to-sqlite import"]
    if other is None:
        print("  faster than twitter-to-sqlite .. not measured (it did not install)")
    else:
        faster = ours[0] < other[0]
        print(
            f"  faster than twitter-to-sqlite .. {'met' if faster else 'MISSED'} "
            f"({other[0] / ours[0]:.2f}x)"
        )
    on_postgres = results["kith import x (PostgreSQL)"]
    if on_postgres is None:
        print("  PostgreSQL within 2x of SQLite . not measured (no server answered)")
    else:
        slower = on_postgres[0] / ours[0]
        print(
            f"  PostgreSQL within 2x of SQLite . {'met' if slower <= 2 else 'MISSED'} "
            f"({slower:.2f}x)"
        )
    print(f"  peak memory ................... {ours[1]:.0f} MiB for {size / 2**20:.0f} MiB of JSON")


def fresh_postgres(server: str, name: str) -> str | None:
    """A new, empty database `name` on `server` (dropped first); its URL, or None when no
    server answers."""
    if not server:
        return None
    try:
        import psycopg

        with psycopg.connect(server, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no driver, no server, no rights: say so and go on
        print(f"  (PostgreSQL left out: {str(exc).splitlines()[0]})")
        return None
    return server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"


if __name__ == "__main__":
    main()
