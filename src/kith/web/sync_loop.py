"""`kith serve` keeps the base current: every few minutes (30 by default, `--sync-every`;
off with `--no-sync`) it runs `kith sync` (docs/sync.md) in a thread of its own, then tells
the pages that the base has changed.

The loop runs in one process only (the server's, or with `--workers N` their parent), so
that two runs never read the same sources at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kith.api import Kith

log = logging.getLogger("kith.web.sync")

DEFAULT_MINUTES = 30.0


class SyncLoop:
    """Runs every sync source of `base` at once when started, then every `seconds`."""

    def __init__(
        self, base: Kith, seconds: float, changed: Callable[[], None] | None = None
    ) -> None:
        self.base = base
        self.seconds = seconds
        self.changed = changed
        self.runs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kith-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> None:
        """One run of every source; what went wrong is kept with each source (its last
        error, shown on the Import page), and the loop goes on."""
        try:
            if not self.base.sync_sources():
                return
            results = self.base.sync()
        except Exception as exc:  # a base that cannot be opened now: the next turn retries
            log.warning("sync did not run: %s", exc)
            return
        finally:
            self.runs += 1
        for result in results:
            if not result["ok"]:
                log.warning("sync %s failed: %s", result["name"], result["error"])
        if self.changed is not None and any(r["interactions_added"] for r in results):
            self.changed()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.seconds)
