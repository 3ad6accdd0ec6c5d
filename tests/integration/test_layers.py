"""The layers of docs/architecture.md hold: `lint-imports` keeps the contracts of
pyproject.toml, and it does catch a web module that reaches into the store."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("lint-imports")
    if command is None:
        pytest.fail("lint-imports (import-linter) is a test dependency: pip install -e '.[test]'")
    return subprocess.run(
        [command, "--config", str(root / "pyproject.toml")],
        cwd=root / "src",
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_are_kept():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(contracts['contracts'])} kept, 0 broken" in done.stdout


def test_a_web_module_importing_the_store_breaks_them(tmp_path):
    copy = tmp_path / "kith"
    shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    sneaky = copy / "src" / "kith" / "web" / "sneaky.py"
    sneaky.write_text("from kith.store import schema\n")
    done = _lint(copy)
    assert done.returncode != 0
    assert "kith.web.sneaky -> kith.store.schema" in done.stdout
