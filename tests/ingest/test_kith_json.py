"""kith's own export: `kith export json` then `kith import kith-json` is exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.demo import build_demo
from kith.store.database import sqlite_url
from tests.conftest import CLI
from tests.ingest.contract import NOW, imports_cleanly, refuses, truncated, wrong_format


def every_show(cli: CLI) -> list[dict]:
    return [cli.json("show", f"#{p['id']}", now=NOW) for p in cli.json("people", now=NOW)]


@pytest.fixture
def demo_export(tmp_path: Path, capsys, monkeypatch) -> tuple[Path, list, list]:
    from datetime import datetime

    url = sqlite_url(tmp_path / "demo.sqlite")
    build_demo(url, people=60, seed=5, now=datetime.fromisoformat(NOW.replace("Z", "+00:00")))
    source = CLI(capsys, monkeypatch, url)
    # make the source base less regular: a gap in ids, a manual entry, tags and a trip-free
    # person with a private fact
    source.ok("forget", "#3", "--yes", now=NOW)
    source.ok(
        "add", "Zoë <b>Example</b>", "--handle", "email:zoe@example.org", "--tag", "press", now=NOW
    )
    source.ok("remember", "email:zoe@example.org", "secret", "--private", now=NOW)
    source.ok(
        "gather",
        "Send-off",
        "--at",
        "2026-11-01T19:00",
        "--where",
        "Bar Lumen",
        "--invite",
        "email:zoe@example.org",
        "--invite",
        "#5",
        now=NOW,
    )
    source.ok("rsvp", "Send-off", "email:zoe@example.org", "yes", now=NOW)
    source.ok("attended", "Send-off", now=NOW)
    out = tmp_path / "export.json"
    source.ok("export", "json", str(out), now=NOW)
    return out, source.json("people", now=NOW), every_show(source)


def test_round_trip_into_an_empty_base_is_exact(cli, demo_export):
    path, people, shows = demo_export
    summary = imports_cleanly(cli, "kith-json", path)
    assert summary["people_created"] == len(people)
    assert cli.json("people", now=NOW) == people
    assert every_show(cli) == shows


def test_restoring_into_a_base_with_data_merges_by_identity(sqlite_cli, demo_export):
    sqlite_cli.ok("add", "Zoe E", "--handle", "email:zoe@example.org", now=NOW)
    sqlite_cli.ok("add", "Someone Else", now=NOW)
    summary = sqlite_cli.json("import", "kith-json", str(demo_export[0]), now=NOW)
    assert summary["people_matched"] == 1
    zoe = sqlite_cli.json("show", "email:zoe@example.org", now=NOW)
    assert zoe["name"] == "Zoe E"  # the base's own record keeps its name
    assert zoe["tags"] == ["press"]
    assert [f["text"] for f in zoe["facts"]] == ["secret"]


def test_a_cut_short_export_is_refused(cli, demo_export, tmp_path):
    refuses(cli, "kith-json", truncated(demo_export[0], tmp_path), "cut short")
    refuses(cli, "kith-json", wrong_format(tmp_path), "does not look like a kith JSON export")


def test_export_to_standard_output_and_bad_format(sqlite_cli):
    sqlite_cli.ok("add", "Ana", now=NOW)
    out = sqlite_cli.ok("export", "json", now=NOW).out
    assert out.lstrip().startswith("{")
    assert '"format": "kith-json"' in out
    bad = sqlite_cli("export", "xml", now=NOW)
    assert bad.code == 2
    assert "Unknown export format 'xml'" in bad.err
