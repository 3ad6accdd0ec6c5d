"""kith killed with SIGKILL at random moments: during an import, a migration and a backup.

A kill -9 gives the process no chance to clean up, so what is left is what the database's
own transaction and the file system's rename make of it. The promise checked here (docs/
security.md, "Crash safety"): the base passes SQLite's integrity check, holds exactly what it
held before (or, when the work had already committed, exactly what the finished work gives),
and running the same work again ends in the same base as running it once without a kill.

Each piece of work runs as `python -m kith ...` in its own process, as a user would run it,
with `KITH_NOW` fixed so that two runs of the same work write the same rows.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from kith.store.database import sqlite_url

#: the moment every killed command believes it is (its writes carry it)
NOW = "2026-11-21T15:00:00Z"
Rows = dict[str, tuple[int, str]]


@dataclass(frozen=True)
class KillRun:
    """One piece of work killed at `after` seconds."""

    work: str
    after: float
    #: the process had ended by itself before the kill
    finished_first: bool
    #: the work had committed before the kill (the base was the finished one)
    committed: bool
    #: what was wrong with the base after the kill, or after the work ran again; "" if nothing
    problem: str

    @property
    def corrupt(self) -> bool:
        return self.problem.startswith("corrupt")


def kith_process(
    arguments: Sequence[str], db: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`python -m kith ARGUMENTS` on base `db`, output discarded."""
    environment = {
        **os.environ,
        "KITH_DB": db,
        "KITH_NOW": NOW,
        "KITH_HOME": str(home),
        "KITH_TZ": "UTC",
        **(env or {}),
    }
    environment.pop("KITH_USER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kith", *arguments],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def run_to_the_end(
    arguments: Sequence[str], db: str, home: Path, watch: Callable[[str], bool] | None = None
) -> float:
    """Run the command to its end; a failure raises, with its words. Returns its wall time in
    seconds or, with `watch`, the moment `watch(db)` first held while it ran (its wall time
    when it never did)."""
    start = time.perf_counter()
    process = kith_process(arguments, db, home)
    seen: float | None = None
    while watch is not None and process.poll() is None:
        if watch(db):
            seen = time.perf_counter() - start
            break
        time.sleep(0.01)
    _, err = process.communicate(timeout=900)
    if process.returncode != 0:
        raise RuntimeError(f"kith {' '.join(arguments)} failed: {err.decode(errors='replace')}")
    return time.perf_counter() - start if seen is None else seen


def killed_after(arguments: Sequence[str], db: str, home: Path, seconds: float) -> bool:
    """Start the command, SIGKILL it after `seconds`; False when it had ended by then."""
    process = kith_process(arguments, db, home)
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True
    finally:
        if process.stderr is not None:
            process.stderr.close()


def rows(url: str, keys: bool = True) -> Rows:
    """A fingerprint of every table the base holds (the audit trail and Alembic's revision
    included) and of the schema itself (SQLite's `sqlite_master`, PostgreSQL's columns and
    indexes): each table's row count and a hash of its rows in order. Without `keys`, the
    integer row ids (primary keys and the foreign keys to them) are left out: PostgreSQL's
    sequences move on in a transaction that is rolled back, so a rerun writes the same rows
    with other ids."""
    from sqlalchemy import Integer, MetaData, select

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found: Rows = {}
            tables = MetaData()
            tables.reflect(connection)
            for table in tables.sorted_tables:
                columns = [
                    c
                    for c in table.columns
                    if keys
                    or not (
                        (c.primary_key and isinstance(c.type, Integer))
                        or any(isinstance(k.column.type, Integer) for k in c.foreign_keys)
                    )
                ]
                ordered = select(*columns).order_by(*columns)
                found[table.name] = _digest(connection.execute(ordered))
            found["(schema)"] = _digest(connection.execute(_SCHEMA[engine.dialect.name]))
            return found
    finally:
        engine.dispose()


def _digest(result: Any) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in result:
        digest.update(repr(tuple(row)).encode())
        count += 1
    return count, digest.hexdigest()


_SCHEMA = {
    "sqlite": text("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY 1, 2, 3, 4"),
    "postgresql": text(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
        " WHERE table_schema = current_schema()"
        " UNION ALL SELECT tablename, indexname,"
        " replace(indexdef, ' ON ' || current_schema() || '.', ' ON '), '' FROM pg_indexes"
        " WHERE schemaname = current_schema() ORDER BY 1, 2, 3, 4"
    ),
}


def integrity(url: str) -> str:
    """'ok', or what SQLite's integrity check found (PostgreSQL keeps its own)."""
    if not url.startswith("sqlite"):
        return "ok"
    path = url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    try:
        found = [r[0] for r in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()
    return "ok" if found == ["ok"] else "; ".join(found)


def differences(expected: Rows, found: Rows) -> str:
    """The tables whose rows differ, with their counts; "" when none."""
    changed = [
        f"{name} ({expected.get(name, (0, ''))[0]} -> {found.get(name, (0, ''))[0]} rows)"
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]
    return ", ".join(changed)


def moments(rng: random.Random, runs: int, span: float, lead: float = 0.0) -> list[float]:
    """`runs` kill moments spread over a piece of work lasting `span` seconds whose first
    `lead` seconds are the process starting (Python, kith, the database driver): one in each
    of `runs` equal slices of the rest, at a random place inside it."""
    start = min(lead, span / 2)
    width = span - start
    return [start + width * (k + rng.uniform(0.05, 0.95)) / runs for k in range(runs)]


def start_up(db: str, home: Path) -> float:
    """How long a kith command takes to start and open the base: `kith rules --json`, which
    reads a few settings, the quickest of two runs."""
    return min(run_to_the_end(["rules", "--json"], db, home) for _ in range(2))


@dataclass(frozen=True)
class Work:
    """A piece of work to kill: its command, a way to set up a fresh base in the state it
    starts from, and whether ids are compared (SQLite gives a rerun the same ids)."""

    name: str
    arguments: Sequence[str]
    #: a fresh base holding the starting state; yields its URL and removes it afterwards
    fresh_base: Callable[[], Any]
    keys: bool = True
    #: a cheap look at whether the work has committed (the kills fall before that moment)
    committed: Callable[[str], bool] | None = None


def _scalar(url: str, query: str) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar()
    except Exception:  # the schema is changing under the look: not yet
        return None
    finally:
        engine.dispose()


def kill_runs(work: Work, runs: int, home: Path, seed: int = 1) -> list[KillRun]:
    """Run `work` on a fresh base to the end, and once more (what a finished run and a rerun
    of it give; the kills fall between the process's start and the work's commit), then
    `runs` times on fresh bases, each killed at its own moment, checked, run again and checked
    again. A kill can come after the work has committed, while the process
    is closing: then the base is the finished one, and the rerun is a second run."""
    with work.fresh_base() as clean:
        until = run_to_the_end(work.arguments, clean, home, work.committed)
        finished = rows(clean, work.keys)
        run_to_the_end(work.arguments, clean, home)
        again = rows(clean, work.keys)
        lead = start_up(clean, home)
    found: list[KillRun] = []
    for after in moments(random.Random(seed), runs, until, lead):
        with work.fresh_base() as db:
            before = rows(db, work.keys)
            killed = killed_after(work.arguments, db, home, after)
            problem = integrity_problem(db, "after the kill")
            left = rows(db, work.keys)
            if not problem and left not in (before, finished):
                problem = (
                    f"tables differ after the kill: from before: {differences(before, left)}; "
                    f"from the finished work: {differences(finished, left)}"
                )
            if not problem:
                run_to_the_end(work.arguments, db, home)
                expected = again if left == finished else finished
                problem = integrity_problem(db, "after running it again") or _unequal(
                    expected, rows(db, work.keys), "after running it again"
                )
            committed = not killed or left == finished
            found.append(KillRun(work.name, round(after, 2), not killed, committed, problem))
    return found


def integrity_problem(db: str, when: str) -> str:
    verdict = integrity(db)
    return "" if verdict == "ok" else f"corrupt {when}: {verdict}"


def _unequal(expected: Rows, found: Rows, when: str) -> str:
    changed = differences(expected, found)
    return f"tables differ {when}: {changed}" if changed else ""


@contextmanager
def copy_of(template: Path, folder: Path) -> Iterator[str]:
    """A fresh copy of a SQLite base (its write-ahead log folded in first)."""
    connection = sqlite3.connect(template)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"run-{time.monotonic_ns()}.sqlite"
    shutil.copyfile(template, target)
    try:
        yield sqlite_url(target)
    finally:
        for leftover in folder.glob(f"{target.name}*"):
            leftover.unlink()


def postgres_schema(server_url: str) -> Callable[[Callable[[str], None]], Any]:
    """A factory of fresh PostgreSQL schemas on `server_url`, each set up by `prepare(url)`."""
    from uuid import uuid4

    from sqlalchemy.engine import make_url

    def factory(prepare: Callable[[str], None]) -> Any:
        @contextmanager
        def fresh() -> Iterator[str]:
            schema = f"kith_kill_{uuid4().hex[:12]}"
            admin = create_engine(server_url)
            try:
                with admin.begin() as c:
                    c.execute(text(f'CREATE SCHEMA "{schema}"'))
                url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
                rendered = url.render_as_string(hide_password=False)
                prepare(rendered)
                yield rendered
            finally:
                with admin.begin() as c:
                    c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()

        return fresh

    return factory


def holding_data(url: str) -> None:
    """Set up a base that already holds data before the import: the user (the generated
    archive's account), one of the archive's counterparts known by hand, and someone else."""
    from datetime import datetime

    from kith.api import Kith

    moment = datetime.fromisoformat(NOW)
    with Kith(url, clock_fn=lambda: moment) as base:
        base.init(timezone="UTC", me=["x:sam"])
        known = base.add("Rosa Diaz", handles=["x:user1"], city="Lisbon")
        base.log(f"#{known['id']}", "dm", direction="in", text="See you at the meetup")
        base.add("Tom Okafor", handles=["mastodon:tom@example.social"])
    engine = create_engine(url)
    try:  # a touch logged by hand gets a random id; two bases set up alike must be alike
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE interactions SET external_id = 'manual:set-up' WHERE source = 'manual'"
                )
            )
    finally:
        engine.dispose()


def import_work(archive: Path, fresh_base: Callable[[], Any], keys: bool = True) -> Work:
    """`kith import x ARCHIVE` into a base that already holds data."""
    return Work("import", ["import", "x", str(archive)], fresh_base, keys, _imported)


def _imported(db: str) -> bool:
    """The import has committed: the archive's messages are there (the base held 1)."""
    return (_scalar(db, "SELECT count(*) FROM interactions") or 0) > 1


def sqlite_template(folder: Path, prepare: Callable[[str], None]) -> Path:
    """A SQLite base set up once by `prepare`, to copy for every run."""
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template.sqlite"
    prepare(sqlite_url(template))
    return template


def backup_runs(db: str, folder: Path, home: Path, runs: int, seed: int = 1) -> list[KillRun]:
    """`kith backup FILE` killed at random moments: under the final name there is nothing, or
    a whole copy of the base; a second backup then writes the whole copy."""
    target = folder / "backup.sqlite"
    span = min(run_to_the_end(["backup", str(target)], db, home) for _ in range(2))
    expected = rows(sqlite_url(target))
    target.unlink()
    found: list[KillRun] = []
    for after in moments(random.Random(seed), runs, span, start_up(db, home)):
        killed = killed_after(["backup", str(target)], db, home, after)
        problem = ""
        if target.exists():
            problem = _whole_copy(target, expected, "in the backup after the kill")
        if not problem:
            run_to_the_end(["backup", str(target)], db, home)
            problem = _whole_copy(target, expected, "in the next backup")
        target.unlink(missing_ok=True)
        found.append(KillRun("backup", round(after, 2), not killed, not killed, problem))
    return found


#: the revision an older kith left the base at, for the migration killed halfway: from it
#: every later migration runs (new tables, a column filled row by row, indexes)
OLD_REVISION = "0005"


def migration_template(folder: Path, archive: Path, copies: int = 10) -> Path:
    """A base as an older kith left it (revision OLD_REVISION), large enough that migrating
    it takes a while: the archive imported, then its people and messages copied `copies`
    times over."""
    from datetime import datetime

    from kith.api import Kith
    from kith.store import migrate

    template = sqlite_template(folder, holding_data)
    url = sqlite_url(template)
    moment = datetime.fromisoformat(NOW)
    with Kith(url, clock_fn=lambda: moment) as base:
        base.import_file("x", archive)
    connection = sqlite3.connect(template)
    try:
        _copied(connection, copies)
        connection.commit()
    finally:
        connection.close()
    engine = create_engine(url)
    try:
        migrate.downgrade(engine, OLD_REVISION)
    finally:
        engine.dispose()
    return template


def _copied(connection: sqlite3.Connection, copies: int) -> None:
    """Every person, their figures and their messages `copies` more times (new ids, new
    external ids; the figures copied too, so that nothing is stale afterwards)."""
    people = [r[1] for r in connection.execute("PRAGMA table_info(people)") if r[1] != "id"]
    said = [r[1] for r in connection.execute("PRAGMA table_info(interactions)")]
    said = [c for c in said if c not in ("id", "person_id", "external_id")]
    first = connection.execute("SELECT max(id) FROM people").fetchone()[0]
    for k in range(1, copies + 1):
        offset = first * k
        names = ", ".join(people)
        picked = ", ".join("name || ' " + str(k) + "'" if c == "name" else c for c in people)
        connection.execute(
            f"INSERT INTO people (id, {names}) "  # noqa: S608 (the table's own column names)
            f"SELECT id + {offset}, {picked} FROM people WHERE id <= {first}"
        )
        columns = ", ".join(said)
        connection.execute(
            f"INSERT INTO interactions (person_id, external_id, {columns}) "  # noqa: S608
            f"SELECT person_id + {offset}, external_id || '-{k}', {columns} FROM interactions "
            f"WHERE person_id <= {first}"
        )
        for figures in ("person_stats", "person_report"):
            kept = [r[1] for r in connection.execute(f"PRAGMA table_info({figures})")]
            rest = ", ".join(c for c in kept if c != "person_id")
            connection.execute(
                f"INSERT INTO {figures} (person_id, {rest}) "  # noqa: S608
                f"SELECT person_id + {offset}, {rest} FROM {figures} WHERE person_id <= {first}"
            )


def migration_work(template: Path, folder: Path) -> Work:
    """A kith command on a base an older kith left: it migrates the schema first."""
    return Work(
        "migration", ["rules", "--json"], lambda: copy_of(template, folder), committed=_migrated
    )


def _migrated(db: str) -> bool:
    from kith.store.snapshot import HEAD_REVISION

    return bool(_scalar(db, "SELECT version_num FROM alembic_version") == HEAD_REVISION)


def _whole_copy(target: Path, expected: Rows, when: str) -> str:
    db = sqlite_url(target)
    return integrity_problem(db, when) or _unequal(expected, rows(db), when)
