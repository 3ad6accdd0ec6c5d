"""`python -m kith.fuzz SOURCE ... [--seconds N | --inputs N]`: fuzz importers for as long
as one likes (docs/security.md, "Fuzzing"). Every input that crashes kith, writes part of an
import or is not idempotent is saved with what happened under `--out`, and the exit status
is 1 when there was any."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kith.errors import KithError
from kith.proof.fuzzing import FINDINGS, SEEDS, Tally, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kith.fuzz",
        description="Spoil real-shaped exports and import them into a base that holds data: "
        "each must import (and a second import add nothing) or be refused in one sentence "
        "with nothing written.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help=f"{', '.join(SEEDS)} or all")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--seconds", type=float, help="how long to fuzz each source")
    budget.add_argument("--inputs", type=int, help="how many inputs per source (default 1,000)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same inputs (default 0)")
    parser.add_argument(
        "--out", type=Path, default=Path("fuzz-work"), help="work folder; findings in OUT/findings"
    )
    arguments = parser.parse_args(argv)
    sources = list(SEEDS) if arguments.sources == ["all"] else arguments.sources
    unknown = [s for s in sources if s not in SEEDS]
    if unknown:
        parser.error(f"no seed for {', '.join(unknown)}; sources: {', '.join(SEEDS)} or all")
    inputs = arguments.inputs if arguments.seconds is None else None
    if inputs is None and arguments.seconds is None:
        inputs = 1_000
    found = 0
    try:
        for source in sources:
            tally = run(
                source,
                arguments.out,
                inputs=inputs,
                seconds=arguments.seconds,
                seed=arguments.seed,
                progress=_progress,
            )
            print(f"\r{line(tally)}", flush=True)
            for finding in tally.findings:
                print(f"  {finding.outcome} after '{finding.mutation}': {finding.saved}")
            found += len(tally.findings)
    except KithError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    return 1 if found else 0


def line(tally: Tally) -> str:
    """`x: 2,000 inputs: 1,420 refused, 580 imported, 0 crash, ...`."""
    counts = ", ".join(f"{tally.outcomes[o]:,} {o}" for o in ("refused", "imported", *FINDINGS))
    return f"{tally.source}: {tally.inputs:,} inputs: {counts} (slowest {tally.slowest:.2f} s)"


def _progress(tally: Tally) -> None:
    if sys.stdout.isatty() and tally.inputs % 50 == 0:
        print(f"\r{line(tally)}", end="", flush=True)


if __name__ == "__main__":
    sys.exit(main())
