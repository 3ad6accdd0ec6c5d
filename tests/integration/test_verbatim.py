"""Every message and every imported value reaches the user exactly as written: no console
markup ("[bold]" stays "[bold]") and no emoji codes (":id:" stays ":id:")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = "[bold]Ana[/bold] :id: :smile: [red]x[/red]"


def anonymous_x_archive(tmp_path: Path) -> Path:
    """An X archive that does not say whose it is (no account.js, no manifest.js)."""
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    tweet = {"id_str": "1", "created_at": "Wed Oct 11 09:05:00 +0000 2023", "full_text": "hi"}
    (data / "tweet.js").write_text("window.YTD.tweet.part0 = " + json.dumps([tweet]))
    return data.parent


def test_error_with_emoji_code_prints_as_written(sqlite_cli, tmp_path):
    result = sqlite_cli("import", "x", str(anonymous_x_archive(tmp_path)))
    assert result.code == 2
    assert "x:id:NUMBER" in result.err
    assert "\N{SQUARED ID}" not in result.err


def test_names_and_messages_with_markup_print_as_written(sqlite_cli):
    sqlite_cli.now = "2026-03-01T12:00:00Z"
    added = sqlite_cli.ok("add", HOSTILE, "--handle", "x:ana")
    assert HOSTILE in added.out
    sqlite_cli.ok("log", "x:ana", "dm", "--in", "--text", "see [link=http://evil]this[/link] :id:")
    shown = sqlite_cli.ok("show", "x:ana").out
    assert HOSTILE in shown
    assert "see [link=http://evil]this[/link] :id:" in " ".join(shown.split())
    assert HOSTILE in sqlite_cli.ok("people").out
    missing = sqlite_cli("show", "[red]Nobody[/red] :id:")
    assert missing.code == 2
    assert "No person named '[red]Nobody[/red] :id:'." in missing.err


def test_a_real_terminal_process_prints_errors_verbatim(tmp_path):
    """The console script in a real process, with colours forced on as in a terminal."""
    env = {
        **os.environ,
        "KITH_DB": str(tmp_path / "kith.sqlite"),
        "KITH_HOME": str(tmp_path / "home"),
        "FORCE_COLOR": "1",
        "TERM": "xterm-256color",
    }
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "kith", "import", "x", str(anonymous_x_archive(tmp_path))],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--me x:id:NUMBER" in done.stderr
    assert "\N{SQUARED ID}" not in done.stderr


@pytest.mark.parametrize("value", [":id:", "[bold]", "[/]", ":thumbs_up:"])
def test_console_output_is_not_markup(value, sqlite_cli):
    sqlite_cli.ok("add", f"Name {value}")
    assert f"Name {value}" in sqlite_cli.ok("people").out
