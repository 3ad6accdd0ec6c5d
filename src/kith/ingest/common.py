"""Small pieces several importers share."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from kith.ingest.archive import Archive
from kith.ingest.base import ImportFailed


def digest(*parts: str) -> str:
    """A stable id for a message that has none, from what identifies it."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


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
