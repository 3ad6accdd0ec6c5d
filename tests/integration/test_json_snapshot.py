"""Every read command's JSON on the demo base, held equal to a snapshot: the documented
shapes (docs/cli.md) change only on purpose. Regenerate with KITH_UPDATE_SNAPSHOT=1 after a
deliberate change, and say why in the commit."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kith.demo import build_demo

SNAPSHOT = Path(__file__).parent.parent / "fixtures" / "snapshots" / "demo-cli-json.json"
NOW = "2026-11-21T15:00:00Z"


def _outputs(cli) -> dict[str, Any]:
    from datetime import datetime

    build_demo(cli.db, people=120, seed=11, now=datetime.fromisoformat(NOW))
    cli.now = NOW
    cli.ok(
        "gather",
        "Send-off",
        "--at",
        "2026-12-12T19:00",
        "--where",
        "Bar Lumen",
        "--invite",
        "3",
        "--invite",
        "8",
    )
    cli.ok("rsvp", "Send-off", "3", "yes")
    runs: dict[str, tuple[str, ...]] = {
        "today": ("today", "--limit", "40"),
        "people": ("people", "--limit", "500"),
        "people-recent": ("people", "--sort", "recent", "--limit", "30"),
        "people-stage": ("people", "--stage", "conversing"),
        "duplicates": ("people", "--duplicates"),
        "focus": ("focus", "--limit", "15"),
        "report": ("report",),
        "rules": ("rules",),
        "trips": ("trips",),
        "gatherings": ("gatherings",),
        "profile": ("profile",),
        "check": ("check", "BUY MY COURSE NOW https://example.org", "--to", "3"),
    }
    found = {name: cli.json(*args) for name, args in runs.items()}
    for pid in (3, 8, *range(1, 121, 7)):
        found[f"show-{pid}"] = cli.json("show", str(pid))
    return found


def test_every_read_commands_json_is_unchanged(sqlite_cli):
    got = json.loads(json.dumps(_outputs(sqlite_cli), sort_keys=True, default=str))
    if os.environ.get("KITH_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(got, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert sorted(got) == sorted(expected)
    for name in sorted(expected):
        assert got[name] == expected[name], name
