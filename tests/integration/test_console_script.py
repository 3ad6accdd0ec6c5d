"""The installed `kith` console script, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

KITH = shutil.which("kith") or ""
pytestmark = pytest.mark.skipif(not KITH, reason="the kith console script is not installed")


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KITH, *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=120
    )


def test_help_lists_every_command(tmp_path):
    result = run("--help", env={"KITH_HOME": str(tmp_path)})
    assert result.returncode == 0
    for command in (
        "init",
        "demo",
        "add",
        "edit",
        "log",
        "remember",
        "people",
        "show",
        "today",
        "focus",
        "invite",
        "respond",
        "merge",
        "forget",
    ):
        assert command in result.stdout


def test_demo_then_errors_as_a_real_process(tmp_path):
    env = {"KITH_HOME": str(tmp_path), "KITH_NOW": "2026-11-21T15:00:00Z", "KITH_TZ": "UTC"}
    demo = run("demo", "--json", env=env)
    assert demo.returncode == 0, demo.stderr
    items = json.loads(demo.stdout)
    assert 1 <= len(items) <= 7
    shown = run("--demo", "show", str(items[0]["person"]["id"]), "--json", env=env)
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["name"] == items[0]["person"]["name"]
    missing = run("show", "Nobody At All", "--demo", env=env)
    assert missing.returncode == 2
    assert missing.stderr.startswith("Error: No person named 'Nobody At All'.")
    assert "Traceback" not in missing.stderr


def test_python_module_entry_point(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kith", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "KITH_HOME": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode == 0
    assert "Usage" in result.stdout
