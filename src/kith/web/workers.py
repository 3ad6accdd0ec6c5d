"""`kith serve --workers N`: N server processes, each with a listening socket of its own.

uvicorn's own multi-process mode shares one listening socket among its workers; the kernel
then wakes them in last-in, first-out order and one worker accepts every connection that
arrives in a burst, so under load one process does all the work while the others idle
(benchmarks/web.py measured 16 connections all landing on one of two workers, and the
person page's p95 doubled). On Linux, each worker here listens on a socket of its own in
one `SO_REUSEPORT` group, and the kernel spreads new connections over them by address.
Elsewhere (macOS and the BSDs do not balance such a group) uvicorn's mode is used as is.

The parent binds every socket before any worker starts (a port in use is one error, in
the parent), starts the workers, replaces one that dies, and stops them all on Ctrl+C or
SIGTERM.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

from kith.errors import KithError

log = logging.getLogger("kith.web")

#: pending connections each socket holds (uvicorn's default)
BACKLOG = 2048
#: seconds a worker has to finish its requests when the server stops
GRACE = 10.0
#: a worker that stops sooner than this after its start cannot start: the server stops
STARTUP = 5.0


class WorkerFailed(KithError):
    """A worker process stopped as it started (its own error is in the log above)."""


def balanced() -> bool:
    """Whether the kernel balances connections over a `SO_REUSEPORT` group (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listener(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port) that joins the port's `SO_REUSEPORT` group."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def _serve(sock: socket.socket, options: dict[str, Any]) -> None:  # pragma: no cover - child
    """One worker: uvicorn on its own socket (runs in a new process)."""
    import uvicorn

    config = uvicorn.Config("kith.web.app:from_environment", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


class Workers:
    """Worker processes, each serving the application on its own socket."""

    def __init__(self, sockets: list[socket.socket], options: dict[str, Any]) -> None:
        multiprocessing.allow_connection_pickling()  # a socket reaches its worker by fd
        self.context = multiprocessing.get_context("spawn")
        self.sockets = sockets
        self.options = options
        self.processes: list[BaseProcess | None] = [None] * len(sockets)
        self.started = [0.0] * len(sockets)
        self.stopping = threading.Event()

    def _start(self, index: int) -> None:
        process = self.context.Process(
            target=_serve,
            args=(self.sockets[index], self.options),
            name=f"kith-worker-{index + 1}",
            daemon=False,
        )
        process.start()
        self.processes[index] = process
        self.started[index] = time.monotonic()

    def _stop(self, _signal: int, _frame: FrameType | None) -> None:
        self.stopping.set()

    def run(self) -> None:
        """Start every worker, keep them running until asked to stop, then stop them."""
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            for index in range(len(self.sockets)):
                self._start(index)
            while not self.stopping.wait(0.5):
                for index, process in enumerate(self.processes):
                    if process is not None and not process.is_alive():
                        if time.monotonic() - self.started[index] < STARTUP:
                            raise WorkerFailed(
                                "A server process stopped as it started (exit status "
                                f"{process.exitcode}); its error is above."
                            )
                        log.warning(
                            "worker %d stopped (exit status %s); starting it again",
                            index + 1,
                            process.exitcode,
                        )
                        self._start(index)
        finally:
            self.shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def shutdown(self) -> None:
        running = [p for p in self.processes if p is not None and p.is_alive()]
        for process in running:
            process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for process in running:
            process.join(GRACE)
            if process.is_alive():
                process.kill()
                process.join()
        for sock in self.sockets:
            sock.close()


def serve(host: str, port: int, workers: int, options: dict[str, Any]) -> None:
    """Serve `kith.web.app:from_environment` with `workers` processes (see the module)."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(workers):
            sockets.append(listener(host, port))
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    Workers(sockets, options).run()
