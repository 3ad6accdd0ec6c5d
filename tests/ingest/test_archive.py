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


class _Zeros(io.RawIOBase):
    """`size` zero bytes, read as a file, never held whole."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


def test_many_small_members_add_up_to_a_bomb(sqlite_cli, tmp_path):
    """Issue 12, probe 8: members under 10 MiB skipped the ratio check, so 200 of them at
    1,000 times passed. Together they are refused."""
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(24):
            z.writestr(f"data/part{n}.js", bytes(1024 * 1024))
    assert all(i.file_size <= 10 * 1024 * 1024 for i in zipfile.ZipFile(path).infolist())
    with pytest.raises(ImportFailed, match="refusing a possible archive bomb"):
        Archive(path)
    refuses(sqlite_cli, "x", path, "archive bomb")


def test_a_tar_gz_bomb_is_refused_before_it_is_inflated(sqlite_cli, tmp_path):
    """Issue 12, probe 8: a .tar.gz had no ratio check (2 MB holding a 2 GiB tweets.js kept
    an import busy past 4 minutes). The member's header alone refuses it now."""
    path = tmp_path / "bomb.tar.gz"
    size = 256 * 1024 * 1024
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        info = tarfile.TarInfo("data/tweets.js")
        info.size = size
        tar.addfile(info, io.BufferedReader(_Zeros(size), 1024 * 1024))
    assert path.stat().st_size < size // 100
    with pytest.raises(ImportFailed, match="refusing a possible archive bomb"):
        Archive(path)
    refuses(sqlite_cli, "x", path, "archive bomb")


def test_an_ordinary_tar_gz_still_opens(tmp_path):
    path = tmp_path / "fine.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        body = b"window.YTD.tweets.part0 = [ ]"
        info = tarfile.TarInfo("data/tweets.js")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    with Archive(path) as archive:
        assert archive.read_bytes("data/tweets.js") == body
