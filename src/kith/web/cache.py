"""Figures the server keeps between requests: today's agenda, the People list's order, the
report.

A value is kept per key (the key names the day and the question) until the server handles
any POST (every write through the web UI clears what is kept) or its time to live passes,
so that a change made with the CLI, which the server cannot see, shows within that time.
Concurrent requests for the same missing value compute it once; the others wait for it.

With several worker processes (`kith serve --workers N`), a write in one must clear what
the others keep: they share a stamp file, replaced on every write, and each process looks
at it (one `stat`) before serving a kept value.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: how long a kept value may be served, in seconds (writes from the CLI show within this)
DEFAULT_TTL = 30.0
#: at most this many values are kept; the oldest go first
MAX_ENTRIES = 256


class Stamp:
    """A file replaced on every write anywhere: how worker processes tell each other that
    the base has changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            self.bump()

    def bump(self) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        temporary.write_text(secrets.token_hex(8))
        os.replace(temporary, self.path)  # a new file: a new inode, whatever the clock says

    def read(self) -> tuple[int, int]:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return (0, 0)
        return (status.st_ino, status.st_mtime_ns)


@dataclass(slots=True)
class _Entry:
    generation: int
    stored: float
    value: Any


class Cache:
    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = MAX_ENTRIES,
        stamp: Stamp | None = None,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.stamp = stamp
        self._clock = clock
        self._generation = 0
        self._seen = stamp.read() if stamp else (0, 0)
        self._entries: dict[Hashable, _Entry] = {}
        self._guard = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def _forget(self) -> None:
        self._generation += 1
        self._entries.clear()

    def invalidate(self) -> None:
        """Forget everything: the base has changed (in every worker process)."""
        with self._guard:
            self._forget()
            if self.stamp is not None:
                self.stamp.bump()
                self._seen = self.stamp.read()

    def _check_stamp(self) -> None:
        """Called with the guard held: another process wrote since we last looked."""
        if self.stamp is None:
            return
        current = self.stamp.read()
        if current != self._seen:
            self._seen = current
            self._forget()

    def _fresh(self, key: Hashable, ttl: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.generation != self._generation:
            return None
        if self._clock() - entry.stored > ttl:
            return None
        return entry

    def get(self, key: Hashable, compute: Callable[[], T], ttl: float | None = None) -> T:
        """The kept value for `key`, or `compute()` kept for next time."""
        life = self.ttl if ttl is None else ttl
        with self._guard:
            self._check_stamp()
            entry = self._fresh(key, life)
            if entry is not None:
                return entry.value  # type: ignore[no-any-return]
            lock = self._computing.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                entry = self._fresh(key, life)
                if entry is not None:
                    return entry.value  # type: ignore[no-any-return]
                generation = self._generation
            value = compute()
            with self._guard:
                self._check_stamp()
                if generation == self._generation:  # not invalidated meanwhile
                    if len(self._entries) >= self.max_entries:
                        oldest = min(self._entries, key=lambda k: self._entries[k].stored)
                        del self._entries[oldest]
                    self._entries[key] = _Entry(generation, self._clock(), value)
                self._computing.pop(key, None)
            return value
