"""How fast does `kith` start? Prints, from one run, side by side (best of N new processes):

* `python -c pass` and `python -c "import typer"` (the interpreter, and the CLI framework),
* `kith --help`,
* `kith today --json` on the benchmark base (built by benchmarks/agenda.py),
* its floor: a process that imports sqlite3 and runs the agenda's prefilter queries (the
  candidate statements of `kith.store.candidates` for every kind of action, built here once)
  and nothing else,
* and, to show where the rest goes, `import sqlalchemy` and `import pydantic` alone (Typer
  builds each command's parameters with pydantic).

Targets (issue 9): `kith --help` within 1.5x of `import typer`; `kith today --json` at most
0.35 s and within 3x of its floor.

    python benchmarks/startup.py                       # the base in bench-data/agenda.sqlite
    python benchmarks/startup.py --db bench-data/agenda.sqlite --runs 15
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import kith as kith_package

NOW = "2026-11-21T15:00:00+00:00"


def best(command: list[str], runs: int, env: dict[str, str]) -> float:
    """The fastest of `runs` new processes (the least disturbed by the rest of the machine)."""
    fastest = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[:500]}")
        fastest = min(fastest, elapsed)
    return fastest


def prefilter_sql(url: str) -> str:
    """The agenda's candidate statements for today (one per kind of action, as
    `kith.store.candidates` builds them), with their parameters bound as SQLite stores them,
    as JSON: [[sql, params], ...]."""
    from kith.api import Kith
    from kith.domain.model import Action
    from kith.domain.suggestions import ceiling_terms
    from kith.services import context
    from kith.store import candidates, rawsql, snapshot

    now = datetime.fromisoformat(NOW)
    with Kith(url, clock_fn=lambda: now) as base, snapshot.reading(base.url) as plain:
        if plain is None:
            raise SystemExit(f"{url} is not a current SQLite base: run kith once on it first.")
        ctx = context.build(plain, now)
        terms = ceiling_terms(ctx)
        statements = []
        for kind in Action:
            found = candidates.candidate_sql(kind, ctx.today, ctx.rules, ctx.trips, terms, 0.0)
            if found is not None:
                sql, params = found
                statements.append([sql, {k: rawsql.stored(v, True) for k, v in params.items()}])
        return json.dumps(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path("bench-data") / "agenda.sqlite"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    path = Path(args.db)
    if not path.exists():
        raise SystemExit(f"{path} does not exist: run benchmarks/agenda.py first to build it.")
    env = {**os.environ, "KITH_NOW": NOW, "KITH_DB": str(path)}
    # kith's own bytecode, as `pip install` writes it: with PYTHONDONTWRITEBYTECODE set (or
    # an editable install never imported yet) every run would compile kith from source
    compileall.compile_dir(str(Path(kith_package.__file__).parent), quiet=1)
    kith = shutil.which("kith")
    command = [kith] if kith else [sys.executable, "-m", "kith"]
    python = sys.executable
    floor_code = (
        "import json, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "for sql, params in json.loads(sys.stdin.read()):\n"
        "    c.execute(sql, params).fetchall()\n"
    )
    sql = prefilter_sql(f"sqlite:///{path}")

    def floor() -> float:
        fastest = float("inf")
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(
                [python, "-c", floor_code, str(path)], input=sql.encode(), env=env, check=True
            )
            fastest = min(fastest, time.perf_counter() - start)
        return fastest

    rows = {
        "python -c pass": best([python, "-c", "pass"], args.runs, env),
        'python -c "import typer"': best([python, "-c", "import typer"], args.runs, env),
        'python -c "import sqlalchemy"': best([python, "-c", "import sqlalchemy"], args.runs, env),
        'python -c "import pydantic"': best([python, "-c", "import pydantic"], args.runs, env),
        "kith --help": best([*command, "--help"], args.runs, env),
        "floor: sqlite3 + the agenda's prefilter query": floor(),
        "kith today --json": best([*command, "today", "--json"], args.runs, env),
    }
    typer = rows['python -c "import typer"']
    print(f"new processes, best of {args.runs}, base {path}:")
    for label, seconds in rows.items():
        print(f"  {label:<48} {seconds * 1000:7.0f} ms   {seconds / typer:5.2f}x typer")
    help_ratio = rows["kith --help"] / typer
    today = rows["kith today --json"]
    today_ratio = today / rows["floor: sqlite3 + the agenda's prefilter query"]
    print("\ntargets:")
    print(
        f"  kith --help within 1.5x of import typer ..... "
        f"{'met' if help_ratio <= 1.5 else 'MISSED'} ({help_ratio:.2f}x)"
    )
    print(
        f"  kith today --json at most 0.35 s ............ "
        f"{'met' if today <= 0.35 else 'MISSED'} ({today:.2f} s)"
    )
    print(
        f"  kith today --json within 3x of its floor .... "
        f"{'met' if today_ratio <= 3 else 'MISSED'} ({today_ratio:.1f}x)"
    )


if __name__ == "__main__":
    main()
