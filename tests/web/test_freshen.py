"""A new day on a long-running server: figures computed yesterday are brought up to date in
the background, a batch per transaction, and the People list answers meanwhile."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from kith.api import Kith
from kith.store.database import sqlite_url
from kith.web.app import create_app
from tests.web.conftest import NOW, UPLOAD_LIMIT


def _stale(base: Kith) -> int:
    with base.engine.connect() as c:
        day = (base.now()).date().isoformat()
        return int(
            c.exec_driver_sql(
                "SELECT count(*) FROM person_stats WHERE as_of != ?", (day,)
            ).scalar_one()
        )


def test_refresh_stale_brings_every_figure_to_today_in_batches(demo_url: str) -> None:
    tomorrow = NOW + timedelta(days=1)
    with Kith(demo_url, clock_fn=lambda: tomorrow) as base:
        before = _stale(base)
        assert before > 100  # every figure was computed yesterday
        assert base.refresh_stale(batch=25) == before
        assert _stale(base) == 0
        assert base.refresh_stale(batch=25) == 0


def test_the_people_page_answers_and_freshens_in_the_background(
    demo_template: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "next-day.sqlite"
    copy.write_bytes(demo_template.read_bytes())
    tomorrow = NOW + timedelta(days=1)
    base = Kith(sqlite_url(copy), clock_fn=lambda: tomorrow, pooled=True)
    app: Any = create_app(base, demo=True, max_upload_bytes=UPLOAD_LIMIT, warm=False)
    writer = sqlite3.connect(copy, isolation_level=None)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert _stale(base) > 100
        # another process holds the write lock: the refresh must wait, the page must not
        writer.execute("BEGIN IMMEDIATE")
        page = client.get("/people")
        assert page.status_code == 200
        assert "of " in page.text
        assert _stale(base) > 100
        writer.execute("ROLLBACK")
        writer.close()
        deadline = time.monotonic() + 60
        while _stale(base) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _stale(base) == 0
        assert client.get("/people").status_code == 200
    base.close()


def test_the_report_of_a_new_day_is_todays(demo_template: Path, tmp_path: Path) -> None:
    copy = tmp_path / "next-day.sqlite"
    copy.write_bytes(demo_template.read_bytes())
    tomorrow = NOW + timedelta(days=1)
    base = Kith(sqlite_url(copy), clock_fn=lambda: tomorrow, pooled=True)
    app: Any = create_app(base, demo=True, max_upload_bytes=UPLOAD_LIMIT, warm=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert _stale(base) > 100
        shown = client.get("/api/report").json()
        assert _stale(base) == 0
    base.close()
    with Kith(sqlite_url(copy), clock_fn=lambda: tomorrow) as fresh:
        assert shown == fresh.report()


def test_the_warm_up_compiles_every_template_and_sets_its_objects_aside(demo_url: str) -> None:
    import gc

    with Kith(demo_url, clock_fn=lambda: NOW) as base:
        app = create_app(base, max_upload_bytes=UPLOAD_LIMIT, warm=False)
        web = app.state.web
        env = web.pages.templates.env
        assert not env.cache  # nothing compiled yet: Jinja compiles on first use
        frozen = gc.get_freeze_count()
        try:
            web.warm()
            names = env.list_templates(extensions=["html"])
            assert "person.html" in names
            assert {key[1] for key in env.cache} >= set(names)
            assert gc.get_freeze_count() > frozen  # what lives as long as the process
        finally:
            gc.unfreeze()
