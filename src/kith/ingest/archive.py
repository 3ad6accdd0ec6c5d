"""Read an export safely, whether the user gives a folder, a .zip, a .tar.gz or one file.

Exports are hostile until proven otherwise: a member path that escapes the archive
(absolute, or with '..'), a link, or a zip bomb (a member that inflates far beyond its
compressed size) is refused with one sentence before anything is read.
"""

from __future__ import annotations

import fnmatch
import io
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from kith.ingest.base import BytesRead, ImportFailed

#: a member may inflate at most this many times its compressed size (when over MIN_RATIO_SIZE)
MAX_RATIO = 100
MIN_RATIO_SIZE = 10 * 1024 * 1024
#: at most this much in all, uncompressed
MAX_TOTAL = 64 * 1024**3
MAX_MEMBERS = 2_000_000


def _safe_name(name: str, archive: Path) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise ImportFailed(
            f"{archive.name} holds a file that would land outside it ('{name}'); "
            "refusing a possibly malicious archive."
        )
    return str(path)


class _Counting(io.RawIOBase):
    """A reader that reports bytes read, for the progress bar."""

    def __init__(self, inner: IO[bytes], report: Callable[[int], None]) -> None:
        self.inner = inner
        self.report = report

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if n:
            self.report(n)
        return n

    def close(self) -> None:
        self.inner.close()
        super().close()


class Archive:
    """The files of an export, by relative POSIX path."""

    def __init__(self, path: Path, progress: BytesRead | None = None) -> None:
        self.path = path
        self.progress = progress
        self._zip: zipfile.ZipFile | None = None
        self._tar: tarfile.TarFile | None = None
        self._sizes: dict[str, int] = {}
        self._tar_members: dict[str, tarfile.TarInfo] = {}
        self._zip_names: dict[str, str] = {}
        self._read = 0
        if not path.exists():
            raise ImportFailed(f"{path} does not exist.")
        if path.is_dir():
            self._scan_folder()
        elif zipfile.is_zipfile(path):
            self._scan_zip()
        elif _is_tar(path):
            self._scan_tar()
        elif _looks_archived(path):
            raise ImportFailed(
                f"{path.name} is not a readable archive; it may be cut short: download it again."
            )
        else:
            self._sizes[path.name] = path.stat().st_size
        self.total = sum(self._sizes.values())

    # -- opening ----------------------------------------------------------------------
    def _scan_folder(self) -> None:
        for file in sorted(self.path.rglob("*")):
            if file.is_symlink():
                continue  # never follow links out of the export
            if file.is_file():
                self._sizes[file.relative_to(self.path).as_posix()] = file.stat().st_size

    def _scan_zip(self) -> None:
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFailed(f"{self.path.name} is not a readable zip file ({exc}).") from exc
        if len(infos) > MAX_MEMBERS:
            raise ImportFailed(f"{self.path.name} holds too many files ({len(infos):,}).")
        total = 0
        for info in infos:
            name = _safe_name(info.filename, self.path)
            if info.is_dir():
                continue
            if info.external_attr >> 16 & 0o170000 == 0o120000:
                raise ImportFailed(f"{self.path.name} holds a symbolic link ('{name}'); refusing.")
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MIN_RATIO_SIZE and ratio > MAX_RATIO:
                raise ImportFailed(
                    f"{self.path.name}: '{name}' would inflate {ratio:,.0f} times "
                    f"(to {info.file_size:,} bytes); refusing a possible zip bomb."
                )
            total += info.file_size
            self._sizes[name] = info.file_size
            self._zip_names[name] = info.filename
        self._refuse_bomb(total)
        if total > MAX_TOTAL:
            raise ImportFailed(
                f"{self.path.name} would inflate to {total:,} bytes; refusing a possible zip bomb."
            )

    def _refuse_bomb(self, total: int) -> None:
        """Refuse an archive whose files, together, inflate more than MAX_RATIO times its
        size: many small members (each under MIN_RATIO_SIZE) add up as one large one."""
        packed = max(self.path.stat().st_size, 1)
        if total > MIN_RATIO_SIZE and total > MAX_RATIO * packed:
            raise ImportFailed(
                f"{self.path.name} would inflate {total / packed:,.0f} times (to {total:,} "
                f"bytes from {packed:,}); refusing a possible archive bomb."
            )

    def _tar_members_checked(self) -> Iterator[tarfile.TarInfo]:
        """The members, each header checked before the data after it is skipped: in a
        compressed tar, skipping is inflating, and a bomb's one member can take minutes."""
        assert self._tar is not None
        total = 0
        while (member := self._tar.next()) is not None:
            total += member.size
            self._refuse_bomb(total)
            yield member

    def _scan_tar(self) -> None:
        try:
            self._tar = tarfile.open(self.path, mode="r:*")  # noqa: SIM115 - closed by close()
            members = list(self._tar_members_checked())
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ImportFailed(f"{self.path.name} is not a readable archive ({exc}).") from exc
        total = 0
        for member in members:
            name = _safe_name(member.name, self.path)
            if member.isdir():
                continue
            if not member.isfile():
                raise ImportFailed(f"{self.path.name} holds a link or device ('{name}'); refusing.")
            total += member.size
            self._sizes[name] = member.size
            self._tar_members[name] = member
        if total > MAX_TOTAL:
            raise ImportFailed(f"{self.path.name} would unpack to {total:,} bytes; refusing.")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._tar is not None:
            self._tar.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------
    @property
    def is_single_file(self) -> bool:
        return self.path.is_file() and self._zip is None and self._tar is None

    def names(self) -> list[str]:
        return list(self._sizes)

    def size(self, name: str) -> int:
        return self._sizes[name]

    def find(self, *patterns: str) -> list[str]:
        """Members whose path, or file name, matches one of the glob patterns (in path order)."""
        found = []
        for name in self._sizes:
            base = name.rsplit("/", 1)[-1]
            if any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(base, p) for p in patterns):
                found.append(name)
        return found

    def _report(self, n: int) -> None:
        self._read += n
        if self.progress is not None:
            self.progress(min(self._read, self.total), self.total)

    def advance(self, n: int) -> None:
        """Report `n` more bytes of the export as done (for readers of uncounted streams)."""
        self._report(n)

    def open_binary(self, name: str, counted: bool = True) -> IO[bytes]:
        """A stream of one member's bytes; reading it reports progress unless `counted` is
        False (the reader then reports with `advance`, e.g. as it works through the data)."""
        if name not in self._sizes:
            raise KeyError(name)
        raw: IO[bytes]
        if self._zip is not None:
            raw = self._zip.open(self._zip_names[name])
        elif self._tar is not None:
            extracted = self._tar.extractfile(self._tar_members[name])
            if extracted is None:  # pragma: no cover - only regular files are listed
                raise ImportFailed(f"Cannot read '{name}' in {self.path.name}.")
            raw = extracted
        elif self.is_single_file:
            raw = self.path.open("rb")
        else:
            raw = (self.path / name).open("rb")
        report = self._report if counted else _ignore
        return io.BufferedReader(_Counting(raw, report), buffer_size=1024 * 1024)

    def read_bytes(self, name: str) -> bytes:
        with self.open_binary(name) as stream:
            return stream.read()

    @contextmanager
    def open_text(self, name: str, encoding: str = "utf-8-sig") -> Iterator[IO[str]]:
        """A text stream of one member; undecodable bytes are an ImportFailed naming it."""
        stream = self.open_binary(name)
        try:
            yield io.TextIOWrapper(stream, encoding=encoding, newline="")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"'{name}' in {self.path.name} is not {encoding} text (byte {exc.start})."
            ) from exc
        finally:
            stream.close()


def _ignore(_n: int) -> None:
    return None


def _looks_archived(path: Path) -> bool:
    """Named or shaped like a zip or gzip archive (whatever the name), though unreadable."""
    if path.suffix.lower() in (".zip", ".tgz") or path.name.lower().endswith(".tar.gz"):
        return True
    with path.open("rb") as stream:
        head = stream.read(4)
    return head.startswith((b"PK\x03\x04", b"\x1f\x8b"))


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False
