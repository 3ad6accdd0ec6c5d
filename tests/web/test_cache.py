"""What the server keeps between requests, and when it lets go of it."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from kith.api import Kith
from kith.web.cache import Cache, Stamp
from tests.web.conftest import Web


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_kept_until_its_time_to_live_passes() -> None:
    clock = Clock()
    cache = Cache(ttl=30, clock=clock)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", compute) == 1
    clock.now = 29
    assert cache.get("k", compute) == 1
    clock.now = 31
    assert cache.get("k", compute) == 2
    assert cache.get("other", compute) == 3


def test_invalidate_forgets_everything() -> None:
    cache = Cache()
    cache.get("a", lambda: 1)
    cache.invalidate()
    assert cache.get("a", lambda: 2) == 2


def test_concurrent_misses_compute_once() -> None:
    cache = Cache()
    calls: list[int] = []
    started = threading.Event()

    def slow() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return 7

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [7] * 8
    assert len(calls) == 1


def test_a_value_computed_across_a_write_is_not_kept() -> None:
    cache = Cache()

    def racing() -> int:
        cache.invalidate()  # a POST lands while the value is being worked out
        return 1

    assert cache.get("k", racing) == 1
    assert cache.get("k", lambda: 2) == 2


def test_a_write_in_one_process_clears_the_others(tmp_path: Path) -> None:
    """Two caches sharing a stamp file stand for two worker processes."""
    first = Cache(stamp=Stamp(tmp_path / "generation"))
    second = Cache(stamp=Stamp(tmp_path / "generation"))
    first.get("k", lambda: "old")
    second.get("k", lambda: "old")
    first.invalidate()
    assert second.get("k", lambda: "new") == "new"
    assert first.get("k", lambda: "newer") == "newer"


def test_today_is_kept_and_cleared_by_a_post(web: Web, base: Kith, app: Any) -> None:
    web.get("/")
    first = base.today()[0]["person"]
    # a change the server cannot see (the CLI): the kept agenda is served until it expires
    base.snooze(f"#{first['id']}", 7)
    assert f'id="item-{first["id"]}"' in web.get("/").text
    # any POST through the server clears it
    web.post("/api/session", None, htmx=False)  # no such route: still a POST the server handled
    assert f'id="item-{first["id"]}"' not in web.get("/").text


def test_people_list_follows_a_write_through_the_server(web: Web, base: Kith) -> None:
    assert web.get("/api/people?q=Zora").headers["x-total-count"] == "0"
    base.add("Zora Quist")  # through the CLI: shown once the kept list expires
    assert web.get("/api/people?q=Zora").headers["x-total-count"] == "0"
    web.api("/api/people/1/log", {"channel": "dm"})
    assert web.get("/api/people?q=Zora").headers["x-total-count"] == "1"
