"""Hostile archives are refused before anything is read, and nothing is written."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from kith.ingest.archive import Archive
from kith.ingest.base import ImportFailed
from tests.ingest.contract import refuses

TWEETS = b"window.YTD.tweets.part0 = []"


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_path_traversal_in_a_zip_is_refused(sqlite_cli, tmp_path):
    bad = zip_with(tmp_path / "evil.zip", {"data/tweets.js": TWEETS, "../../etc/cron.d/x": b"x"})
    message = refuses(sqlite_cli, "x", bad, "would land outside it")
    assert "../../etc/cron.d/x" in message


def test_absolute_paths_are_refused(tmp_path):
    bad = zip_with(tmp_path / "abs.zip", {"/etc/passwd": b"x"})
    with pytest.raises(ImportFailed, match="outside it"):
        Archive(bad)


def test_a_zip_bomb_is_refused(sqlite_cli, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data/tweets.js", TWEETS)
        with z.open("data/like.js", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):  # 64 MiB of zeros, about 64 KiB compressed
                member.write(chunk)
    assert bomb.stat().st_size < 1_000_000
    refuses(sqlite_cli, "x", bomb, "possible zip bomb")


def test_links_inside_archives_are_refused(tmp_path):
    link = zipfile.ZipInfo("data/tweets.js")
    link.external_attr = 0o120777 << 16
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(link, "/etc/passwd")
    with pytest.raises(ImportFailed, match="symbolic link"):
        Archive(path)
    tar_path = tmp_path / "link.tar.gz"
    with tarfile.open(tar_path, "w:gz") as t:
        info = tarfile.TarInfo("outbox.json")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        t.addfile(info)
    with pytest.raises(ImportFailed, match="link or device"):
        Archive(tar_path)


def test_tar_traversal_is_refused(tmp_path):
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        data = b"{}"
        info = tarfile.TarInfo("../outbox.json")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    with pytest.raises(ImportFailed, match="outside it"):
        Archive(path)


def test_a_corrupt_zip_is_one_sentence(sqlite_cli, tmp_path):
    good = zip_with(tmp_path / "ok.zip", {"data/tweets.js": TWEETS * 100})
    broken = tmp_path / "broken.zip"
    broken.write_bytes(good.read_bytes()[:-30])
    refuses(sqlite_cli, "x", broken, "is not a readable archive; it may be cut short")


def test_symlinks_in_a_folder_are_not_followed(tmp_path):
    root = tmp_path / "export"
    (root / "data").mkdir(parents=True)
    (root / "data" / "tweets.js").write_bytes(TWEETS)
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (root / "data" / "account.js").symlink_to(secret)
    with Archive(root) as archive:
        assert archive.names() == ["data/tweets.js"]
