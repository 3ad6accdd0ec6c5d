"""How fast are today's agenda and the report on a large base? Figures and ratios from one run.

Builds a 100,000-person, 2,000,000-interaction base with the demo generator (or reuses
one), then times, side by side:

* one plain SQL pass over every row of the interactions table, ``SELECT sum(word_count)``
  (the scan floor; a bare ``COUNT(*)`` is no scan: SQLite counts the cells of each leaf page
  without reading a row),
* ``kith today --json``, ``kith show ID --json`` and ``kith report --json`` as a user runs
  them (a new process: interpreter start and imports included),
* the same three calls through the Python API in a warm process (the work itself),
* with ``--reassess``, the report made the old way, assessing every history (slow: ~40 s).

Targets: ``kith today`` under 2 s and within 10x of the scan (issue 2); ``kith report`` (and
so the web Report page, which calls the same service) under 2 s on a base whose figures are
current. The first report of a run may bring figures up to date (after a migration, or on a
new day); that call is left out of the timings, as the first ``today`` is.

    python benchmarks/agenda.py                       # SQLite, 100k people, 2M interactions
    python benchmarks/agenda.py --people 20000 --interactions 400000
    python benchmarks/agenda.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from kith.api import Kith
from kith.demo import build_demo
from kith.services import report
from kith.store import database

NOW = "2026-11-21T15:00:00+00:00"


def best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def count_scan(url: str) -> float:
    engine = database.create(url)
    try:
        with engine.connect() as c:
            c.execute(text("SELECT 1"))  # connect outside the timing

            def scan() -> None:
                c.execute(text("SELECT sum(word_count) FROM interactions")).scalar_one()

            scan()  # warm the cache once, as the other figures are warm too
            return best_of(5, scan)
    finally:
        engine.dispose()


def cli(url: str, *args: str) -> float:
    kith = shutil.which("kith")
    command = [kith] if kith else [sys.executable, "-m", "kith"]
    env = {**os.environ, "KITH_NOW": NOW, "KITH_DB": url}

    def run() -> None:
        done = subprocess.run([*command, *args], env=env, capture_output=True, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"kith {' '.join(args)} failed: {done.stderr.decode()}")

    run()
    return best_of(3, run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=2_000_000)
    parser.add_argument("--db", default=str(Path("bench-data") / "agenda.sqlite"))
    parser.add_argument("--rebuild", action="store_true", help="build even if the base exists")
    parser.add_argument(
        "--reassess", action="store_true", help="also time the report made by assessing everyone"
    )
    args = parser.parse_args()
    url = database.normalise_url(args.db)
    os.environ["KITH_NOW"] = NOW
    now = datetime.fromisoformat(NOW)

    with Kith(url, clock_fn=lambda: now) as base:
        existing = 0
        try:
            with base.engine.connect() as c:
                existing = c.execute(text("SELECT COUNT(*) FROM people")).scalar_one()
        except Exception:
            existing = 0
    if args.rebuild or existing != args.people:
        print(f"building {args.people:,} people / {args.interactions:,} interactions ...")
        start = time.perf_counter()
        build_demo(url, people=args.people, seed=1, interactions=args.interactions, now=now)
        print(f"  built in {time.perf_counter() - start:.1f} s")

    with Kith(url, clock_fn=lambda: now) as base:
        with base.engine.connect() as c:
            n_people = c.execute(text("SELECT COUNT(*) FROM people")).scalar_one()
            n_touch = c.execute(text("SELECT COUNT(*) FROM interactions")).scalar_one()
        items = base.today()
        someone = str(items[0]["person"]["id"]) if items else "1"
        api_today = best_of(5, base.today)
        api_show = best_of(5, lambda: base.show(someone))
        start = time.perf_counter()
        base.report()  # brings stale report figures up to date, if any
        first_report = time.perf_counter() - start
        api_report = best_of(5, base.report)
        reassessed: float | None = None
        if args.reassess:

            def reassess() -> None:
                with base.unit() as (connection, ctx):
                    report.reassess(connection, ctx)

            reassessed = best_of(1, reassess)
    scan = count_scan(url)
    cli_today = cli(url, "today", "--json")
    cli_show = cli(url, "show", someone, "--json")
    cli_report = cli(url, "report", "--json")
    cli_floor = cli(url, "--help")

    backend = database.create(url).dialect.name
    print(f"\nbase: {backend}, {n_people:,} people, {n_touch:,} interactions")
    rows = [
        ("one pass over every interaction (scan floor)", scan),
        ("kith today --json (new process)", cli_today),
        ("kith show ID --json (new process)", cli_show),
        ("kith report --json (new process)", cli_report),
        ("kith --help (interpreter start + imports)", cli_floor),
        ("Kith.today() (warm process)", api_today),
        ("Kith.show(ID) (warm process)", api_show),
        ("Kith.report() (warm process)", api_report),
    ]
    if reassessed is not None:
        rows.append(("report by assessing everyone (the old way)", reassessed))
    for label, seconds in rows:
        print(f"  {label:<45} {seconds * 1000:9.1f} ms   {seconds / scan:7.1f}x scan")
    work = cli_today - cli_floor
    print(
        f"\n  today's own work in the CLI (today - help):   {work * 1000:9.1f} ms   "
        f"{work / scan:7.1f}x scan"
    )
    print(
        f"\n  first Kith.report() of this run (figures brought up to date): "
        f"{first_report * 1000:9.1f} ms"
    )
    print("\ntargets:")
    print(
        f"  kith today under 2 s ............ {'met' if cli_today < 2 else 'MISSED'}"
        f" ({cli_today:.2f} s)"
    )
    print(
        f"  agenda within 10x of the scan ... {'met' if api_today <= 10 * scan else 'MISSED'}"
        f" ({api_today / scan:.1f}x in a warm process; the new process adds "
        f"{cli_floor * 1000:.0f} ms of start-up that no query can remove)"
    )
    print(
        f"  kith report under 2 s ........... {'met' if cli_report < 2 else 'MISSED'}"
        f" ({cli_report:.2f} s; {api_report * 1000:.0f} ms in a warm process, "
        f"{api_report / scan:.1f}x scan)"
    )


if __name__ == "__main__":
    main()
