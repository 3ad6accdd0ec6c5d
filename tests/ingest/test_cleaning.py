"""Text the back ends disagree on, cleaned the same way for every importer and every file
size (issue 12, probes 3 and 4): a NUL character is dropped (PostgreSQL refuses it where
SQLite takes it), a lone surrogate refuses the file in one sentence whichever JSON parser
read it. On SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kith.api import Kith
from kith.ingest import jsonstream
from kith.ingest.base import ImportFailed
from tests.conftest import snapshot

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
SAMPLE_X = Path(__file__).parents[1] / "fixtures" / "x" / "sample"
THREAD = "Great thread on community building"


def _archive(tmp_path: Path, replacement: str) -> Path:
    """The sample X archive with one reply's words replaced by `replacement` (JSON text)."""
    copy = tmp_path / "x"
    shutil.copytree(SAMPLE_X, copy)
    tweets = copy / "data" / "tweets.js"
    body = tweets.read_text("utf-8")
    assert THREAD in body
    tweets.write_text(body.replace(THREAD, replacement), "utf-8")
    return copy


def _texts(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            found = c.execute(text("SELECT text FROM interactions WHERE text IS NOT NULL"))
            return [row[0] for row in found]
    finally:
        engine.dispose()


def test_a_nul_character_is_dropped_on_both_back_ends(db_url: str, tmp_path: Path) -> None:
    base = Kith(db_url, clock_fn=lambda: NOW)
    base.init(timezone="UTC")
    archive = _archive(tmp_path, "Great\\u0000 thread")
    done = base.import_file("x", archive)
    assert done["interactions_added"] > 0
    stored = [t for t in _texts(db_url) if "thread" in t]
    assert stored
    assert all("\x00" not in t for t in stored)
    assert any("Great thread" in t for t in stored)
    assert base.import_file("x", archive)["interactions_added"] == 0  # and idempotent


@pytest.mark.parametrize("streamed", [False, True], ids=["whole file", "streamed"])
def test_a_lone_surrogate_refuses_the_file_whichever_parser_reads_it(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    if streamed:  # the path of files over 64 MiB, taken here by a small one
        monkeypatch.setattr(jsonstream, "WHOLE_FILE_LIMIT", 0)
    base = Kith(db_url, clock_fn=lambda: NOW)
    base.init(timezone="UTC")
    base.add("Someone Already Here")
    before = snapshot(db_url)
    with pytest.raises(ImportFailed) as refused:
        base.import_file("x", _archive(tmp_path, "broken \\ud800 text"))
    said = refused.value.message
    assert "tweets.js" in said or "'x' holds text" in said  # the member, or the archive
    assert "surrogate" in said
    assert snapshot(db_url) == before


def test_a_message_longer_than_any_is_cut_and_said(db_url: str, tmp_path: Path) -> None:
    from kith.ingest.cleaning import CUT_NOTE, MAX_TEXT

    base = Kith(db_url, clock_fn=lambda: NOW)
    base.init(timezone="UTC")
    done = base.import_file("x", _archive(tmp_path, "Great thread " + "ha" * MAX_TEXT))
    assert CUT_NOTE in done["warnings"]
    assert max(len(t) for t in _texts(db_url)) == MAX_TEXT
