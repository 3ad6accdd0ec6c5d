"""How long work says how far it has come."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""The one progress callback: called as (what, done, total) during long work (an import,
updating figures, writing the demo network), for a progress bar or a job page."""

Step = Callable[[int], None]
"""Called with how many more items are done (`kith.services.refresh` reports so)."""


def counting(progress: Progress | None, what: str, total: int) -> Step | None:
    """A `Step` that adds up what is done and reports it to `progress` as `what`."""
    if progress is None:
        return None
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        progress(what, done, total)

    return step
