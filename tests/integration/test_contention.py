"""A web server, CLI writes and an import on one SQLite base at once (docs/security.md,
"Contention"): every write lands and none meets "database is locked". A lock held longer
than the busy timeout is test_base_troubles.py's case: one sentence, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.proof.contention import contend
from kith.proof.x_archive import write_archive

pytestmark = pytest.mark.slow


def test_the_server_the_cli_and_an_import_write_at_once_and_lose_nothing(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "archive", 10_000, 2_000, 300)
    run = contend(tmp_path / "bases", archive, tmp_path / "home", cli_writes=5, web_writes=30)
    assert run.import_error == ""
    assert run.failures == []
    assert (run.cli_done, run.web_done) == (5, 30)
    assert run.lost == 0, (run.expected, run.found)
    assert run.during_import >= 3, "the writes did not meet the import"
