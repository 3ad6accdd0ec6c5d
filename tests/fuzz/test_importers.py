"""Every importer fed spoilt copies of its real-shaped exports (docs/security.md, "Fuzzing"):
byte flips, cuts, junk, NUL bytes, other encodings, odd dates, CSV columns dropped or added,
JSON fields deleted, retyped, made huge or nested deep. Hypothesis draws the mutations
(derandomised: the same inputs on every run; `KITH_FUZZ_EXAMPLES` sets how many per source).
Each is imported into a base that already holds data: it imports, and a second import adds
nothing, or it is refused with a KithError (the CLI's exit 2) and every table as before."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.proof.fuzzing import FINDINGS, SEEDS, Target, keep_finding

EXAMPLES = int(os.environ.get("KITH_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Target]]:
    made: dict[str, Target] = {}
    yield made
    for target in made.values():
        target.close()


@pytest.mark.parametrize("source", list(SEEDS))
def test_a_spoilt_export_is_imported_or_refused_with_nothing_written(
    source: str, targets: dict[str, Target], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp(f"fuzz-{source}")
    target = targets.setdefault(source, Target(source, folder / "base"))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(rng=st.randoms(use_true_random=False))
    def spoilt(rng: random.Random) -> None:
        mutation, path = target.spoilt(rng, folder / "input")
        result = target.attempt(path, mutation)
        if result.outcome != "refused":
            target.reset()
        if result.outcome in FINDINGS:
            result = keep_finding(result, path, folder / "findings" / str(time.monotonic_ns()))
        assert result.outcome in ("imported", "refused"), (
            f"{result.outcome} after '{mutation}' (input kept in {result.saved}): {result.detail}"
        )

    spoilt()


def test_the_fuzzer_saves_what_it_finds(tmp_path: Path) -> None:
    """`python -m kith.fuzz` runs the same mutations for longer; its outcome counts add up,
    and an input the base does not accept the same way twice would be kept."""
    from kith.fuzz import main

    assert main(["whatsapp", "--inputs", "30", "--seed", "5", "--out", str(tmp_path)]) == 0
    assert not (tmp_path / "findings").exists()
    assert (tmp_path / "whatsapp" / "base.sqlite").exists()
