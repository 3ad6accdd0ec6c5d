"""Small pieces several importers share: ids, time zones, damaged zips, where a member is,
the encoding of a CSV file."""

from __future__ import annotations

import hashlib
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kith.ingest.archive import Archive
from kith.ingest.base import ImportFailed

#: the longest external id the base stores whole
MAX_EXTERNAL_ID = 200


def digest(*parts: object) -> str:
    """A stable id for a message that has none, from what identifies it."""
    joined = "\x1f".join(map(str, parts))
    return hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()


def stable_id(external_id: str) -> str:
    """An external id that fits the column: a long one is replaced by its digest, never cut
    (two long ids sharing a beginning must stay two)."""
    if len(external_id) <= MAX_EXTERNAL_ID:
        return external_id
    return "sha1:" + hashlib.sha1(external_id.encode("utf-8"), usedforsecurity=False).hexdigest()


class Occurrences:
    """A message's index among identical ones (same time, sender and text), so that two
    identical messages keep two ids. Identical messages share a timestamp, so only the most
    recent timestamps are remembered."""

    KEEP = 32

    def __init__(self) -> None:
        self.by_time: OrderedDict[str, dict[str, int]] = OrderedDict()

    def next(self, at: str, key: str) -> int:
        counts = self.by_time.setdefault(at, {})
        self.by_time.move_to_end(at)
        while len(self.by_time) > self.KEEP:
            self.by_time.popitem(last=False)
        index = counts.get(key, 0)
        counts[key] = index + 1
        return index


def identify_with(path: Path, find: Callable[[Archive], object]) -> bool:
    """`identify` for importers that recognise an export by the files `find` finds in it."""
    try:
        with Archive(path) as archive:
            return bool(find(archive))
    except ImportFailed:
        return True  # a damaged or hostile archive: extract says which, in one sentence
    except OSError:
        return False


def zone(name: str) -> tzinfo:
    """The time zone `options.tz` names; an unknown one is an ImportFailed."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImportFailed(f"Unknown time zone '{name}'.") from exc


def starts_like_zip(path: Path) -> bool:
    """A file whose first bytes are those of a zip, whether or not it opens as one."""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def is_damaged_zip(path: Path) -> bool:
    """A file that starts like a zip but cannot be opened as one (a download cut short)."""
    return starts_like_zip(path) and not zipfile.is_zipfile(path)


def refuse_damaged_zip(path: Path, advice: str) -> None:
    """A zip cut short is refused with one sentence, and `advice` on what to do."""
    if is_damaged_zip(path):
        raise ImportFailed(f"{path.name} is a damaged or incomplete zip file; {advice}.")


def member_label(archive: Archive, member: str, quoted: bool = True) -> str:
    """How messages name a member: by itself when it is the file given, else "'member' in
    export.zip" (`quoted`) or "member in export.zip"."""
    if archive.is_single_file:
        return member
    return f"'{member}' in {archive.path.name}" if quoted else f"{member} in {archive.path.name}"


def detect_encoding(head: bytes) -> str:
    """The text encoding of a CSV file from its first bytes (byte-order marks, or the zero
    bytes of UTF-16 written without one)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(head) >= 4 and head[0] != 0 and head[1] == 0 and head[3] == 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[1] != 0 and head[2] == 0:
        return "utf-16-be"
    return "utf-8-sig"
