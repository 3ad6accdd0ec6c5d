"""How well does kith hold up under faults and hostile input? One run prints every figure of
docs/security.md, "The reliability report":

1. **Fuzzing** (`kith.proof.fuzzing`): spoilt copies of every importer's real-shaped exports
   imported into a base that already holds data; per source, how many imported (and added
   nothing the second time), were refused in one sentence with nothing written, crashed,
   wrote part of an import, or were not idempotent.
2. **Kill -9** (`kith.proof.crashes`): imports (SQLite and PostgreSQL), a migration and a
   backup killed at spread moments; corruptions, tables changed, reruns unequal to a clean run.
3. **Contention** (`kith.proof.contention`): the server, CLI writes and an import on one
   SQLite base at once; failed writes, "database is locked", writes lost.
4. **schemathesis** over the JSON API (tests/web/test_schemathesis.py with more examples):
   cases run, operations failing, server errors.

Targets (issue 12): at least 2,000 inputs per source with 0 crashes and 0 partial writes; at
least 10 SIGKILL runs with 0 corruptions and every rerun equal to a clean import; 0 server
errors from schemathesis.

    python benchmarks/reliability.py                 # the full report, about 15 minutes
    python benchmarks/reliability.py --inputs 200 --kills 3 --examples 5   # a quick look
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from kith.proof import contention, crashes, fuzzing
from kith.proof.x_archive import write_archive
from kith.store.database import sqlite_url

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    """The server the tests use, when one answers."""
    url = os.environ.get("KITH_TEST_POSTGRES_URL", POSTGRES)
    try:
        import psycopg

        psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2).close()
    except Exception:
        return None
    return url


def fuzz(work: Path, inputs: int, seed: int) -> bool:
    print(f"\n## Fuzzing: {inputs:,} spoilt inputs per source (seed {seed})\n")
    header = ("source", "inputs", "imported", "refused", "crash", "partial", "not idempotent")
    print(f"{header[0]:<10}" + "".join(f"{h:>16}" for h in header[1:]) + f"{'slowest':>10}")
    met = True
    totals = dict.fromkeys(header[1:], 0)
    for source in fuzzing.SEEDS:
        start = time.perf_counter()
        tally = fuzzing.run(source, work, inputs=inputs, seed=seed)
        counts = {"inputs": tally.inputs, **{o: tally.outcomes[o] for o in fuzzing.OUTCOMES}}
        for key in totals:
            totals[key] += counts[key]
        print(
            f"{source:<10}"
            + "".join(f"{counts[h]:>16,}" for h in header[1:])
            + f"{tally.slowest:>9.2f}s"
            + f"   ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        for finding in tally.findings[:5]:
            print(f"    {finding.outcome} after '{finding.mutation}': {finding.saved}")
        met = met and tally.inputs >= 2_000 and not tally.findings
    print(f"{'total':<10}" + "".join(f"{totals[h]:>16,}" for h in header[1:]))
    return met


def kills(work: Path, runs: int, seed: int) -> bool:
    print(f"\n## Kill -9 (seed {seed})\n")
    home = work / "home"
    archive = write_archive(work / "archive", 10_000, 2_000, 300)
    template = crashes.sqlite_template(work / "import", crashes.holding_data)
    jobs: list[tuple[str, crashes.Work | None, int]] = [
        (
            "import (SQLite)",
            crashes.import_work(archive, lambda: crashes.copy_of(template, work / "runs")),
            runs,
        )
    ]
    server = postgres_url()
    if server is not None:
        fresh = crashes.postgres_schema(server)(crashes.holding_data)
        jobs.append(("import (PostgreSQL)", crashes.import_work(archive, fresh, keys=False), 3))
    old = crashes.migration_template(work / "migration", archive, copies=20)
    jobs.append(("migration (SQLite)", crashes.migration_work(old, work / "runs"), 6))
    jobs.append(("backup (SQLite)", None, 5))
    print(f"{'work':<22}{'runs':>6}{'before commit':>15}{'corrupt':>9}{'differ':>8}")
    met = True
    for name, work_to_kill, count in jobs:
        if work_to_kill is None:
            base = work / "backup-source.sqlite"
            shutil.copyfile(template, base)
            crashes.run_to_the_end(["import", "x", str(archive)], sqlite_url(base), home)
            found = crashes.backup_runs(sqlite_url(base), work / "backups", home, count, seed)
        else:
            found = crashes.kill_runs(work_to_kill, count, home, seed)
        corrupt = sum(r.corrupt for r in found)
        differ = sum(bool(r.problem) and not r.corrupt for r in found)
        midway = sum(not r.committed for r in found)
        print(f"{name:<22}{len(found):>6}{midway:>15}{corrupt:>9}{differ:>8}", flush=True)
        for run in found:
            if run.problem:
                print(f"    killed after {run.after} s: {run.problem}")
        met = met and not corrupt and not differ
    if server is None:
        print("(no PostgreSQL answered on 127.0.0.1:5432: its row is left out)")
    return met and runs >= 10


def contend(work: Path, runs: int) -> bool:
    print("\n## Contention: the server, CLI writes and an import on one SQLite base at once\n")
    archive = write_archive(work / "archive", 10_000, 2_000, 300)
    web = cli = during = failed = locked = lost = 0
    for n in range(runs):
        run = contention.contend(work / f"run-{n}", archive, work / "home")
        web, cli, during = web + run.web_done, cli + run.cli_done, during + run.during_import
        failed += len(run.failures) + bool(run.import_error)
        locked += run.locked
        lost += run.lost
    print(
        f"{runs} runs: {runs} imports, {web} web writes and {cli} CLI writes ({during} of them "
        f"while an import was writing): {failed} failed, {locked} 'database is locked', "
        f"{lost} lost"
    )
    return not (failed or locked or lost)


def schemathesis(work: Path, examples: int) -> bool:
    print(f"\n## schemathesis over the JSON API ({examples} examples per operation)\n")
    report = work / "schemathesis.xml"
    environment = {**os.environ, "KITH_SCHEMATHESIS_EXAMPLES": str(examples)}
    server = postgres_url()
    if server is not None:
        environment.setdefault("KITH_TEST_POSTGRES_URL", server)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            str(ROOT / "tests" / "web" / "test_schemathesis.py"),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    cases = sum(int(n) for n in re.findall(r"schemathesis: (\d+) cases", done.stdout))
    tree = ElementTree.parse(report).getroot()
    suite = tree if tree.tag == "testsuite" else tree.find("testsuite")
    assert suite is not None
    operations = int(suite.get("tests", 0))
    failing = [c for c in suite.iter("testcase") if _failure(c) is not None]
    server_errors = sum("Server error" in _words(_failure(c)) for c in failing)
    print(
        f"{cases:,} cases over {operations} operations (demo base and team base): "
        f"{len(failing)} operations failing, {server_errors} with a server error"
    )
    for case in failing[:10]:
        print(f"    {case.get('name')}")
    return not server_errors and not failing and cases > 0


def _failure(case: ElementTree.Element) -> ElementTree.Element | None:
    for tag in ("failure", "error"):
        found = case.find(tag)
        if found is not None:
            return found
    return None


def _words(failure: ElementTree.Element | None) -> str:
    return "" if failure is None else (failure.get("message") or "") + (failure.text or "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=2_000, help="spoilt inputs per source")
    parser.add_argument("--kills", type=int, default=10, help="kills of the SQLite import")
    parser.add_argument("--contention", type=int, default=3, help="contention runs")
    parser.add_argument("--examples", type=int, default=30, help="schemathesis examples")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    print("# kith reliability report")
    with tempfile.TemporaryDirectory(prefix="kith-reliability-") as folder:
        work = Path(folder)
        results = {
            "fuzzing": fuzz(work / "fuzz", arguments.inputs, arguments.seed),
            "kill -9": kills(work / "kill", arguments.kills, arguments.seed + 1),
            "contention": contend(work / "contention", arguments.contention),
            "schemathesis": schemathesis(work, arguments.examples),
        }
    print("\n## Targets (issue 12)\n")
    print(
        "fuzzing: >= 2,000 inputs per source, 0 crashes, 0 partial writes, 0 not idempotent: "
        + ("met" if results["fuzzing"] else "NOT MET")
    )
    print(
        "kill -9: >= 10 SIGKILL runs, 0 corruptions, every rerun equal to a clean run: "
        + ("met" if results["kill -9"] else "NOT MET")
    )
    print(
        "contention: 0 failed, 0 locked, 0 lost: " + ("met" if results["contention"] else "NOT MET")
    )
    print(
        "schemathesis: 0 server errors (and 0 operations failing): "
        + ("met" if results["schemathesis"] else "NOT MET")
    )


if __name__ == "__main__":
    main()
