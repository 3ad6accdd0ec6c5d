"""Mutation fuzzing of every importer (docs/security.md, "Fuzzing").

Each input is a real-shaped export (the fixtures in `tests/fixtures`, a kith-json backup
written by kith itself) with one file spoilt by `kith.proof.mutations`, imported as
`kith import` does into a base that already holds data, the unspoilt export among it. The
only outcomes allowed:

- **imported**: and importing the same input again adds nothing;
- **refused**: a `KithError` (the CLI's one sentence and exit 2), with every table as before.

Anything else is a finding: **crash** (any other exception), **partial** (refused, but the
base changed), **not idempotent** (a second import of the same input added something). The
input of every finding is saved, so that it can be replayed with `kith import`.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kith.errors import KithError
from kith.proof import crashes
from kith.proof.mutations import BYTE_LEVEL, MUTATIONS, mutate
from kith.store.database import sqlite_url

OUTCOMES = ("imported", "refused", "crash", "partial", "not idempotent")
FINDINGS = ("crash", "partial", "not idempotent")
#: files of an export that hold data (the ones worth spoiling)
_DATA_FILES = (".js", ".json", ".csv", ".html", ".txt", ".ics", ".vcf", ".mbox", ".car")


@dataclass(frozen=True)
class Seed:
    """A real-shaped export of one source, under the fixtures folder, and the options its
    import needs."""

    source: str
    path: str
    me: tuple[str, ...] = ()
    tz: str | None = None


SEEDS: dict[str, Seed] = {
    seed.source: seed
    for seed in (
        Seed("x", "x/sample"),
        Seed("linkedin", "linkedin/current"),
        Seed("mastodon", "mastodon/full"),
        Seed("bluesky", "bluesky/synthetic_repo.car"),
        Seed("facebook", "facebook/export_2024"),
        Seed("instagram", "instagram/export_2024"),
        Seed("telegram", "telegram/DataExport_2024-02-01"),
        Seed("whatsapp", "whatsapp/WhatsApp Chat with Ana Example.txt", tz="Europe/Lisbon"),
        Seed("vcard", "vcard/social_profiles.vcf", me=("lee@example.org",)),
        Seed("ics", "ics/meetings.ics"),
        Seed("mbox", "mbox/synthetic_gmail_takeout.mbox"),
        Seed("kith-json", ""),  # written by kith from the base itself
    )
}


def fixtures() -> Path:
    """The fixtures folder: `KITH_FUZZ_FIXTURES`, else `tests/fixtures` of this checkout."""
    chosen = os.environ.get("KITH_FUZZ_FIXTURES")
    folder = Path(chosen) if chosen else Path(__file__).resolve().parents[3] / "tests" / "fixtures"
    if not (folder / "x").is_dir():
        raise KithError(
            f"No fixtures in {folder}: run from a kith checkout, or set KITH_FUZZ_FIXTURES to "
            "its tests/fixtures folder."
        )
    return folder


@dataclass(frozen=True)
class Result:
    outcome: str
    mutation: str
    seconds: float
    detail: str = ""
    saved: Path | None = None


@dataclass
class Tally:
    """What a run of one source found."""

    source: str
    outcomes: Counter[str] = field(default_factory=Counter)
    findings: list[Result] = field(default_factory=list)
    slowest: float = 0.0

    @property
    def inputs(self) -> int:
        return sum(self.outcomes.values())

    def add(self, result: Result) -> None:
        self.outcomes[result.outcome] += 1
        self.slowest = max(self.slowest, result.seconds)
        if result.outcome in FINDINGS:
            self.findings.append(result)


def fingerprint(path: Path) -> dict[str, str]:
    """A hash of every table's rows, in sorted order (a setting written again with the same
    value is the same row under another row id)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        found = {}
        for name in names:
            digest = hashlib.sha256()
            rows = connection.execute(f'SELECT * FROM "{name}"')  # noqa: S608 (its own names)
            for row in sorted(map(repr, rows)):
                digest.update(row.encode())
            found[name] = digest.hexdigest()
        return found
    finally:
        connection.close()


def _without_audit(tables: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in tables.items() if k != "audit"}


class Target:
    """A base that already holds data, and the seed of one source to spoil."""

    def __init__(self, source: str, folder: Path) -> None:
        from kith.api import Kith

        if source not in SEEDS:
            raise KithError(f"No fuzzing seed for '{source}'; sources: {', '.join(SEEDS)}.")
        self.seed = SEEDS[source]
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.db = folder / "base.sqlite"
        for leftover in folder.glob("base.sqlite*"):
            leftover.unlink()
        url = sqlite_url(self.db)
        crashes.holding_data(url)
        moment = datetime.fromisoformat(crashes.NOW)
        self.base = Kith(url, clock_fn=lambda: moment)
        if source == "kith-json":
            self.base.import_file("x", fixtures() / "x" / "sample")
            self.original = folder / "backup.json"
            with self.original.open("w", encoding="utf-8") as out:
                self.base.export_json(out)
        else:
            self.original = fixtures() / self.seed.path
        self._import(self.original)  # the unspoilt export is already in the base
        self.pristine = folder / "pristine.sqlite"
        self._copy(self.db, self.pristine)

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        """SQLite's online backup: the target may be open in the base's own connections."""
        reading, writing = sqlite3.connect(source), sqlite3.connect(target)
        try:
            reading.backup(writing)
        finally:
            reading.close()
            writing.close()

    def reset(self) -> None:
        """The base as it was before the first input: every input meets the same base, so a
        finding can be replayed from the seed's base and the saved input alone."""
        self._copy(self.pristine, self.db)

    def close(self) -> None:
        self.base.close()

    def _import(self, path: Path) -> dict[str, Any]:
        return self.base.import_file(self.seed.source, path, me=self.seed.me, tz=self.seed.tz)

    def spoilt(self, rng: random.Random, into: Path) -> tuple[str, Path]:
        """A copy of the seed with one file spoilt (sometimes zipped, sometimes the zip
        itself spoilt); the mutation's name and the input's path."""
        if into.exists():
            shutil.rmtree(into)
        into.mkdir(parents=True)
        target = into / self.original.name
        if self.original.is_dir():
            shutil.copytree(self.original, target)
            files = sorted(p for p in target.rglob("*") if p.is_file())
            data_files = [p for p in files if p.suffix.lower() in _DATA_FILES] or files
            chosen = rng.choice(data_files)
            name, spoilt = mutate(chosen.name, chosen.read_bytes(), rng)
            chosen.write_bytes(spoilt)
            if rng.random() < 0.15:
                archive = into / f"{target.name}.zip"
                with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
                    for file in sorted(target.rglob("*")):
                        z.write(file, file.relative_to(target).as_posix())
                if rng.random() < 0.5:
                    byte_level = rng.choice(BYTE_LEVEL)
                    archive.write_bytes(MUTATIONS[byte_level](archive.read_bytes(), rng))
                    name = f"{name}, zipped, then {byte_level}"
                return name, archive
            return name, target
        name, spoilt = mutate(target.name, self.original.read_bytes(), rng)
        target.write_bytes(spoilt)
        return name, target

    def attempt(self, path: Path, mutation: str) -> Result:
        """Import one spoilt input, and judge what happened."""
        start = time.perf_counter()
        before = fingerprint(self.db)
        try:
            self._import(path)
        except KithError as refusal:
            outcome = "refused" if fingerprint(self.db) == before else "partial"
            return Result(outcome, mutation, time.perf_counter() - start, str(refusal))
        except Exception:  # a finding: the traceback says where
            return Result("crash", mutation, time.perf_counter() - start, traceback.format_exc())
        imported = fingerprint(self.db)
        try:
            again = self._import(path)
        except Exception:
            detail = "the second import failed:\n" + traceback.format_exc()
            return Result("not idempotent", mutation, time.perf_counter() - start, detail)
        seconds = time.perf_counter() - start
        if again["interactions_added"] or again["people_created"]:
            return Result("not idempotent", mutation, seconds, f"the second import: {again}")
        changed = [
            table
            for table, rows in _without_audit(fingerprint(self.db)).items()
            if imported.get(table) != rows
        ]
        if changed:
            detail = f"the second import changed rows of {', '.join(changed)}"
            return Result("not idempotent", mutation, seconds, detail)
        return Result("imported", mutation, seconds)


def run(
    source: str,
    folder: Path,
    inputs: int | None = None,
    seconds: float | None = None,
    seed: int = 0,
    draw: Callable[[int], random.Random] | None = None,
    progress: Callable[[Tally], None] | None = None,
) -> Tally:
    """Fuzz one source with `inputs` spoilt inputs, or for `seconds`; each input's random
    source is `draw(n)` (default: `random.Random` seeded by `seed` and n). Findings are saved
    under `folder / "findings"`."""
    tally = Tally(source)
    target = Target(source, folder / source)
    end = None if seconds is None else time.monotonic() + seconds
    try:
        for n in _count():
            if (inputs is not None and n >= inputs) or (end is not None and time.monotonic() > end):
                break
            rng = draw(n) if draw is not None else random.Random(f"{seed}:{source}:{n}")
            mutation, path = target.spoilt(rng, folder / source / "input")
            result = target.attempt(path, mutation)
            if result.outcome != "refused":
                target.reset()
            if result.outcome in FINDINGS:
                result = keep_finding(result, path, folder / "findings" / source / f"{seed}-{n}")
            tally.add(result)
            if progress is not None:
                progress(tally)
    finally:
        target.close()
    return tally


def _count() -> Iterator[int]:
    n = 0
    while True:
        yield n
        n += 1


def keep_finding(result: Result, path: Path, where: Path) -> Result:
    """Save the input of a finding under `where`, with what happened in `finding.txt`."""
    where.mkdir(parents=True, exist_ok=True)
    kept = where / path.name
    if path.is_dir():
        shutil.copytree(path, kept, dirs_exist_ok=True)
    else:
        shutil.copyfile(path, kept)
    (where / "finding.txt").write_text(
        f"{result.outcome} after '{result.mutation}'\n\n{result.detail}\n", encoding="utf-8"
    )
    return Result(result.outcome, result.mutation, result.seconds, result.detail, kept)
