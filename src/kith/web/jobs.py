"""Imports started from the web page: each runs in a background thread and reports its
progress into a job table that the page polls.

Imports run one at a time (a SQLite base has one writer); each is one transaction, so a
failed import leaves the base as it was, and its error is the importer's one sentence.
With several worker processes, the table is a folder of small JSON files (one per job,
replaced whole on each change), so that any worker can answer the page's polls.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.exc import OperationalError

from kith.api import Kith, ProgressFn
from kith.errors import KithError, describe
from kith.web.uploads import Upload

log = logging.getLogger("kith.web")

State = Literal["waiting", "running", "done", "failed"]
#: finished jobs kept for the page to show; the oldest go first
KEEP = 50
#: progress is written to the shared folder at most this often (seconds)
WRITE_EVERY = 0.2
_JOB_ID = "0123456789abcdef"


@dataclass(frozen=True)
class Job:
    id: str
    source: str
    filename: str
    state: State = "waiting"
    label: str = "Waiting for the previous import to finish"
    done: int = 0
    total: int = 0
    summary: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def percent(self) -> int | None:
        if self.state == "done":
            return 100
        if self.total <= 0:
            return None
        return max(0, min(100, int(self.done * 100 / self.total)))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "file": self.filename,
            "state": self.state,
            "label": self.label,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "summary": self.summary,
            "error": self.error,
        }


def _without_folder(message: str, upload: Upload) -> str:
    """An importer's sentence names the file; name it as the user knows it."""
    if upload.file is None:
        return message
    for shown in (str(upload.file), str(upload.folder)):
        message = message.replace(shown, upload.file.name)
    return message


class Jobs:
    """The job table: start an import, read where it stands."""

    def __init__(
        self,
        base: Kith,
        on_finish: Callable[[], None] = lambda: None,
        folder: Path | None = None,
    ) -> None:
        self.base = base
        #: called once each import has ended (the server clears its kept figures)
        self.on_finish = on_finish
        self.folder = folder
        self._jobs: dict[str, Job] = {}
        self._written: dict[str, float] = {}
        self._guard = threading.Lock()
        self._one_at_a_time = threading.Lock()
        self._threads: list[threading.Thread] = []

    # -- the table ------------------------------------------------------------------------
    def get(self, job_id: str) -> Job | None:
        with self._guard:
            job = self._jobs.get(job_id)
        known = len(job_id) == 16 and set(job_id) <= set(_JOB_ID)
        if job is None and self.folder is not None and known:
            return self._read(job_id)
        return job

    def _read(self, job_id: str) -> Job | None:
        assert self.folder is not None
        try:
            data = json.loads((self.folder / f"{job_id}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return Job(**data)

    def _write(self, job: Job, force: bool) -> None:
        if self.folder is None:
            return
        now = time.monotonic()
        if not force and now - self._written.get(job.id, 0.0) < WRITE_EVERY:
            return
        self._written[job.id] = now
        target = self.folder / f"{job.id}.json"
        temporary = target.with_name(f".{job.id}.{secrets.token_hex(4)}")
        temporary.write_text(json.dumps(asdict(job)), "utf-8")
        os.replace(temporary, target)

    def _set(self, job_id: str, force: bool = True, **changes: Any) -> None:
        with self._guard:
            job = replace(self._jobs[job_id], **changes)
            self._jobs[job_id] = job
            self._write(job, force)

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished is not None]
        for old in sorted(finished, key=lambda j: j.started)[: max(0, len(finished) - KEEP)]:
            del self._jobs[old.id]
            self._written.pop(old.id, None)
            if self.folder is not None:
                (self.folder / f"{old.id}.json").unlink(missing_ok=True)

    # -- running imports ------------------------------------------------------------------
    def start(
        self,
        source: str,
        upload: Upload,
        me: Sequence[str] = (),
        tz: str | None = None,
        region: str | None = None,
    ) -> Job:
        assert upload.file is not None
        job = Job(id=secrets.token_hex(8), source=source, filename=upload.file.name)
        with self._guard:
            self._forget_old()
            self._jobs[job.id] = job
            self._write(job, force=True)
        thread = threading.Thread(
            target=self._run,
            args=(job.id, source, upload, tuple(me), tz, region),
            name=f"kith-import-{job.id}",
            daemon=True,
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return job

    def wait(self, timeout: float | None = None) -> None:
        """Wait for running imports (tests, shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """One import at a time: in this process, and across worker processes."""
        with self._one_at_a_time:
            if self.folder is None:
                yield
                return
            try:
                import fcntl
            except ImportError:  # no advisory locks here: SQLite's own lock still holds
                yield
                return
            with (self.folder / "import.lock").open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def _run(
        self,
        job_id: str,
        source: str,
        upload: Upload,
        me: tuple[str, ...],
        tz: str | None,
        region: str | None,
    ) -> None:
        def progress(label: str, done: int, total: int) -> None:
            self._set(job_id, force=False, label=label, done=done, total=total)

        reporter: ProgressFn = progress
        try:
            with self._turn():
                self._set(job_id, state="running", label="Reading the file")
                with Kith(
                    self.base.url,
                    clock_fn=self.base.now,
                    member=self.base.member,
                    progress=reporter,
                ) as base:
                    assert upload.file is not None
                    summary = base.import_file(source, upload.file, me, tz, region=region)
            summary["file"] = upload.file.name  # the name the user chose, not where it waited
            self._set(job_id, state="done", summary=summary, finished=time.time())
        except KithError as exc:
            error = _without_folder(exc.message, upload)
            self._set(job_id, state="failed", error=error, finished=time.time())
        except OperationalError as exc:
            detail = describe(exc.orig if exc.orig is not None else exc)
            self._set(
                job_id,
                state="failed",
                error=f"Cannot use the database: {detail}; nothing was imported.",
                finished=time.time(),
            )
        except Exception as exc:  # a bug: say so in one sentence, log the trace
            log.exception("import %s failed", job_id)
            self._set(
                job_id,
                state="failed",
                error=f"The import failed unexpectedly ({type(exc).__name__}); nothing was "
                "imported. The server's console has the details.",
                finished=time.time(),
            )
        finally:
            upload.discard()
            self.on_finish()
