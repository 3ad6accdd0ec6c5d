"""What every command shares: the chosen base, the consoles, JSON output."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from kith.api import Kith

#: `out` and `err` (below) are made on first use: `kith --help` never loads Rich
_consoles: dict[str, Console] = {}


def verbatim_console(*, stderr: bool, soft_wrap: bool) -> Console:
    """A console that prints every message and every imported value verbatim: no markup
    ("[bold]" in a name stays as written), no emoji codes (":id:" in "x:id:42" stays as
    written), no automatic highlighting. Styles come only from `rich.text.Text` objects."""
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=soft_wrap, markup=False, emoji=False, highlight=False)


def console(name: str) -> Console:
    """`out` (standard output) or `err` (standard error), each made once."""
    if name not in _consoles:
        console = verbatim_console(stderr=name == "err", soft_wrap=name == "err")
        if name == "out" and not console.is_terminal:  # piped: wider than 80 columns
            console.width = 120
        _consoles[name] = console
    return _consoles[name]


def __getattr__(name: str) -> Console:
    """`state.out` and `state.err`, made on first use."""
    if name in ("out", "err"):
        return console(name)
    raise AttributeError(name)


@dataclass
class Options:
    db: str | None = None
    demo: bool = False
    db_on_command_line: bool = False  # --db given on this command line (not KITH_DB)
    member: str | None = None  # --as EMAIL or KITH_USER: who acts, in a team base


class ProgressBar:
    """A Rich progress bar on stderr, shown only for work that reports progress."""

    #: work that ends sooner than this shows no bar at all
    DELAY = 1.0

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._label = ""
        self._started: float | None = None

    def __call__(self, label: str, done: int, total: int) -> None:
        err = console("err")
        if not err.is_terminal:
            return
        now = time.monotonic()
        if self._started is None:
            self._started = now
        if now - self._started < self.DELAY:
            return
        if self._progress is None or label != self._label:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.stop()
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed:,}/{task.total:,}"),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(label, total=total)
            self._label = label
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def options(ctx: typer.Context) -> Options:
    root = ctx.find_root()
    if not isinstance(root.obj, Options):
        root.obj = Options()
    return root.obj


def base(ctx: typer.Context) -> Kith:
    from kith.api import Kith, demo_url

    opts = options(ctx)
    url = opts.db or (demo_url() if opts.demo else None)
    bar = ProgressBar()
    ctx.call_on_close(bar.stop)
    kith = Kith(url, progress=bar, member=opts.member)
    ctx.call_on_close(kith.close)
    return kith


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
