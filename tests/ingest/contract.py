"""What every importer must do, checked through the CLI as a user would run it.

Importer tests call these helpers with their own fixture files:

    summary = imports_cleanly(cli, "x", FIXTURES / "x" / "archive.zip")
    refuses(cli, "x", truncated(path, tmp_path), "could not be read")
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

from tests.conftest import CLI, snapshot

NOW = "2026-11-21T12:00:00Z"
SUMMARY_KEYS = {
    "source",
    "people_created",
    "people_matched",
    "interactions_added",
    "interactions_skipped",
}


def imports_cleanly(cli: CLI, source: str, path: Path, *extra: str) -> dict[str, Any]:
    """Import `path`; the summary has the JSON shape of docs/cli.md; a second import of the same
    file adds nothing and creates no one. Returns the first summary."""
    first = cli.json("import", source, str(path), *extra, now=NOW)
    assert set(first) >= SUMMARY_KEYS, first
    assert first["source"] == source
    people_after = cli.json("people", now=NOW)
    again = cli.json("import", source, str(path), *extra, now=NOW)
    assert again["interactions_added"] == 0, again
    assert again["people_created"] == 0, again
    assert again["interactions_skipped"] >= first["interactions_added"], again
    assert cli.json("people", now=NOW) == people_after
    return first


def refuses(cli: CLI, source: str, path: Path, message: str, *extra: str) -> str:
    """The import exits with status 2 and one sentence containing `message`, and the base
    is exactly as before. Returns the sentence."""
    cli.ok("people", now=NOW)  # make sure the base exists, so there is a "before"
    before = snapshot(cli.db)
    result = cli("import", source, str(path), *extra, now=NOW)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err, result.err
    assert "Traceback" not in result.err
    assert result.err.strip().count("\n") == 0, result.err
    assert snapshot(cli.db) == before
    return result.err.strip()


def truncated(path: Path, tmp_path: Path, keep: float = 0.6) -> Path:
    """A copy of a file cut short, as a failed download leaves it."""
    data = path.read_bytes()
    out = tmp_path / f"truncated-{path.name}"
    out.write_bytes(data[: int(len(data) * keep)])
    return out


def zipped(folder: Path, tmp_path: Path, name: str = "export.zip") -> Path:
    """The folder packed as the platform's .zip download."""
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                z.write(file, file.relative_to(folder).as_posix())
    return out


def copy_tree(folder: Path, tmp_path: Path, name: str = "export") -> Path:
    target = tmp_path / name
    shutil.copytree(folder, target)
    return target


def wrong_format(tmp_path: Path) -> Path:
    """A file that is no export at all."""
    out = tmp_path / "holiday.png"
    out.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return out
